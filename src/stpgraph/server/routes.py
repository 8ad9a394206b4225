"""Every route of the server, in one table (tested path by path in tests/test_server_routes.py)."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import linked, saved, sparql, ui

STATIC = Path(__file__).parent / "static"

ROUTES = [
    Route("/sparql", sparql.endpoint, methods=["GET", "POST"], name="sparql"),  # first: the busiest
    Route("/", ui.home, name="home"),
    Route("/search", ui.search, name="search"),
    Route("/search.json", ui.search, name="search_json"),
    Route("/query", ui.query_page, name="query_page"),
    Route("/queries", saved.index, name="queries"),
    Route("/queries.json", saved.index, name="queries_json"),
    Route("/queries/{name}", saved.one, name="saved_query"),
    Route("/.well-known/void", linked.void, name="void"),
    Route("/download/stpgraph.{ext}", linked.download, name="download"),
    Route("/def/", linked.ontology, name="ontology"),
    Route("/def/{rest:path}", linked.resource, name="term"),
    Route("/id/{rest:path}", linked.resource, name="thing"),
    Route("/graph/{rest:path}", linked.resource, name="graph"),
    Route("/status", ui.status, name="status"),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]
