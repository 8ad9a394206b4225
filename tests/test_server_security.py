"""Safety of `stpgraph serve`: read-only, never a network connection, time and size limits."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from server_support import assert_error_shape, live_server

from stpgraph.namespace import PREFIXES
from stpgraph.server.safety import Refusal, code_of, inspect

LIMIT = 2.0  # the server's query time limit in this module
GRAPHS = frozenset({"https://w3id.org/stpgraph/graph/ontology"})
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(built: Path):
    with live_server(built, timeout=LIMIT, extra=("--max-rows", "500", "--max-request-bytes", "20000")) as s:
        yield s


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.connections.append(conn.recv(4096))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    probe = Listener()
    yield probe
    probe.close()


def _attacks(url: str) -> list[tuple[str, int, str]]:
    """(query text, expected status, expected code) for queries that would reach ``url``."""
    return [
        (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 400, "service_refused"),
        (f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}", 400, "service_refused"),
        (f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}", 400, "service_refused"),
        (f"PREFIX x: <{url[:-6]}> SELECT * WHERE {{ sErViCe x:sparql {{ ?s ?p ?o }} }}", 400,
         "service_refused"),
        (f"SELECT * WHERE {{ ?s ?p 1 SERVICE <{url}> {{ ?s ?p ?o }} }}", 400, "service_refused"),
        (f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}", 400,
         "service_refused"),
        (f"SELECT * WHERE {{ ?s ?p <{url}#> . SERVICE <{url}> {{ }} }}", 400, "service_refused"),
        (f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", 400, "unknown_graph"),
        (f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400, "unknown_graph"),
        (f"SELECT * WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }}", 400, "unknown_graph"),
        (f"ASK {{ FILTER NOT EXISTS {{ GRAPH <{url}> {{ ?s ?p ?o }} }} }}", 400, "unknown_graph"),
        (f"LOAD <{url}>", 400, "load_refused"),
        (f"LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>", 400, "load_refused"),
    ]


def test_no_query_ever_opens_a_connection(server, listener) -> None:
    for query, status, code in _attacks(listener.url):
        for response in (httpx.get(server.sparql, params={"query": query}),
                         httpx.post(server.sparql, data={"query": query}),
                         httpx.post(server.sparql, content=query,
                                    headers={"Content-Type": "application/sparql-query"})):
            assert_error_shape(response, status, code)
    time.sleep(0.5)
    assert listener.connections == [], listener.connections


def test_the_listener_does_notice_connections(listener) -> None:
    """The probe itself works: a direct connection is recorded."""
    with socket.create_connection(("127.0.0.1", listener.port)) as sock:
        sock.sendall(b"hello")
    deadline = time.monotonic() + 3
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections == [b"hello"]


def test_workers_have_no_network(server) -> None:
    """Defence in depth: on Linux as root (CI), query workers run in an empty network namespace."""
    status = httpx.get(server.url + "/status").json()
    assert status["workers_isolated_from_network"] is True


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/stpgraph/graph/ontology>",
    "PREFIX ex: <http://example.org/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CREATE GRAPH <http://example.org/g>",
])
def test_updates_are_refused(server, update) -> None:
    for response in (httpx.post(server.sparql, data={"update": update}),
                     httpx.post(server.sparql, content=update,
                                headers={"Content-Type": "application/sparql-update"}),
                     httpx.get(server.sparql, params={"update": update}),
                     httpx.post(server.sparql, data={"query": update})):
        assert_error_shape(response, 403, "read_only")
    count = httpx.get(server.sparql, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert int(count.json()["results"]["bindings"][0]["n"]["value"]) > 1000


def test_runaway_query_is_stopped_while_others_are_served(server) -> None:
    simple = "ASK { <https://w3id.org/stpgraph/id/form/stp> ?p ?o }"
    with ThreadPoolExecutor(2) as pool:
        started = time.monotonic()
        runaway = pool.submit(httpx.get, server.sparql, params={"query": RUNAWAY}, timeout=30)
        time.sleep(0.3)
        quick = httpx.get(server.sparql, params={"query": simple}, timeout=LIMIT)
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        assert time.monotonic() - started < LIMIT, "the simple query waited for the runaway one"
        response = runaway.result()
        elapsed = time.monotonic() - started
    assert_error_shape(response, 503, "timeout")
    assert elapsed < LIMIT + 1.0, elapsed
    # the killed worker is replaced: the server keeps answering on every worker
    for _ in range(6):
        again = httpx.get(server.sparql, params={"query": simple}, timeout=10)
        assert again.status_code == 200


def test_result_row_cap(server) -> None:
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    body = assert_error_shape(response, 400, "too_many_results")
    assert "500" in body["message"]
    ok = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"})
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 500
    graph = httpx.get(server.sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert_error_shape(graph, 400, "too_many_results")


def test_request_size_caps(server) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000
    assert_error_shape(httpx.post(server.sparql, data={"query": big}), 413, "too_large")
    assert_error_shape(httpx.get(server.sparql, params={"query": big}), 414, "uri_too_long")

    def chunks():
        for _ in range(30):
            yield b"#" + b"x" * 1000 + b"\n"

    response = httpx.post(server.sparql, content=chunks(),
                          headers={"Content-Type": "application/sparql-query"})
    assert_error_shape(response, 413, "too_large")


def test_malformed_query_gives_parser_message(server) -> None:
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p }"})
    body = assert_error_shape(response, 400, "malformed_query")
    assert "1:" in body["message"]  # line:column from the parser


# --- the inspection layer, without a server ----------------------------------------------


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p \"SERVICE <http://x/> {}\" }",
    "SELECT * WHERE { ?s ?p ?service }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> {}",
    "SELECT * WHERE { ?s <http://example.org/SERVICE/x> ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?p > 2) }",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * FROM <https://w3id.org/stpgraph/graph/ontology> WHERE { ?s ?p ?o }",
])
def test_inspection_allows_harmless_queries(query) -> None:
    inspect(query, GRAPHS, PREFIXES)


@pytest.mark.parametrize("query,code", [
    ("SELECT * WHERE { SERVICE <http://x/> { } }", "service_refused"),
    ("SELECT * WHERE { ?s ?p ?o \n# comment\n SeRvIcE ?x { } }", "service_refused"),
    ("SELECT * WHERE { ?s ?p <a#b> SERVICE <http://x/> { } }", "service_refused"),
    ("PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:a\\#b SERVICE <http://x/> { } }", "service_refused"),
    ("SELECT * WHERE { ?s ?p \"unterminated SERVICE <http://x/> { } }", "service_refused"),
    ("SELECT * WHERE { GRAPH graph:nope { } }", "unknown_graph"),
    ("INSERT DATA { <a> <b> <c> }", "read_only"),
    ("# c\nPREFIX a: <http://a/>\nBASE <http://b/>\nDELETE WHERE { ?s ?p ?o }", "read_only"),
    ("LOAD <http://x/>", "load_refused"),
])
def test_inspection_refuses(query, code) -> None:
    with pytest.raises(Refusal) as caught:
        inspect(query, GRAPHS, PREFIXES)
    assert caught.value.code == code


def test_inspection_of_long_prologues() -> None:
    """Regression: a backtracking prologue pattern made 30 PREFIX lines take exponential time."""
    from stpgraph.namespace import sparql_prologue

    text = sparql_prologue() * 20 + "SELECT * WHERE { GRAPH graph:ontology { ?s ?p ?o } }"
    assert inspect(text, GRAPHS, PREFIXES).has_dataset is False
    with pytest.raises(Refusal):
        inspect(sparql_prologue() * 20 + "CLEAR ALL", GRAPHS, PREFIXES)


@pytest.mark.parametrize("query,iris,has_from", [
    ("SELECT * FROM graph:ontology WHERE { ?s ?p ?o }", ["https://w3id.org/stpgraph/graph/ontology"], True),
    ("PREFIX g: <http://e/> SELECT * FROM NAMED g:x WHERE { GRAPH ?g { } }", ["http://e/x"], True),
    ("SELECT * WHERE { GRAPH graph:ontology. }", ["https://w3id.org/stpgraph/graph/ontology"], False),
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } # FROM <http://x/>", [], False),
    ('SELECT * WHERE { ?s ?p "GRAPH <http://x/>" }', [], False),
])
def test_dataset_iris(query, iris, has_from) -> None:
    from stpgraph.server.safety import dataset_iris

    assert dataset_iris(query, PREFIXES) == (iris, has_from)


def test_base_relative_graphs_are_resolved_by_rdflib() -> None:
    query = "BASE <https://w3id.org/stpgraph/graph/> SELECT * WHERE { GRAPH <ontology> { ?s ?p ?o } }"
    inspect(query, GRAPHS, PREFIXES)
    with pytest.raises(Refusal):
        inspect(query.replace("<ontology>", "<elsewhere>"), GRAPHS, PREFIXES)


def test_code_of_strips_strings_comments_and_iris() -> None:
    code = code_of('SELECT * WHERE { ?s <http://x/#SERVICE> "a \\" SERVICE" . } # SERVICE')
    assert "SERVICE" not in code and "SELECT" in code and "?s" in code
