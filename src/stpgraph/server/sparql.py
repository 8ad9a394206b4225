"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (query only) and its service description."""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..namespace import PREFIXES
from . import conneg
from .errors import HTTPProblem, error_response
from .views import decode, read_body
from .worker import Job, Reply

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF = PREFIXES["rdf"]
FORM = "application/x-www-form-urlencoded"
_RESULT_FORMAT_IRIS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
}


async def endpoint(request: Request) -> Response:
    """``GET``/``POST /sparql``: run a query by the protocol, or describe the service."""
    settings = request.app.state.settings
    query_string = request.scope.get("query_string", b"")  # raw: cheaper than building request.url
    url_params = _pairs(decode(query_string, "the URL's query string")) if query_string else []
    if request.method == "GET":
        params = url_params
    else:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await read_body(request, settings.max_request_bytes)
        if ctype == FORM:
            params = url_params + _pairs(decode(body, "the form body")) if body else url_params
        elif ctype == "application/sparql-query":
            params = [*url_params, ("query", decode(body, "the query"))]
        elif ctype == "application/sparql-update":
            raise HTTPProblem(403, "read_only", "this endpoint is read-only: SPARQL Update is refused")
        else:
            raise HTTPProblem(415, "unsupported_media_type",
                              f"POST a query as {FORM} or application/sparql-query, not {ctype or 'nothing'}")
    values = _multi(params)
    if values.get("update"):
        raise HTTPProblem(403, "read_only", "this endpoint is read-only: SPARQL Update is refused")
    queries = values.get("query", [])
    accept = request.headers.get("accept", "")
    if not queries:
        if request.method == "GET":
            return service_description(request)
        raise HTTPProblem(400, "missing_query", "give the query in a 'query' parameter")
    if len(queries) > 1:
        raise HTTPProblem(400, "bad_parameter", "give exactly one 'query' parameter")
    if request.method == "GET" and conneg.prefers_html(accept) and not values.get("format"):
        return RedirectResponse("/query?" + urllib.parse.urlencode({"query": queries[0]}), status_code=303)
    fmt = (values.get("format") or values.get("output") or [None])[0]
    job = Job(
        query=queries[0], accept=accept, format=fmt or None,
        default_graphs=tuple(values["default-graph-uri"]) if "default-graph-uri" in values else None,
        named_graphs=tuple(values["named-graph-uri"]) if "named-graph-uri" in values else None,
        max_rows=settings.max_rows,
    )
    return reply_response(request, await request.app.state.pool.run(job))


def reply_response(request: Request, reply: Reply) -> Response:
    """Turn a worker's reply into a response (errors in the one error shape)."""
    if reply.error is not None:
        code, message = reply.error
        return error_response(request, reply.status, code, message)
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type,
                    headers={"Vary": "Accept", "X-Result-Rows": str(reply.rows), **reply.headers})


def _pairs(text: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=False,
                                      errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPProblem(400, "bad_request", f"the parameters cannot be read: {exc}") from None


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, by content negotiation."""
    accept = request.headers.get("accept", "")
    if conneg.prefers_html(accept):
        return RedirectResponse("/query", status_code=303)
    fmt = conneg.choose(accept, conneg.GRAPH_FORMATS)
    if fmt is None:
        return error_response(request, 406, "not_acceptable",
                              "the service description is given as " +
                              ", ".join(f.media_type for f in conneg.GRAPH_FORMATS))
    from .serialize import graph_body

    endpoint_iri = str(request.url.replace(query="", fragment=""))
    return Response(graph_body(fmt, sd_triples(request, endpoint_iri)), media_type=fmt.media_type,
                    headers={"Vary": "Accept"})


def sd_triples(request: Request, endpoint_iri: str) -> list[ox.Triple]:
    """Triples of the service description."""
    service = ox.NamedNode(endpoint_iri)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")

    def t(s, p, o) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p), o)

    triples = [
        t(service, RDF + "type", ox.NamedNode(SD + "Service")),
        t(service, SD + "endpoint", service),
        t(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        t(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph")),
        t(service, SD + "defaultDataset", dataset),
        t(dataset, RDF + "type", ox.NamedNode(SD + "Dataset")),
        t(dataset, SD + "defaultGraph", default),
        t(default, RDF + "type", ox.NamedNode(SD + "Graph")),
        t(dataset, PREFIXES["rdfs"] + "seeAlso", ox.NamedNode(str(request.url_for("void")))),
    ]
    triples += [t(service, SD + "resultFormat", ox.NamedNode(iri)) for iri in _RESULT_FORMAT_IRIS.values()]
    for i, graph in enumerate(request.app.state.graphs):
        named = ox.BlankNode(f"g{i}")
        triples += [t(dataset, SD + "namedGraph", named),
                    t(named, SD + "name", ox.NamedNode(graph)),
                    t(named, RDF + "type", ox.NamedNode(SD + "NamedGraph"))]
    triples.append(t(service, PREFIXES["dct"] + "description", ox.Literal(
        "Read-only SPARQL 1.1 endpoint of stpgraph; the default graph is the union of all named "
        "graphs; SERVICE, LOAD and graphs outside the dataset are refused.", language="en")))
    return triples
