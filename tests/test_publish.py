"""``stpgraph publish`` against a real Oxigraph server, and its failure modes against a fake store."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from stpgraph.catalogue import load_catalogue
from stpgraph.engines import LocalEngine, RemoteEngine
from stpgraph.errors import RemoteError
from stpgraph.paths import GRAPH
from stpgraph.publish import Auth, graph_url, publish
from stpgraph.results import from_solutions

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stpgraph(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "stpgraph"), *args], capture_output=True, cwd=ROOT, check=False,
                          timeout=600)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty ``oxigraph serve`` on a free port; yields its base URL."""
    exe = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    assert exe, "the oxigraph server (PyPI package oxigraph) is needed"
    folder = tmp_path_factory.mktemp("oxigraph")
    port = _free_port()
    log = (folder / "server.log").open("wb")
    proc = subprocess.Popen([exe, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {(folder / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer: {(folder / 'server.log').read_text()}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _remote_counts(url: str) -> dict[str, int]:
    req = urllib.request.Request(url + "/query", data=urllib.parse.urlencode({"query": COUNTS}).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as response:
        body = response.read()
    results = from_solutions(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
    return {r["g"].value: int(r["n"].value) for r in results.records()}


def _local_counts(store: ox.Store) -> dict[str, int]:
    return {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g))
            for g in store.named_graphs()}


@pytest.fixture(scope="module")
def published(oxigraph: str, built: Path) -> str:
    """The shipped graph published to the server through the console command."""
    run = _stpgraph("publish", "--store", oxigraph + "/store")
    assert run.returncode == 0, run.stderr.decode()
    assert "published" in run.stdout.decode()
    assert "replaced bma-stps" in run.stderr.decode()  # progress, graph by graph
    return oxigraph


def test_publish_puts_every_named_graph(published: str, store: ox.Store) -> None:
    assert _remote_counts(published) == _local_counts(store)


_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*?"
                     r"(?:;\s*separator\s*=\s*(\"[^\"]*\"|'[^']*'))?\s*\)\s*AS\s*\?(\w+)", re.IGNORECASE)


def _concat_columns(text: str) -> dict[str, str]:
    """The variables a query fills with GROUP_CONCAT, and each one's separator."""
    return {var: (sep[1:-1] if sep else " ") for sep, var in _CONCAT.findall(text)}


def _comparable(results, columns: dict[str, str]) -> list[tuple[str, ...]]:
    """``Results.canonical()``, except that a GROUP_CONCAT value's parts are put in order: SPARQL
    leaves the order of concatenation to the engine, and two stores need not agree on it."""
    if results.kind != "select" or not columns:
        return results.canonical()
    rows = []
    for row in results.rows:
        cells = []
        for var, term in zip(results.variables, row, strict=True):
            if var in columns and isinstance(term, ox.Literal):
                parts = sorted(term.value.split(columns[var]))
                term = ox.Literal(columns[var].join(parts), datatype=term.datatype) if not term.language \
                    else ox.Literal(columns[var].join(parts), language=term.language)
            cells.append(term)
        rows.append(tuple(cells))
    results = type(results)("select", results.variables, rows)
    return results.canonical()


def test_concat_columns_are_found_with_their_separators() -> None:
    text = """SELECT ?r (GROUP_CONCAT(DISTINCT ?n; separator="; ") AS ?names)
              (GROUP_CONCAT(DISTINCT STR(?s); SEPARATOR=' | ') AS ?sources) (GROUP_CONCAT(?x) AS ?xs)"""
    assert _concat_columns(text) == {"names": "; ", "sources": " | ", "xs": " "}


def test_every_saved_query_gives_the_same_answer_remotely(published: str, engine: LocalEngine) -> None:
    catalogue = load_catalogue(ROOT / "queries")
    assert catalogue, "queries/ holds saved queries"
    remote = RemoteEngine(published + "/query", timeout=120)
    identical = []
    for name, saved in catalogue.items():
        text = saved.bind(saved.example_values())
        local = engine.query(text, label=name)
        there = remote.query(text, label=name)
        assert there.kind == local.kind, name
        assert len(there) == len(local), f"queries/{name}.rq: {len(there)} rows remotely, {len(local)} here"
        if there.canonical() == local.canonical():
            identical.append(name)
            continue
        columns = _concat_columns(text)
        assert _comparable(there, columns) == _comparable(local, columns), \
            f"queries/{name}.rq differs remotely"
    # Most answers are identical without any allowance; only GROUP_CONCAT order may differ.
    assert identical
    # Something that must not be empty, whatever the catalogue holds at the time.
    probe = "SELECT ?s ?p ?o WHERE { GRAPH <%s> { ?s ?p ?o } }" % (GRAPH + "sources")
    assert len(engine.query(probe)) > 0
    assert remote.query(probe).canonical() == engine.query(probe).canonical()


def test_saved_query_through_the_console_command(published: str, engine: LocalEngine) -> None:
    catalogue = load_catalogue(ROOT / "queries")
    name = "footprint-successor-icb"
    run = _stpgraph("query", name, "--endpoint", published + "/query", "--format", "json")
    assert run.returncode == 0, run.stderr.decode()
    remote = from_solutions(ox.parse_query_results(run.stdout, format=ox.QueryResultsFormat.JSON))
    local = engine.query(catalogue[name].bind(catalogue[name].example_values()), label=name)
    columns = _concat_columns(catalogue[name].text)
    assert _comparable(remote, columns) == _comparable(local, columns)
    assert len(local) > 0


def test_publishing_twice_changes_nothing(published: str, store: ox.Store) -> None:
    before = _remote_counts(published)
    run = _stpgraph("publish", "--store", published + "/store", "--quiet")
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout == b"" and run.stderr == b""
    assert _remote_counts(published) == before == _local_counts(store)


def test_atomic_publish_moves_staged_graphs_into_place(published: str, store: ox.Store) -> None:
    run = _stpgraph("publish", "--store", published + "/store", "--update", published + "/update")
    assert run.returncode == 0, run.stderr.decode()
    assert "atomically" in run.stdout.decode()
    counts = _remote_counts(published)
    assert counts == _local_counts(store)  # and so no staging graph is left behind
    assert not [g for g in counts if g.startswith("urn:stpgraph:staging")]


# --- failures, against a fake store that records what it was sent -------------------------


class FakeStore(ThreadingHTTPServer):
    """A Graph Store that answers 204, except that PUT number ``fail_at`` gets HTTP 500."""

    def __init__(self, fail_at: int | None = None, digest: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fail_at = fail_at
        self.digest = digest
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeStore

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        if self.server.digest and not self.headers.get("Authorization", "").startswith("Digest "):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Digest realm="SPARQL", nonce="abc", qop="auth", '
                                                 'algorithm="MD5", opaque="xyz"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        puts = sum(1 for r in self.server.requests if r[0] == "PUT")
        if self.command == "PUT" and puts == self.server.fail_at:
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
            message = b"storage is full"
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
            return
        self.send_response(204)
        self.end_headers()

    do_PUT = do_POST = _handle

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture
def fake() -> Iterator[Callable[..., FakeStore]]:
    servers: list[FakeStore] = []

    def start(fail_at: int | None = None, digest: bool = False) -> FakeStore:
        server = FakeStore(fail_at, digest)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


THREE = ["bma-stps", "ontology", "sources"]


def test_failure_stops_and_names_the_graphs_already_replaced(fake, store: ox.Store) -> None:
    server = fake(fail_at=3)
    with pytest.raises(RemoteError) as err:
        publish(store, server.url + "/store", graphs=THREE)
    message = str(err.value)
    assert "publishing sources failed" in message
    assert "HTTP 500" in message and "storage is full" in message
    assert "graphs already replaced: bma-stps, ontology" in message
    assert [r[0] for r in server.requests] == ["PUT", "PUT", "PUT"]


def test_atomic_failure_drops_the_staged_graphs_and_replaces_nothing(fake, store: ox.Store) -> None:
    server = fake(fail_at=2)
    with pytest.raises(RemoteError, match="nothing was replaced"):
        publish(store, server.url + "/store", graphs=THREE, update=server.url + "/update")
    methods = [r[0] for r in server.requests]
    assert methods == ["PUT", "PUT", "POST"]
    first = urllib.parse.parse_qs(urllib.parse.urlsplit(server.requests[0][1]).query)["graph"][0]
    assert first.startswith("urn:stpgraph:staging:") and first.endswith(GRAPH + "bma-stps")
    drop = server.requests[2][3].decode()
    assert drop == f"DROP SILENT GRAPH <{first}>"
    assert "MOVE" not in drop


def test_requests_carry_turtle_and_credentials(fake, store: ox.Store) -> None:
    server = fake()
    publish(store, server.url + "/store?x=1", graphs=["sources"], auth=Auth("ann", "s3cret"))
    publish(store, server.url + "/store", graphs=["sources"], auth=Auth(token="tok"))
    (m1, path1, h1, body1), (_m2, _path2, h2, _b2) = server.requests
    assert m1 == "PUT" and path1 == "/store?x=1&graph=" + urllib.parse.quote(GRAPH + "sources", safe="")
    assert h1["Content-Type"].startswith("text/turtle")
    assert h1["Authorization"] == "Basic YW5uOnMzY3JldA=="
    assert h2["Authorization"] == "Bearer tok"
    parsed = list(ox.parse(body1, format=ox.RdfFormat.TURTLE))
    assert len(parsed) == sum(1 for _ in store.quads_for_pattern(None, None, None,
                                                                  ox.NamedNode(GRAPH + "sources")))


def test_digest_authentication_answers_the_challenge(fake, store: ox.Store) -> None:
    server = fake(digest=True)
    publish(store, server.url + "/crud", graphs=["sources"], auth=Auth("dba", "pw", digest=True),
            graph_param="graph-uri")
    (first, second) = server.requests
    assert "Authorization" not in first[2]
    assert second[2]["Authorization"].startswith('Digest username="dba", realm="SPARQL"')
    assert second[1].startswith("/crud?graph-uri=") and second[3] == first[3]


def test_graph_url_for_each_store_shape() -> None:
    g = GRAPH + "bma-stps"
    assert graph_url("http://h:7878/store", g) == "http://h:7878/store?graph=https%3A%2F%2Fw3id.org%2F" \
        "stpgraph%2Fgraph%2Fbma-stps"
    assert graph_url("http://h:8890/sparql-graph-crud-auth", g, "graph-uri").endswith("?graph-uri=https%3A"
                                                                                    "%2F%2Fw3id.org%2Fstpgraph%2Fgraph%2Fbma-stps")


def test_unreachable_store_is_a_remote_error_with_exit_code_6(built: Path) -> None:
    port = _free_port()
    run = _stpgraph("publish", "--store", f"http://127.0.0.1:{port}/store", "--graphs", "sources")
    assert run.returncode == 6
    err = run.stderr.decode()
    assert "cannot reach the store" in err and "graphs already replaced: none" in err


def test_bad_options_are_usage_errors(built: Path) -> None:
    run = _stpgraph("publish", "--store", "ftp://example.org/store")
    assert run.returncode == 2 and "not an http(s) URL" in run.stderr.decode()
    run = _stpgraph("publish", "--store", "http://127.0.0.1:1/store", "--user", "a", "--token", "t")
    assert run.returncode == 2 and "not both" in run.stderr.decode()
