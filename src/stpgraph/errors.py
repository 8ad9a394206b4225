"""Errors that stpgraph reports to its users, each with the CLI exit code it maps to.

Exit codes (also listed in the README):

====  ===============================================================
0     success
1     unexpected internal error (a bug: please report it)
2     usage error: unknown command, option, query or parameter
3     input error: a Turtle file or SPARQL text does not parse
4     validation error: data breaks a SHACL shape or a -violation check
5     reasoning error: the OWL-RL reasoner found a contradiction
6     remote error: a SPARQL endpoint or store failed or is unreachable
====  ===============================================================
"""

from __future__ import annotations


class StpgraphError(Exception):
    """Base class for errors shown to users as one clear line."""

    exit_code = 1


class UsageError(StpgraphError):
    """The user asked for something that does not exist or passed a bad parameter."""

    exit_code = 2


class InputError(StpgraphError):
    """A file or text could not be parsed; the message names file (or query), line and column."""

    exit_code = 3


class ValidationError(StpgraphError):
    """The data breaks one or more SHACL shapes or checks."""

    exit_code = 4

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class ReasoningError(StpgraphError):
    """The reasoner found the ontology and data contradictory."""

    exit_code = 5

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class RemoteError(StpgraphError):
    """A remote SPARQL endpoint or graph store failed, timed out or could not be reached."""

    exit_code = 6
