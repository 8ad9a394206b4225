"""Evaluate untrusted SPARQL in worker processes that can be killed.

pyoxigraph cannot interrupt a running query, so each query runs in one of a few worker
processes; :class:`QueryPool` waits for its answer up to the time limit, and on overrun kills that
process (SIGKILL), answers 503 and starts a replacement in the background while the other workers
go on serving. A worker also:

* inspects the query first (:mod:`.safety`): updates, ``SERVICE``, ``LOAD`` and graphs outside the
  dataset never reach the evaluator;
* leaves the network before reading any query, by moving into a new, empty network namespace
  when the OS allows (Linux, as root or with unprivileged user namespaces) — so even a query
  that slipped past inspection could not open a connection;
* reads at most ``max_rows`` rows or triples and serialises the answer itself, so the server
  process only forwards bytes.

The server's end of each worker's pipe is an asyncio protocol registered once with the event
loop: a query costs one write and one or two reads, with no per-query reader registration,
thread hand-off or task; replies are plain tuples (status, media type, body …) rather than
pickled objects.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import socket
import struct
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from ..namespace import PREFIXES
from . import conneg
from .safety import Refusal, inspect
from .serialize import ask_body, graph_body, select_body


@dataclass(frozen=True)
class Job:
    """One query to evaluate and how to answer it."""

    query: str
    accept: str = ""
    format: str | None = None  # a ?format= value; overrides ``accept``
    default_graphs: tuple[str, ...] | None = None  # protocol default-graph-uri
    named_graphs: tuple[str, ...] | None = None  # protocol named-graph-uri
    trusted: bool = False  # a saved query with bound parameters: skip inspection
    max_rows: int = 10_000


@dataclass(frozen=True)
class Reply:
    """The answer: a body with its media type, or an error (status, code, message)."""

    status: int
    media_type: str = ""
    body: bytes = b""
    error: tuple[str, str] | None = None  # (code, message)
    rows: int = 0
    headers: dict[str, str] = field(default_factory=dict)


def fail(status: int, code: str, message: str) -> Reply:
    """An error reply."""
    return Reply(status, error=(code, message))


def encode_reply(reply: Reply) -> bytes:
    """A reply as the bytes a worker sends (a plain tuple: cheaper than pickling the dataclass)."""
    return pickle.dumps((reply.status, reply.media_type, reply.body, reply.error, reply.rows,
                         reply.headers or None), protocol=pickle.HIGHEST_PROTOCOL)


def decode_reply(data: bytes) -> Reply:
    """The reply :func:`encode_reply` wrote."""
    status, media_type, body, error, rows, headers = pickle.loads(data)
    return Reply(status, media_type, body, error, rows, headers or {})


# --- inside a worker --------------------------------------------------------


def open_data(data: Path) -> ox.Store:
    """Open the graph: an Oxigraph database folder read-only, or an N-Quads file in memory."""
    if data.is_dir():
        return ox.Store.read_only(str(data))
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    return store


def dataset_graphs(store: ox.Store) -> frozenset[str]:
    """The IRIs of the store's named graphs."""
    return frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def run_job(store: ox.Store, graphs: frozenset[str], job: Job) -> Reply:
    """Inspect, evaluate and serialise one query; every client mistake becomes a 4xx reply."""
    try:
        verdict = None if job.trusted else inspect(job.query, graphs, PREFIXES)
    except Refusal as refusal:
        return fail(refusal.status, refusal.code, refusal.message)
    kwargs: dict = {"prefixes": PREFIXES if job.trusted else prefixes_in(job.query)}
    protocol_graphs = [*(job.default_graphs or ()), *(job.named_graphs or ())]
    unknown = [g for g in protocol_graphs if g not in graphs]
    if unknown:
        return fail(400, "unknown_graph",
                    f"graph <{unknown[0]}> is not in this dataset; GET /.well-known/void lists its graphs")
    if job.default_graphs is not None or job.named_graphs is not None:
        if job.default_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif verdict is None or not verdict.has_dataset:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **kwargs)
        return _answer(result, job)
    except SyntaxError as exc:
        return fail(400, "malformed_query", f"SPARQL syntax error: {exc}")
    except (ValueError, TypeError, OSError, RuntimeError) as exc:
        return fail(400, "query_failed", f"the query could not be evaluated: {exc}")


_PREFIX_NEEDLES = tuple((name + ":", name, iri) for name, iri in PREFIXES.items())


def prefixes_in(query: str) -> dict[str, str]:
    """The predeclared prefixes whose ``name:`` occurs anywhere in the text (a superset of those
    the query uses: a prefixed name always spells its prefix out). pyoxigraph takes ~1 µs per
    prefix passed, so a lookup that names none is parsed several times faster."""
    return {name: iri for needle, name, iri in _PREFIX_NEEDLES if needle in query}


def _answer(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, job: Job) -> Reply:
    graph = isinstance(result, ox.QueryTriples)
    offered = conneg.GRAPH_FORMATS if graph else conneg.RESULT_FORMATS
    fmt = conneg.by_short_name(job.format, graph=graph) if job.format else None
    if job.format and fmt is None:
        names = ", ".join(f.name for f in offered)
        return fail(400, "unknown_format", f"format {job.format!r} is not available here; try {names}")
    fmt = fmt or conneg.choose(job.accept, offered)
    if fmt is None:
        types = ", ".join(f.media_type for f in offered)
        return fail(406, "not_acceptable", f"this result can be given as {types}")
    if isinstance(result, ox.QueryBoolean):
        return Reply(200, fmt.media_type, ask_body(fmt, bool(result)), rows=1)
    cap = job.max_rows
    if graph:
        triples = []
        for triple in result:
            if len(triples) >= cap:
                return _too_many(cap)
            triples.append(triple)
        return Reply(200, fmt.media_type, graph_body(fmt, triples), rows=len(triples))
    variables = [v.value for v in result.variables]
    rows = []
    for solution in result:
        if len(rows) >= cap:
            return _too_many(cap)
        rows.append(tuple(solution))  # the values in the order of ``variables``, None if unbound
    return Reply(200, fmt.media_type, select_body(fmt, variables, rows), rows=len(rows))


def _too_many(cap: int) -> Reply:
    return fail(400, "too_many_results",
                f"the answer has more than {cap:,} rows; add LIMIT (and OFFSET to page through it)")


def _leave_network() -> bool:
    """Move this process into a new, empty network namespace; True if that worked."""
    import ctypes

    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return False
    if unshare(clone_newnet) == 0:
        return True
    return unshare(clone_newuser | clone_newnet) == 0


def worker_main(conn: Connection, data: str, isolate: bool) -> None:
    """A worker's loop: leave the network, open the store, say ready, then answer jobs."""
    isolated = _leave_network() if isolate else False
    try:
        store = open_data(Path(data))
        graphs = dataset_graphs(store)
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", isolated))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = run_job(store, graphs, job)
        except Exception as exc:
            reply = fail(400, "query_failed", f"the query could not be evaluated: {exc}")
        conn.send_bytes(encode_reply(reply))


# --- in the server process ---------------------------------------------------


class WorkerError(RuntimeError):
    """A worker could not start."""


class _Channel(asyncio.Protocol):
    """The server's end of a worker's pipe on the event loop: writes jobs, reassembles replies.

    Messages use :mod:`multiprocessing.connection`'s framing (a 4-byte big-endian length, or -1
    and an 8-byte length), so the worker keeps using its plain ``Connection``.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[bytes | None] | None = None
        self.lost = False
        self._buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is not a subclass

    def send(self, payload: bytes) -> None:
        """Write one message."""
        if self.lost or self.transport is None or self.transport.is_closing():
            raise EOFError("the worker's pipe is closed")
        size = len(payload)
        header = struct.pack("!i", size) if size <= 0x7FFFFFFF else struct.pack("!iQ", -1, size)
        self.transport.write(header + payload if size < 65536 else header)
        if size >= 65536:
            self.transport.write(payload)

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        while len(buffer) >= 4:
            (size,) = struct.unpack_from("!i", buffer)
            start = 4
            if size == -1:
                if len(buffer) < 12:
                    return
                (size,) = struct.unpack_from("!Q", buffer, 4)
                start = 12
            if len(buffer) < start + size:
                return
            message = bytes(buffer[start:start + size])
            del buffer[:start + size]
            waiter = self.waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(EOFError("the worker's pipe closed"))


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx, data: Path, isolate: bool) -> None:
        self.conn, child = ctx.Pipe()
        self.channel: _Channel | None = None
        self.process = ctx.Process(target=worker_main, args=(child, str(data), isolate),
                                   daemon=True, name="stpgraph-query-worker")
        self.process.start()
        child.close()
        if not self.conn.poll(120):
            self.kill()
            raise WorkerError("a query worker did not start within 120 s")
        try:
            status, detail = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise WorkerError(f"a query worker died while starting (exit code "
                              f"{self.process.exitcode})") from exc
        if status != "ready":
            self.kill()
            raise WorkerError(f"a query worker could not open {data}: {detail}")
        self.isolated = bool(detail)

    async def attach(self) -> None:
        """Hand the pipe to the running event loop (once, after the worker said it is ready)."""
        loop = asyncio.get_running_loop()
        sock = socket.socket(fileno=os.dup(self.conn.fileno()))
        self.conn.close()
        _, self.channel = await loop.create_unix_connection(_Channel, sock=sock)

    async def ask(self, job: Job, timeout: float) -> Reply | None:
        """Send a job and await the reply; None when ``timeout`` passes first."""
        channel = self.channel
        assert channel is not None, "attach() first"
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[bytes | None] = loop.create_future()
        channel.waiter = waiter
        channel.send(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        timer = loop.call_later(max(timeout, 0.0), lambda: waiter.done() or waiter.set_result(None))
        try:
            message = await waiter
        finally:
            timer.cancel()
            channel.waiter = None
        return None if message is None else decode_reply(message)

    def detach(self) -> None:
        """Close the server's end of the pipe; call on the event loop's thread (transports are not
        thread-safe), which then closes the socket on its next turn."""
        if self.channel is not None and self.channel.transport is not None:
            with contextlib.suppress(Exception):
                self.channel.transport.abort()

    def kill(self) -> None:
        """Stop the process at once and release its pipe (any thread; :meth:`detach` first)."""
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class QueryPool:
    """A fixed number of query workers, each answering one query at a time, with a time limit."""

    def __init__(self, data: Path, *, workers: int = 2, timeout: float = 5.0,
                 isolate: bool = True) -> None:
        self.data = data
        self.size = max(1, workers)
        self.timeout = timeout
        self.isolate = isolate
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["stpgraph.server.worker", "rdflib.plugins.sparql.parser"])
        self._idle: asyncio.Queue[_Worker] | None = None
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="stpgraph-pool")
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._tasks: set[asyncio.Task] = set()  # keeps the tasks that enlist fresh workers alive
        self.killed = 0

    @property
    def isolated(self) -> bool:
        """True when every live worker runs without network access."""
        with self._lock:
            return bool(self._all) and all(w.isolated for w in self._all)

    async def start(self) -> None:
        """Start the workers (in parallel) and wait until all are ready."""
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn)
                                         for _ in range(self.size)))
        for worker in workers:
            await worker.attach()
            self._idle.put_nowait(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.data, self.isolate)
        with self._lock:
            self._all.add(worker)
        return worker

    async def run(self, job: Job) -> Reply:
        """Evaluate ``job`` in a free worker within the time limit (queueing included)."""
        if self._idle is None:
            await self.start()
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        try:
            # no task for wait_for when a worker is free (the usual case)
            worker = self._idle.get_nowait() if not self._idle.empty() else \
                await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            return fail(503, "busy", f"all {self.size} query workers stayed busy for {self.timeout:g} s; "
                                     "try again shortly")
        try:
            reply = await worker.ask(job, deadline - loop.time())
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return fail(503, "worker_failed", "the query stopped its worker (out of memory?); "
                                              "simplify it or add LIMIT")
        except BaseException:
            self._replace(worker)
            raise
        if reply is None:
            self._replace(worker)
            return fail(503, "timeout", f"the query ran longer than the {self.timeout:g} s limit and was "
                                        "stopped; narrow it or add LIMIT")
        self._idle.put_nowait(worker)
        return reply

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        self.killed += 1
        with self._lock:
            self._all.discard(worker)
        loop = asyncio.get_running_loop()
        idle = self._idle

        async def enlist(fresh: _Worker) -> None:
            try:
                await fresh.attach()
            except OSError:
                fresh.kill()
                return
            if self._closed:
                fresh.detach()
                fresh.kill()
                return
            idle.put_nowait(fresh)

        worker.detach()

        def respawn() -> None:
            worker.kill()
            if self._closed:
                return
            fresh = self._spawn()
            if self._closed:
                fresh.kill()
                return
            loop.call_soon_threadsafe(self._track, loop.create_task, enlist(fresh))

        self._threads.submit(respawn)

    def _track(self, create_task, coro) -> None:
        task = create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.detach()
            worker.kill()
        for task in list(self._tasks):
            task.cancel()
        self._threads.shutdown(wait=False, cancel_futures=True)
        await asyncio.sleep(0)  # one turn of the loop, in which the aborted pipes' sockets close


def default_workers() -> int:
    """Two workers, or one per CPU up to four."""
    return max(2, min(4, os.cpu_count() or 2))
