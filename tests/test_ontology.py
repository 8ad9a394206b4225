"""The ontology parses, documents every term, matches the typed namespace, and is OWL 2 DL
consistent with the shipped data (checked by HermiT, a real DL reasoner, through owlready2)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from stpgraph.namespace import STP
from stpgraph.paths import DEF

ROOT = Path(__file__).resolve().parents[1]
VANN = "http://purl.org/vocab/vann/"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "stp.ttl")


def _terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(DEF)
            and str(s) != DEF}


def test_every_term_is_documented(ontology: Graph) -> None:
    terms = _terms(ontology)
    assert len(terms) > 100
    for term in sorted(terms):
        assert ontology.value(term, RDFS.label), f"{term} has no rdfs:label"
        assert ontology.value(term, SKOS.definition), f"{term} has no skos:definition"
        assert ontology.value(term, RDFS.isDefinedBy) == URIRef(DEF), f"{term} lacks isDefinedBy"


def test_ontology_header(ontology: Graph) -> None:
    head = URIRef(DEF)
    assert (head, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionInfo, DCTERMS.license, DCTERMS.creator, DCTERMS.publisher):
        assert ontology.value(head, prop) is not None, prop
    assert str(ontology.value(head, URIRef(VANN + "preferredNamespacePrefix"))) == "stp"


def test_namespace_class_matches_ontology(ontology: Graph) -> None:
    declared = {str(t)[len(DEF):] for t in _terms(ontology)}
    generated = set(STP.__annotations__)
    assert declared == generated, "run `make namespace` after changing ontology/stp.ttl"
    with pytest.raises(AttributeError):
        STP.NoSuchTerm  # noqa: B018 - _fail = True must reject unknown terms


def test_replaced_by_is_derived_not_transitive(ontology: Graph) -> None:
    assert (STP.replacedBy, RDF.type, OWL.TransitiveProperty) not in ontology
    assert (STP.eventuallyReplacedBy, RDF.type, OWL.TransitiveProperty) in ontology
    assert (STP.replacedBy, RDFS.subPropertyOf, STP.eventuallyReplacedBy) in ontology
    chains = list(ontology.objects(STP.replacedBy, OWL.propertyChainAxiom))
    assert len(chains) == 2


def test_every_scheme_concept_is_documented() -> None:
    g = Graph().parse(ROOT / "ontology" / "schemes.ttl")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 30
    for c in concepts:
        assert g.value(c, RDFS.label) and g.value(c, SKOS.definition) and g.value(c, SKOS.inScheme)


# --- OWL 2 DL consistency with HermiT ---------------------------------------------------------

# xsd:date, xsd:gYear and xsd:gYearMonth are outside the OWL 2 datatype map, which HermiT
# refuses; no axiom constrains them, so they are given to HermiT as plain strings.
_NON_OWL_DATES = re.compile(r"\^\^<http://www\.w3\.org/2001/XMLSchema#(gYear|gYearMonth|date)>")


def _hermit_consistent(ntriples: str, tmp_path: Path) -> bool:
    import owlready2
    path = tmp_path / "union.nt"
    path.write_text(_NON_OWL_DATES.sub("", ntriples))
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


def _asserted_ntriples(built: Path) -> str:
    lines = set()
    for line in built.read_text().splitlines():
        if "/graph/inferred> ." in line:
            continue
        lines.add(re.sub(r" <[^>]*> \.$", " .", line))
    return "\n".join(sorted(lines)) + "\n"


@pytest.mark.slow
def test_ontology_and_data_are_dl_consistent(built: Path, tmp_path: Path) -> None:
    assert shutil.which("java"), "HermiT needs Java (installed by .ci/run)"
    assert _hermit_consistent(_asserted_ntriples(built), tmp_path)


@pytest.mark.slow
def test_hermit_flags_a_denied_replacement(built: Path, tmp_path: Path) -> None:
    denied = ("<https://w3id.org/stpgraph/id/form/vanguard> "
              "<https://w3id.org/stpgraph/def/replacedBy> "
              "<https://w3id.org/stpgraph/id/form/stp> .\n")
    assert not _hermit_consistent(_asserted_ntriples(built) + denied, tmp_path)
