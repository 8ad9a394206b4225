"""One seam for querying: the local pyoxigraph store, rdflib, or a remote SPARQL endpoint.

Each engine takes SPARQL text and returns :class:`~stpgraph.results.Results`, so callers never care
where the graph lives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .errors import InputError, RemoteError
from .results import Results, from_solutions


class Engine(Protocol):
    """Anything that can answer a SPARQL query over the stpgraph dataset."""

    name: str

    def query(self, sparql: str, *, label: str = "query",
              prefixes: dict[str, str] | None = None) -> Results:
        """Run ``sparql``; ``label`` names it in errors; ``prefixes`` are predeclared."""
        ...


def syntax_error(label: str, exc: Exception) -> InputError:
    """An InputError naming the query and the parser's position and message."""
    return InputError(f"{label}: SPARQL syntax error: {exc}")


class LocalEngine:
    """The built graph in pyoxigraph; the default graph is the union of all named graphs."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(self, sparql: str, *, label: str = "query",
              prefixes: dict[str, str] | None = None) -> Results:
        """Run a query on the local store."""
        try:
            return from_solutions(self.store.query(sparql, use_default_graph_as_union=True,
                                                   prefixes=prefixes))
        except SyntaxError as exc:
            raise syntax_error(label, exc) from None


class RdflibEngine:
    """The same N-Quads artefact evaluated by rdflib's SPARQL engine (slow; for cross-checks)."""

    name = "rdflib"

    def __init__(self, nquads: Path) -> None:
        from rdflib import Dataset

        self.dataset = Dataset(default_union=True)
        self.dataset.parse(nquads, format="nquads")

    def query(self, sparql: str, *, label: str = "query",
              prefixes: dict[str, str] | None = None) -> Results:
        """Run a query with rdflib and convert its result terms to pyoxigraph terms."""
        from pyparsing import ParseException

        try:
            result = self.dataset.query(sparql, initNs=prefixes or {})
        except ParseException as exc:
            raise syntax_error(label, exc) from None
        if result.type == "ASK":
            return Results("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return Results("graph", triples=[ox.Triple(*(_from_rdflib(x) for x in t))
                                             for t in result.graph])
        variables = [str(v) for v in result.vars]
        rows = [tuple(_from_rdflib(row[v]) if row[v] is not None else None for v in result.vars)
                for row in result]
        return Results("select", variables, rows)


def _from_rdflib(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


class RemoteEngine:
    """A SPARQL 1.1 endpoint reached with SPARQLWrapper (HTTP POST, so long queries work)."""

    name = "remote"

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout

    def query(self, sparql: str, *, label: str = "query",
              prefixes: dict[str, str] | None = None) -> Results:
        """Send a query to the endpoint and parse the reply with pyoxigraph."""
        import urllib.error

        from SPARQLWrapper import ASK, CONSTRUCT, JSON, POST, SELECT, TURTLE, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        # Parse locally first (against an empty store, results never read), so a typo gets the
        # same message as locally and the query form is known for certain.
        try:
            probe = ox.Store().query(sparql, prefixes=prefixes)
        except SyntaxError as exc:
            raise syntax_error(label, exc) from None
        graph_query = isinstance(probe, ox.QueryTriples)
        if prefixes:
            sparql = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + sparql
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setTimeout(max(1, round(self.timeout)))
        client.setReturnFormat(TURTLE if graph_query else JSON)
        client.setQuery(sparql)
        # SPARQLWrapper guesses the form from keywords anywhere in the text, comments included
        # ("created" in a comment made it send the query as an update): set the parsed form.
        client.queryType = (CONSTRUCT if graph_query
                            else ASK if isinstance(probe, ox.QueryBoolean) else SELECT)
        try:
            response = client.query().response
            body = response.read()
            ctype = response.headers.get("Content-Type", "")
        except QueryBadFormed as exc:
            _close_http_errors(exc)
            raise InputError(f"{label}: the endpoint rejected the query: {_first_line(exc)}") from None
        except SPARQLWrapperException as exc:
            _close_http_errors(exc)
            raise RemoteError(f"{self.url}: {_first_line(exc)}") from None
        except urllib.error.HTTPError as exc:
            exc.close()
            raise RemoteError(f"{self.url}: HTTP {exc.code} {exc.reason}") from None
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteError(f"{self.url}: cannot reach the endpoint ({reason})") from None
        try:
            if graph_query:
                fmt = ox.RdfFormat.N_TRIPLES if "n-triples" in ctype else ox.RdfFormat.TURTLE
                return Results("graph", triples=[q.triple for q in ox.parse(body, format=fmt)])
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            return from_solutions(parsed)
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{self.url}: unreadable reply ({ctype}): {exc}") from None


def _close_http_errors(exc: BaseException) -> None:
    """Close the HTTP responses that SPARQLWrapper wraps in its own exceptions (else they leak)."""
    import urllib.error

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, urllib.error.HTTPError):
            seen.close()
        seen = seen.__context__


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def open_engine(*, endpoint: str | None = None, engine: str = "oxigraph",
                timeout: float = 30.0, root: Path | None = None) -> Engine:
    """Return the engine a command asked for: remote if ``endpoint`` is set, else local."""
    if endpoint:
        return RemoteEngine(endpoint, timeout=timeout)
    from .store import ensure_built, open_store

    if engine == "rdflib":
        return RdflibEngine(ensure_built(root) / "graph.nq")
    if _untouched_since_check(root):
        return LocalEngine(open_store(root, check=False))
    store = open_store(root)
    _stamp_checked(root)
    return LocalEngine(store)


_CHECKED = ".checked"


def _untouched_since_check(root: Path | None) -> bool:
    """True when, by file times, nothing the build reads changed since the build was last found current.

    A cheap test run before every local CLI query, so that a current build is opened without
    importing the build machinery (rdflib, pySHACL, owlrl: most of a CLI call's time). It is
    conservative: any input, check query or module of the package as new as or newer than the
    last full check, an input file added or removed, or a store cache that does not match the
    manifest sends the caller to the full content-digest check in :func:`stpgraph.store.open_store`,
    after which the time of that check is stamped in ``build/.checked``.
    """
    import json

    from .inputs import collect_inputs, shapes_path
    from .paths import build_dir, project_root

    try:
        root = root or project_root()
        out = build_dir(root)
        manifest = json.loads((out / "manifest.json").read_text())
        if (out / "store" / "DIGEST").read_text() != manifest["digest"]:
            return False
        stamp = out / _CHECKED
        if stamp.read_text() != manifest["digest"]:
            return False
        built_at = stamp.stat().st_mtime_ns
        if not (out / "graph.nq").is_file():
            return False
        inputs = collect_inputs(root)
        if {i.graph for i in inputs} != set(manifest["graphs"]) - {_INFERRED}:
            return False
        files = [i.path for i in inputs] + [shapes_path(root)]
        files += (root / "queries").glob("*-violation.rq")
        files += Path(__file__).parent.glob("*.py")
        return all(path.stat().st_mtime_ns < built_at for path in files)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _stamp_checked(root: Path | None) -> None:
    """Record (atomically) that the full check just found the build current."""
    import json
    import os
    import tempfile

    from .paths import build_dir, project_root

    out = build_dir(root or project_root())
    try:
        digest = json.loads((out / "manifest.json").read_text())["digest"]
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".checked.", suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(digest)
        os.replace(tmp, out / _CHECKED)
    except (OSError, ValueError, KeyError):
        pass  # only a shortcut is lost


_INFERRED = "https://w3id.org/stpgraph/graph/inferred"
