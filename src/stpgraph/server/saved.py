"""Saved queries as an API: ``/queries`` (the catalogue) and ``/queries/{name}`` with format twins."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from ..catalogue import SavedQuery, load_catalogue
from ..errors import UsageError
from . import conneg
from .errors import HTTPProblem, error_response
from .sparql import reply_response
from .worker import Job

#: URL extensions of a saved query's twins (``.rq`` is the query text itself).
EXTENSIONS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "ttl": "turtle",
              "nt": "ntriples", "jsonld": "jsonld", "rdf": "rdfxml"}
RESERVED = {"format", "_"}


def catalogue(request: Request) -> dict[str, SavedQuery]:
    """The saved queries, read afresh (the folder is small and may change while serving)."""
    try:
        return load_catalogue(request.app.state.settings.queries)
    except UsageError as exc:
        raise HTTPProblem(500, "internal_error", f"a saved query is malformed: {exc}") from None


def describe(q: SavedQuery) -> dict:
    """A saved query as JSON, with the URLs of its answers."""
    return {
        "name": q.name, "title": q.title, "description": q.description,
        "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                    "help": p.help} for p in q.params],
        "url": f"/queries/{q.name}", "json": f"/queries/{q.name}.json", "csv": f"/queries/{q.name}.csv",
        "sparql": f"/queries/{q.name}.rq",
    }


async def index(request: Request) -> Response:
    """``/queries``: the catalogue as HTML for browsers, JSON otherwise (``/queries.json`` too)."""
    items = list(catalogue(request).values())
    wants_json = request.url.path.endswith(".json") or not conneg.prefers_html(request.headers.get("accept"))
    if wants_json:
        body = json.dumps({"queries": [describe(q) for q in items]}, ensure_ascii=False, indent=1)
        return Response(body + "\n", media_type="application/json", headers={"Vary": "Accept"})
    return request.app.state.templates.TemplateResponse(
        request, "queries.html", {"queries": items}, headers={"Vary": "Accept"})


async def one(request: Request) -> Response:
    """``/queries/{name}[.ext]``: the query's page, its answer in a format, or its text (``.rq``)."""
    raw = request.path_params["name"]
    name, dot, ext = raw.rpartition(".")
    if not dot or (ext not in EXTENSIONS and ext != "rq"):
        name, ext = raw, ""
    saved = catalogue(request).get(name)
    if saved is None:
        raise HTTPProblem(404, "not_found", f"no saved query {name!r}; GET /queries lists them")
    if ext == "rq":
        return Response(saved.text, media_type="application/sparql-query; charset=utf-8")
    values = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    accept = request.headers.get("accept", "")
    html = not ext and conneg.prefers_html(accept) and "format" not in request.query_params
    try:
        text = saved.bind(values)
    except UsageError as exc:
        if html:
            return _page(request, saved, values, error=str(exc), status=400)
        raise HTTPProblem(400, "bad_parameter", str(exc)) from None
    settings = request.app.state.settings
    if html:
        reply = await request.app.state.pool.run(
            Job(text, format="json", trusted=True, max_rows=settings.max_rows))
        if reply.error is None and reply.media_type != conneg.JSON.media_type:
            reply = await request.app.state.pool.run(
                Job(text, format="turtle", trusted=True, max_rows=settings.max_rows))
        return _page(request, saved, values, reply=reply)
    fmt = EXTENSIONS.get(ext) or request.query_params.get("format")
    reply = await request.app.state.pool.run(
        Job(text, accept=accept, format=fmt, trusted=True, max_rows=settings.max_rows))
    return reply_response(request, reply)


def _page(request: Request, saved: SavedQuery, values: dict[str, str], *, reply=None,
          error: str | None = None, status: int = 200) -> Response:
    table = turtle = None
    if reply is not None and reply.error is not None:
        if reply.status >= 500:
            return error_response(request, reply.status, *reply.error)
        error, status = reply.error[1], reply.status
    elif reply is not None and reply.media_type == conneg.JSON.media_type:
        table = json.loads(reply.body)
    elif reply is not None:
        turtle = reply.body.decode()
    query_string = request.url.query
    return request.app.state.templates.TemplateResponse(
        request, "saved_query.html",
        {"q": saved, "values": values, "table": table, "turtle": turtle, "error": error,
         "query_string": ("?" + query_string) if query_string else "", "extensions": EXTENSIONS},
        status_code=status)
