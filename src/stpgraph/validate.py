"""Check the data against the SHACL shapes and the saved ``*-violation`` queries.

Two ways to run the shapes, giving the same lines: ``shape_violations`` runs pySHACL over an
rdflib graph (the reference, for small graphs); ``shape_violations_store`` runs over a pyoxigraph
store of any size, finding suspects with SPARQL and judging only those with pySHACL
(see ``shacl_fast``).
"""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from .namespace import compact

SH = Namespace("http://www.w3.org/ns/shacl#")


def _results(data: Graph, ontology: Graph, shapes: Path, focus: Container | None = None) -> list[str]:
    shapes_graph = Graph().parse(shapes, format="turtle")
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes_graph, ont_graph=ontology, inference="none",
        abort_on_first=False, allow_warnings=True,
    )
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    if focus is not None:
        # keep the results about the focus nodes asked for, with their nested sh:detail results
        results, todo = [], [r for r in report.objects(None, SH.result)
                             if report.value(r, SH.focusNode) in focus]
        while todo:
            result = todo.pop()
            results.append(result)
            todo.extend(report.objects(result, SH.detail))
    problems = []
    for result in results:
        node = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        where = f" (value {compact(value)})" if value is not None else ""
        prop = compact(path) if path is not None else "(node)"
        problems.append(f"{compact(node)} {prop}: {message}{where}")
    return sorted(problems)


def shape_violations(data: Graph, ontology: Graph, shapes: Path) -> list[str]:
    """Return one line per SHACL violation: focus node, property and message."""
    return _results(data, ontology, shapes)


def shape_violations_store(store: ox.Store, ontology_graph: str, shapes: Path) -> list[str]:
    """Return the lines ``shape_violations`` gives for all of ``store``, fast at any size.

    ``ontology_graph`` names the graph holding the ontology (given to pySHACL as its ontology).
    Raises ``shacl_fast.UnsupportedShapes`` when the shapes need the full pySHACL run.
    """
    from .load import graph_of, to_rdflib
    from .shacl_fast import neighbourhood, suspects

    found, depth, incoming = suspects(store, shapes)
    if not found:
        return []
    ontology = graph_of(store, [ontology_graph])
    data = neighbourhood(store, found, depth, incoming, ontology_graph)
    for triple in ontology:
        data.add(triple)
    return _results(data, ontology, shapes, focus={to_rdflib(f) for f in found})


def check_queries(folder: Path) -> list[Path]:
    """Return the saved queries whose names end in ``-violation`` (each must return no rows)."""
    return sorted(folder.glob("*-violation.rq"))
