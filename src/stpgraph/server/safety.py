"""Inspect untrusted SPARQL before it is evaluated: read-only, no federation, local graphs only.

Three layers, cheapest first (see :func:`inspect`):

1. A lexer strips comments, string literals and IRIs, leaving the query's *code*. Update keywords
   at the start of the code mean an update (403; ``LOAD`` 400, as it would fetch remote data).
   A ``SERVICE`` token anywhere in the code is refused outright (400) — this needs no parser, so
   no disagreement between parsers can let a federated query through.
2. When the code mentions ``FROM`` or ``GRAPH``, a token scan resolves the IRIs those clauses
   name (with the query's PREFIX declarations); any IRI outside the dataset is refused (400).
   Only what the scan cannot resolve (``BASE``, escapes) goes to rdflib's SPARQL parser (slow:
   20 ms to many seconds; cached per query text, and under the worker's time limit), whose
   algebra is also walked for ``SERVICE`` as a second opinion.
3. The worker process that evaluates the query has no network (see :mod:`.worker`).

The lexer is deliberately conservative: its errors can only cause a needless slow path or a
refusal, never a missed keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Comments, string literals and IRIs: what both scanners below must step over whole, so that
# nothing inside them is read as a keyword.
_OPAQUE = r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"
               | '''(?:[^'\\]|\\.|'(?!''))*'''
               | \"(?:[^\"\\\n\r]|\\.)*\"
               | '(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)
"""
_LEX = re.compile(
    _OPAQUE + r"""
    | (?P<code>\\.|[^\#\"'<\\]+|.)
    """,
    re.VERBOSE | re.DOTALL,
)
# A keyword token: not glued to a name, variable or prefix on its left (those make it part of
# another token); anything may follow, as a PEG parser need not check the right boundary.
_NOT_AFTER = r"(?<![A-Za-z_:?$\-])"
_SERVICE = re.compile(_NOT_AFTER + r"SERVICE", re.IGNORECASE)
_DATASET = re.compile(_NOT_AFTER + r"(?:FROM|GRAPH)", re.IGNORECASE)
# No nested ambiguous repetition (each round starts with a letter), so matching stays linear.
_PROLOGUE = r"\s*(?:(?:PREFIX\s*[^\s:]*:|BASE)\s*)*"
_UPDATE = re.compile(r"^" + _PROLOGUE + r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)"
                     r"(?![A-Za-z0-9_])", re.IGNORECASE)


@dataclass(frozen=True)
class Refusal(Exception):
    """A query that must not be evaluated: HTTP status, error code and a message for people."""

    status: int
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Verdict:
    """What evaluation needs to know about a query that passed inspection."""

    has_dataset: bool  # the query has FROM / FROM NAMED, so the store's union must not be forced


def code_of(query: str) -> str:
    """The query with comments, string literals and IRIs replaced by single spaces."""
    return "".join(m.group("code") or " " for m in _LEX.finditer(query))


def update_keyword(query: str) -> str | None:
    """The update operation the text starts with (``INSERT``, ``LOAD`` …), or None."""
    match = _UPDATE.match(code_of(query))
    return match.group(1).upper() if match else None


def inspect(query: str, graphs: frozenset[str], prefixes: dict[str, str]) -> Verdict:
    """Raise :class:`Refusal` if ``query`` must not run; otherwise say how to evaluate it.

    ``graphs`` are the IRIs of the dataset's named graphs; ``prefixes`` are predeclared.
    """
    code = code_of(query)
    match = _UPDATE.match(code)
    if match:
        keyword = match.group(1).upper()
        if keyword == "LOAD":
            raise Refusal(400, "load_refused",
                          "LOAD is refused: this endpoint never fetches remote data (and is read-only)")
        raise Refusal(403, "read_only", f"{keyword} is a SPARQL Update; this endpoint is read-only")
    if _SERVICE.search(code):
        raise Refusal(400, "service_refused",
                      "SERVICE (federated query) is refused: this endpoint never contacts other servers")
    if not _DATASET.search(code):
        return Verdict(has_dataset=False)
    found = dataset_iris(query, prefixes)
    if found is None:  # something the token scan cannot resolve (BASE, escapes): ask rdflib
        return _check_graphs(query, graphs, tuple(sorted(prefixes.items())))
    iris, has_from = found
    _refuse_unknown(iris, graphs)
    return Verdict(has_dataset=has_from)


_TOKEN = re.compile(
    _OPAQUE + r"""
    | (?P<var>[?$][^\s{}()<>.,;'\"\#=!|&*/+^-]*)
    | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[^\s{}()<>,;'\"\#\\]|\\.)*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def dataset_iris(query: str, prefixes: dict[str, str]) -> tuple[list[str], bool] | None:
    """The IRIs after FROM, FROM NAMED and GRAPH (variables skipped), and whether FROM occurs.

    A token scan that resolves prefixed names with the query's own PREFIX declarations; None when
    it meets something it does not resolve itself (BASE, escapes, anything unexpected).
    """
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(query)
              if m.lastgroup not in ("space", "comment")]
    declared = dict(prefixes)
    iris: list[str] = []
    has_from = False
    for i, (kind, text) in enumerate(tokens):
        if kind != "word":
            continue
        keyword = text.upper()
        if keyword == "BASE":
            return None
        if keyword == "PREFIX":
            if i + 2 < len(tokens) and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
                declared[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
            continue
        if keyword not in ("FROM", "GRAPH"):
            continue
        j = i + 1
        if keyword == "FROM":
            has_from = True
            if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "NAMED":
                j += 1
        if j >= len(tokens):
            return None
        nkind, ntext = tokens[j]
        if nkind == "var":
            continue
        if nkind == "iri":
            iri = ntext[1:-1]
            if ":" not in iri:  # relative: needs BASE resolution
                return None
        elif nkind == "pname" and "\\" not in ntext:
            prefix, _, local = ntext.partition(":")
            if prefix not in declared:
                continue  # pyoxigraph will report the undeclared prefix
            iri = declared[prefix] + local.rstrip(".")
        else:
            return None
        iris.append(iri)
    return iris, has_from


def _refuse_unknown(iris: list[str], graphs: frozenset[str]) -> None:
    for iri in iris:
        if iri not in graphs:
            raise Refusal(400, "unknown_graph",
                          f"graph <{iri}> is not in this dataset; GET /.well-known/void lists its graphs")


@lru_cache(maxsize=512)
def _check_graphs(query: str, graphs: frozenset[str], prefixes: tuple[tuple[str, str], ...]) -> Verdict:
    """Resolve FROM / FROM NAMED / GRAPH IRIs with rdflib's parser and check them against ``graphs``."""
    try:
        dataset, named, services = _walk(query, dict(prefixes))
    except Exception:
        # Safe to continue: SERVICE was excluded lexically, and pyoxigraph never dereferences
        # FROM or GRAPH IRIs (an unknown one is just an empty graph).
        return Verdict(has_dataset=bool(re.search(_NOT_AFTER + "FROM", code_of(query), re.I)))
    if services:
        raise Refusal(400, "service_refused",
                      "SERVICE (federated query) is refused: this endpoint never contacts other servers")
    _refuse_unknown([*dataset, *named], graphs)
    return Verdict(has_dataset=bool(dataset))


def _walk(query: str, prefixes: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """Return (FROM / FROM NAMED IRIs, GRAPH IRIs, SERVICE targets) of a query, via rdflib."""
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    translated = translateQuery(parseQuery(query), initNs=prefixes)
    dataset: list[str] = []
    for clause in translated.algebra.get("datasetClause") or []:
        dataset.extend(str(clause[key]) for key in ("default", "named") if key in clause)
    named: list[str] = []
    services: list[str] = []
    stack: list[object] = [translated.algebra]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            term = dict.get(node, "term")
            if node.name in ("Graph", "GraphGraphPattern") and isinstance(term, URIRef):
                named.append(str(term))
            if node.name == "ServiceGraphPattern":
                services.append(str(term))
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return dataset, named, services
