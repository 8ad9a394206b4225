"""The generated ontology documentation and JSON-LD context are current and complete."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

from stpgraph import ontodocs
from stpgraph.paths import DEF

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "stp.ttl"
HTML = ROOT / ontodocs.ONTOLOGY_HTML
STALE = "out of date with ontology/stp.ttl: run `make docs` (python -m stpgraph.ontodocs)"


def _terms() -> list[str]:
    graph = Graph().parse(ONTOLOGY)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted({str(s) for k in kinds for s in graph.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and str(s).startswith(DEF) and str(s) != DEF})


def test_html_was_made_from_the_current_ontology() -> None:
    assert HTML.is_file(), f"{HTML} is missing: {STALE}"
    digest = hashlib.sha256(ONTOLOGY.read_bytes()).hexdigest()
    assert ontodocs.stamped_digest(HTML) == digest, f"docs/ontology/index.html is {STALE}"


def test_regenerating_the_html_gives_the_checked_in_page() -> None:
    assert ontodocs.render_html(ONTOLOGY) == HTML.read_text(encoding="utf-8"), \
        f"docs/ontology/index.html is {STALE}"


def test_html_documents_every_term() -> None:
    text = HTML.read_text(encoding="utf-8")
    missing = [t for t in _terms() if t not in text]
    assert not missing, f"terms missing from the docs: {missing[:10]}"


def test_html_loads_nothing_from_elsewhere() -> None:
    text = HTML.read_text(encoding="utf-8")
    for tag in ("<script src=", '<link rel="stylesheet" href="http', "<img src=\"http"):
        assert tag not in text


def test_both_context_files_are_current() -> None:
    expected = ontodocs.context_text(ONTOLOGY)
    assert ontodocs.CONTEXT_PATH.read_text(encoding="utf-8") == expected, \
        f"src/stpgraph/context.jsonld is {STALE}"
    assert (ROOT / ontodocs.PUBLISHED_CONTEXT).read_text(encoding="utf-8") == expected, \
        f"docs/context.jsonld is {STALE}"
    assert ontodocs.is_current(ROOT)


def test_context_has_a_short_key_for_every_term_of_ours() -> None:
    context = json.loads(ontodocs.CONTEXT_PATH.read_text())["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else value

    by_iri = {expand(v if isinstance(v, str) else v["@id"]): k for k, v in context.items()
              if not k.startswith("@") and k not in prefixes}
    for term in _terms():
        assert by_iri.get(term) == term.removeprefix(DEF), term
    assert context["replacedBy"] == {"@id": "stp:replacedBy", "@type": "@id"}
    assert context["label"] == "rdfs:label"


def test_check_mode_reports_staleness(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "ontology" / "stp.ttl").write_bytes(ONTOLOGY.read_bytes() + b"\n# changed\n")
    (tmp_path / "docs" / "ontology").mkdir(parents=True)
    (tmp_path / ontodocs.ONTOLOGY_HTML).write_bytes(HTML.read_bytes())
    (tmp_path / ontodocs.PUBLISHED_CONTEXT).write_bytes((ROOT / ontodocs.PUBLISHED_CONTEXT).read_bytes())
    monkeypatch.setenv("STPGRAPH_HOME", str(tmp_path))
    assert ontodocs.main(["--check"]) == 1
