"""Saved queries: files ``queries/<name>.rq`` with a comment header, and safe parameter binding.

A header looks like::

    # title: Which bodies replaced which
    # description: One line on what it answers and how to read the result.
    # param: body  IRI  optional  only this body's successors
    # param: date  date  default=2022-07-02  the day to look at

A parameter line gives a name, a type (``IRI``, ``string``, ``date``, ``integer``, ``decimal``,
``boolean``), ``required``, ``optional`` or ``default=VALUE``, and help text. Values are bound as
RDF terms in a ``VALUES`` block at the top of the query's ``WHERE`` clause, never pasted as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import UsageError

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("IRI", "string", "date", "integer", "decimal", "boolean")
_DATE = {
    re.compile(r"^\d{4}-\d{2}-\d{2}$"): "date",
    re.compile(r"^\d{4}-\d{2}$"): "gYearMonth",
    re.compile(r"^\d{4}$"): "gYear",
}
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_EXAMPLE = re.compile(r"\be\.g\.\s+([^\s),;]+)")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a saved query."""

    name: str
    type: str
    required: bool
    default: str | None
    help: str

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """Turn the text ``value`` into an RDF term of this parameter's type, or raise UsageError."""
        return to_term(value, self.type, self.name)

    @property
    def example(self) -> str | None:
        """The value the help text gives after "e.g.", or None.

        >>> Param("form", "IRI", False, None, "only this form (e.g. form:stp)").example
        'form:stp'
        """
        found = _EXAMPLE.search(self.help)
        return found.group(1) if found else None


@dataclass(frozen=True)
class SavedQuery:
    """A saved query file with its parsed header."""

    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """The query text as written in the file."""
        return self.path.read_text()

    def example_values(self) -> dict[str, str]:
        """Values for the required parameters, from their help texts' examples (for demos and tests)."""
        return {p.name: p.example for p in self.params if p.required and p.example is not None}

    @property
    def is_check(self) -> bool:
        """True for ``*-violation`` checks, which must return no rows."""
        return self.name.endswith("-violation")

    def bind(self, values: dict[str, str]) -> str:
        """Return the query text with ``values`` bound, after checking names, presence and types."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            expected = ", ".join(known) or "none"
            raise UsageError(f"query {self.name!r} has no parameter {unknown[0]!r} "
                             f"(its parameters: {expected})")
        bindings: dict[str, ox.NamedNode | ox.Literal] = {}
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None:
                if param.required:
                    raise UsageError(f"query {self.name!r} needs parameter {param.name!r} "
                                     f"({param.type}): {param.help}")
                continue
            bindings[param.name] = param.term(raw)
        return bind_values(self.text, bindings)


def to_term(value: str, type_: str, name: str = "value") -> ox.NamedNode | ox.Literal:
    """Convert text to a typed RDF term; ``prefix:local`` IRIs are expanded.

    >>> to_term("2018-08", "date").datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    >>> to_term("form:stp", "IRI").value
    'https://w3id.org/stpgraph/id/form/stp'
    """
    value = value.strip()
    if type_ == "IRI":
        iri = expand(value)
        try:
            return ox.NamedNode(iri)
        except ValueError as exc:
            raise UsageError(f"parameter {name!r} must be an IRI, got {value!r}: {exc}") from None
    if type_ == "date":
        for pattern, xsd in _DATE.items():
            if pattern.match(value):
                return ox.Literal(value, datatype=ox.NamedNode(XSD + xsd))
        raise UsageError(f"parameter {name!r} must be a date (YYYY, YYYY-MM or YYYY-MM-DD), "
                         f"got {value!r}")
    if type_ == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise UsageError(f"parameter {name!r} must be an integer, got {value!r}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if type_ == "decimal":
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", value):
            raise UsageError(f"parameter {name!r} must be a decimal number, got {value!r}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    if type_ == "boolean":
        if value not in ("true", "false"):
            raise UsageError(f"parameter {name!r} must be true or false, got {value!r}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
    return ox.Literal(value)


def expand(value: str) -> str:
    """Expand ``prefix:local`` with the known prefixes; other text is returned unchanged."""
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    if not sep or local.startswith("//"):
        return value
    from .prefixes import PREFIXES

    if prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return value


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(query: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """Insert ``VALUES (?a ?b) { (t1 t2) }`` at the top of the outer WHERE clause.

    The terms are written in N-Triples syntax by pyoxigraph, so a value can never change the
    query's structure.
    """
    if not bindings:
        return query
    body = "\n".join("" if line.lstrip().startswith("#") else line for line in query.splitlines())
    match = _WHERE.search(body)
    at = match.end() if match else body.find("{") + 1
    if at <= 0:
        raise UsageError("cannot bind parameters: the query has no WHERE clause")
    names = " ".join(f"?{n}" for n in bindings)
    terms = " ".join(str(t) for t in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
    return body[:at] + block + body[at:]


def parse_header(path: Path) -> SavedQuery:
    """Read a saved query's header; raise UsageError naming file and line when it is malformed."""
    title = description = ""
    params: list[Param] = []
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key, sep, rest = line[1:].strip().partition(":")
        if not sep:
            continue
        key, rest = key.strip(), rest.strip()
        if key == "title":
            title = rest
        elif key == "description":
            description = rest
        elif key == "param":
            params.append(_param(rest, f"{path}:{lineno}"))
    if not title:
        raise UsageError(f"{path}:1: saved query has no '# title:' line")
    return SavedQuery(path.stem, path, title, description, tuple(params))


def _param(text: str, where: str) -> Param:
    parts = text.split(None, 3)
    if len(parts) < 3:
        raise UsageError(f"{where}: a param line is 'NAME TYPE required|optional|default=V HELP'")
    name, type_, need = parts[:3]
    help_ = parts[3] if len(parts) > 3 else ""
    if not _NAME.match(name):
        raise UsageError(f"{where}: bad parameter name {name!r}")
    if type_ not in TYPES:
        raise UsageError(f"{where}: parameter type must be one of {', '.join(TYPES)}")
    default = need.split("=", 1)[1] if need.startswith("default=") else None
    if need not in ("required", "optional") and default is None:
        raise UsageError(f"{where}: third field must be required, optional or default=VALUE")
    if default is not None:
        to_term(default, type_, name)
    return Param(name, type_, need == "required", default, help_)


def load_catalogue(folder: Path) -> dict[str, SavedQuery]:
    """Return every saved query in ``folder`` by name, sorted."""
    return {q.name: q for q in (parse_header(p) for p in sorted(folder.glob("*.rq")))}


def get(folder: Path, name: str) -> SavedQuery:
    """Return one saved query, or raise UsageError listing near names."""
    path = folder / f"{name}.rq"
    if not path.is_file():
        import difflib

        names = [p.stem for p in folder.glob("*.rq")]
        near = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else "; `stpgraph queries` lists them"
        raise UsageError(f"no saved query {name!r}{hint}")
    return parse_header(path)
