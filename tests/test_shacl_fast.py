"""Validation at scale (``shacl_fast`` + ``validate.shape_violations_store``) against pySHACL.

A synthetic graph gets one injected error of every kind that ontology/shapes.ttl can report; the
fast validator must report each of them, with exactly the lines a full pySHACL run gives. A shape
added to shapes.ttl without an injection case here fails ``test_every_shape_has_an_injection``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from stpgraph.inputs import ONTOLOGY_GRAPH, collect_inputs, shapes_path
from stpgraph.load import graph_of, load_store
from stpgraph.shacl_fast import SH, UnsupportedShapes, compile_shapes
from stpgraph.validate import shape_violations, shape_violations_store

ROOT = Path(__file__).resolve().parents[1]
SHAPE = "https://w3id.org/stpgraph/def/shape/"
PREFIXES = """\
@prefix stp: <https://w3id.org/stpgraph/def/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <https://w3id.org/stpgraph/id/injected/> .
"""

#: (shape, focus node local name, Turtle) — one error each; focus names are unique
INJECTIONS = [
    ("Labelled", "no-label", "x:no-label a stp:GPPractice ."),
    ("Labelled", "iri-label", "x:iri-label a stp:Footprint ; rdfs:label x:somewhere ."),
    ("Labelled", "int-label", 'x:int-label a skos:Concept ; rdfs:label 7 .'),
    ("Dates", "string-date", 'x:string-date dct:date "2019-04-01" .'),
    ("Dates", "two-starts", 'x:two-starts stp:startDate "2019"^^xsd:gYear, "2020"^^xsd:gYear .'),
    ("Dates", "ill-typed-date", 'x:ill-typed-date stp:endDate "2019-13-45"^^xsd:date .'),
    ("Dates", "datetime-deadline", 'x:datetime-deadline stp:deadline "2019-04-01T00:00:00"^^xsd:dateTime .'),
    ("SuccessionEvent", "merger-no-result",
     'x:merger-no-result a stp:Merger ; rdfs:label "m" ; dct:date "2019"^^xsd:gYear ; '
     'org:originalOrganization x:a .'),
    ("SuccessionEvent", "literal-original",
     'x:literal-original a stp:Split ; rdfs:label "s" ; dct:date "2019"^^xsd:gYear ; '
     'org:originalOrganization "A" ; org:resultingOrganization x:b, x:c .'),
    ("EventDate", "undated", 'x:undated a stp:Abolition ; rdfs:label "u" ; org:originalOrganization x:a .'),
    ("Establishment", "empty-establishment",
     'x:empty-establishment a stp:Establishment ; rdfs:label "e" ; dct:date "2019"^^xsd:gYear .'),
    ("Abolition", "empty-abolition",
     'x:empty-abolition a stp:Abolition ; rdfs:label "a" ; stp:latestDate "2019"^^xsd:gYear .'),
    ("SameBodyChange", "nameless-renaming",
     'x:nameless-renaming a stp:Renaming ; rdfs:label "r" ; dct:date "2019"^^xsd:gYear .'),
    ("FormChange", "form-change-to-nothing",
     'x:form-change-to-nothing a stp:FormRenaming ; rdfs:label "f" ; dct:date "2019"^^xsd:gYear ; '
     'stp:priorForm <https://w3id.org/stpgraph/id/form/stp> ; stp:nextForm x:not-a-concept .'),
    ("Statistic", "valueless", 'x:valueless a stp:Statistic ; rdfs:label "v" .'),
    ("Statistic", "two-values", 'x:two-values a stp:PopulationFigure ; rdfs:label "v" ; stp:value 1, 2 .'),
    ("Statistic", "text-value", 'x:text-value a stp:Statistic ; rdfs:label "v" ; stp:value "ten" .'),
    ("Statistic", "odd-aggregate",
     'x:odd-aggregate a stp:Statistic ; rdfs:label "v" ; stp:value 3 ; stp:aggregate "mode" .'),
    ("Count", "count-of-nothing", 'x:count-of-nothing a stp:Count ; rdfs:label "c" ; stp:value 3 .'),
    ("Claim", "anonymous-claim", 'x:anonymous-claim a stp:Concern ; rdfs:label "c" .'),
    ("OnsCode", "bad-ons", 'x:bad-ons stp:onsCode "X123" .'),
    ("OnsCode", "tagged-ons", 'x:tagged-ons stp:onsCode "E12345678"@en .'),
    ("OdsCode", "bad-ods", 'x:bad-ods stp:odsCode "q-e1" .'),
    ("FootprintCode", "footprint-e38",
     'x:footprint-e38 a stp:Footprint ; rdfs:label "f" ; stp:onsCode "E38000001" .'),
    ("CcgCode", "ccg-e54",
     'x:ccg-e54 a stp:ClinicalCommissioningGroup ; rdfs:label "c" ; stp:onsCode "E54000001" .'),
    ("RegionCode", "region-e54", 'x:region-e54 a stp:NHSRegion ; rdfs:label "r" ; stp:onsCode "E54000001" .'),
    ("IcbCode", "icb-r", 'x:icb-r a stp:IntegratedCareBoard ; rdfs:label "i" ; stp:odsCode "RX1" .'),
]


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shacl") / "syn"
    _synthetic().generate(root, 10_000, with_queries=False)
    body = "\n".join(turtle for _shape, _focus, turtle in INJECTIONS)
    (root / "data" / "reference" / "injected.ttl").write_text(PREFIXES + body + "\n")
    return root


def _both(root: Path) -> tuple[list[str], list[str]]:
    store = load_store(collect_inputs(root))
    fast = shape_violations_store(store, ONTOLOGY_GRAPH, shapes_path(root))
    names = [str(g.value) for g in store.named_graphs()]
    reference = shape_violations(graph_of(store, names), graph_of(store, [ONTOLOGY_GRAPH]), shapes_path(root))
    return fast, reference


def test_every_shape_has_an_injection() -> None:
    shapes = Graph().parse(shapes_path(ROOT))
    targeted = {str(s).removeprefix(SHAPE) for t in (SH.targetClass, SH.targetSubjectsOf, SH.targetNode,
                                                     SH.targetObjectsOf) for s in shapes.subjects(t, None)}
    assert targeted <= {shape for shape, _f, _t in INJECTIONS}


def test_each_injected_error_is_caught_exactly_as_pyshacl_reports_it(injected: Path) -> None:
    fast, reference = _both(injected)
    assert fast == reference
    for _shape, focus, _turtle in INJECTIONS:
        assert any(line.startswith((f"<https://w3id.org/stpgraph/id/injected/{focus}> ",
                                    f"injected:{focus} ")) or f"/injected/{focus}>" in line.split(" ")[0]
                   for line in fast), f"{focus} was not reported"


def test_clean_synthetic_and_shipped_graphs_pass_both_ways(tmp_path: Path) -> None:
    root = tmp_path / "syn"
    _synthetic().generate(root, 10_000, with_queries=False)
    assert _both(root) == ([], [])
    fast, reference = _both(ROOT)
    assert fast == reference == []


def test_unknown_shacl_feature_is_refused() -> None:
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:closed true .
    """, format="turtle")
    import pyoxigraph as ox

    with pytest.raises(UnsupportedShapes):
        compile_shapes(shapes, ox.Store())
