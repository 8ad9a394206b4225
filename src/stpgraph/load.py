"""Parse the build's Turtle inputs, reporting syntax errors by file, line and column.

``load_store`` bulk-loads every input straight into one pyoxigraph store (one named graph per
input, blank nodes kept apart per file): the build's only full copy of the graph. The rdflib
helpers remain for the reference paths (owlrl, pySHACL) and small graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import InputError
from .inputs import Input

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term: {term!r}")
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _syntax_error(path: Path, exc: SyntaxError) -> InputError:
    return InputError(f"{path}:{exc.lineno}:{exc.offset}: {exc.msg}")


def load_store(inputs: Iterable[Input], store: ox.Store | None = None) -> ox.Store:
    """Bulk-load every input into ``store`` (a new in-memory one by default), graph by graph.

    Blank nodes get labels unique to each file. Raises InputError naming the file, line and
    column of the first syntax error.
    """
    store = store if store is not None else ox.Store()
    for item in inputs:
        try:
            store.bulk_load(path=str(item.path), format=ox.RdfFormat.TURTLE,
                            base_iri=f"file://{item.path}", to_graph=ox.NamedNode(item.graph))
        except SyntaxError as exc:
            raise _syntax_error(item.path, exc) from exc
        except OSError as exc:
            raise InputError(f"{item.path}: cannot read: {exc.strerror or exc}") from exc
    return store


def typed_literals(store: ox.Store) -> list[ox.Literal]:
    """Every distinct literal in ``store`` with a datatype other than xsd:string and no language."""
    query = ('SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && LANG(?o) = "" '
             f'&& !sameTerm(DATATYPE(?o), <{_XSD_STRING}>)) }}')
    return [row[0] for row in store.query(query, use_default_graph_as_union=True)]


def graph_of(store: ox.Store, graphs: Iterable[str], into: Graph | None = None) -> Graph:
    """Copy the named graphs ``graphs`` of ``store`` into one rdflib graph (for small graphs)."""
    out = into if into is not None else Graph()
    for name in graphs:
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return out


def read_triples(item: Input) -> Iterator[ox.Triple]:
    """Yield the triples of one Turtle file; blank nodes get labels unique to this parse.

    Raises InputError naming the file, line and column of the first syntax error.
    """
    try:
        for quad in ox.parse(path=str(item.path), format=ox.RdfFormat.TURTLE,
                             base_iri=f"file://{item.path}", rename_blank_nodes=True):
            yield quad.triple
    except SyntaxError as exc:
        raise _syntax_error(item.path, exc) from exc
    except OSError as exc:
        raise InputError(f"{item.path}: cannot read: {exc.strerror}") from exc


def load_graphs(inputs: Iterable[Input]) -> dict[str, Graph]:
    """Parse every input into an rdflib graph per named graph IRI (files of one graph merged)."""
    graphs: dict[str, Graph] = {}
    for item in inputs:
        graph = graphs.setdefault(item.graph, Graph(identifier=URIRef(item.graph)))
        for t in read_triples(item):
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graphs


def union(graphs: Iterable[Graph]) -> Graph:
    """Return one graph holding every triple of ``graphs``."""
    merged = Graph()
    for graph in graphs:
        for prefix, ns in graph.namespaces():
            merged.bind(prefix, ns, override=False)
        for triple in graph:
            merged.add(triple)
    return merged
