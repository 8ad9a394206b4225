"""``stpgraph describe``: everything known about one thing, grouped by source, with its history."""

from __future__ import annotations

import pyoxigraph as ox

from .catalogue import bind_values, expand
from .engines import Engine
from .errors import UsageError
from .prefixes import compact_iri, sparql_prologue
from .results import Results, plain, render

_FIND = sparql_prologue() + """
SELECT DISTINCT ?s ?label WHERE {
  ?s rdfs:label|skos:prefLabel|skos:altLabel ?l .
  FILTER(LCASE(STR(?l)) = LCASE(STR(?text)) || CONTAINS(LCASE(STR(?l)), LCASE(STR(?text))))
  BIND(IF(LCASE(STR(?l)) = LCASE(STR(?text)), 0, 1) AS ?rank)
  OPTIONAL { ?s rdfs:label ?label }
} ORDER BY ?rank STRLEN(STR(?l)) ?s LIMIT 10
"""

_STATEMENTS = sparql_prologue() + """
SELECT ?g ?p ?o ?olabel WHERE {
  GRAPH ?g { ?s ?p ?o }
  OPTIONAL { ?o rdfs:label ?olabel }
} ORDER BY ?g ?p ?o
"""

_INCOMING = sparql_prologue() + """
SELECT DISTINCT ?x ?xlabel ?p WHERE {
  GRAPH ?g { ?x ?p ?s }
  FILTER(?g != graph:inferred && isIRI(?x))
  OPTIONAL { ?x rdfs:label ?xlabel }
} ORDER BY ?p ?x LIMIT 200
"""

_HISTORY = sparql_prologue() + """
SELECT DISTINCT ?date ?kind ?event ?role ?other ?framework WHERE {
  {
    ?event org:originalOrganization ?s . BIND("from" AS ?role)
    OPTIONAL { ?event org:resultingOrganization ?o2 }
    BIND(?o2 AS ?other)
  } UNION {
    ?event org:resultingOrganization ?s . BIND("to" AS ?role)
    OPTIONAL { ?event org:originalOrganization ?o1 }
    BIND(?o1 AS ?other)
  } UNION {
    ?event stp:renamedBody ?s . BIND("same body" AS ?role)
  } UNION {
    ?event stp:priorForm ?s . BIND("from" AS ?role) OPTIONAL { ?event stp:nextForm ?other }
  } UNION {
    ?event stp:nextForm ?s . BIND("to" AS ?role) OPTIONAL { ?event stp:priorForm ?other }
  }
  ?event a ?type . ?type rdfs:label ?kind .
  FILTER(?type IN (stp:Merger, stp:Acquisition, stp:Split, stp:Evolution, stp:Replacement,
    stp:Renaming, stp:Recoding, stp:Establishment, stp:Abolition, stp:Designation,
    stp:FormRenaming, stp:FormEvolution, stp:FormReplacement))
  OPTIONAL { ?event dct:date|stp:latestDate ?date }
  OPTIONAL { ?event stp:hasFormalFramework ?framework }
} ORDER BY ?date ?event
"""


def resolve(engine: Engine, thing: str) -> str:
    """Return the IRI named by ``thing``: an IRI, a ``prefix:name``, or a label (best match)."""
    iri = expand(thing)
    if "://" in iri:
        return iri
    found = engine.query(bind_values(_FIND, {"text": ox.Literal(thing)}), label="describe")
    if not found.rows:
        raise UsageError(f"nothing is labelled {thing!r}; try a shorter part of the name")
    return found.rows[0][0].value


def describe(engine: Engine, thing: str, *, fmt: str = "text") -> str:
    """Describe one thing as text (or its statements as Turtle / JSON-LD)."""
    iri = resolve(engine, thing)
    subject = {"s": ox.NamedNode(iri)}
    statements = engine.query(bind_values(_STATEMENTS, subject), label="describe")
    if not statements.rows:
        raise UsageError(f"the graph says nothing about <{iri}>")
    if fmt in ("turtle", "jsonld"):
        triples = [ox.Triple(ox.NamedNode(iri), r[1], r[2]) for r in statements.rows
                   if r[0].value.rsplit("/", 1)[-1] != "inferred"]
        return render(Results("graph", triples=triples), fmt)
    incoming = engine.query(bind_values(_INCOMING, subject), label="describe")
    history = engine.query(bind_values(_HISTORY, subject), label="describe")
    return _text(iri, statements, incoming, history)


def _label_of(rows: Results, iri: str) -> str:
    for _g, p, o, _ in rows.rows:
        if p.value.endswith("#label") and isinstance(o, ox.Literal):
            return o.value
    return compact_iri(iri)


def _text(iri: str, statements: Results, incoming: Results, history: Results) -> str:
    lines = [f"{_label_of(statements, iri)}", f"  {iri}", ""]
    current = None
    for g, p, o, olabel in statements.rows:
        source = g.value.rsplit("/", 1)[-1]
        if source != current:
            current = source
            lines.append(f"according to {source}:" if source != "inferred" else "inferred:")
        value = plain(o, compact=True)
        if olabel is not None and olabel.value != value:
            value = f"{value}  ({olabel.value})"
        lines.append(f"  {compact_iri(p.value):<28} {value}")
    if history.rows:
        lines += ["", "history:"]
        for date, kind, event, role, other, framework in history.rows:
            parts = [plain(date) or "(undated)", kind.value, role.value]
            if other is not None:
                parts.append(plain(other, compact=True))
            if framework is not None:
                parts.append(f"under {plain(framework, compact=True)}")
            lines.append("  " + "  ".join(parts) + f"  [{compact_iri(event.value)}]")
    if incoming.rows:
        lines += ["", "referred to by:"]
        for x, xlabel, p in incoming.rows:
            name = xlabel.value if xlabel is not None else compact_iri(x.value)
            lines.append(f"  {compact_iri(p.value):<28} {name}")
    return "\n".join(lines) + "\n"
