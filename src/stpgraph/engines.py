"""One seam for querying: the local pyoxigraph store, rdflib, or a remote SPARQL endpoint.

Each engine takes SPARQL text and returns :class:`~stpgraph.results.Results`, so callers never care
where the graph lives.
"""

from __future__ import annotations

import re
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


_GRAPH_QUERY = re.compile(r"^\s*(CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)


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

        from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        # Check syntax locally first, so a typo gets the same message as locally.
        try:
            ox.Store().query(sparql, prefixes=prefixes)
        except SyntaxError as exc:
            raise syntax_error(label, exc) from None
        if prefixes:
            sparql = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + sparql
        graph_query = bool(_GRAPH_QUERY.search(_strip_prologue(sparql)))
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setTimeout(max(1, round(self.timeout)))
        client.setReturnFormat(TURTLE if graph_query else JSON)
        client.setQuery(sparql)
        try:
            response = client.query().response
            body = response.read()
            ctype = response.headers.get("Content-Type", "")
        except QueryBadFormed as exc:
            raise InputError(f"{label}: the endpoint rejected the query: {_first_line(exc)}") from None
        except SPARQLWrapperException as exc:
            raise RemoteError(f"{self.url}: {_first_line(exc)}") from None
        except urllib.error.HTTPError as exc:
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


def _strip_prologue(sparql: str) -> str:
    lines = [ln for ln in sparql.splitlines() if not ln.lstrip().startswith("#")]
    text = "\n".join(lines)
    return re.sub(r"(?is)^\s*((PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", text)


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
    return LocalEngine(open_store(root))
