"""Parse the build's Turtle inputs, reporting syntax errors by file, line and column."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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


def read_triples(item: Input) -> Iterator[ox.Triple]:
    """Yield the triples of one Turtle file; blank nodes get labels unique to this parse.

    Raises InputError naming the file, line and column of the first syntax error.
    """
    try:
        for quad in ox.parse(path=str(item.path), format=ox.RdfFormat.TURTLE,
                             base_iri=f"file://{item.path}", rename_blank_nodes=True):
            yield quad.triple
    except SyntaxError as exc:
        raise InputError(f"{item.path}:{exc.lineno}:{exc.offset}: {exc.msg}") from exc
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
