"""The web pages: home with search, search results, the query editor, and a status document."""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..namespace import sparql_prologue
from . import conneg
from .errors import HTTPProblem
from .saved import catalogue

MAX_SEARCH = 200
EXAMPLES = (
    ("form/stp", "Sustainability and transformation partnership (a form of body)"),
    ("document/five-year-forward-view", "The Five Year Forward View (2014)"),
    ("org/nhs-england", "NHS England"),
)
DEFAULT_QUERY = """SELECT ?form ?formLabel ?next ?nextLabel WHERE {
  ?form stp:replacedBy ?next .
  OPTIONAL { ?form rdfs:label ?formLabel }
  OPTIONAL { ?next rdfs:label ?nextLabel }
} ORDER BY ?formLabel LIMIT 100
"""


def _text(request: Request) -> str:
    text = request.query_params.get("q", "")
    if len(text) > MAX_SEARCH:
        raise HTTPProblem(400, "bad_parameter", f"search text is longer than {MAX_SEARCH} characters")
    return text


async def home(request: Request) -> Response:
    """``/``: search box, examples and what is here."""
    return request.app.state.templates.TemplateResponse(
        request, "home.html", {"examples": EXAMPLES, "graphs": request.app.state.graphs,
                               "queries": list(catalogue(request).values())[:12]})


async def search(request: Request) -> Response:
    """``/search?q=``: things whose label or code contains the text (HTML, or JSON by Accept)."""
    text = _text(request)
    hits = await run_in_threadpool(request.app.state.site.search, text) if text.strip() else []
    if request.url.path.endswith(".json") or not conneg.prefers_html(request.headers.get("accept")):
        base = request.app.state.settings.base
        from .views import local_path

        body = {"q": text, "results": [{**h, "url": local_path(h["iri"], base) or h["iri"]} for h in hits]}
        return Response(json.dumps(body, ensure_ascii=False) + "\n", media_type="application/json",
                        headers={"Vary": "Accept"})
    return request.app.state.templates.TemplateResponse(request, "search.html", {"q": text, "hits": hits},
                                                        headers={"Vary": "Accept"})


async def query_page(request: Request) -> Response:
    """``/query``: an editor, the saved queries to start from, and a results table."""
    text = request.query_params.get("query") or DEFAULT_QUERY
    return request.app.state.templates.TemplateResponse(
        request, "query.html", {"text": text, "queries": list(catalogue(request).values()),
                                "prologue": sparql_prologue()})


async def status(request: Request) -> Response:
    """``/status``: liveness, limits and the state of the query workers, as JSON."""
    settings = request.app.state.settings
    pool = request.app.state.pool
    body = {"ok": True, "graphs": len(request.app.state.graphs), "workers": pool.size,
            "workers_isolated_from_network": pool.isolated, "workers_replaced": pool.killed,
            "timeout_seconds": settings.timeout, "max_rows": settings.max_rows,
            "max_request_bytes": settings.max_request_bytes, "base": settings.base}
    return Response(json.dumps(body) + "\n", media_type="application/json")
