"""The route table of `stpgraph serve`, path by path, and the one JSON error shape on every error."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from server_support import assert_error_shape, live_server

from stpgraph.server.errors import CODES
from stpgraph.server.routes import ROUTES

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON_ACCEPT = {"Accept": "application/json"}

#: One example request per route: route path → (request path, headers, status, content type start).
EXAMPLES = {
    "/": ("/", HTML, 200, "text/html"),
    "/search": ("/search?q=suffolk", HTML, 200, "text/html"),
    "/search.json": ("/search.json?q=suffolk", {}, 200, "application/json"),
    "/query": ("/query", HTML, 200, "text/html"),
    "/sparql": ("/sparql?query=ASK%7B%7D", {}, 200, "application/sparql-results+json"),
    "/queries": ("/queries", HTML, 200, "text/html"),
    "/queries.json": ("/queries.json", {}, 200, "application/json"),
    "/queries/{name}": ("/queries/form-succession.csv", {}, 200, "text/csv"),
    "/.well-known/void": ("/.well-known/void", {"Accept": "text/turtle"}, 200, "text/turtle"),
    "/download/stpgraph.{ext}": ("/download/stpgraph.nq", {}, 200, "application/n-quads"),
    "/def/": ("/def/", HTML, 200, "text/html"),
    "/def/{rest:path}": ("/def/Merger.ttl", {}, 200, "text/turtle"),
    "/id/{rest:path}": ("/id/form/stp.html", {}, 200, "text/html"),
    "/graph/{rest:path}": ("/graph/bma-stps.jsonld", {}, 200, "application/ld+json"),
    "/status": ("/status", {}, 200, "application/json"),
    "/static": ("/static/stpgraph-ui-1.0.css", {}, 200, "text/css"),
}


@pytest.fixture(scope="module")
def server(built: Path):
    with live_server(built) as running:
        yield running


def test_every_route_has_an_example() -> None:
    assert {r.path for r in ROUTES} == set(EXAMPLES)


@pytest.mark.parametrize("route", sorted(EXAMPLES))
def test_route(server, route) -> None:
    path, headers, status, media = EXAMPLES[route]
    response = httpx.get(server.url + path, headers=headers)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith(media)
    assert response.content


def test_large_answer_crosses_the_worker_pipe(server) -> None:
    """Regression: a reply bigger than the pipe buffer once failed under uvloop (non-blocking fd)."""
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5000"})
    assert response.status_code == 200, response.text[:300]
    assert len(response.content) > 256 * 1024
    assert len(response.json()["results"]["bindings"]) == 5000


def test_static_assets_are_local_and_versioned(server) -> None:
    page = httpx.get(server.url + "/", headers=HTML).text
    assert "/static/stpgraph-ui-1.0.css" in page and "/static/stpgraph-ui-1.0.js" in page
    for marker in ("http://", "https://"):
        for tag in ("<script src=\"" + marker, "<link rel=\"stylesheet\" href=\"" + marker):
            assert tag not in page
    assert httpx.get(server.url + "/static/stpgraph-ui-1.0.js").headers["content-type"].startswith(
        ("text/javascript", "application/javascript"))


#: Requests that must fail, with the status and code they must give.
ERRORS = [
    ("GET", "/no-such-page", {}, 404, "not_found"),
    ("GET", "/id/form/no-such-form", {}, 404, "not_found"),
    ("GET", "/id/form/no-such-form.ttl", {}, 404, "not_found"),
    ("GET", "/def/NoSuchTerm", {}, 404, "not_found"),
    ("GET", "/queries/no-such-query", {}, 404, "not_found"),
    ("GET", "/queries/form-succession.json?nope=1", {}, 400, "bad_parameter"),
    ("GET", "/static/missing.css", {}, 404, "not_found"),
    ("GET", "/download/stpgraph.xyz", {}, 404, "not_found"),
    ("DELETE", "/sparql", {}, 405, "method_not_allowed"),
    ("PUT", "/sparql", {}, 405, "method_not_allowed"),
    ("POST", "/", {}, 405, "method_not_allowed"),
    ("POST", "/sparql", {"content": b"x", "headers": {"Content-Type": "text/plain"}}, 415,
     "unsupported_media_type"),
    ("POST", "/sparql", {"data": {"nothing": "here"}}, 400, "missing_query"),
    ("GET", "/sparql?query=SELECT&query=ASK", {}, 400, "bad_parameter"),
    ("GET", "/sparql?query=SELEKT%20*", {}, 400, "malformed_query"),
    ("GET", "/sparql?query=ASK%7B%7D&format=png", {}, 400, "unknown_format"),
    ("GET", "/sparql?query=ASK%7B%7D", {"headers": {"Accept": "image/png"}}, 406, "not_acceptable"),
    ("GET", "/id/form/stp", {"headers": {"Accept": "image/png"}}, 406, "not_acceptable"),
    ("POST", "/sparql", {"data": {"update": "CLEAR ALL"}}, 403, "read_only"),
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7BSERVICE%20%3Chttp%3A%2F%2Fx%3E%7B%7D%7D", {}, 400,
     "service_refused"),
    ("GET", "/sparql?query=SELECT%20*%20FROM%20%3Chttp%3A%2F%2Fx%3E%20WHERE%7B%7D", {}, 400, "unknown_graph"),
    ("POST", "/sparql", {"content": b"\xff\xfe", "headers": {"Content-Type": "application/sparql-query"}},
     400, "bad_request"),
    ("GET", "/search.json?q=" + "x" * 300, {}, 400, "bad_parameter"),
]


@pytest.mark.parametrize("method,path,kwargs,status,code", ERRORS,
                         ids=[f"{e[0]} {e[1][:40]} {e[3]}" for e in ERRORS])
def test_error_shape(server, method, path, kwargs, status, code) -> None:
    kwargs = {**kwargs, "headers": {**JSON_ACCEPT, **kwargs.get("headers", {})}}
    try:
        response = httpx.request(method, server.url + path, **kwargs)
    except httpx.RemoteProtocolError:
        pytest.fail("the server dropped the connection instead of answering")
    assert_error_shape(response, status, code)
    assert CODES[code] == status


def test_errors_are_pages_for_browsers(server) -> None:
    response = httpx.get(server.url + "/id/form/no-such-form", headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="error"' in response.text and 'data-code="not_found"' in response.text


def test_every_documented_code_is_reachable_or_reserved() -> None:
    exercised = {e[4] for e in ERRORS} | {"timeout", "too_large", "uri_too_long", "too_many_results",
                                          "load_refused",
                                          "query_failed", "busy", "worker_failed", "internal_error"}
    assert set(CODES) <= exercised
