"""What the site shows about one IRI, and label search — trusted, bounded queries on the store.

These run in the server process (they are ours, small and capped with LIMIT), not in the query
workers that guard untrusted SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..catalogue import bind_values
from ..namespace import compact_iri, sparql_prologue

_P = sparql_prologue()
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
INFERRED = "https://w3id.org/stpgraph/graph/inferred"
_LABEL_PROPS = ("http://www.w3.org/2000/01/rdf-schema#label",
                "http://www.w3.org/2004/02/skos/core#prefLabel")
_TEXT_PROPS = ("http://www.w3.org/2004/02/skos/core#definition", "http://purl.org/dc/terms/description",
               "http://www.w3.org/2000/01/rdf-schema#comment")
MAX_STATEMENTS = 2000
MAX_INCOMING = 500

_SEARCH = _P + """
SELECT ?s (SAMPLE(?l0) AS ?label) (MIN(?rank0) AS ?rank) (SAMPLE(?tl0) AS ?type) WHERE {
  ?s rdfs:label|skos:prefLabel|skos:altLabel|stp:odsCode|stp:onsCode ?l .
  FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?l)), ?needle))
  BIND(IF(LCASE(STR(?l)) = ?needle, 0, IF(STRSTARTS(LCASE(STR(?l)), ?needle), 1, 2)) AS ?rank0)
  OPTIONAL { ?s rdfs:label|skos:prefLabel ?l0 }
  OPTIONAL { ?s a ?t . FILTER(STRSTARTS(STR(?t), STR(stp:))) ?t rdfs:label ?tl0 }
} GROUP BY ?s ORDER BY ?rank STRLEN(STR(?label)) ?label LIMIT 60
"""

_OUT = _P + f"""
SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {MAX_STATEMENTS}
"""

_IN = _P + f"""
SELECT ?x ?p ?g WHERE {{ GRAPH ?g {{ ?x ?p ?s }} FILTER(isIRI(?x)) }} LIMIT {MAX_INCOMING}
"""

_LABELS = _P + """
SELECT ?x ?l WHERE { VALUES ?x { %s } ?x rdfs:label|skos:prefLabel ?l }
"""

_SOURCES = _P + """
SELECT ?g ?src ?l WHERE { ?g prov:wasDerivedFrom ?src . OPTIONAL { ?src rdfs:label|dct:title ?l } }
"""

_TIMELINE = _P + """
SELECT DISTINCT ?event ?type ?date ?role ?other ?framework ?status ?g WHERE {
  {
    GRAPH ?g { ?event org:originalOrganization ?s } BIND("from" AS ?role)
    OPTIONAL { ?event org:resultingOrganization ?other }
  } UNION {
    GRAPH ?g { ?event org:resultingOrganization ?s } BIND("to" AS ?role)
    OPTIONAL { ?event org:originalOrganization ?other }
  } UNION {
    GRAPH ?g { ?event stp:renamedBody ?s } BIND("same" AS ?role)
  } UNION {
    GRAPH ?g { ?event stp:priorForm ?s } BIND("from" AS ?role) OPTIONAL { ?event stp:nextForm ?other }
  } UNION {
    GRAPH ?g { ?event stp:nextForm ?s } BIND("to" AS ?role) OPTIONAL { ?event stp:priorForm ?other }
  }
  FILTER(?g != graph:inferred)
  OPTIONAL { ?event a ?type . FILTER(STRSTARTS(STR(?type), STR(stp:))
             && ?type NOT IN (stp:ChangeEvent, stp:SuccessionEvent, stp:FormChange)) }
  OPTIONAL { ?event dct:date|stp:latestDate ?date }
  OPTIONAL { ?event stp:hasFormalFramework ?framework }
  OPTIONAL { ?event stp:status ?status }
} ORDER BY ?date ?event LIMIT 500
"""

_SUCCESSION = _P + """
SELECT DISTINCT ?rel ?x WHERE {
  { ?s stp:replacedBy ?x BIND("successor" AS ?rel) } UNION { ?s stp:replaces ?x BIND("predecessor" AS ?rel) }
}
"""


@dataclass
class Value:
    """An object (or subject, for incoming links) with a readable label and its sources."""

    term: ox.NamedNode | ox.BlankNode | ox.Literal
    label: str | None = None
    sources: list[str] = field(default_factory=list)  # named graph IRIs


@dataclass
class Group:
    """All values of one property."""

    prop: str
    label: str
    values: list[Value]


@dataclass
class Event:
    """One change in a body's or form's history."""

    iri: str
    kind: str
    date: str
    role: str  # "from" (this thing was before), "to" (it came after), "same" (renamed)
    other: Value | None
    framework: Value | None
    status: str | None
    source: str


@dataclass
class Entity:
    """Everything an entity page shows."""

    iri: str
    label: str
    types: list[Value]
    texts: list[str]
    outgoing: list[Group]
    incoming: list[Group]
    timeline: list[Event]
    successors: list[Value]
    predecessors: list[Value]
    sources: dict[str, Value]  # graph IRI → source document (or dataset)
    truncated: bool = False

    @property
    def is_changing(self) -> bool:
        """True when the page should show a timeline."""
        return bool(self.timeline or self.successors or self.predecessors)


class Site:
    """Trusted lookups for the web pages and linked-data documents."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._sources: dict[str, Value] | None = None

    def _select(self, query: str, **bindings: ox.NamedNode | ox.Literal) -> list[ox.QuerySolution]:
        return list(self.store.query(bind_values(query, bindings), use_default_graph_as_union=True))

    def exists(self, iri: str) -> bool:
        """True if the IRI is the subject or object of any statement (False if it is no IRI)."""
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        return (next(self.store.quads_for_pattern(node, None, None, None), None) is not None
                or next(self.store.quads_for_pattern(None, None, node, None), None) is not None)

    def labels(self, iris: set[str]) -> dict[str, str]:
        """English (or any) labels for a set of IRIs."""
        out: dict[str, str] = {}
        iris_list = sorted(iris)
        for i in range(0, len(iris_list), 400):
            chunk = " ".join(f"<{x}>" for x in iris_list[i:i + 400])
            for row in self.store.query(_LABELS % chunk, use_default_graph_as_union=True):
                lit = row["l"]
                current = out.get(row["x"].value)
                if current is None or (lit.language == "en" and not current.startswith("\0")):
                    out[row["x"].value] = lit.value
        return out

    def sources(self) -> dict[str, Value]:
        """Named graph IRI → the document or dataset it was drawn from."""
        if self._sources is None:
            found: dict[str, Value] = {}
            for row in self._select(_SOURCES):
                label = row["l"].value if row["l"] is not None else None
                found[row["g"].value] = Value(row["src"], label)
            self._sources = found
        return self._sources

    def search(self, text: str) -> list[dict]:
        """Things whose label (or code) contains ``text``, best matches first."""
        needle = text.strip().lower()
        if not needle:
            return []
        rows = self._select(_SEARCH, needle=ox.Literal(needle))
        return [{"iri": r["s"].value, "label": r["label"].value if r["label"] else compact_iri(r["s"].value),
                 "type": r["type"].value if r["type"] else ""} for r in rows]

    def describe(self, iri: str) -> Entity | None:
        """The entity page's content, or None when the graph says nothing about ``iri``."""
        node = ox.NamedNode(iri)
        out_rows = self._select(_OUT, s=node)
        in_rows = self._select(_IN, s=node)
        if not out_rows and not in_rows:
            return None
        timeline_rows = self._select(_TIMELINE, s=node)
        succession = self._select(_SUCCESSION, s=node)
        wanted = {iri}
        for r in out_rows:
            wanted.add(r["p"].value)
            if isinstance(r["o"], ox.NamedNode):
                wanted.add(r["o"].value)
        for r in in_rows:
            wanted.update((r["x"].value, r["p"].value))
        for r in timeline_rows:
            for key in ("event", "type", "other", "framework", "status"):
                if isinstance(r[key], ox.NamedNode):
                    wanted.add(r[key].value)
        wanted.update(r["x"].value for r in succession)
        labels = self.labels(wanted)

        def value(term) -> Value:
            return Value(term, labels.get(term.value) if isinstance(term, ox.NamedNode) else None)

        outgoing = _group(((r["p"].value, r["o"], r["g"].value) for r in out_rows), labels)
        incoming = _group(((r["p"].value, r["x"], r["g"].value) for r in in_rows), labels)
        types = [v for g in outgoing if g.prop == RDF_TYPE for v in g.values]
        texts = [v.term.value for g in outgoing if g.prop in _TEXT_PROPS for v in g.values]
        timeline = [Event(
            iri=r["event"].value,
            kind=labels.get(r["type"].value, compact_iri(r["type"].value)) if r["type"] else "change",
            date=r["date"].value if r["date"] is not None else "",
            role=r["role"].value,
            other=value(r["other"]) if r["other"] is not None else None,
            framework=value(r["framework"]) if r["framework"] is not None else None,
            status=labels.get(r["status"].value, compact_iri(r["status"].value)) if r["status"] else None,
            source=r["g"].value,
        ) for r in timeline_rows]
        timeline = _merge_events(timeline)
        return Entity(
            iri=iri, label=labels.get(iri) or compact_iri(iri), types=types, texts=_unique(texts),
            outgoing=outgoing, incoming=incoming, timeline=timeline,
            successors=[value(r["x"]) for r in succession if r["rel"].value == "successor"],
            predecessors=[value(r["x"]) for r in succession if r["rel"].value == "predecessor"],
            sources=self.sources(),
            truncated=len(out_rows) >= MAX_STATEMENTS or len(in_rows) >= MAX_INCOMING,
        )

    def document(self, iri: str) -> list[ox.Quad]:
        """The quads describing ``iri``: its statements (with blank-node closure) and links to it."""
        node = ox.NamedNode(iri)
        quads = list(self.store.quads_for_pattern(node, None, None, None))
        seen: set[str] = set()
        frontier = [q.object for q in quads if isinstance(q.object, ox.BlankNode)]
        while frontier and len(quads) < 20_000:
            bnode = frontier.pop()
            if bnode.value in seen:
                continue
            seen.add(bnode.value)
            more = list(self.store.quads_for_pattern(bnode, None, None, None))
            quads.extend(more)
            frontier.extend(q.object for q in more if isinstance(q.object, ox.BlankNode))
        incoming = [q for q in self.store.quads_for_pattern(None, None, node, None)
                    if isinstance(q.subject, ox.NamedNode)]
        return quads + incoming[:MAX_INCOMING]


def _group(rows, labels: dict[str, str]) -> list[Group]:
    """Group (property, term, graph) rows by property, merging the graphs of equal values."""
    groups: dict[str, dict[str, Value]] = {}
    for prop, term, graph in rows:
        values = groups.setdefault(prop, {})
        key = str(term)
        if key not in values:
            label = labels.get(term.value) if isinstance(term, ox.NamedNode) else None
            values[key] = Value(term, label)
        if graph not in values[key].sources:
            values[key].sources.append(graph)
    order = sorted(groups, key=lambda p: (p != RDF_TYPE, p not in _LABEL_PROPS,
                                          (labels.get(p) or compact_iri(p)).lower()))
    return [Group(p, labels.get(p) or compact_iri(p),
                  sorted(groups[p].values(), key=lambda v: ((v.label or v.term.value).lower())))
            for p in order]


def _merge_events(events: list[Event]) -> list[Event]:
    """One row per (event, role, other): several types or sources of one event are merged."""
    merged: dict[tuple, Event] = {}
    for event in events:
        key = (event.iri, event.role, event.other.term.value if event.other else "")
        if key not in merged or (merged[key].kind == "change" and event.kind != "change"):
            merged[key] = event
    return sorted(merged.values(), key=lambda e: (e.date or "9999", e.iri))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
