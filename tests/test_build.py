"""`stpgraph build` on small projects made by the tests: errors name where, failures leave the
previous artefact alone, and an unchanged project is not rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stpgraph.build import ARTEFACT, build, is_current
from stpgraph.errors import InputError, ValidationError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "build"


def _project(tmp_path: Path, *seeds: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "data" / "seeds").mkdir(parents=True)
    (root / "data" / "reference").mkdir()
    (root / "queries").mkdir()
    shutil.copy(ROOT / "data" / "sources.ttl", root / "data" / "sources.ttl")
    for name in seeds:
        shutil.copy(FIXTURES / name, root / "data" / "seeds" / name)
    return root


def test_good_project_builds_with_provenance_and_inference(tmp_path: Path) -> None:
    root = _project(tmp_path, "good.ttl")
    report = build(root, out=root / "build")
    assert report.graphs["https://w3id.org/stpgraph/graph/good"] == 9
    assert report.inferred > 0
    text = (root / "build" / ARTEFACT).read_text()
    assert ("<https://w3id.org/stpgraph/id/org/a> <https://w3id.org/stpgraph/def/replacedBy> "
            "<https://w3id.org/stpgraph/id/org/b> <https://w3id.org/stpgraph/graph/inferred> .") in text
    assert text.splitlines() == sorted(text.splitlines()), "artefact lines are sorted"


def test_unchanged_project_is_not_rebuilt(tmp_path: Path) -> None:
    root = _project(tmp_path, "good.ttl")
    build(root, out=root / "build")
    assert is_current(root, root / "build")
    assert build(root, out=root / "build").skipped
    (root / "data" / "seeds" / "good.ttl").write_text(
        (FIXTURES / "good.ttl").read_text().replace('"A"@en', '"A renamed"@en'))
    assert not is_current(root, root / "build")
    assert not build(root, out=root / "build").skipped


def test_syntax_error_names_file_and_line_and_keeps_previous_artefact(tmp_path: Path) -> None:
    root = _project(tmp_path, "good.ttl")
    build(root, out=root / "build")
    before = (root / "build" / ARTEFACT).read_bytes()
    shutil.copy(FIXTURES / "bad-syntax.ttl", root / "data" / "seeds" / "bad-syntax.ttl")
    with pytest.raises(InputError) as info:
        build(root, out=root / "build")
    assert "bad-syntax.ttl:5:" in str(info.value)
    assert (root / "build" / ARTEFACT).read_bytes() == before
    assert not list((root / "build").glob(".*.tmp")), "no temporary file is left behind"


def test_shape_violation_names_focus_node_property_and_message(tmp_path: Path) -> None:
    root = _project(tmp_path, "event-without-result.ttl")
    with pytest.raises(ValidationError) as info:
        build(root, out=root / "build")
    problems = "\n".join(info.value.problems)
    assert "<https://w3id.org/stpgraph/id/event/broken> org:resultingOrganization" in problems \
        or "event:broken org:resultingOrganization" in problems
    assert "needs at least one resulting body" in problems
    assert "xsd:date, xsd:gYearMonth or xsd:gYear" in problems
    assert not (root / "build" / ARTEFACT).exists()


def test_violation_query_fails_the_build(tmp_path: Path) -> None:
    root = _project(tmp_path, "good.ttl")
    (root / "queries" / "no-think-tanks-violation.rq").write_text(
        "# title: No think tanks\nPREFIX stp: <https://w3id.org/stpgraph/def/>\n"
        "SELECT ?x WHERE { ?x a stp:ThinkTank }\n")
    with pytest.raises(ValidationError) as info:
        build(root, out=root / "build")
    assert any("no-think-tanks-violation.rq" in p for p in info.value.problems)


def test_shipped_graph_every_seed_graph_traces_to_its_document(built: Path, engine) -> None:
    rows = engine.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?g ?doc WHERE {
          GRAPH ?g { ?s ?p ?o }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/stpgraph/graph/"))
          OPTIONAL { ?g prov:wasDerivedFrom ?doc }
        } GROUP BY ?g ?doc""").rows
    untraced = [g.value for g, doc in rows if doc is None
                and g.value.rsplit("/", 1)[-1] not in ("ontology", "inferred", "sources")]
    assert not untraced, f"graphs with no prov:wasDerivedFrom: {untraced}"
    seeds = {g.value.rsplit("/", 1)[-1] for g, doc in rows if doc is not None}
    assert {"integration-overview", "kings-fund-stps-explained", "nhse-stp-faq", "bma-stps",
            "bdj-lewney-2017"} <= seeds
