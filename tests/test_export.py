"""``stpgraph export``: every format round-trips (pyoxigraph, rapper, pyld), deterministically."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from stpgraph import export as ex
from stpgraph.errors import UsageError
from stpgraph.inputs import INFERRED_GRAPH
from stpgraph.ontodocs import CONTEXT_IRI, CONTEXT_PATH
from stpgraph.paths import GRAPH

ROOT = Path(__file__).resolve().parents[1]
RAPPER = {"turtle": "turtle", "ntriples": "ntriples", "nquads": "nquads", "trig": "trig",
          "rdfxml": "rdfxml"}
PARSE = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
         "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
         "rdfxml": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def exports(store: ox.Store) -> dict[str, bytes]:
    """Every format of the whole graph, exported once."""
    return {fmt: ex.export(store, fmt) for fmt in ex.FORMATS}


@pytest.fixture(scope="module")
def build_quads(store: ox.Store) -> list[ox.Quad]:
    """The build's own quads, read straight from the store (not through the exporter)."""
    return list(store.quads_for_pattern(None, None, None, None))


def _has_bnode(q: ox.Quad | ox.Triple) -> bool:
    return any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))


def _canonical(statements: list[ox.Quad]) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0) of the statements, by pyld."""
    from pyld import jsonld

    text = "".join(f"{q} .\n" for q in statements)
    return jsonld.normalize(text, {"algorithm": "URDNA2015", "inputFormat": "application/n-quads",
                                   "format": "application/n-quads"})


def assert_isomorphic(got: list[ox.Quad], expected: list[ox.Quad], *, quads: bool) -> None:
    """Same statements, blank nodes up to renaming: ground statements compared exactly, the ones
    with blank nodes by their RDFC-1.0 canonical form (pyld), which shares no code with the
    exporter's own labelling."""
    if not quads:
        got = [ox.Quad(q.subject, q.predicate, q.object) for q in got]
        expected = [ox.Quad(q.subject, q.predicate, q.object) for q in expected]
    assert len(set(got)) == len(got), "duplicate statements"
    ground_got = {str(q) for q in got if not _has_bnode(q)}
    ground_expected = {str(q) for q in expected if not _has_bnode(q)}
    assert ground_got == ground_expected, (sorted(ground_got - ground_expected)[:5],
                                           sorted(ground_expected - ground_got)[:5])
    with_bnodes = [q for q in got if _has_bnode(q)]
    expected_bnodes = list(dict.fromkeys(q for q in expected if _has_bnode(q)))
    assert len(with_bnodes) == len(expected_bnodes)
    assert _canonical(with_bnodes) == _canonical(expected_bnodes)


@pytest.mark.parametrize("fmt", list(ex.FORMATS))
def test_round_trips_through_pyoxigraph(fmt: str, exports: dict[str, bytes],
                                        build_quads: list[ox.Quad]) -> None:
    parsed = list(ox.parse(exports[fmt], format=PARSE[fmt], base_iri="https://example.org/"))
    spec = ex.FORMATS[fmt]
    if spec.quads:
        assert {q.graph_name.value for q in parsed} == {q.graph_name.value for q in build_quads}
    else:
        assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in parsed)
        assert len(parsed) == len({q.triple for q in build_quads})
    assert_isomorphic(parsed, build_quads, quads=spec.quads)


@pytest.mark.parametrize("fmt", list(RAPPER))
def test_round_trips_through_rapper(fmt: str, exports: dict[str, bytes], build_quads: list[ox.Quad],
                                    tmp_path: Path) -> None:
    rapper = shutil.which("rapper")
    assert rapper, "rapper (Debian raptor2-utils) is needed: apt-get install raptor2-utils"
    path = tmp_path / f"export.{ex.FORMATS[fmt].extension}"
    path.write_bytes(exports[fmt])
    run = subprocess.run([rapper, "-q", "-i", RAPPER[fmt], "-o", "nquads", str(path),
                          "https://example.org/"], capture_output=True, check=False)
    assert run.returncode == 0, run.stderr.decode()
    parsed = list(ox.parse(run.stdout, format=ox.RdfFormat.N_QUADS))
    assert_isomorphic(parsed, build_quads, quads=ex.FORMATS[fmt].quads)


@pytest.mark.parametrize("fmt", list(ex.FORMATS))
def test_output_is_byte_identical_across_runs(fmt: str, store: ox.Store, exports: dict[str, bytes]) -> None:
    assert ex.export(store, fmt) == exports[fmt]


def test_nquads_are_sorted_by_graph_then_statement(exports: dict[str, bytes]) -> None:
    lines = exports["nquads"].decode().splitlines()
    keys = [(ln.rsplit(" ", 2)[-2], ln) for ln in lines]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1]))
    assert len(lines) == len(set(lines))


def test_blank_node_labels_are_stable_under_unrelated_change() -> None:
    p = ox.NamedNode("http://example.org/p")
    g = ox.NamedNode("http://example.org/g")

    def quads(extra: bool, label: str) -> list[ox.Quad]:
        b = ox.BlankNode(label)
        out = [ox.Quad(ox.NamedNode("http://example.org/a"), p, b, g),
               ox.Quad(b, p, ox.Literal("x"), g)]
        if extra:
            c = ox.BlankNode("other")
            out += [ox.Quad(ox.NamedNode("http://example.org/z"), p, c, g), ox.Quad(c, p, ox.Literal("y"), g)]
        return out

    before = ex.canonical_quads(quads(False, "one"))
    after = ex.canonical_quads(quads(True, "two"))
    assert {str(q) for q in before} <= {str(q) for q in after}


def test_tied_blank_nodes_get_the_same_labels_whatever_the_input_order() -> None:
    # Two indistinguishable nodes in a cycle, and a symmetric pair: the refinement cannot split
    # them, so the RDFC-1.0 fallback decides; the result must not depend on input labels or order.
    p = ox.NamedNode("http://example.org/p")

    def quads(labels: tuple[str, str, str, str]) -> list[ox.Quad]:
        a, b, c, d = (ox.BlankNode(x) for x in labels)
        return [ox.Quad(a, p, b), ox.Quad(b, p, a), ox.Quad(c, p, d), ox.Quad(d, p, c),
                ox.Quad(a, p, ox.Literal("same")), ox.Quad(b, p, ox.Literal("same"))]

    first = ex.canonical_quads(quads(("w", "x", "y", "z")))
    second = ex.canonical_quads(list(reversed(quads(("q1", "q2", "q3", "q4")))))
    assert [str(q) for q in first] == [str(q) for q in second]
    assert len({t.value for q in first for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}) == 4


def test_graph_selection(store: ox.Store) -> None:
    every = ex.select_graphs(store, ["all"])
    assert INFERRED_GRAPH in every
    assert ex.select_graphs(store, ["asserted"]) == [g for g in every if g != INFERRED_GRAPH]
    assert ex.select_graphs(store, ["inferred"]) == [INFERRED_GRAPH]
    assert ex.select_graphs(store, ["bma-stps,sources"]) == [GRAPH + "bma-stps", GRAPH + "sources"]
    with pytest.raises(UsageError, match=r"no named graph 'nope'.*bma-stps"):
        ex.select_graphs(store, ["nope"])


def test_one_graph_in_a_triple_format_is_that_graph(store: ox.Store) -> None:
    data = ex.export(store, "ntriples", ["bma-stps"])
    parsed = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    expected = list(store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH + "bma-stps")))
    assert_isomorphic(parsed, expected, quads=False)


# --- JSON-LD with the shipped context, never the network ----------------------------------


def _refuse(url: str, options=None):
    raise AssertionError(f"tried to load {url} from the network")


def _local_context(seen: list[str]):
    def loader(url: str, options=None):
        seen.append(url)
        if url != CONTEXT_IRI:
            _refuse(url)
        return {"contextUrl": None, "documentUrl": url, "contentType": "application/ld+json",
                "document": json.loads(CONTEXT_PATH.read_text())}
    return loader


@pytest.fixture(scope="module")
def subset(store: ox.Store) -> list[ox.Quad]:
    """Two small graphs, for the (slow) pure-Python JSON-LD processor."""
    return ex.collect_quads(store, [GRAPH + "sources", GRAPH + "bma-stps"])


def test_jsonld_expands_with_pyld_and_the_embedded_context(store: ox.Store, subset: list[ox.Quad]) -> None:
    from pyld import jsonld

    doc = json.loads(ex.export(store, "jsonld", ["sources", "bma-stps"]))
    assert isinstance(doc["@context"], dict)
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": _refuse})
    assert_isomorphic(list(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)), subset, quads=True)


def test_jsonld_with_a_context_url_expands_from_the_shipped_file(store: ox.Store,
                                                                 subset: list[ox.Quad]) -> None:
    from pyld import jsonld

    doc = json.loads(ex.export(store, "jsonld", ["sources", "bma-stps"], context_url=CONTEXT_IRI))
    assert doc["@context"] == CONTEXT_IRI
    seen: list[str] = []
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": _local_context(seen)})
    assert seen and set(seen) == {CONTEXT_IRI}
    assert_isomorphic(list(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)), subset, quads=True)


def test_jsonld_uses_readable_keys(exports: dict[str, bytes]) -> None:
    text = exports["jsonld"].decode()
    for key in ('"label": ', '"@type": "IntegratedCareBoard"', '"replacedBy": ', '"wasDerivedFrom": '):
        assert key in text
    assert "http://www.w3.org/2000/01/rdf-schema#label" not in text.split('"@graph"', 1)[1]


def test_jsonld_parses_with_rdflib_too(store: ox.Store, subset: list[ox.Quad]) -> None:
    data = ex.export(store, "jsonld", ["sources", "bma-stps"])
    ds = rdflib.Dataset()
    ds.parse(data=data, format="json-ld")
    text = ds.serialize(format="nquads")
    assert_isomorphic(list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)), subset, quads=True)


# --- the command ---------------------------------------------------------------------------


def _stpgraph(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("stpgraph")
    return subprocess.run([str(exe), *args], capture_output=True, cwd=ROOT, check=False)


def test_cli_writes_stdout_and_files_atomically(built: Path, store: ox.Store, tmp_path: Path) -> None:
    run = _stpgraph("export", "--format", "nquads", "--graphs", "sources")
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout == ex.export(store, "nquads", ["sources"])
    target = tmp_path / "out.trig"
    run = _stpgraph("export", "--graphs", "sources", "-o", str(target))
    assert run.returncode == 0, run.stderr.decode()
    assert target.read_bytes() == ex.export(store, "trig", ["sources"])  # format from the extension
    assert [p.name for p in tmp_path.iterdir()] == ["out.trig"]


def test_cli_unknown_graph_is_a_usage_error_and_keeps_the_old_file(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "keep.ttl"
    target.write_text("old")
    run = _stpgraph("export", "--graphs", "no-such-graph", "-o", str(target))
    assert run.returncode == 2
    assert "no named graph 'no-such-graph'" in run.stderr.decode()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.ttl"]


def test_write_atomic_leaves_nothing_behind_on_failure(tmp_path: Path, monkeypatch) -> None:
    import os

    target = tmp_path / "x.nt"
    target.write_bytes(b"old")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        ex.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.nt"]
