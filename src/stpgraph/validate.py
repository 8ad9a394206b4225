"""Check the data against the SHACL shapes and the saved ``*-violation`` queries."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from .namespace import compact

SH = Namespace("http://www.w3.org/ns/shacl#")


def shape_violations(data: Graph, ontology: Graph, shapes: Path) -> list[str]:
    """Return one line per SHACL violation: focus node, property and message."""
    shapes_graph = Graph().parse(shapes, format="turtle")
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=shapes_graph, ont_graph=ontology, inference="none",
        abort_on_first=False, allow_warnings=True,
    )
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        where = f" (value {compact(value)})" if value is not None else ""
        prop = compact(path) if path is not None else "(node)"
        problems.append(f"{compact(focus)} {prop}: {message}{where}")
    return sorted(problems)


def check_queries(folder: Path) -> list[Path]:
    """Return the saved queries whose names end in ``-violation`` (each must return no rows)."""
    return sorted(folder.glob("*-violation.rq"))
