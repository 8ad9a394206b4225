"""A VoID and DCAT description of the dataset and of each of its named graphs.

The description is computed from the store it describes: triple, entity, subject, object, property
and class counts come from SPARQL over the real graphs; titles, sources and licences come from the
``prov:wasDerivedFrom`` links that ``data/sources.ttl`` and the reference importers state for each
graph. The web server serves it at ``/.well-known/void``; ``stpgraph dataset`` prints it.

Licences: the ontology and our curated data are CC BY 4.0. A reference graph is a transcription of
a public table; it carries the licence and attribution of the table it was derived from (Open
Government Licence v3.0 for the ONS and NHS tables), read from that table's own dataset node.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

import click
import pyoxigraph as ox

from . import __version__
from .paths import BASE, GRAPH

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"
SD = "http://www.w3.org/ns/sparql-service-description#"

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
OGL_V3 = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
OGL_ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence "
                   "v3.0.")
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
IANA = "https://www.iana.org/assignments/media-types/"

#: Things worth showing first, when the graph has them.
SHOWCASE = ("id/form/stp", "id/form/ics", "id/form/icb", "id/document/five-year-forward-view",
            "id/document/nhs-long-term-plan")

#: Vocabularies whose terms the dataset may use (namespace IRIs), for ``void:vocabulary``.
VOCABULARIES = (
    BASE + "def/", "http://www.w3.org/ns/org#", PROV, "http://www.w3.org/2006/time#", DCT,
    "http://www.w3.org/2004/02/skos/core#", OWL, RDFS, RDF, DCAT, VOID,
    "http://purl.org/vocab/vann/", "http://xmlns.com/foaf/0.1/",
)

_FIXED = {
    "ontology": ("stpgraph ontology and vocabularies",
                 "The stpgraph OWL ontology (ontology/stp.ttl) and its SKOS schemes of organisational "
                 "forms, change status and certainty (ontology/schemes.ttl)."),
    "sources": ("stpgraph source documents",
                "The source documents the graph is drawn from (title, publisher, date, identifiers), "
                "and which named graph holds what each one says."),
    "inferred": ("stpgraph inferred statements",
                 "What the OWL-RL reasoner (owlrl) derives from the ontology and all asserted graphs, "
                 "without OWL-RL's axiomatic triples."),
}


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _lit(value: str, lang: str | None = "en") -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_iri(XSD + "integer"))


def _rows(store: ox.Store, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
    result = store.query(sparql, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]


def graph_statistics(store: ox.Store) -> dict[str, dict[str, int]]:
    """Counts per named graph: triples, entities, distinctSubjects, distinctObjects, properties, classes.

    Entities are the distinct IRI subjects in the stpgraph namespace (the dataset's ``void:uriSpace``).
    """
    stats: dict[str, dict[str, int]] = {}
    for row in _rows(store, """
        SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?distinctSubjects)
               (COUNT(DISTINCT ?o) AS ?distinctObjects) (COUNT(DISTINCT ?p) AS ?properties)
        WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"""):
        stats[row["g"].value] = {k: int(v.value) for k, v in row.items() if k != "g"}
    for name, query in _counts_by_graph().items():
        for row in _rows(store, query):
            stats[row["g"].value][name] = int(row["n"].value)
    for counts in stats.values():
        counts.setdefault("entities", 0)
        counts.setdefault("classes", 0)
    return stats


def _counts_by_graph() -> dict[str, str]:
    return {
        "entities": f"""SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o
                        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }} }} GROUP BY ?g""",
        "classes": "SELECT ?g (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?g",
    }


def dataset_statistics(store: ox.Store) -> dict[str, int]:
    """The same counts for the whole dataset, a triple stated in several graphs counted once."""
    distinct = "{ SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    row = _rows(store, f"""
        SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?distinctSubjects)
               (COUNT(DISTINCT ?o) AS ?distinctObjects) (COUNT(DISTINCT ?p) AS ?properties)
        WHERE {distinct}""")[0]
    stats = {k: int(v.value) for k, v in row.items()}
    stats["entities"] = int(_rows(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{
        ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }} }}""")[0]["n"].value)
    stats["classes"] = int(_rows(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE "
                                        "{ GRAPH ?g { ?s a ?c } }")[0]["n"].value)
    return stats


def _examples(store: ox.Store, graph: str | None, limit: int = 3) -> list[ox.NamedNode]:
    scope = f"GRAPH <{graph}>" if graph else "GRAPH ?g"
    found: list[ox.NamedNode] = []
    if graph is None:
        for path in SHOWCASE:
            if store.query(f"ASK {{ GRAPH ?g {{ <{BASE}{path}> ?p ?o }} }}"):
                found.append(_iri(BASE + path))
    rows = _rows(store, f"""SELECT ?s (COUNT(*) AS ?n) WHERE {{ {scope} {{ ?s ?p ?o
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}") && !STRSTARTS(STR(?s), "{GRAPH}")) }} }}
        GROUP BY ?s ORDER BY DESC(?n) STR(?s) LIMIT {limit + len(found)}""")
    found.extend(r["s"] for r in rows if r["s"] not in found)
    return found[:limit]


def _vocabularies(store: ox.Store) -> list[str]:
    used = [r["t"].value for r in _rows(store, """SELECT DISTINCT ?t WHERE {
        { GRAPH ?g { ?s ?t ?o } } UNION { GRAPH ?g { ?s a ?t } } }""")]
    return [ns for ns in VOCABULARIES if any(t.startswith(ns) for t in used)]


def _graph_sources(store: ox.Store) -> dict[str, list[dict]]:
    """For each graph, what it was derived from, with that thing's title, licence and rights."""
    out: dict[str, list[dict]] = {}
    for row in _rows(store, f"""
        SELECT ?graph ?src (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?desc) (SAMPLE(?lic) AS ?license)
               (SAMPLE(?r) AS ?rights) (SAMPLE(?pub) AS ?publisher)
               (MAX(IF(BOUND(?ds), 1, 0)) AS ?isTable)
        WHERE {{
          GRAPH ?x {{ ?graph <{PROV}wasDerivedFrom> ?src }}
          FILTER(STRSTARTS(STR(?graph), "{GRAPH}"))
          OPTIONAL {{ GRAPH ?y {{ ?src <{DCT}title> ?t }} }}
          OPTIONAL {{ GRAPH ?y2 {{ ?src <{RDFS}label> ?t }} }}
          OPTIONAL {{ GRAPH ?y3 {{ ?src <{DCT}description> ?d }} }}
          OPTIONAL {{ GRAPH ?y4 {{ ?src <{DCT}license> ?lic }} }}
          OPTIONAL {{ GRAPH ?y5 {{ ?src <{DCT}rights> ?r }} }}
          OPTIONAL {{ GRAPH ?y6 {{ ?src <{DCT}publisher> ?pub }} }}
          OPTIONAL {{ GRAPH ?y7 {{ ?src a ?ds FILTER(?ds = <{DCAT}Dataset>) }} }}
        }} GROUP BY ?graph ?src ORDER BY ?graph ?src"""):
        out.setdefault(row["graph"].value, []).append(row)
    return out


def creation_time(build: Path | None = None) -> dt.datetime | None:
    """When the described build was made: the manifest's (else the artefact's) modification time."""
    if build is None:
        try:
            from .paths import build_dir

            build = build_dir()
        except FileNotFoundError:
            return None
    for name in ("manifest.json", "graph.nq"):
        try:
            stamp = (build / name).stat().st_mtime
        except OSError:
            continue
        return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
    return None


def dataset_iri(base: str = BASE) -> str:
    """The IRI of the dataset as a whole."""
    return base + "id/dataset/stpgraph"


def void_triples(store: ox.Store, *, base: str = BASE, endpoint: str | None = None,
                 build: Path | None = None, downloads: str | None = None) -> list[ox.Triple]:
    """VoID + DCAT triples describing ``store``'s dataset and each named graph, sorted.

    ``endpoint`` adds a ``dcat:DataService`` (and ``void:sparqlEndpoint``) for a SPARQL endpoint;
    ``build`` is the build folder whose manifest dates the dataset (default ``build/``);
    ``downloads`` is a URL prefix under which ``stpgraph.<ext>`` files are published, if any.
    """
    from .export import FORMATS

    t: list[ox.Triple] = []

    def add(s: str | ox.NamedNode, p: str, o) -> None:
        subject = s if isinstance(s, ox.NamedNode) else _iri(s)
        t.append(ox.Triple(subject, _iri(p), o))

    ds = dataset_iri(base)
    stats = graph_statistics(store)
    created = creation_time(build)
    created_lit = (ox.Literal(created.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=_iri(XSD + "dateTime"))
                   if created else None)

    add(ds, RDF + "type", _iri(VOID + "Dataset"))
    add(ds, RDF + "type", _iri(DCAT + "Dataset"))
    add(ds, DCT + "title", _lit("stpgraph: NHS England's local partnerships and their policy lineage"))
    add(ds, DCT + "description", _lit(
        "A knowledge graph of how the English NHS reorganised around local partnerships (STPs, ICSs, "
        "ICBs, vanguards, CCGs) and the policies and laws behind it. Every fact sits in a named graph "
        "for the source document or public reference table that states it."))
    add(ds, DCT + "license", _iri(CC_BY))
    add(ds, DCT + "rights", _lit(
        "Ontology and curated data: CC BY 4.0. Reference tables carry the licence of the table they "
        "transcribe; " + OGL_ATTRIBUTION))
    add(ds, DCT + "publisher", _lit("The stpgraph project"))
    add(ds, OWL + "versionInfo", ox.Literal(__version__))
    add(ds, VOID + "uriSpace", ox.Literal(BASE))
    add(ds, VOID + "feature", _iri("http://www.w3.org/ns/formats/N-Quads"))
    if created_lit:
        add(ds, DCT + "created", created_lit)
    for key, value in sorted(dataset_statistics(store).items()):
        add(ds, VOID + key, _int(value))
    for example in _examples(store, None):
        add(ds, VOID + "exampleResource", example)
    for vocab in _vocabularies(store):
        add(ds, VOID + "vocabulary", _iri(vocab))

    sources = _graph_sources(store)
    for graph in sorted(stats):
        _describe_graph(add, graph, ds, stats[graph], sources.get(graph, []), sorted(stats),
                        created_lit, _examples(store, graph))

    for spec in FORMATS.values():
        dist = f"{base}id/distribution/stpgraph-{spec.name}"
        add(ds, DCAT + "distribution", _iri(dist))
        add(dist, RDF + "type", _iri(DCAT + "Distribution"))
        scope = "every named graph" if spec.quads else "the union of the named graphs"
        add(dist, DCT + "title", _lit(f"stpgraph as {spec.title}"))
        add(dist, DCT + "description", _lit(
            f"The whole dataset as {spec.title}, holding {scope}; made by "
            f"`stpgraph export --format {spec.name}`."))
        add(dist, DCAT + "mediaType", _iri(IANA + spec.media_type))
        add(dist, DCT + "format", _iri(IANA + spec.media_type))
        add(dist, DCT + "license", _iri(CC_BY))
        if downloads:
            url = _iri(f"{downloads}stpgraph.{spec.extension}")
            add(dist, DCAT + "downloadURL", url)
            add(dist, DCAT + "accessURL", url)
            if spec.name == "nquads":
                add(ds, VOID + "dataDump", url)

    if endpoint:
        service = _iri(endpoint)
        add(ds, VOID + "sparqlEndpoint", service)
        add(service, RDF + "type", _iri(DCAT + "DataService"))
        add(service, RDF + "type", _iri(SD + "Service"))
        add(service, DCT + "title", _lit("stpgraph SPARQL endpoint"))
        add(service, DCAT + "endpointURL", service)
        add(service, SD + "endpoint", service)
        add(service, DCT + "conformsTo", _iri(SPARQL_PROTOCOL))
        add(service, DCAT + "servesDataset", _iri(ds))
        add(service, SD + "feature", _iri(SD + "UnionDefaultGraph"))
        dist = f"{base}id/distribution/stpgraph-sparql"
        add(ds, DCAT + "distribution", _iri(dist))
        add(dist, RDF + "type", _iri(DCAT + "Distribution"))
        add(dist, DCT + "title", _lit("stpgraph through SPARQL"))
        add(dist, DCAT + "accessURL", service)
        add(dist, DCAT + "accessService", service)
        add(dist, DCT + "license", _iri(CC_BY))
    return sorted(set(t), key=lambda x: (str(x.subject), str(x.predicate), str(x.object)))


def _describe_graph(add, graph: str, ds: str, counts: dict[str, int], sources: list[dict],
                    all_graphs: Iterable[str], created: ox.Literal | None,
                    examples: list[ox.NamedNode]) -> None:
    name = graph.removeprefix(GRAPH)
    add(ds, VOID + "subset", _iri(graph))
    add(ds, DCT + "hasPart", _iri(graph))
    add(graph, RDF + "type", _iri(VOID + "Dataset"))
    add(graph, RDF + "type", _iri(DCAT + "Dataset"))
    add(graph, DCT + "isPartOf", _iri(ds))
    add(graph, DCT + "identifier", ox.Literal(name))
    tables = [s for s in sources if s.get("isTable") and s["isTable"].value == "1"]
    if name in _FIXED:
        title, description = _FIXED[name]
    elif tables:
        src = tables[0]
        label = src["title"].value if "title" in src else name
        title = f"stpgraph reference table: {label}"
        description = (f"A public reference table transcribed into RDF: {src['desc'].value}"
                       if "desc" in src else "A public reference table transcribed into RDF.")
    elif sources:
        label = sources[0]["title"].value if "title" in sources[0] else name
        title = f"stpgraph: what “{label}” says"
        description = (f"The statements drawn from the source document “{label}”, each with the "
                       "document as its provenance.")
    else:
        title, description = f"stpgraph graph {name}", f"The named graph {name}."
    add(graph, DCT + "title", _lit(title))
    add(graph, DCT + "description", _lit(description))
    if tables:
        licences = sorted({s["license"].value for s in tables if "license" in s}) or [OGL_V3]
        for licence in licences:
            add(graph, DCT + "license", _iri(licence))
        rights = sorted({s["rights"].value for s in tables if "rights" in s})
        for text in rights or [OGL_ATTRIBUTION]:
            add(graph, DCT + "rights", _lit(text))
        for src in tables:
            if "publisher" in src:
                add(graph, DCT + "publisher", src["publisher"])
    else:
        add(graph, DCT + "license", _iri(CC_BY))
    for src in sources:
        add(graph, PROV + "wasDerivedFrom", src["src"])
        add(graph, DCT + "source", src["src"])
    if name == "inferred":
        for other in all_graphs:
            if other != graph:
                add(graph, PROV + "wasDerivedFrom", _iri(other))
    if created is not None:
        add(graph, DCT + "created", created)
    for key, value in sorted(counts.items()):
        add(graph, VOID + key, _int(value))
    for example in examples:
        add(graph, VOID + "exampleResource", example)


def render(triples: list[ox.Triple], fmt: str) -> bytes:
    """The description as Turtle, N-Triples or JSON-LD (with the shipped context)."""
    if fmt == "jsonld":
        from . import jsonld
        from .ontodocs import load_context

        return jsonld.dumps(jsonld.compact(triples, load_context()))
    if fmt == "ntriples":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    from .export import all_prefixes

    prefixes = {k: v for k, v in all_prefixes().items()
                if k in ("dct", "dcat", "void", "prov", "owl", "xsd", "graph", "dataset", "sd", "rdfs")}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


@click.command("dataset")
@click.option("--format", "-f", "fmt", type=click.Choice(["turtle", "jsonld", "ntriples"]),
              default="turtle", show_default=True, help="Output format.")
@click.option("--endpoint", metavar="URL", help="Describe this SPARQL endpoint as the dataset's service.")
@click.option("--downloads", metavar="URL",
              help="URL prefix where `stpgraph export` files (stpgraph.ttl, …) are published.")
@click.option("--base", default=BASE, show_default=True, help="Base IRI for the description's own nodes.")
def cli(fmt: str, endpoint: str | None, downloads: str | None, base: str) -> None:
    """Print a VoID + DCAT description of the dataset and each named graph, with real counts."""
    from .errors import UsageError
    from .paths import build_dir, project_root
    from .store import open_store

    try:
        root = project_root()
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    store = open_store(root)
    data = render(void_triples(store, base=base, endpoint=endpoint, build=build_dir(root),
                               downloads=downloads), fmt)
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
