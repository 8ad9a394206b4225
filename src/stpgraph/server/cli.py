"""``stpgraph serve``: run the SPARQL endpoint, linked-data site and web UI with uvicorn."""

from __future__ import annotations

from pathlib import Path

import click

from ..paths import BASE


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 to expose it; put a proxy with TLS in front).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--base", default=BASE, show_default=True, metavar="IRI",
              help="IRI prefix served at the site root: {base}id/x is served at /id/x.")
@click.option("--timeout", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (503).")
@click.option("--workers", default=None, type=click.IntRange(min=1),
              help="Query worker processes [default: CPUs, 2 to 4].")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Most rows (or triples) one query may return.")
@click.option("--max-request-bytes", default=256 * 1024, show_default=True, type=click.IntRange(min=1024),
              help="Largest request body or query string.")
@click.option("--data", type=click.Path(exists=True, path_type=Path), default=None,
              help="Serve this N-Quads file or Oxigraph folder instead of the project's build.")
@click.option("--disk", is_flag=True,
              help="Query the on-disk Oxigraph store (less memory) instead of loading into memory.")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]), help="uvicorn log level.")
def serve(host: str, port: int, base: str, timeout: float, workers: int | None, max_rows: int,
          max_request_bytes: int, data: Path | None, disk: bool, log_level: str) -> None:
    """Serve the graph: SPARQL 1.1 endpoint (/sparql), saved queries (/queries), linked data
    (/id/…, /def/…) with content negotiation, VoID (/.well-known/void) and a web UI (/).

    Read-only and safe to expose: updates, SERVICE, LOAD and unknown graphs are refused, every
    query has a time limit and a row cap, and queries run in worker processes without network.
    """
    import uvicorn

    from ..errors import UsageError
    from ..paths import project_root
    from ..store import open_store
    from . import Settings, create_app
    from .worker import default_workers

    try:
        root = project_root()
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    if data is None:
        out = open_store(root, echo=lambda m: click.echo(m, err=True))  # builds and caches if stale
        del out
        from ..paths import build_dir

        data = build_dir(root) / ("store" if disk else "graph.nq")
    try:
        settings = Settings(data=data.resolve(), root=root, base=base, timeout=timeout,
                            workers=workers or default_workers(), max_rows=max_rows,
                            max_request_bytes=max_request_bytes)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    app = create_app(settings)
    click.echo(f"stpgraph serving {data} at http://{host}:{port}/  (SPARQL: /sparql; "
               f"{settings.workers} query workers, {timeout:g} s limit)", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=log_level in ("info", "debug"),
                h11_max_incomplete_event_size=max_request_bytes + 16 * 1024, timeout_graceful_shutdown=3)
