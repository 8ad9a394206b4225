"""Query results in one engine-neutral shape, and their output formats.

Every engine (local pyoxigraph, rdflib, a remote endpoint) returns :class:`Results` holding
pyoxigraph terms, so the CLI, the API and the server print the same thing wherever the graph lives.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pyoxigraph as ox

# The prefix table (stpgraph.namespace) pulls in rdflib, which costs a CLI call more than the
# query itself; it is imported only by the output formats that show prefixes.

Term = ox.NamedNode | ox.BlankNode | ox.Literal
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
FORMATS = ("table", "csv", "tsv", "json", "jsonld", "turtle", "ntriples")


@dataclass
class Results:
    """SELECT rows, an ASK answer, or CONSTRUCT/DESCRIBE triples."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def records(self) -> list[dict[str, Term]]:
        """Rows as dictionaries of bound variables."""
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
                for row in self.rows]

    def canonical(self) -> list[tuple[str, ...]]:
        """A sorted, engine-independent form, for comparing results from different engines."""
        if self.kind == "ask":
            return [(str(self.boolean),)]
        if self.kind == "graph":
            return sorted((str(t.subject), str(t.predicate), str(t.object)) for t in self.triples
                          if not isinstance(t.subject, ox.BlankNode))
        return sorted(tuple(_canonical_term(t) for t in row) for row in self.rows)


def _canonical_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:b"
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_STRING and not term.language:
        return f'"{term.value}"'
    return str(term)


def from_solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Results:
    """Materialise a pyoxigraph query result."""
    if isinstance(result, ox.QueryBoolean):
        return Results("ask", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        return Results("graph", triples=list(result))
    variables = [v.value for v in result.variables]
    rows = [tuple(solution[v] for v in variables) for solution in result]
    return Results("select", variables, rows)


# --- rendering -------------------------------------------------------------


def plain(term: Term | None, *, compact: bool = False) -> str:
    """A term as plain text: IRIs (compacted if asked), literal values without quotes."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        if not compact:
            return term.value
        from .prefixes import compact_iri

        return compact_iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def render(results: Results, fmt: str) -> str:
    """Render results in one of :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if results.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": results.boolean}) + "\n"
        return ("true" if results.boolean else "false") + "\n"
    if results.kind == "graph":
        return _render_graph(results.triples, fmt)
    return {
        "table": _table, "csv": _csv, "tsv": _tsv, "json": _json,
        "jsonld": lambda r: _render_graph(_result_set_triples(r), "jsonld"),
        "turtle": lambda r: _render_graph(_result_set_triples(r), "turtle"),
        "ntriples": lambda r: _render_graph(_result_set_triples(r), "ntriples"),
    }[fmt](results)


def _table(results: Results) -> str:
    cells = [[plain(t, compact=True) for t in row] for row in results.rows]
    widths = [len(v) for v in results.variables]
    for row in cells:
        widths = [max(w, min(len(c), 70)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        fitted = [v if len(v) <= w else v[: w - 1] + "…" for v, w in zip(values, widths, strict=True)]
        return "  ".join(v.ljust(w) for v, w in zip(fitted, widths, strict=True)).rstrip()

    lines = [line(results.variables), "  ".join("─" * w for w in widths)]
    lines.extend(line(row) for row in cells)
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv(results: Results) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(results.variables)
    writer.writerows([plain(t) for t in row] for row in results.rows)
    return buf.getvalue()


def _tsv(results: Results) -> str:
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in results.rows)
    return "\n".join(lines) + "\n"


def json_term(term: Term) -> dict[str, str]:
    """A term in the SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _json(results: Results) -> str:
    bindings = [{v: json_term(t) for v, t in zip(results.variables, row, strict=True) if t is not None}
                for row in results.rows]
    doc = {"head": {"vars": results.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def _result_set_triples(results: Results) -> list[ox.Triple]:
    """The rows as RDF in the W3C result-set vocabulary, for Turtle or JSON-LD output."""
    rs = ox.BlankNode("results")
    t = [ox.Triple(rs, ox.NamedNode(RDF_TYPE), ox.NamedNode(RS + "ResultSet"))]
    t += [ox.Triple(rs, ox.NamedNode(RS + "resultVariable"), ox.Literal(v)) for v in results.variables]
    for i, row in enumerate(results.rows):
        sol = ox.BlankNode(f"row{i}")
        t.append(ox.Triple(rs, ox.NamedNode(RS + "solution"), sol))
        t.append(ox.Triple(sol, ox.NamedNode(RS + "index"),
                           ox.Literal(str(i + 1), datatype=ox.NamedNode(XSD_INTEGER))))
        for j, (var, term) in enumerate(zip(results.variables, row, strict=True)):
            if term is None:
                continue
            b = ox.BlankNode(f"row{i}v{j}")
            t += [ox.Triple(sol, ox.NamedNode(RS + "binding"), b),
                  ox.Triple(b, ox.NamedNode(RS + "variable"), ox.Literal(var)),
                  ox.Triple(b, ox.NamedNode(RS + "value"), term)]
    return t


def _render_graph(triples: list[ox.Triple], fmt: str) -> str:
    rdf_format = {
        "turtle": ox.RdfFormat.TURTLE, "table": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
        "json": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES,
        "csv": ox.RdfFormat.N_TRIPLES, "tsv": ox.RdfFormat.N_TRIPLES,
    }[fmt]
    prefixes = None
    if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD):
        from .prefixes import PREFIXES

        prefixes = PREFIXES
    data = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    return data.decode()
