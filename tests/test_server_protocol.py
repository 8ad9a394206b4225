"""SPARQL 1.1 Protocol conformance of `stpgraph serve`, against a real server, via SPARQLWrapper."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from server_support import ROOT, assert_error_shape, live_server
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper import GET as SW_GET

from stpgraph.catalogue import load_catalogue
from stpgraph.engines import LocalEngine, RemoteEngine
from stpgraph.namespace import PREFIXES

SELECT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE {
  ?s rdfs:label ?label FILTER(STRSTARTS(STR(?s), "https://w3id.org/stpgraph/id/form/"))
}
ORDER BY ?s ?label"""
ASK = "ASK { <https://w3id.org/stpgraph/id/form/stp> <https://w3id.org/stpgraph/def/replacedBy> ?x }"
CONSTRUCT = """CONSTRUCT { ?s <https://w3id.org/stpgraph/def/replacedBy> ?o }
WHERE {
  ?s <https://w3id.org/stpgraph/def/replacedBy> ?o
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/stpgraph/id/form/"))
}"""
DESCRIBE = "DESCRIBE <https://w3id.org/stpgraph/id/form/stp>"
SAVED_QUERY_LIMIT = 10.0  # seconds; the server's limit for this module


@pytest.fixture(scope="module")
def server(built: Path):
    """A server on the on-disk Oxigraph store — the one `stpgraph query` uses locally, so even
    order-sensitive answers (GROUP_CONCAT without ORDER BY) match byte for byte."""
    from stpgraph.store import open_store

    del built
    open_store(ROOT)  # refresh build/store if stale
    with live_server(ROOT / "build" / "store", timeout=SAVED_QUERY_LIMIT) as running:
        yield running


@pytest.fixture(scope="module")
def local(server) -> LocalEngine:
    """The same on-disk store the server reads, opened locally."""
    return LocalEngine(ox.Store.read_only(str(ROOT / "build" / "store")))


def _csv_rows(data: bytes) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert rows[0] == ["s", "label"]
    return [(s, label) for s, label in rows[1:]]


def _wrapper(server, method, fmt, query) -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql)
    client.setMethod(method)
    client.setReturnFormat(fmt)
    client.setQuery(query)
    return client


def _expected_select(local: LocalEngine) -> list[tuple[str, str]]:
    result = local.query(SELECT)
    return sorted((row[0].value, row[1].value) for row in result.rows)


@pytest.mark.parametrize("method", [SW_GET, POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_round_trips_through_sparqlwrapper(server, local, method, fmt) -> None:
    expected = _expected_select(local)
    assert expected, "the test query must have answers"
    response = _wrapper(server, method, fmt, SELECT).query()
    ctype = response.response.headers["Content-Type"]
    converted = response.convert()
    if fmt == JSON:
        assert ctype.startswith("application/sparql-results+json")
        got = [(b["s"]["value"], b["label"]["value"]) for b in converted["results"]["bindings"]]
    elif fmt == XML:
        assert ctype.startswith("application/sparql-results+xml")
        parsed = ox.parse_query_results(converted.toxml().encode(), format=ox.QueryResultsFormat.XML)
        got = [(s["s"].value, s["label"].value) for s in parsed]
    elif fmt == CSV:
        assert ctype.startswith("text/csv")
        lines = converted.decode().strip().split("\r\n")
        assert lines[0] == "s,label"
        got = _csv_rows(converted)
    else:
        assert ctype.startswith("text/tab-separated-values")
        parsed = ox.parse_query_results(converted, format=ox.QueryResultsFormat.TSV)
        got = [(s["s"].value, s["label"].value) for s in parsed]
    assert sorted(got) == expected


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask_round_trips(server, fmt) -> None:
    converted = _wrapper(server, POST, fmt, ASK).query().convert()
    value = converted["boolean"] if fmt == JSON else (
        converted.getElementsByTagName("boolean")[0].firstChild.data == "true")
    assert value is True


def _ground(triples) -> set[str]:
    return {str(t) for t in triples if not any(isinstance(x, ox.BlankNode) for x in t)}


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, N3])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graph_results_round_trip(server, store, fmt, query) -> None:
    expected = list(store.query(query, use_default_graph_as_union=True))
    assert expected
    result = _wrapper(server, SW_GET, fmt, query).query()
    media = result.response.headers["Content-Type"].split(";")[0]
    triples = [q.triple for q in ox.parse(result.response.read(), format=ox.RdfFormat.from_media_type(media))]
    assert _ground(triples) == _ground(expected)
    assert len(set(map(str, triples))) == len(set(map(str, expected)))


@pytest.mark.parametrize("accept,media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
])
def test_each_method_and_accept(server, local, accept, media) -> None:
    expected = _expected_select(local)
    headers = {"Accept": accept} if accept else {}
    requests = [
        ("GET", {"params": {"query": SELECT}}),
        ("POST", {"data": {"query": SELECT}}),
        ("POST", {"content": SELECT.encode(), "headers": {"Content-Type": "application/sparql-query"}}),
    ]
    for method, kwargs in requests:
        kwargs.setdefault("headers", {}).update(headers)
        response = httpx.request(method, server.sparql, **kwargs)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        assert "Accept" in response.headers["vary"]
        if media == "text/csv":
            got = sorted(_csv_rows(response.content))
        else:
            fmt = ox.QueryResultsFormat.from_media_type(media)
            got = sorted((s["s"].value, s["label"].value)
                         for s in ox.parse_query_results(response.content, format=fmt))
        assert got == expected


def test_graph_accept_and_format_parameter(server) -> None:
    for accept, media in [("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples"),
                          ("application/ld+json", "application/ld+json"),
                          ("application/rdf+xml", "application/rdf+xml")]:
        response = httpx.get(server.sparql, params={"query": CONSTRUCT}, headers={"Accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        triples = list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media)))
        assert any(t.subject.value.endswith("/form/stp") for t in triples)
    response = httpx.get(server.sparql, params={"query": SELECT, "format": "csv"},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.headers["content-type"].startswith("text/csv")


def test_unacceptable_format_is_406(server) -> None:
    response = httpx.get(server.sparql, params={"query": SELECT}, headers={"Accept": "image/png"})
    assert_error_shape(response, 406, "not_acceptable")


def test_service_description_on_bare_get(server) -> None:
    response = httpx.get(server.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    store = ox.Store()
    store.load(response.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert store.query(f"ASK {{ ?s a <{sd}Service> ; <{sd}endpoint> <{server.sparql}> ; "
                       f"<{sd}supportedLanguage> <{sd}SPARQL11Query> }}")
    names = {r["n"].value for r in store.query(f"SELECT ?n WHERE {{ ?x <{sd}name> ?n }}")}
    assert "https://w3id.org/stpgraph/graph/ontology" in names
    browser = httpx.get(server.sparql, headers={"Accept": "text/html"})
    assert browser.status_code == 303 and browser.headers["location"] == "/query"


def test_default_and_named_graph_parameters(server, store) -> None:
    ontology = "https://w3id.org/stpgraph/graph/ontology"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    expected = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(ontology)))
    response = httpx.get(server.sparql, params={"query": count, "default-graph-uri": ontology})
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.post(server.sparql, data={"query": named, "named-graph-uri": ontology})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [ontology]
    response = httpx.get(server.sparql, params={"query": count, "default-graph-uri": "http://example.org/x"})
    assert_error_shape(response, 400, "unknown_graph")
    in_query = f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> WHERE {{ ?s ?p ?o }}"
    response = httpx.get(server.sparql, params={"query": in_query})
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected


def test_predeclared_prefixes(server) -> None:
    response = httpx.get(server.sparql, params={"query": "ASK { form:stp stp:replacedBy form:ics }"})
    assert response.json()["boolean"] is True


def test_remote_engine_with_every_prefix(server, local) -> None:
    """`stpgraph sparql --endpoint` sends the whole prologue (30 PREFIX lines) before the query."""
    text = "SELECT ?next WHERE { GRAPH graph:inferred { form:stp stp:replacedBy ?next } }"
    remote = RemoteEngine(server.sparql).query(text, prefixes=PREFIXES)
    assert remote.canonical() == local.query(text, prefixes=PREFIXES).canonical()
    assert remote.rows


def _example_values(saved) -> dict[str, str] | None:
    """Values for a saved query's required parameters, from the "e.g. X" in their help text."""
    import re

    values = {}
    for param in saved.params:
        if param.required and param.default is None:
            match = re.search(r"e\.g\.\s*([^\s),;]+)", param.help)
            if not match:
                return None
            values[param.name] = match.group(1)
    return values


def _saved_names() -> list[str]:
    return sorted(load_catalogue(ROOT / "queries"))


def test_there_are_saved_queries() -> None:
    assert _saved_names(), "queries/ holds no saved queries"


@pytest.mark.parametrize("name", _saved_names())
def test_saved_query_remote_equals_local(server, name) -> None:
    """`stpgraph query NAME --endpoint URL` prints exactly what the local run prints — or, for a
    query slower than the server's limit, the server stops it and says so (503 timeout)."""
    from stpgraph.cli import app

    saved = load_catalogue(ROOT / "queries")[name]
    values = _example_values(saved)
    if values is None:
        pytest.fail(f"{name}: a required parameter has no 'e.g.' example in its help to test with")
    text = saved.bind(values)
    response = httpx.post(server.sparql, data={"query": text}, timeout=60)
    if response.status_code == 503:
        assert_error_shape(response, 503, "timeout")
        return
    runner = CliRunner()
    params = [arg for k, v in values.items() for arg in ("--param", f"{k}={v}")]
    remote_out = runner.invoke(app, ["query", name, *params, "--format", "csv", "--endpoint", server.sparql])
    assert remote_out.exit_code == 0, (remote_out.output, remote_out.exception)
    local_out = runner.invoke(app, ["query", name, *params, "--format", "csv"], catch_exceptions=False)
    assert local_out.exit_code == 0, local_out.output
    if "_:" in local_out.output:  # blank node labels differ between stores; compare the rest
        strip = lambda text: sorted(line for line in text.splitlines() if "_:" not in line)  # noqa: E731
        assert strip(remote_out.output) == strip(local_out.output)
    else:
        assert remote_out.output == local_out.output


@pytest.mark.parametrize("name", _saved_names())
def test_saved_query_api_matches_engine(server, local, name) -> None:
    saved = load_catalogue(ROOT / "queries")[name]
    values = _example_values(saved)
    if values is None:
        pytest.fail(f"{name}: a required parameter has no 'e.g.' example in its help to test with")
    if values:  # without its required parameters the API says which one is missing
        missing = httpx.get(f"{server.url}/queries/{name}.json")
        assert_error_shape(missing, 400, "bad_parameter")
    text = saved.bind(values)
    response = httpx.get(f"{server.url}/queries/{name}.json", params=values, timeout=60)
    if response.status_code == 503:
        assert_error_shape(response, 503, "timeout")
        return
    expected = local.query(text, label=name).canonical()
    got = RemoteEngine(f"{server.url}/sparql").query(text, label=name).canonical()
    assert got == expected
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("application/sparql-results+json"):
        assert len(response.json()["results"]["bindings"]) == len(expected)
    csv_response = httpx.get(f"{server.url}/queries/{name}.csv", params=values, timeout=60)
    # 400 only for graph-shaped answers (no CSV); 503 when a loaded machine hits the time limit
    assert csv_response.status_code in (200, 400, 503), csv_response.text
    text_response = httpx.get(f"{server.url}/queries/{name}.rq", timeout=60)
    assert text_response.text == saved.text


def test_saved_query_parameters_are_bound_not_pasted(server) -> None:
    catalogue = load_catalogue(ROOT / "queries")
    with_iri = [q for q in catalogue.values() if any(p.type == "IRI" for p in q.params)]
    if not with_iri:
        pytest.fail("expected a saved query with an IRI parameter")
    saved = with_iri[0]
    param = next(p for p in saved.params if p.type == "IRI")
    evil = '> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #'
    response = httpx.get(f"{server.url}/queries/{saved.name}.json", params={param.name: evil})
    body = assert_error_shape(response, 400, "bad_parameter")
    assert param.name in body["message"]
    response = httpx.get(f"{server.url}/queries/{saved.name}.json", params={"no_such_param": "1"})
    assert_error_shape(response, 400, "bad_parameter")


def test_queries_catalogue_json(server) -> None:
    response = httpx.get(f"{server.url}/queries", headers={"Accept": "application/json"})
    names = [q["name"] for q in response.json()["queries"]]
    assert names == _saved_names()
    first = json.loads(httpx.get(f"{server.url}/queries.json").text)["queries"][0]
    assert first["url"].startswith("/queries/")


def test_html_client_with_query_is_sent_to_the_editor(server) -> None:
    response = httpx.get(server.sparql, params={"query": SELECT}, headers={"Accept": "text/html"})
    assert response.status_code == 303
    location = urllib.parse.urlparse(response.headers["location"])
    assert urllib.parse.parse_qs(location.query)["query"] == [SELECT]


def test_prefixes_known() -> None:
    assert PREFIXES["stp"] == "https://w3id.org/stpgraph/def/"
