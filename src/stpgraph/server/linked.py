"""Linked data: every ``/id/…``, ``/def/…`` and ``/graph/…`` IRI dereferences; VoID; the ontology.

Following the W3C recipes for slash IRIs ("Cool URIs for the Semantic Web", 303 URIs): the IRI of
a thing answers ``303 See Other`` to a document about it chosen by ``Accept`` — ``{path}.html``,
``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, or ``.nq``/``.trig`` with each statement's named graph
(its source). The documents are served directly, so an extension always wins over ``Accept``.
"""

from __future__ import annotations

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ..namespace import PREFIXES
from . import conneg
from .errors import HTTPProblem
from .serialize import graph_body
from .views import iri_of

NQUADS = conneg.Format("nquads", "application/n-quads", (), "nq")
TRIG = conneg.Format("trig", "application/trig", (), "trig")
#: What a resource can be read as: HTML first (browsers), then RDF.
DOCUMENT_FORMATS = (conneg.HTML, *conneg.GRAPH_FORMATS, TRIG, NQUADS)
_BY_EXT = {f.extension: f for f in DOCUMENT_FORMATS}


async def resource(request: Request) -> Response:
    """``/id/…``, ``/def/…``, ``/graph/…``: 303 from a thing to its document; serve documents."""
    settings = request.app.state.settings
    site = request.app.state.site
    path = request.scope["path"]
    iri = iri_of(path, settings.base)
    stem, dot, ext = path.rpartition(".")
    if await run_in_threadpool(site.exists, iri):
        fmt = conneg.choose(request.headers.get("accept"), DOCUMENT_FORMATS)
        if fmt is None:
            raise HTTPProblem(406, "not_acceptable", "this resource is described as " +
                              ", ".join(f.media_type for f in DOCUMENT_FORMATS))
        return RedirectResponse(f"{path}.{fmt.extension}", status_code=303, headers={"Vary": "Accept"})
    if dot and "/" not in ext and ext in _BY_EXT:
        thing = iri_of(stem, settings.base)
        if await run_in_threadpool(site.exists, thing):
            return await document(request, thing, _BY_EXT[ext])
    raise HTTPProblem(404, "not_found", f"the graph says nothing about <{iri}>")


async def document(request: Request, iri: str, fmt: conneg.Format) -> Response:
    """A document about ``iri`` in ``fmt``: the entity page, or its statements as RDF."""
    site = request.app.state.site
    headers = {"Link": f'<{iri}>; rel="describes"'}
    if fmt is conneg.HTML:
        entity = await run_in_threadpool(site.describe, iri)
        if entity is None:
            raise HTTPProblem(404, "not_found", f"the graph says nothing about <{iri}>")
        return request.app.state.templates.TemplateResponse(
            request, "entity.html", {"e": entity, "formats": DOCUMENT_FORMATS[1:]}, headers=headers)
    quads = await run_in_threadpool(site.document, iri)
    return Response(rdf_body(quads, fmt), media_type=fmt.media_type, headers=headers)


def rdf_body(quads: list[ox.Quad], fmt: conneg.Format) -> bytes:
    """Quads in ``fmt``: datasets keep their graphs; triple formats drop them (duplicates merged)."""
    if fmt is NQUADS:
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    if fmt is TRIG:
        return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    triples = list(dict.fromkeys(q.triple for q in quads))
    return graph_body(fmt, triples)


async def ontology(request: Request) -> Response:
    """``/def/``: the ontology documentation (or a term list) for browsers, the ontology as RDF."""
    settings = request.app.state.settings
    accept = request.headers.get("accept")
    fmt = conneg.choose(accept, (conneg.HTML, *conneg.GRAPH_FORMATS))
    if fmt is None:
        raise HTTPProblem(406, "not_acceptable", "the ontology is given as HTML or RDF")
    if fmt is not conneg.HTML:
        graph = ox.NamedNode(settings.base + "graph/ontology")
        quads = await run_in_threadpool(
            lambda: list(request.app.state.site.store.quads_for_pattern(None, None, None, graph)))
        return Response(rdf_body(quads, fmt), media_type=fmt.media_type, headers={"Vary": "Accept"})
    if settings.ontology_docs.is_file():
        return FileResponse(settings.ontology_docs, media_type="text/html", headers={"Vary": "Accept"})
    terms = await run_in_threadpool(_terms, request.app.state.site.store, settings.base + "def/")
    return request.app.state.templates.TemplateResponse(request, "terms.html", {"terms": terms},
                                                        headers={"Vary": "Accept"})


def _terms(store: ox.Store, namespace: str) -> list[dict]:
    query = """
    SELECT ?t (SAMPLE(?k) AS ?kind) (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?def) WHERE {
      ?t a ?k . FILTER(STRSTARTS(STR(?t), ?ns) && ?k IN (owl:Class, owl:ObjectProperty,
        owl:DatatypeProperty, owl:AnnotationProperty, rdf:Property))
      OPTIONAL { ?t rdfs:label ?l } OPTIONAL { ?t skos:definition ?d }
    } GROUP BY ?t ORDER BY ?kind ?t"""
    rows = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True,
                       substitutions={ox.Variable("ns"): ox.Literal(namespace)})
    return [{"iri": r["t"].value, "name": r["t"].value[len(namespace):],
             "kind": r["kind"].value.rsplit("#", 1)[-1],
             "label": r["label"].value if r["label"] else "",
             "definition": r["def"].value if r["def"] else ""}
            for r in rows]


async def void(request: Request) -> Response:
    """``/.well-known/void``: a VoID description of the dataset, by content negotiation."""
    fmt = conneg.choose(request.headers.get("accept"), (*conneg.GRAPH_FORMATS, conneg.HTML))
    if fmt is None or fmt is conneg.HTML:
        fmt = conneg.TURTLE
    site_root = str(request.base_url).rstrip("/")
    triples = await run_in_threadpool(void_triples, request, site_root)
    return Response(graph_body(fmt, triples), media_type=fmt.media_type, headers={"Vary": "Accept"})


def void_triples(request: Request, site_root: str) -> list[ox.Triple]:
    """VoID from :mod:`stpgraph.dataset` when present, else our own minimal description."""
    settings = request.app.state.settings
    store = request.app.state.site.store
    try:
        from ..dataset import void_triples as dataset_void
    except ImportError:
        dataset_void = None
    if dataset_void is not None:
        build = settings.data.parent
        return list(dataset_void(store, base=settings.base, endpoint=site_root + "/sparql", build=build,
                                 downloads=site_root + "/download/"))
    return minimal_void(store, settings.base, site_root, settings.licence, request.app.state.graphs)


def minimal_void(store: ox.Store, base: str, site_root: str, licence: str,
                 graphs: list[str]) -> list[ox.Triple]:
    """A VoID dataset with licence, counts, example resources, SPARQL endpoint and one subset per graph."""
    void, dct, rdf = PREFIXES["void"], PREFIXES["dct"], PREFIXES["rdf"]
    dataset = ox.NamedNode(base + "id/dataset/stpgraph")

    def t(s, p, o) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p), o)

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))

    stats = next(iter(store.query(
        "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?e) (COUNT(DISTINCT ?p) AS ?p2) "
        "WHERE { ?s ?p ?o }", use_default_graph_as_union=True)))
    classes = next(iter(store.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
                                    use_default_graph_as_union=True)))["n"]
    out = [
        t(dataset, rdf + "type", ox.NamedNode(void + "Dataset")),
        t(dataset, dct + "title", ox.Literal("stpgraph", language="en")),
        t(dataset, dct + "description", ox.Literal(
            "A knowledge graph of NHS England's local partnerships (STPs, ICSs, ICBs), their history "
            "and the policies behind them; one named graph per source.", language="en")),
        t(dataset, dct + "license", ox.NamedNode(licence)),
        t(dataset, void + "sparqlEndpoint", ox.NamedNode(site_root + "/sparql")),
        t(dataset, void + "uriSpace", ox.Literal(base + "id/")),
        t(dataset, void + "vocabulary", ox.NamedNode(base + "def/")),
        t(dataset, void + "triples", count(int(stats["t"].value))),
        t(dataset, void + "entities", count(int(stats["e"].value))),
        t(dataset, void + "properties", count(int(stats["p2"].value))),
        t(dataset, void + "classes", count(int(classes.value))),
        t(dataset, void + "rootResource", ox.NamedNode(base + "id/form/stp")),
    ]
    for example in ("id/form/stp", "id/document/five-year-forward-view", "id/org/nhs-england"):
        out.append(t(dataset, void + "exampleResource", ox.NamedNode(base + example)))
    for graph in graphs:
        subset = ox.NamedNode(graph)
        n = sum(1 for _ in store.quads_for_pattern(None, None, None, subset))
        out += [t(dataset, void + "subset", subset), t(subset, rdf + "type", ox.NamedNode(void + "Dataset")),
                t(subset, void + "triples", count(n))]
    dump = ox.NamedNode(site_root + "/download/stpgraph.nq")
    out.append(t(dataset, void + "dataDump", dump))
    return out


#: Whole-dataset downloads by extension: (format, media type); dataset formats keep the graphs.
DOWNLOADS = {"nq": (ox.RdfFormat.N_QUADS, "application/n-quads"),
             "trig": (ox.RdfFormat.TRIG, "application/trig"),
             "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
             "ttl": (ox.RdfFormat.TURTLE, "text/turtle"),
             "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
             "rdf": (ox.RdfFormat.RDF_XML, "application/rdf+xml")}


async def download(request: Request) -> Response:
    """``/download/stpgraph.{ext}``: the whole dataset (the VoID data dump and DCAT distributions)."""
    ext = request.path_params["ext"]
    if ext not in DOWNLOADS:
        raise HTTPProblem(404, "not_found", f"no download as .{ext}; try " +
                          ", ".join(f"stpgraph.{e}" for e in DOWNLOADS))
    fmt, media = DOWNLOADS[ext]
    cache = request.app.state.downloads
    if ext not in cache:
        cache[ext] = await run_in_threadpool(_serialise_all, request.app.state.site.store, fmt)
    return Response(cache[ext], media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="stpgraph.{ext}"'})


def _serialise_all(store: ox.Store, fmt: ox.RdfFormat) -> bytes:
    quads = list(store.quads_for_pattern(None, None, None, None))
    if fmt.supports_datasets:
        return ox.serialize(quads, format=fmt, prefixes=PREFIXES if fmt is not ox.RdfFormat.N_QUADS else None)
    triples = list(dict.fromkeys(q.triple for q in quads))
    return ox.serialize(triples, format=fmt, prefixes=PREFIXES if fmt is not ox.RdfFormat.N_TRIPLES else None)
