"""``stpgraph publish``: push every named graph to a SPARQL 1.1 Graph Store Protocol endpoint.

Each graph is sent with one HTTP ``PUT {store}?graph={graph IRI}``, which replaces that graph, so
publishing twice leaves the store as publishing once did. Stores apply one PUT atomically, so a
failure never leaves a half-written graph; publishing stops at the first failure and says exactly
which graphs were already replaced.

With ``--update URL`` (the store's SPARQL 1.1 Update endpoint) the switch is all-or-nothing: every
graph is first uploaded under a temporary name, then one Update request ``MOVE``s them all into
place in a single transaction; if any upload fails the temporary graphs are dropped and the
published graphs are untouched.

Graph Store endpoints (``--store``) and Update endpoints (``--update``):

=========  =================================================  =============================================
store      --store                                            --update
=========  =================================================  =============================================
Oxigraph   http://HOST:7878/store                             http://HOST:7878/update
Fuseki     http://HOST:3030/DATASET/data                      http://HOST:3030/DATASET/update
GraphDB    http://HOST:7200/repositories/REPO/rdf-graphs/service  http://HOST:7200/repositories/REPO/statements
Virtuoso   http://HOST:8890/sparql-graph-crud-auth            http://HOST:8890/sparql-auth
=========  =================================================  =============================================

Virtuoso names the graph with ``graph-uri`` and authenticates with Digest: add
``--graph-param graph-uri --digest``. The query side must see the union of the named graphs as its
default graph: ``oxigraph serve --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``;
GraphDB and Virtuoso do so already.
"""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import click
import pyoxigraph as ox

from .errors import RemoteError, UsageError

TURTLE = "text/turtle; charset=utf-8"


@dataclass
class Auth:
    """Credentials for the store: HTTP Basic or Digest (user and password), or a bearer token."""

    user: str | None = None
    password: str | None = None
    token: str | None = None
    digest: bool = False

    def header(self) -> str | None:
        """The ``Authorization`` header value sent up front (none for Digest, which answers a challenge)."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user is not None and not self.digest:
            pair = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None


@dataclass
class PublishReport:
    """What a publish did: graphs replaced (with triple counts) and seconds taken."""

    replaced: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    atomic: bool = False


def graph_url(store: str, graph: str, param: str = "graph") -> str:
    """The Graph Store Protocol URL of ``graph`` (indirect identification: ``?graph=IRI``)."""
    sep = "&" if urllib.parse.urlsplit(store).query else "?"
    return f"{store}{sep}{param}={urllib.parse.quote(graph, safe='')}"


def _request(method: str, url: str, *, body: bytes | None = None, content_type: str | None = None,
             auth: Auth, timeout: float) -> int:
    headers = {"User-Agent": "stpgraph-publish"}
    if content_type:
        headers["Content-Type"] = content_type
    if (value := auth.header()) is not None:
        headers["Authorization"] = value
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    handlers = []
    if auth.digest and auth.user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, auth.user, auth.password or "")
        handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
    try:
        with urllib.request.build_opener(*handlers).open(req, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read(600).decode("utf-8", "replace").strip().splitlines()
        reason = f"HTTP {exc.code} {exc.reason}" + (f": {detail[0]}" if detail else "")
        raise RemoteError(f"{method} {url}: {reason}") from None
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RemoteError(f"{method} {url}: cannot reach the store ({reason})") from None


def graph_body(quads: Sequence[ox.Quad]) -> bytes:
    """One graph's statements as Turtle (what every Graph Store accepts)."""
    from .export import _used_prefixes

    triples = [q.triple for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_used_prefixes(triples))


def publish(store: ox.Store, url: str, *, graphs: Sequence[str] = ("all",), auth: Auth | None = None,
            update: str | None = None, graph_param: str = "graph", timeout: float = 120.0,
            echo: Callable[[str], None] = lambda _m: None) -> PublishReport:
    """Replace each chosen named graph of the remote store with the local one.

    Raises RemoteError on the first failure, saying which graphs were already replaced (none, with
    ``update``: then the temporary graphs are dropped and the store is as it was).
    """
    from .export import canonical_quads, collect_quads, select_graphs

    auth = auth or Auth()
    names = select_graphs(store, graphs)
    report = PublishReport(atomic=bool(update))
    started = time.perf_counter()
    staging = f"urn:stpgraph:staging:{uuid.uuid4().hex}:" if update else ""
    staged: list[str] = []
    for i, name in enumerate(names, 1):
        quads = canonical_quads(collect_quads(store, [name]))
        body = graph_body(quads)
        target = staging + name if update else name
        t0 = time.perf_counter()
        try:
            status = _request("PUT", graph_url(url, target, graph_param), body=body, content_type=TURTLE,
                              auth=auth, timeout=timeout)
        except RemoteError as exc:
            raise RemoteError(_failure(exc, name, report, [staging + n for n in staged], update, auth,
                                       timeout)) from None
        if update:
            staged.append(name)
        else:
            report.replaced[name] = len(quads)
        echo(f"[{i}/{len(names)}] {'staged' if update else 'replaced'} {_short(name)}: "
             f"{len(quads):,} triples, {len(body) / 1024:,.0f} KiB, HTTP {status}, "
             f"{time.perf_counter() - t0:.2f}s")
    if update:
        moves = " ;\n".join(f"MOVE SILENT <{staging + n}> TO <{n}>" for n in staged)
        try:
            _request("POST", update, body=moves.encode(), content_type="application/sparql-update",
                     auth=auth, timeout=timeout)
        except RemoteError as exc:
            raise RemoteError(_failure(exc, "(the final MOVE)", report, [staging + n for n in staged],
                                       update, auth, timeout)) from None
        for name in staged:
            report.replaced[name] = len(collect_quads(store, [name]))
        echo(f"moved {len(staged)} graphs into place in one update")
    report.seconds = time.perf_counter() - started
    return report


def _short(graph: str) -> str:
    from .paths import GRAPH

    return graph.removeprefix(GRAPH)


def _failure(exc: RemoteError, name: str, report: PublishReport, staged: list[str], update: str | None,
             auth: Auth, timeout: float) -> str:
    if update:
        cleanup = ""
        if staged:
            drops = " ;\n".join(f"DROP SILENT GRAPH <{n}>" for n in staged)
            try:
                _request("POST", update, body=drops.encode(), content_type="application/sparql-update",
                         auth=auth, timeout=timeout)
            except RemoteError:
                cleanup = " (and the temporary graphs could not be dropped)"
        return (f"publishing {_short(name)} failed: {exc}; nothing was replaced, the store's "
                f"graphs are as they were{cleanup}")
    done = ", ".join(_short(n) for n in report.replaced) or "none"
    return f"publishing {_short(name)} failed: {exc}; graphs already replaced: {done}"


@click.command("publish")
@click.option("--store", "store_url", required=True, metavar="URL",
              help="Graph Store Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph) or "
                   "http://localhost:3030/ds/data (Fuseki).")
@click.option("--graphs", "-g", multiple=True, metavar="WHICH",
              help="all (default), asserted, inferred, or a graph's short name; repeatable.")
@click.option("--update", metavar="URL",
              help="The store's SPARQL Update endpoint: stage every graph, then switch all at once.")
@click.option("--user", help="User name for HTTP Basic authentication.")
@click.option("--password", envvar="STPGRAPH_STORE_PASSWORD",
              help="Password for HTTP Basic authentication [env: STPGRAPH_STORE_PASSWORD].")
@click.option("--digest", is_flag=True, help="Use HTTP Digest rather than Basic authentication (Virtuoso).")
@click.option("--token", envvar="STPGRAPH_STORE_TOKEN",
              help="Bearer token [env: STPGRAPH_STORE_TOKEN].")
@click.option("--graph-param", default="graph", show_default=True,
              help="Query parameter naming the graph (some Virtuoso set-ups want graph-uri).")
@click.option("--timeout", type=float, default=120.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
def cli(store_url: str, graphs: tuple[str, ...], update: str | None, user: str | None,
        password: str | None, digest: bool, token: str | None, graph_param: str, timeout: float,
        quiet: bool) -> None:
    """Replace every named graph in a SPARQL 1.1 store with the built graph (idempotent)."""
    from .paths import project_root
    from .store import open_store

    if token and user:
        raise UsageError("give either --user/--password or --token, not both")
    if password and not user:
        raise UsageError("--password needs --user")
    for url in filter(None, (store_url, update)):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise UsageError(f"not an http(s) URL: {url}")
    try:
        root = project_root()
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    echo = (lambda _m: None) if quiet else (lambda m: click.echo(m, err=True))
    report = publish(open_store(root), store_url, graphs=graphs, update=update, graph_param=graph_param,
                     auth=Auth(user, password, token, digest), timeout=timeout, echo=echo)
    if not quiet:
        total = sum(report.replaced.values())
        click.echo(f"published {len(report.replaced)} graphs ({total:,} triples) to {store_url} "
                   f"in {report.seconds:.1f}s{' atomically' if report.atomic else ''}")
