"""Linked data from `stpgraph serve`: every kind of IRI dereferences, with content negotiation."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from server_support import assert_error_shape, live_server

BASE = "https://w3id.org/stpgraph/"
NEGOTIATED = [
    ("text/turtle", "ttl", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", "jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", "nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/n-quads", "nq", "application/n-quads", ox.RdfFormat.N_QUADS),
    ("application/trig", "trig", "application/trig", ox.RdfFormat.TRIG),
]


@pytest.fixture(scope="module")
def server(built: Path):
    with live_server(built) as running:
        yield running


def sample_per_class(store: ox.Store) -> dict[str, str]:
    """One IRI under the base for every class that has such instances."""
    rows = store.query(f"""SELECT ?c (MIN(STR(?s)) AS ?x) WHERE {{ ?s a ?c
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }} GROUP BY ?c""", use_default_graph_as_union=True)
    return {r["c"].value: r["x"].value for r in rows}


def test_many_classes_are_sampled(store) -> None:
    samples = sample_per_class(store)
    assert len(samples) > 30
    assert any(iri.startswith(BASE + "def/") for iri in samples.values())


def _local(server, iri: str) -> str:
    return server.url + "/" + iri[len(BASE):]


def test_every_class_dereferences(server, store) -> None:
    # the ontology's own IRI (…/def/) is served directly by conneg: see test_ontology_page_and_rdf
    samples = sorted(set(sample_per_class(store).values()) - {BASE + "def/"})
    with httpx.Client() as client:
        for iri in samples:
            url = _local(server, iri)
            for accept, ext, media, rdf_format in NEGOTIATED:
                response = client.get(url, headers={"Accept": accept})
                assert response.status_code == 303, (iri, accept, response.text)
                assert response.headers["location"].endswith("." + ext)
                assert "Accept" in response.headers["vary"]
                doc = client.get(server.url + response.headers["location"])
                assert doc.status_code == 200, (iri, ext)
                assert doc.headers["content-type"].startswith(media)
                subjects = {q.subject for q in ox.parse(doc.content, format=rdf_format)}
                assert ox.NamedNode(iri) in subjects, (iri, ext)
            page = client.get(url, headers={"Accept": "text/html"}, follow_redirects=True)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            assert str(page.url).endswith(".html")
            assert iri in page.text


def test_quads_keep_the_source_graph(server) -> None:
    doc = httpx.get(server.url + "/id/form/stp.nq")
    graphs = {q.graph_name.value for q in ox.parse(doc.content, format=ox.RdfFormat.N_QUADS)}
    assert BASE + "graph/ontology" in graphs and BASE + "graph/inferred" in graphs


def test_extension_wins_over_accept(server) -> None:
    response = httpx.get(server.url + "/id/form/stp.ttl", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_entity_page_shows_labels_sources_and_timeline(server) -> None:
    page = httpx.get(server.url + "/id/form/stp.html").text
    assert "sustainability and transformation partnership" in page
    assert 'id="timeline"' in page
    successors = page.split('class="successor"')[1:]
    assert any("integrated care system" in s[:400] for s in successors)
    assert "Next Steps on the NHS Five Year Forward View" in page  # the prompting policy
    assert "2017-03" in page  # a dated change
    assert 'class="src' in page and "nhse-stp-faq" in page  # sources of statements
    assert 'id="incoming"' in page


def test_body_page_has_successor_in_timeline(server, store) -> None:
    row = next(iter(store.query(
        "SELECT ?a ?b WHERE { ?a <https://w3id.org/stpgraph/def/replacedBy> ?b . "
        "?a a <https://w3id.org/stpgraph/def/SustainabilityAndTransformationPartnership> } "
        "ORDER BY ?a LIMIT 1",
        use_default_graph_as_union=True)))
    page = httpx.get(_local(server, row["a"].value) + ".html").text
    timeline = page.split('id="timeline"')[1].split("</section>")[0]
    assert row["b"].value[len(BASE) - 1:] in timeline  # a local link to the successor


def test_ontology_page_and_rdf(server) -> None:
    html = httpx.get(server.url + "/def/", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "text/html" in html.headers["content-type"]
    turtle = httpx.get(server.url + "/def/", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value == BASE + "def/Merger" for t in triples)
    term = httpx.get(server.url + "/def/Merger", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert term.status_code == 200 and str(term.url).endswith("/def/Merger.ttl")


def test_void(server, store) -> None:
    response = httpx.get(server.url + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    void = ox.Store()
    void.load(response.content, format=ox.RdfFormat.TURTLE)
    v = "http://rdfs.org/ns/void#"
    assert void.query(f"ASK {{ ?d a <{v}Dataset> ; <http://purl.org/dc/terms/license> ?l ; "
                      f"<{v}sparqlEndpoint> ?e ; <{v}triples> ?n ; <{v}exampleResource> ?x ; "
                      f"<{v}dataDump> ?dump }}")
    example = next(iter(void.query(f"SELECT ?x WHERE {{ ?d <{v}exampleResource> ?x }} LIMIT 1")))["x"].value
    assert httpx.get(_local(server, example), headers={"Accept": "text/turtle"}).status_code == 303
    dump_url = next(iter(void.query(f"SELECT ?u WHERE {{ ?d <{v}dataDump> ?u }}")))["u"].value
    assert dump_url.startswith(server.url)
    dump = httpx.get(dump_url)
    quads = list(ox.parse(dump.content, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(store)


def test_unknown_iri_is_404(server) -> None:
    assert_error_shape(httpx.get(server.url + "/id/nothing/here"), 404, "not_found")
