"""The fast reasoner (``reason_fast``) against owlrl (``reason.infer``), the reference.

On the shipped graph and on a 50k-triple synthetic graph the two must infer exactly the same
kept triples; every reasoning fixture must give the same inferences or the same contradictions;
an ontology using something the fast path does not implement must be refused, not half-reasoned.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import to_isomorphic

from stpgraph.build import ARTEFACT, build
from stpgraph.errors import ReasoningError
from stpgraph.inputs import ONTOLOGY_GRAPH, collect_inputs
from stpgraph.load import graph_of, load_store, to_oxigraph, to_rdflib
from stpgraph.reason import infer
from stpgraph.reason_fast import UnsupportedOntology, compile_rules, infer_store

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((Path(__file__).parent / "fixtures" / "reasoning").glob("*.ttl"))


def synthetic():
    """The benchmark's generator, bench/synthetic.py."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


def _owlrl(store: ox.Store) -> set[str]:
    names = [str(g.value) for g in store.named_graphs() if g.value != ONTOLOGY_GRAPH]
    inferred = infer(graph_of(store, [ONTOLOGY_GRAPH]), graph_of(store, names))
    return {str(ox.Triple(*map(to_oxigraph, t))) for t in inferred}


def _fast(store: ox.Store) -> set[str]:
    return {str(t) for t in infer_store(store, ONTOLOGY_GRAPH)}


def assert_same(fast: set[str], reference: set[str]) -> None:
    """Fail listing every triple owlrl infers that the fast path misses, and every extra one."""
    missing, extra = sorted(reference - fast), sorted(fast - reference)
    assert not missing and not extra, (
        f"{len(missing)} missing from the fast path:\n" + "\n".join(missing[:200])
        + f"\n{len(extra)} extra in the fast path:\n" + "\n".join(extra[:200]))


@pytest.mark.slow
def test_fast_equals_owlrl_on_the_shipped_graph() -> None:
    store = load_store(collect_inputs(ROOT))
    fast = _fast(store)
    assert fast, "the shipped graph has inferences"
    assert_same(fast, _owlrl(store))


@pytest.mark.slow
def test_fast_equals_owlrl_on_a_50k_synthetic_graph(tmp_path: Path) -> None:
    report = synthetic().generate(tmp_path / "syn", 50_000, with_queries=False)
    assert 45_000 < report.triples < 55_000
    store = load_store(collect_inputs(report.root))
    fast = _fast(store)
    assert len(fast) > 10_000
    assert_same(fast, _owlrl(store))


def _case_store(path: Path) -> ox.Store:
    store = ox.Store()
    for name in ("stp.ttl", "schemes.ttl"):
        store.bulk_load(path=str(ROOT / "ontology" / name), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:test:data"))
    return store


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_gives_the_same_inferences_or_errors(path: Path) -> None:
    store = _case_store(path)
    try:
        reference: set[str] | list[str] = _owlrl(store)
    except ReasoningError as exc:
        reference = exc.problems
    if isinstance(reference, list):
        with pytest.raises(ReasoningError) as info:
            _fast(store)
        assert info.value.problems == reference
    else:
        assert_same(_fast(store), reference)


def test_chains_inverses_and_transitivity_are_compiled() -> None:
    store = _case_store(CASES[0])
    rules = compile_rules(store)
    replaced_by = ox.NamedNode("https://w3id.org/stpgraph/def/replacedBy")
    assert sum(1 for *_steps, result in rules.chains if result == replaced_by) == 2
    assert ox.NamedNode("https://w3id.org/stpgraph/def/eventuallyReplacedBy") in rules.transitive
    assert ox.NamedNode("https://w3id.org/stpgraph/def/replaces") in rules.inverses[replaced_by]


def test_three_step_chain_and_symmetry(tmp_path: Path) -> None:
    path = tmp_path / "case.ttl"
    path.write_text("""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix ex: <https://w3id.org/stpgraph/def/test-> .
        @prefix id: <https://w3id.org/stpgraph/id/test/> .
        ex:uncle owl:propertyChainAxiom ( ex:parent ex:sibling ex:child ) .
        ex:sibling a owl:SymmetricProperty .
        id:a ex:parent id:b . id:c ex:sibling id:b . id:c ex:child id:d .
    """)
    store = _case_store(path)
    fast = _fast(store)
    assert ("<https://w3id.org/stpgraph/id/test/a> <https://w3id.org/stpgraph/def/test-uncle> "
            "<https://w3id.org/stpgraph/id/test/d>") in fast
    assert_same(fast, _owlrl(store))


@pytest.mark.parametrize("axiom", [
    "ex:p a owl:FunctionalProperty .",
    "id:a owl:sameAs id:b .",
    "ex:C owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ; owl:hasValue id:a ] .",
    "ex:C owl:intersectionOf ( ex:D ex:E ) .",
])
def test_unsupported_axioms_are_refused(tmp_path: Path, axiom: str) -> None:
    path = tmp_path / "case.ttl"
    path.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "@prefix ex: <https://w3id.org/stpgraph/def/test-> .\n"
                    f"@prefix id: <https://w3id.org/stpgraph/id/test/> .\n{axiom}\n")
    with pytest.raises(UnsupportedOntology):
        infer_store(_case_store(path), ONTOLOGY_GRAPH)


def test_ill_typed_literal_is_a_contradiction_on_both_paths(tmp_path: Path) -> None:
    path = tmp_path / "case.ttl"
    path.write_text('<https://w3id.org/stpgraph/id/test/a> <https://w3id.org/stpgraph/def/value> '
                    '"many"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    store = _case_store(path)
    with pytest.raises(ReasoningError) as fast:
        _fast(store)
    with pytest.raises(ReasoningError) as ref:
        _owlrl(store)
    assert fast.value.problems == ref.value.problems


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "data" / "seeds").mkdir(parents=True)
    (root / "queries").mkdir()
    shutil.copy(ROOT / "data" / "sources.ttl", root / "data" / "sources.ttl")
    shutil.copy(ROOT / "tests" / "fixtures" / "build" / "good.ttl", root / "data" / "seeds" / "good.ttl")
    return root


def test_build_artefact_is_the_same_with_either_reasoner_and_validator(tmp_path: Path) -> None:
    root = _project(tmp_path)
    slow = build(root, out=root / "slow", reasoner="owlrl", validator="pyshacl")
    fast = build(root, out=root / "fast", reasoner="fast", validator="fast")
    assert (slow.reasoner, slow.validator, fast.reasoner, fast.validator) == (
        "owlrl", "pyshacl", "fast", "fast")
    assert slow.graphs == fast.graphs
    assert _canonical(root / "slow" / ARTEFACT) == _canonical(root / "fast" / ARTEFACT)


def _canonical(path: Path):
    """The artefact as one graph (graph name folded into the predicate), blank nodes canonical."""
    folded = Graph()
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        p = ox.NamedNode(f"{q.predicate.value}@{q.graph_name.value}")
        folded.add(tuple(to_rdflib(t) for t in (q.subject, p, q.object)))
    return to_isomorphic(folded)


def test_an_explicit_reasoner_request_rebuilds(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert build(root, out=root / "b", reasoner="fast").reasoner == "fast"
    assert build(root, out=root / "b").skipped
    again = build(root, out=root / "b", reasoner="owlrl")
    assert not again.skipped and again.reasoner == "owlrl"


def test_unknown_reasoner_is_a_usage_error(tmp_path: Path) -> None:
    from stpgraph.errors import UsageError

    with pytest.raises(UsageError):
        build(_project(tmp_path), reasoner="hermit")


def test_auto_falls_back_to_owlrl_when_the_ontology_needs_it(tmp_path: Path, monkeypatch) -> None:
    from stpgraph import build as build_module
    from stpgraph.errors import UsageError

    root = _project(tmp_path)
    (root / "data" / "seeds" / "functional.ttl").write_text(
        "<https://w3id.org/stpgraph/def/test-p> a <http://www.w3.org/2002/07/owl#FunctionalProperty> .\n")
    monkeypatch.setattr(build_module, "AUTO_FAST_ABOVE", 0)
    messages: list[str] = []
    report = build(root, out=root / "auto", echo=messages.append)
    assert report.reasoner == "owlrl"
    assert any("needs owlrl" in m for m in messages)
    with pytest.raises(UsageError):
        build(root, out=root / "fast", reasoner="fast")
