"""Hypothesis fuzzing of `stpgraph serve`: no input gives a 500, and the server keeps answering.

Most cases run against the app in-process (ASGI, no sockets) to keep the suite quick; a smaller
set goes over real HTTP to a running server. Case counts: FUZZ_IN_PROCESS + FUZZ_HTTP.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_support import ERROR_KEYS, ROOT, InProcessApp, live_server

from stpgraph.server import Settings

FUZZ_IN_PROCESS = 2000
FUZZ_HTTP = 300
SEEDS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?s ORDER BY DESC(?n) LIMIT 5",
    "ASK { form:stp stp:replacedBy ?x }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5",
    "DESCRIBE <https://w3id.org/stpgraph/id/form/stp>",
    "SELECT * FROM <https://w3id.org/stpgraph/graph/ontology> WHERE { ?s ?p ?o } LIMIT 2",
    'SELECT * WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "service")) } LIMIT 3',
    "PREFIX x: <http://example.org/> SELECT * WHERE { OPTIONAL { ?s x:p ?o } VALUES ?o { 1 2 } } LIMIT 2",
]
TOKENS = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "SERVICE", "<http://127.0.0.1:9/>", "GRAPH",
          "FROM", "NAMED", "LOAD", "INSERT", "DATA", "DELETE", "FILTER", "(", ")", "\"", "'", "#", "\\u0053",
          "OPTIONAL", "UNION", "LIMIT", "1", "-1", "99999999999999999999", ".", ";", ",", "a",
          "stp:replacedBy",
          "<<", ">>", "BIND", "AS", "VALUES", "\n", "\x00", "é", "\ud7ff", "PREFIX", "x:", "BASE", "<>", "^^"]

sparql_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join),
    st.tuples(st.sampled_from(SEEDS), st.integers(0, 200), st.integers(0, 20), st.text(max_size=10)).map(
        lambda t: t[0][: t[1]] + t[3] + t[0][t[1] + t[2]:]),
)
param_text = st.one_of(st.text(max_size=60), st.sampled_from(
    ["form:stp", "<https://w3id.org/stpgraph/id/form/stp>", "2020-04", "2020", "1", "true", "", "%", "\x00",
     "> } SERVICE <http://127.0.0.1:9/> {", "'", '"']))
accept = st.sampled_from(["", "*/*", "application/sparql-results+json", "text/csv", "text/turtle",
                          "application/rdf+xml", "text/html", "image/png", "application/json;q=0", ";;;",
                          "text/*;q=abc", "application/n-triples, */*;q=0.1"])


def _saved_names() -> list[str]:
    """Saved queries with parameters (where fuzzing matters), read once so the strategy is stable."""
    from stpgraph.catalogue import load_catalogue

    found = sorted(name for name, q in load_catalogue(ROOT / "queries").items() if q.params)
    return found or ["form-succession"]


SAVED = _saved_names()


@st.composite
def requests(draw):
    """(method, path, kwargs) for one request against any part of the server."""
    kind = draw(st.sampled_from(["get", "form", "direct", "saved", "search", "resource", "params"]))
    headers = {"Accept": draw(accept)}
    if kind == "get":
        return "GET", "/sparql", {"params": {"query": draw(sparql_text)}, "headers": headers}
    if kind == "form":
        data = {"query": draw(sparql_text)}
        if draw(st.booleans()):
            data["default-graph-uri"] = draw(param_text)
        if draw(st.booleans()):
            data["named-graph-uri"] = draw(param_text)
        return "POST", "/sparql", {"data": data, "headers": headers}
    if kind == "direct":
        body = draw(st.one_of(sparql_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
                              st.binary(max_size=200)))
        ctype = draw(st.sampled_from(["application/sparql-query", "application/sparql-update", "text/plain",
                                      "application/x-www-form-urlencoded", ""]))
        return "POST", "/sparql", {"content": body, "headers": {**headers, "Content-Type": ctype}}
    if kind == "saved":
        name = draw(st.sampled_from(SAVED))
        ext = draw(st.sampled_from(["", ".json", ".csv", ".tsv", ".xml", ".ttl", ".rq", ".nope"]))
        params = draw(st.dictionaries(st.sampled_from(["body", "date", "form", "region", "x", "format"]),
                                      param_text, max_size=3))
        return "GET", f"/queries/{name}{ext}", {"params": params, "headers": headers}
    if kind == "search":
        return "GET", draw(st.sampled_from(["/search", "/search.json"])), {"params": {"q": draw(param_text)},
                                                                          "headers": headers}
    if kind == "resource":
        tail = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
        prefix = draw(st.sampled_from(["/id/", "/def/", "/graph/", "/id/form/", "/queries/", "/static/"]))
        return "GET", prefix + urllib.parse.quote(tail), {"headers": headers}
    keys = draw(st.lists(st.text(max_size=12), max_size=4))
    return "GET", "/sparql", {"params": {k: draw(param_text) for k in keys}, "headers": headers}


STATUS: dict[int, int] = {}


def _check(response) -> None:
    STATUS[response.status_code] = STATUS.get(response.status_code, 0) + 1
    assert response.status_code < 500 or response.status_code == 503, (response.status_code, response.text)
    ctype = response.headers.get("content-type", "")
    if response.status_code >= 400 and ctype.startswith("application/json"):
        assert set(response.json()) == ERROR_KEYS


@pytest.fixture(scope="module")
def small(built: Path, tmp_path_factory) -> Path:
    """A few named graphs of the real build: the fuzz tests parsing and checking, not data size."""
    import pyoxigraph as ox

    keep = {f"https://w3id.org/stpgraph/graph/{g}" for g in ("ontology", "sources", "bma-stps", "icbs-2023")}
    quads = [q for q in ox.parse(path=str(built), format=ox.RdfFormat.N_QUADS)
             if q.graph_name.value in keep]
    path = tmp_path_factory.mktemp("fuzz") / "small.nq"
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return path


@pytest.fixture(scope="module")
def app(small: Path):
    running = InProcessApp(Settings(data=small, root=ROOT, timeout=1.0, workers=2, max_rows=2000))
    yield running
    running.close()


@pytest.mark.slow
@settings(max_examples=FUZZ_IN_PROCESS, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(request=requests())
def test_fuzz_in_process(app, request) -> None:
    method, path, kwargs = request
    _check(app.request(method, path, **kwargs))


def test_in_process_app_still_answers(app) -> None:
    print("statuses seen while fuzzing:", dict(sorted(STATUS.items())))
    assert 200 in STATUS and 400 in STATUS  # the fuzz reached both answers and refusals
    response = app.request("GET", "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.fixture(scope="module")
def server(small: Path):
    with live_server(small) as running, httpx.Client(base_url=running.url, timeout=30) as client:
        running.client = client
        yield running


@pytest.mark.slow
@settings(max_examples=FUZZ_HTTP, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(request=requests())
def test_fuzz_over_http(server, request) -> None:
    method, path, kwargs = request
    try:
        response = server.client.request(method, path, **kwargs)
    except (httpx.InvalidURL, httpx.LocalProtocolError, UnicodeEncodeError):
        return  # the client refused to send it (e.g. a NUL in a header); nothing reached the server
    _check(response)


def test_server_still_answers_after_fuzzing(server) -> None:
    response = httpx.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert httpx.get(server.url + "/status").json()["ok"] is True
