"""Helpers for the server tests: a real uvicorn server on 127.0.0.1, and an in-process app.

Imported by tests/test_server_*.py (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ERROR_KEYS = {"ok", "status", "error", "message"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A running ``stpgraph serve`` process."""

    def __init__(self, url: str, process: subprocess.Popen, log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log

    @property
    def sparql(self) -> str:
        """The SPARQL endpoint URL."""
        return self.url + "/sparql"

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(errors="replace")


@contextmanager
def live_server(data: Path, *, timeout: float = 2.0, workers: int = 2, extra: tuple[str, ...] = ()
                ) -> Iterator[LiveServer]:
    """Start ``stpgraph serve`` on a free port, wait until it answers, stop it afterwards.

    Fails with the server's output if it dies or does not answer within 90 s.
    """
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="stpgraph-serve-", suffix=".log")[1])
    cmd = [sys.executable, "-m", "stpgraph.cli", "serve", "--port", str(port), "--data", str(data),
           "--timeout", str(timeout), "--workers", str(workers), *extra]
    env = {**os.environ, "STPGRAPH_HOME": str(ROOT)}
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server exited with {process.returncode}:\n{server.output()}")
            try:
                with urllib.request.urlopen(server.url + "/status", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the server did not answer within 90 s:\n{server.output()}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.unlink(missing_ok=True)


class InProcessApp:
    """The ASGI app with its lifespan running on a background event loop; call it synchronously."""

    def __init__(self, settings) -> None:
        from stpgraph.server import create_app

        self.app = create_app(settings)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self._stop: asyncio.Event | None = None
        self.client = None
        self.run(self._enter())

    async def _enter(self):
        import httpx

        started = asyncio.Event()
        self._stop = asyncio.Event()

        async def hold() -> None:
            async with self.app.router.lifespan_context(self.app):
                started.set()
                await self._stop.wait()

        self._task = asyncio.ensure_future(hold())
        await asyncio.wait_for(started.wait(), 120)
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                        base_url="http://testserver")

    def run(self, coro):
        """Run a coroutine on the app's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(120)

    def request(self, method: str, url: str, **kwargs):
        """One request through the ASGI transport (no network)."""
        return self.run(self.client.request(method, url, **kwargs))

    def close(self) -> None:
        """Stop the app (and its query workers) and the loop."""
        async def leave() -> None:
            await self.client.aclose()
            self._stop.set()
            await self._task

        try:
            self.run(leave())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
            self.loop.close()


def assert_error_shape(response, status: int | None = None, code: str | None = None) -> dict:
    """Check a response carries the one JSON error shape (and the status/code if given)."""
    from stpgraph.server.errors import CODES

    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["ok"] is False
    assert body["status"] == response.status_code
    assert body["error"] in CODES, body
    assert isinstance(body["message"], str) and body["message"]
    if status is not None:
        assert response.status_code == status, body
    if code is not None:
        assert body["error"] == code, body
    assert response.status_code != 500, body
    return body
