"""The app factory: ``create_app(settings)`` builds the Starlette app; nothing happens at import."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import HTTPProblem, error_body, error_response
from .settings import Settings

HERE = Path(__file__).parent
#: Static assets carry their version in the file name; templates use these names via ``asset()``.
ASSETS = {"css": "stpgraph-ui-1.0.css", "js": "stpgraph-ui-1.0.js"}
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 414: "uri_too_long",
               406: "not_acceptable", 415: "unsupported_media_type", 400: "bad_request",
               403: "read_only"}


def create_app(settings: Settings) -> Starlette:
    """Build the server: routes, templates, the query worker pool and the trusted page store."""
    from . import routes
    from .entity import Site
    from .worker import QueryPool, dataset_graphs, open_data

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = open_data(settings.data)
        app.state.site = Site(store)
        app.state.graphs = sorted(dataset_graphs(store))
        app.state.downloads = {}
        pool = QueryPool(settings.data, workers=settings.workers, timeout=settings.timeout,
                         isolate=settings.isolate_workers)
        await pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    app = Starlette(routes=routes.ROUTES, lifespan=lifespan, exception_handlers={
        HTTPProblem: _problem, HTTPException: _http_exception, Exception: _internal})
    app.state.settings = settings
    app.state.templates = _templates(settings)
    app.add_middleware(SizeLimit, max_bytes=settings.max_request_bytes)
    return app


def _templates(settings: Settings) -> Jinja2Templates:
    from .views import install_filters

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    install_filters(templates.env, settings)
    templates.env.globals["asset"] = lambda kind: "/static/" + ASSETS[kind]
    templates.env.globals["settings"] = settings
    return templates


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPProblem)
    return error_response(request, exc.status, exc.code, exc.message, exc.headers)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "bad_request")
    message = exc.detail if exc.status_code != 404 else f"nothing is served at {request.url.path}"
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    return error_response(request, exc.status_code, code, str(message), dict(exc.headers or {}))


async def _internal(request: Request, exc: Exception) -> Response:
    body = error_body(500, "internal_error", "an internal error occurred (a bug: please report it)")
    return Response(json.dumps(body) + "\n", status_code=500, media_type="application/json")


class SizeLimit:
    """Refuse requests whose declared body or query string exceeds the cap, before reading them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the sizes, then pass the request on."""
        if scope["type"] == "http":
            problem = None
            if len(scope.get("query_string", b"")) > self.max_bytes:
                problem = (414, f"the URL's query string is longer than {self.max_bytes:,} bytes; "
                                "send the query with POST")
            for name, value in scope.get("headers", []):
                if name == b"content-length":
                    try:
                        size = int(value)
                    except ValueError:
                        problem = (400, "the Content-Length header is not a number")
                        break
                    if size > self.max_bytes:
                        problem = (413, f"the request body is larger than {self.max_bytes:,} bytes")
            if problem:
                status, message = problem
                code = {400: "bad_request", 413: "too_large", 414: "uri_too_long"}[status]
                body = (json.dumps(error_body(status, code, message)) + "\n").encode()
                await send({"type": "http.response.start", "status": status,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode()),
                                        (b"connection", b"close")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
