"""bench/synthetic.py: deterministic, NHS-shaped, and a valid stpgraph project at small sizes."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

from stpgraph.build import build
from stpgraph.engines import LocalEngine
from stpgraph.store import load_memory

ROOT = Path(__file__).resolve().parents[1]


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((root / "data").rglob("*.ttl")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    syn = _synthetic()
    a = syn.generate(tmp_path / "a", 10_000, seed=1, with_queries=False)
    b = syn.generate(tmp_path / "b", 10_000, seed=1, with_queries=False)
    c = syn.generate(tmp_path / "c", 10_000, seed=2, with_queries=False)
    assert a.tables == b.tables
    assert _digest(a.root) == _digest(b.root)
    assert _digest(a.root) != _digest(c.root)


@pytest.mark.parametrize("size", [10_000, 30_000])
def test_size_is_close_to_what_was_asked(tmp_path: Path, size: int) -> None:
    report = _synthetic().generate(tmp_path / "s", size, with_queries=False)
    assert abs(report.triples - size) <= 0.05 * size
    lines = sum(1 for p in (tmp_path / "s" / "data" / "reference").glob("*.ttl")
                for line in p.read_text().splitlines() if line and not line.startswith("#"))
    assert lines == report.triples


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("syn") / "project"
    _synthetic().generate(root, 20_000)
    report = build(root, out=root / "build", reasoner="fast", validator="fast")
    return root, report


def test_generated_project_builds_passes_shapes_and_checks(built) -> None:
    root, report = built
    assert report.validator == "fast" and report.reasoner == "fast"
    assert report.inferred > 1_000
    assert (root / "build" / "graph.nq").is_file()


def test_shape_of_the_nhs_is_kept(built) -> None:
    root, _report = built
    engine = LocalEngine(load_memory(root / "build" / "graph.nq"))
    rows = engine.query("""
        PREFIX stp: <https://w3id.org/stpgraph/def/>
        SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c""").rows
    count = {c.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: int(n.value) for c, n in rows}
    assert count["NHSRegion"] == 7
    assert 4 <= count["GPPractice"] / count["PrimaryCareNetwork"] <= 8
    assert count["ClinicalCommissioningGroup"] > count["SubICBLocation"]
    for kind in ("Merger", "Acquisition", "Replacement", "Evolution", "Renaming", "Designation",
                 "Establishment"):
        assert count.get(kind, 0) > 0, f"no {kind} events"
    assert count["Membership"] > count["GPPractice"] * 2
    chains = engine.query("""
        PREFIX stp: <https://w3id.org/stpgraph/def/>
        SELECT (COUNT(*) AS ?n) WHERE {
            ?a stp:eventuallyReplacedBy ?c . FILTER NOT EXISTS { ?a stp:replacedBy ?c } }
    """).rows
    assert int(chains[0][0].value) > 0, "some successions are chains of more than one step"
    derived = engine.query("""
        SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/stpgraph/graph/synthetic-structure> {
            ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?src } }""").rows
    assert derived[0][0].value == "0", "provenance of graphs lives in the sources graph"
    sources = engine.query("""
        SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH <https://w3id.org/stpgraph/graph/sources> {
            ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?src } }""").rows
    assert int(sources[0][0].value) == 4
