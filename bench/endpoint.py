"""Endpoint benchmark: `stpgraph serve` beside rdflib-endpoint and `oxigraph serve-read-only`.

All three serve the same build on 127.0.0.1; a bounded load generator (a pool of threads, each
with its own keep-alive HTTP client, a fixed number of requests) measures throughput and p50/p99
latency for simple lookups and for the heaviest saved queries. The client is a thin keep-alive
wrapper over the standard library's ``http.client`` by default: the load generator shares the
machine's CPUs with the server under test, and httpx spends several times more CPU per request
(``--client httpx`` measures with it). Prints a table and writes JSON to
bench/results/endpoint-latest.json (and a timestamped copy). Never run as a test.

    .venv/bin/python bench/endpoint.py [--requests 2000] [--concurrency 8]

Targets (issue 6): ≥ 5× rdflib-endpoint's throughput on simple lookups; heavy saved queries
within 2× of Oxigraph's own server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
JSON_RESULTS = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A server process under test."""

    name: str
    cmd: list[str]
    endpoint: str
    ready_path: str
    process: subprocess.Popen | None = None
    log: Path | None = None
    start_seconds: float = 0.0

    def start(self, env: dict[str, str], timeout: float = 300) -> None:
        fd, log = tempfile.mkstemp(prefix=f"bench-{self.name}-", suffix=".log")
        self.log = Path(log)
        t = time.perf_counter()
        self.process = subprocess.Popen(self.cmd, stdout=fd, stderr=subprocess.STDOUT, env=env)
        os.close(fd)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.ready_path, timeout=2).status_code < 500:
                    self.start_seconds = time.perf_counter() - t
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start within {timeout} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.log:
            self.log.unlink(missing_ok=True)


@dataclass
class Measurement:
    """One workload against one server."""

    workload: str
    server: str
    requests: int
    ok: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, round(q * (len(data) - 1)))]

    def summary(self) -> dict:
        return {"workload": self.workload, "server": self.server, "requests": self.requests, "ok": self.ok,
                "seconds": round(self.seconds, 3), "throughput_rps": round(self.throughput, 1),
                "p50_ms": round(self.percentile(0.5), 2), "p99_ms": round(self.percentile(0.99), 2)}


class LeanClient:
    """A keep-alive HTTP/1.1 client over ``http.client`` that POSTs SPARQL queries as a form.

    It needs a fraction of httpx's CPU per request, so less of the shared CPU goes to the load
    generator and more to the server being measured (all servers get the same client).
    """

    def __init__(self, endpoint: str, timeout: float) -> None:
        url = urllib.parse.urlsplit(endpoint)
        self.host, self.port, self.path = url.hostname or "127.0.0.1", url.port or 80, url.path or "/"
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def post(self, query: str) -> int:
        """POST one query; the response status (the body is read and dropped)."""
        body = urllib.parse.urlencode({"query": query}).encode()
        headers = {"Content-Type": FORM, "Accept": JSON_RESULTS}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request("POST", self.path, body, headers)
                response = self.conn.getresponse()
                response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()  # the server closed an idle keep-alive connection: reconnect once
                if attempt == 2:
                    raise
                continue
            except Exception:
                self.close()
                raise
            if response.will_close:
                self.close()
            return response.status
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class HttpxClient:
    """The same requests through httpx (``--client httpx``)."""

    def __init__(self, endpoint: str, timeout: float) -> None:
        self.endpoint = endpoint
        self.client = httpx.Client(timeout=timeout)

    def post(self, query: str) -> int:
        response = self.client.post(self.endpoint, data={"query": query}, headers={"Accept": JSON_RESULTS})
        return response.status_code

    def close(self) -> None:
        self.client.close()


CLIENTS = {"http.client": LeanClient, "httpx": HttpxClient}
CLIENT = LeanClient  # set by --client


def load(endpoint: str, queries: list[str], concurrency: int, timeout: float,
         budget: float | None = None) -> tuple[int, int, float, list[float]]:
    """Send the queries with ``concurrency`` threads, starting no new one after ``budget`` seconds.

    Returns (requests sent, ok answers, wall seconds, latencies of the ok answers in ms).
    """
    local = threading.local()
    latencies: list[float] = []
    clients: list = []
    ok = sent = 0
    lock = threading.Lock()
    start = time.perf_counter()

    def one(query: str) -> None:
        nonlocal ok, sent
        if budget is not None and time.perf_counter() - start > budget:
            return
        with lock:
            sent += 1
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = CLIENT(endpoint, timeout)
            with lock:
                clients.append(client)
        t = time.perf_counter()
        try:
            good = client.post(query) == 200
        except (httpx.HTTPError, http.client.HTTPException, OSError):
            good = False
        elapsed = (time.perf_counter() - t) * 1000
        with lock:
            if good:
                ok += 1
                latencies.append(elapsed)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, queries))
    elapsed = time.perf_counter() - start
    for client in clients:
        client.close()
    return sent, ok, elapsed, latencies


def lookup_queries(store: ox.Store, n: int) -> list[str]:
    """``n`` simple lookups: every property and value of one subject, cycling through 200 subjects."""
    subjects = [r["s"].value for r in store.query(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) } LIMIT 200", use_default_graph_as_union=True)]
    return [f"SELECT ?p ?o WHERE {{ <{subjects[i % len(subjects)]}> ?p ?o }}" for i in range(n)]


def heavy_saved(root: Path, nquads: Path, count: int, ceiling: float) -> list[tuple[str, str, float]]:
    """The ``count`` slowest saved queries (in-process pyoxigraph time, each timed in a child process
    that is killed after ``ceiling`` s); queries that need parameters or take longer are left out."""
    import multiprocessing

    from stpgraph.catalogue import load_catalogue
    from stpgraph.errors import UsageError
    from stpgraph.namespace import sparql_prologue

    ctx = multiprocessing.get_context("spawn")
    timed = []
    for name, saved in load_catalogue(root / "queries").items():
        try:
            text = sparql_prologue() + saved.bind({})
        except UsageError:
            continue
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_time_query, args=(child, str(nquads), text), daemon=True)
        proc.start()
        if parent.poll(ceiling + 5):
            seconds = parent.recv()
            if seconds is not None and seconds <= ceiling:
                timed.append((name, text, seconds))
        proc.kill()
        proc.join()
    timed.sort(key=lambda x: -x[2])
    return timed[:count]


def _time_query(conn, nquads: str, text: str) -> None:
    store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    t = time.perf_counter()
    try:
        result = store.query(text, use_default_graph_as_union=True)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
        conn.send(time.perf_counter() - t)
    except Exception:
        conn.send(None)


def machine() -> dict:
    import importlib.metadata as md

    versions = {}
    for pkg in ("pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "starlette", "uvicorn", "httpx"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg(), "versions": versions}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2000, help="simple lookups per server")
    ap.add_argument("--rdflib-requests", type=int, default=400, help="simple lookups for rdflib-endpoint")
    ap.add_argument("--heavy", type=int, default=3, help="how many of the slowest saved queries to run")
    ap.add_argument("--heavy-requests", type=int, default=40, help="requests per heavy saved query")
    ap.add_argument("--budget", type=float, default=30.0,
                    help="seconds after which a run starts no new requests (bounds slow servers)")
    ap.add_argument("--rdflib-heavy-requests", type=int, default=1,
                    help="requests per heavy saved query for rdflib-endpoint (0: skip)")
    ap.add_argument("--rdflib-timeout", type=float, default=30.0,
                    help="seconds rdflib-endpoint gets per heavy request")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=4,
                    help="split the lookups into this many rounds, taking turns between the servers")
    ap.add_argument("--workers", type=int, default=None, help="stpgraph query workers (default: its own)")
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--client", choices=sorted(CLIENTS), default="http.client",
                    help="HTTP client of the load generator (the same for every server)")
    ap.add_argument("--out", type=Path, default=HERE / "results")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the servers are stopped too
    global CLIENT
    CLIENT = CLIENTS[args.client]

    from stpgraph.paths import build_dir, project_root
    from stpgraph.store import ensure_built, open_store

    root = project_root()
    ensure_built(root)
    build = build_dir(root)
    nquads = build / "graph.nq"
    open_store(root, check=False)  # makes sure build/store (read by oxigraph serve-read-only) is current
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    n_quads = len(store)
    env = dict(os.environ, STPGRAPH_HOME=str(root), STPGRAPH_BUILD=str(build))

    ports = {name: free_port() for name in ("stpgraph", "oxigraph", "rdflib-endpoint")}
    ours_cmd = [sys.executable, "-m", "stpgraph.cli", "serve", "--port", str(ports["stpgraph"]),
                "--data", str(nquads), "--timeout", "120", "--max-rows", "1000000"]
    if args.workers:
        ours_cmd += ["--workers", str(args.workers)]
    servers = [
        Server("stpgraph", ours_cmd, f"http://127.0.0.1:{ports['stpgraph']}/sparql",
               f"http://127.0.0.1:{ports['stpgraph']}/status"),
        Server("oxigraph", [str(VENV_BIN / "oxigraph"), "serve-read-only", "--location", str(build / "store"),
                            "--bind", f"127.0.0.1:{ports['oxigraph']}", "--union-default-graph"],
               f"http://127.0.0.1:{ports['oxigraph']}/query", f"http://127.0.0.1:{ports['oxigraph']}/"),
    ]
    rdflib_bin = shutil.which("rdflib-endpoint", path=str(VENV_BIN)) or shutil.which("rdflib-endpoint")
    if not args.skip_rdflib and rdflib_bin:
        servers.append(Server("rdflib-endpoint", [rdflib_bin, "serve", "--host", "127.0.0.1", "--port",
                                                  str(ports["rdflib-endpoint"]), str(nquads)],
                              # rdflib-endpoint 0.6 serves its endpoint at /
                              f"http://127.0.0.1:{ports['rdflib-endpoint']}/",
                              f"http://127.0.0.1:{ports['rdflib-endpoint']}/?query=ASK%7B%7D"))
    heavy = heavy_saved(root, nquads, args.heavy, ceiling=3.0)
    results: list[Measurement] = []
    notes: list[str] = []
    try:
        for server in servers:
            print(f"starting {server.name} …", file=sys.stderr)
            server.start(env)
        # workload-major order: the servers are measured close together in time, so load from
        # elsewhere on the machine affects them alike
        lookups = lookup_queries(store, max(args.requests, args.rdflib_requests))
        for server in servers:
            load(server.endpoint, lookups[:50], args.concurrency, 60)  # warm up
        # the lookups run in rounds that take turns between the servers, so a burst of load from
        # elsewhere on the machine falls on all of them rather than on one
        totals = {server.name: Measurement("lookup", server.name, 0, 0, 0.0) for server in servers}
        rounds = max(1, args.rounds)
        for i in range(rounds):
            for server in servers:
                n = args.rdflib_requests if server.name == "rdflib-endpoint" else args.requests
                part = lookups[n * i // rounds:n * (i + 1) // rounds]
                sent, ok, seconds, lat = load(server.endpoint, part, args.concurrency, 60,
                                              args.budget / rounds)
                total = totals[server.name]
                total.requests += sent
                total.ok += ok
                total.seconds += seconds
                total.latencies_ms += lat
                print(f"  {server.name} lookup round {i + 1}/{rounds}: {ok}/{sent} in {seconds:.2f}s "
                      f"({ok / seconds if seconds else 0:.0f}/s)", file=sys.stderr)
        results.extend(totals.values())
        for name, text, _ in heavy:
            for server in servers:
                rdflib = server.name == "rdflib-endpoint"
                reps = args.rdflib_heavy_requests if rdflib else args.heavy_requests
                if reps <= 0:
                    continue
                timeout = args.rdflib_timeout if rdflib else 300
                if not rdflib:
                    load(server.endpoint, [text], 1, timeout)  # warm up
                reps, ok, seconds, lat = load(server.endpoint, [text] * reps, min(args.concurrency, reps),
                                              timeout, args.budget)
                results.append(Measurement(f"saved:{name}", server.name, reps, ok, seconds, lat))
                print(f"  {server.name} {name}: {ok}/{reps} in {seconds:.2f}s", file=sys.stderr)
                if ok < reps:
                    notes.append(f"{server.name} answered {ok}/{reps} of saved:{name}"
                                 + (f" within {timeout:g} s" if rdflib else ""))
    finally:
        for server in servers:
            server.stop()

    table = render(results, n_quads)
    print(table)
    verdict = targets(results)
    for line in verdict["lines"]:
        print(line)
    for line in notes:
        print("note:", line)
    args.out.mkdir(parents=True, exist_ok=True)
    doc = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "quads": n_quads,
           "concurrency": args.concurrency, "client": args.client, "rounds": args.rounds,
           "machine": machine(),
           "start_seconds": {s.name: round(s.start_seconds, 2) for s in servers},
           "results": [m.summary() for m in results], "targets": verdict, "notes": notes}
    text = json.dumps(doc, indent=1)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for path in (args.out / "endpoint-latest.json", args.out / f"endpoint-{stamp}.json"):
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text + "\n")
        tmp.replace(path)
    return 0


def render(results: list[Measurement], n_quads: int) -> str:
    lines = [f"endpoint benchmark on {n_quads:,} quads (POST form, SPARQL JSON results)",
             f"{'workload':<36} {'server':<16} {'ok/req':>10} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9}"]
    for m in results:
        s = m.summary()
        done = f"{m.ok}/{m.requests}"
        lines.append(f"{m.workload:<36} {m.server:<16} {done:>10} {s['throughput_rps']:>9.1f} "
                     f"{s['p50_ms']:>9.2f} {s['p99_ms']:>9.2f}")
    return "\n".join(lines)


def targets(results: list[Measurement]) -> dict:
    """The issue's two targets, computed from the measurements."""
    by = {(m.workload, m.server): m for m in results}
    out: dict = {"lines": []}
    ours, rdflib = by.get(("lookup", "stpgraph")), by.get(("lookup", "rdflib-endpoint"))
    if ours and rdflib and rdflib.throughput:
        ratio = ours.throughput / rdflib.throughput
        out["lookup_vs_rdflib_endpoint"] = round(ratio, 1)
        out["lines"].append(f"lookup throughput: stpgraph / rdflib-endpoint = {ratio:.1f}x "
                            f"(target >= 5x: {'met' if ratio >= 5 else 'NOT met'})")
    heavy = sorted({m.workload for m in results if m.workload.startswith("saved:")})
    for workload in heavy:
        ours, oxi = by.get((workload, "stpgraph")), by.get((workload, "oxigraph"))
        if ours and oxi and ours.latencies_ms and oxi.latencies_ms:
            ratio = statistics.median(ours.latencies_ms) / statistics.median(oxi.latencies_ms)
            tput = oxi.throughput / ours.throughput if ours.throughput else float("inf")
            out[f"{workload}_p50_vs_oxigraph"] = round(ratio, 2)
            met = "met" if ratio <= 2 else "NOT met"
            out["lines"].append(f"{workload}: stpgraph p50 / oxigraph p50 = {ratio:.2f}x, oxigraph/stpgraph "
                                f"throughput = {tput:.2f}x (target within 2x: {met})")
    return out


if __name__ == "__main__":
    sys.exit(main())
