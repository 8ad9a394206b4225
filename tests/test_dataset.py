"""The VoID/DCAT description: counts equal the real counts, licences and distributions are right."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from stpgraph import dataset as d
from stpgraph.export import FORMATS
from stpgraph.inputs import INFERRED_GRAPH, ONTOLOGY_GRAPH, SOURCES_GRAPH
from stpgraph.paths import BASE, GRAPH

ROOT = Path(__file__).resolve().parents[1]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ENDPOINT = "http://127.0.0.1:9/sparql"


@pytest.fixture(scope="module")
def void(store: ox.Store, built: Path) -> ox.Store:
    """The description, loaded into its own store for querying."""
    out = ox.Store()
    out.extend(ox.Quad(t.subject, t.predicate, t.object)
               for t in d.void_triples(store, endpoint=ENDPOINT, build=built.parent))
    return out


def _values(void: ox.Store, subject: str, predicate: str) -> list:
    return sorted((q.object for q in void.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate),
                                                            None)), key=str)


def _one(void: ox.Store, subject: str, predicate: str):
    found = _values(void, subject, predicate)
    assert len(found) == 1, (subject, predicate, found)
    return found[0]


def _real_counts(built: Path) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Counts computed here in plain Python from the N-Quads artefact, not through SPARQL."""
    per: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    union: dict[str, set] = defaultdict(set)
    for q in ox.parse(path=str(built), format=ox.RdfFormat.N_QUADS):
        for bucket in (per[q.graph_name.value], union):
            bucket["triples"].add(q.triple)
            bucket["distinctSubjects"].add(q.subject)
            bucket["distinctObjects"].add(q.object)
            bucket["properties"].add(q.predicate)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(BASE):
                bucket["entities"].add(q.subject)
            if q.predicate.value == RDF_TYPE:
                bucket["classes"].add(q.object)
    return ({g: {k: len(v) for k, v in b.items()} for g, b in per.items()},
            {k: len(v) for k, v in union.items()})


def test_counts_equal_the_real_counts(void: ox.Store, built: Path) -> None:
    per_graph, whole = _real_counts(built)
    ds = d.dataset_iri()
    for key, value in whole.items():
        assert int(_one(void, ds, d.VOID + key).value) == value, key
    subsets = {t.value for t in _values(void, ds, d.VOID + "subset")}
    assert subsets == set(per_graph)
    for graph, counts in per_graph.items():
        for key in ("triples", "entities", "distinctSubjects", "distinctObjects", "properties", "classes"):
            assert int(_one(void, graph, d.VOID + key).value) == counts.get(key, 0), (graph, key)


def test_every_graph_is_described(void: ox.Store, store: ox.Store) -> None:
    for graph in (g.value for g in store.named_graphs()):
        types = {t.value for t in _values(void, graph, RDF_TYPE)}
        assert {d.VOID + "Dataset", d.DCAT + "Dataset"} <= types
        for prop in ("title", "description", "license", "created", "identifier", "isPartOf"):
            assert _values(void, graph, d.DCT + prop), (graph, prop)
        assert _values(void, graph, d.VOID + "exampleResource"), graph
        created = _one(void, graph, d.DCT + "created")
        assert created.datatype.value == d.XSD + "dateTime"
        if graph not in (ONTOLOGY_GRAPH, SOURCES_GRAPH):
            assert _values(void, graph, d.PROV + "wasDerivedFrom"), graph


def test_licences(void: ox.Store, store: ox.Store) -> None:
    assert _one(void, d.dataset_iri(), d.DCT + "license").value == d.CC_BY
    assert _one(void, ONTOLOGY_GRAPH, d.DCT + "license").value == d.CC_BY
    assert _one(void, GRAPH + "bma-stps", d.DCT + "license").value == d.CC_BY
    reference = [f.stem for f in (ROOT / "data" / "reference").glob("*.ttl")]
    assert reference, "the shipped graph has reference tables"
    for name in reference:
        graph = GRAPH + name
        licences = {t.value for t in _values(void, graph, d.DCT + "license")}
        src = _one(void, graph, d.PROV + "wasDerivedFrom")
        own = {q.object.value for q in store.quads_for_pattern(src, ox.NamedNode(d.DCT + "license"), None)}
        assert licences == (own or {d.OGL_V3}), name
        assert any("Open Government Licence" in r.value for r in _values(void, graph, d.DCT + "rights"))


def test_inferred_graph_is_derived_from_the_asserted_ones(void: ox.Store, store: ox.Store) -> None:
    sources = {t.value for t in _values(void, INFERRED_GRAPH, d.PROV + "wasDerivedFrom")}
    assert sources == {g.value for g in store.named_graphs()} - {INFERRED_GRAPH}


def test_one_distribution_per_export_format(void: ox.Store) -> None:
    dists = _values(void, d.dataset_iri(), d.DCAT + "distribution")
    media = {_one(void, x.value, d.DCAT + "mediaType").value for x in dists
             if _values(void, x.value, d.DCAT + "mediaType")}
    assert media == {d.IANA + f.media_type for f in FORMATS.values()}
    assert len(dists) == len(FORMATS) + 1  # and one for the SPARQL endpoint


def test_endpoint_is_a_data_service(void: ox.Store) -> None:
    types = {t.value for t in _values(void, ENDPOINT, RDF_TYPE)}
    assert d.DCAT + "DataService" in types
    assert _one(void, ENDPOINT, d.DCAT + "endpointURL").value == ENDPOINT
    assert _one(void, ENDPOINT, d.DCAT + "servesDataset").value == d.dataset_iri()
    assert _one(void, d.dataset_iri(), d.VOID + "sparqlEndpoint").value == ENDPOINT


def test_without_endpoint_there_is_no_service(store: ox.Store, built: Path) -> None:
    triples = d.void_triples(store, build=built.parent)
    assert not any(t.object.value == d.DCAT + "DataService" for t in triples
                   if isinstance(t.object, ox.NamedNode))
    assert triples == d.void_triples(store, build=built.parent)  # deterministic


def test_example_resources_exist_in_their_graph(void: ox.Store, store: ox.Store) -> None:
    for graph in (g.value for g in store.named_graphs()):
        for example in _values(void, graph, d.VOID + "exampleResource"):
            assert next(store.quads_for_pattern(example, None, None, ox.NamedNode(graph)), None)


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "ntriples"])
def test_cli_prints_a_parsable_description(fmt: str, built: Path) -> None:
    exe = Path(sys.executable).with_name("stpgraph")
    run = subprocess.run([str(exe), "dataset", "--format", fmt], capture_output=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr.decode()
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
                  "ntriples": ox.RdfFormat.N_TRIPLES}[fmt]
    parsed = list(ox.parse(run.stdout, format=rdf_format))
    assert any(q.subject.value == d.dataset_iri() for q in parsed if isinstance(q.subject, ox.NamedNode))
    if fmt == "jsonld":
        doc = json.loads(run.stdout)
        assert any(node.get("@id") == "dataset:stpgraph" for node in doc["@graph"])
