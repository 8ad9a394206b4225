"""Reasoning cases, one small Turtle file each in tests/fixtures/reasoning/.

Each file's header says what must be inferred (``# expect:``), what must not be
(``# expect-not:``), or which contradiction the reasoner must report (``# expect-error:``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from stpgraph.errors import ReasoningError
from stpgraph.paths import DEF, ID
from stpgraph.reason import infer

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((Path(__file__).parent / "fixtures" / "reasoning").glob("*.ttl"))
_PREFIX = {"id:": ID + "test/", "stp:": DEF}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph().parse(ROOT / "ontology" / "stp.ttl")
    return g.parse(ROOT / "ontology" / "schemes.ttl")


def _term(text: str) -> URIRef:
    for prefix, ns in _PREFIX.items():
        if text.startswith(prefix):
            return URIRef(ns + text[len(prefix):])
    raise ValueError(text)


def _expectations(path: Path) -> dict[str, list]:
    found: dict[str, list] = {"expect": [], "expect-not": [], "expect-error": []}
    for line in path.read_text().splitlines():
        key, sep, rest = line.lstrip("# ").partition(":")
        if line.startswith("#") and sep and key in found:
            rest = rest.strip()
            found[key].append(rest if key == "expect-error" else tuple(map(_term, rest.split())))
    return found


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_reasoning_case(path: Path, ontology: Graph) -> None:
    expect = _expectations(path)
    assert any(expect.values()), f"{path.name} states no expectation"
    data = Graph().parse(path)
    if expect["expect-error"]:
        with pytest.raises(ReasoningError) as info:
            infer(ontology, data)
        text = " ".join(info.value.problems)
        for needle in expect["expect-error"]:
            assert needle in text
        return
    inferred = infer(ontology, data)
    for triple in expect["expect"]:
        assert triple in inferred, f"not inferred: {triple}"
    for triple in expect["expect-not"]:
        assert triple not in inferred and triple not in data, f"wrongly inferred: {triple}"


def test_inferred_graph_has_no_axiomatic_noise(built: Path) -> None:
    inferred = [ln for ln in built.read_text().splitlines() if ln.endswith("/graph/inferred> .")]
    assert inferred, "the shipped graph should have inferences"
    for line in inferred:
        assert "owl#Thing>" not in line and "rdf-schema#Resource>" not in line
        s, p, o = line.split(" ", 2)[:3]
        assert not (p.endswith("owl#sameAs>") and o.startswith(s))
