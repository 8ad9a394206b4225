"""Artefacts generated from the ontology: HTML documentation and the JSON-LD ``@context``.

* ``docs/ontology/index.html``: pyLODE's documentation of ``ontology/stp.ttl`` (served at ``/def/``),
  stamped with the SHA-256 of the Turtle it was made from, so a test can tell when it is stale.
* ``src/stpgraph/context.jsonld`` (and its published copy ``docs/context.jsonld``): the JSON-LD
  context that ``stpgraph export --format jsonld`` uses: short keys for every term the ontology
  declares, prefixes for our IRIs and the vocabularies we reuse.

Regenerate both with ``python -m stpgraph.ontodocs`` (``make docs``); ``--check`` only reports.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

from .namespace import PREFIXES
from .paths import DEF, project_root

#: The packaged context, read by the exporter.
CONTEXT_PATH = Path(__file__).with_name("context.jsonld")
#: Where the published context lives, relative to the project root.
PUBLISHED_CONTEXT = Path("docs") / "context.jsonld"
#: Where the ontology's HTML documentation lives, relative to the project root.
ONTOLOGY_HTML = Path("docs") / "ontology" / "index.html"
#: The IRI the context is published at.
CONTEXT_IRI = "https://w3id.org/stpgraph/context.jsonld"

_STAMP = '<meta name="stpgraph-ontology-sha256" content="{}">'

#: Prefixes beyond :data:`stpgraph.namespace.PREFIXES` that the data and dataset descriptions use.
EXTRA_PREFIXES = {
    "dataset": "https://w3id.org/stpgraph/id/dataset/",
    "person": "https://w3id.org/stpgraph/id/person/",
    "statgeo": "http://statistics.data.gov.uk/id/statistical-geography/",
    "vann": "http://purl.org/vocab/vann/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}

#: Common terms given short keys when no ontology term already has that name: (key, IRI, is-link).
COMMON_TERMS = [
    ("label", "http://www.w3.org/2000/01/rdf-schema#label", False),
    ("comment", "http://www.w3.org/2000/01/rdf-schema#comment", False),
    ("seeAlso", "http://www.w3.org/2000/01/rdf-schema#seeAlso", True),
    ("isDefinedBy", "http://www.w3.org/2000/01/rdf-schema#isDefinedBy", True),
    ("subClassOf", "http://www.w3.org/2000/01/rdf-schema#subClassOf", True),
    ("subPropertyOf", "http://www.w3.org/2000/01/rdf-schema#subPropertyOf", True),
    ("domain", "http://www.w3.org/2000/01/rdf-schema#domain", True),
    ("range", "http://www.w3.org/2000/01/rdf-schema#range", True),
    ("sourceIndividual", "http://www.w3.org/2002/07/owl#sourceIndividual", True),
    ("assertionProperty", "http://www.w3.org/2002/07/owl#assertionProperty", True),
    ("targetIndividual", "http://www.w3.org/2002/07/owl#targetIndividual", True),
    ("targetValue", "http://www.w3.org/2002/07/owl#targetValue", False),
    ("NegativePropertyAssertion", "http://www.w3.org/2002/07/owl#NegativePropertyAssertion", False),
    ("topConceptOf", "http://www.w3.org/2004/02/skos/core#topConceptOf", True),
    ("hasTopConcept", "http://www.w3.org/2004/02/skos/core#hasTopConcept", True),
    ("narrower", "http://www.w3.org/2004/02/skos/core#narrower", True),
    ("related", "http://www.w3.org/2004/02/skos/core#related", True),
    ("license", "http://purl.org/dc/terms/license", True),
    ("source", "http://purl.org/dc/terms/source", True),
    ("rights", "http://purl.org/dc/terms/rights", False),
    ("hasPart", "http://purl.org/dc/terms/hasPart", True),
    ("conformsTo", "http://purl.org/dc/terms/conformsTo", True),
    ("modified", "http://purl.org/dc/terms/modified", False),
    ("format", "http://purl.org/dc/terms/format", False),
    ("dateAccepted", "http://purl.org/dc/terms/dateAccepted", False),
    ("wasGeneratedBy", "http://www.w3.org/ns/prov#wasGeneratedBy", True),
    ("Dataset", "http://www.w3.org/ns/dcat#Dataset", False),
    ("Distribution", "http://www.w3.org/ns/dcat#Distribution", False),
    ("DataService", "http://www.w3.org/ns/dcat#DataService", False),
    ("distribution", "http://www.w3.org/ns/dcat#distribution", True),
    ("downloadURL", "http://www.w3.org/ns/dcat#downloadURL", True),
    ("accessURL", "http://www.w3.org/ns/dcat#accessURL", True),
    ("accessService", "http://www.w3.org/ns/dcat#accessService", True),
    ("endpointURL", "http://www.w3.org/ns/dcat#endpointURL", True),
    ("servesDataset", "http://www.w3.org/ns/dcat#servesDataset", True),
    ("mediaType", "http://www.w3.org/ns/dcat#mediaType", True),
    ("exampleResource", "http://rdfs.org/ns/void#exampleResource", True),
    ("subset", "http://rdfs.org/ns/void#subset", True),
    ("triples", "http://rdfs.org/ns/void#triples", False),
    ("entities", "http://rdfs.org/ns/void#entities", False),
    ("sparqlEndpoint", "http://rdfs.org/ns/void#sparqlEndpoint", True),
    ("dataDump", "http://rdfs.org/ns/void#dataDump", True),
    ("vocabulary", "http://rdfs.org/ns/void#vocabulary", True),
]


def ontology_path(root: Path | None = None) -> Path:
    """The ontology file documented here."""
    return (root or project_root()) / "ontology" / "stp.ttl"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- JSON-LD context ---------------------------------------------------------------------


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def make_context(ontology: Path) -> dict:
    """Build the JSON-LD context from the ontology: one key per declared term, plus prefixes.

    Our own terms take their local names (``replacedBy``, ``IntegratedCareBoard``); terms of reused
    vocabularies take theirs when no term of ours has that name, else stay as ``prefix:name``.
    Object properties are typed ``@id`` so their IRI values compact too. Strings default to ``en``.
    """
    graph = Graph().parse(ontology, format="turtle")
    declared: dict[str, bool] = {}
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                 OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty):
        for subject in graph.subjects(RDF.type, kind):
            if isinstance(subject, URIRef) and str(subject) != DEF:
                link = (subject, RDF.type, OWL.ObjectProperty) in graph or kind in (
                    OWL.TransitiveProperty, OWL.SymmetricProperty)
                declared[str(subject)] = declared.get(str(subject), False) or link
    ours = sorted(iri for iri in declared if iri.startswith(DEF))
    # A term of ours wins over a prefix of the same name (stp:status over the status: prefix);
    # IRIs under such a prefix then compact with the general id: prefix instead.
    own_keys = {_local(i) for i in ours}
    prefixes = {k: v for k, v in {**PREFIXES, **EXTRA_PREFIXES}.items() if k not in own_keys}
    context: dict[str, object] = {"@language": "en"}
    context.update(dict(sorted(prefixes.items())))
    taken = set(context)
    theirs = sorted(iri for iri in declared if not iri.startswith(DEF))
    terms: dict[str, object] = {}
    links = {iri for _key, iri, link in COMMON_TERMS if link}
    candidates = ([(_local(i), i, declared[i] or i in links) for i in ours + theirs]
                  + COMMON_TERMS)
    for key, iri, link in candidates:
        if key in taken or not key.replace("_", "").isalnum():
            continue
        taken.add(key)
        terms[key] = {"@id": _compact(iri, prefixes), "@type": "@id"} if link else _compact(iri, prefixes)
    context.update(dict(sorted(terms.items(), key=lambda kv: (kv[0].lower(), kv[0]))))
    return {"@context": context}


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def context_text(ontology: Path) -> str:
    """The context file's text (stable: sorted keys, one per line)."""
    return json.dumps(make_context(ontology), indent=1, ensure_ascii=False) + "\n"


def load_context() -> dict:
    """The packaged JSON-LD context document (``{"@context": {...}}``)."""
    return json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))


# --- HTML documentation ------------------------------------------------------------------


def render_html(ontology: Path) -> str:
    """Document ``ontology`` with pyLODE (offline) and stamp the page with the Turtle's SHA-256."""
    import logging
    import warnings

    level = logging.root.level
    try:
        with warnings.catch_warnings():
            # pyLODE leaves its bundled CSS file open; nothing we can fix from here.
            warnings.simplefilter("ignore", ResourceWarning)
            from pylode import OntPub

            html = OntPub(ontology=str(ontology)).make_html()
            import gc

            gc.collect()
    finally:
        logging.root.setLevel(level)
    stamp = _STAMP.format(_digest(ontology))
    return html.replace("<head>", f"<head>\n    {stamp}", 1)


def stamped_digest(html_path: Path) -> str | None:
    """The ontology digest a generated page was made from, or None when it carries none."""
    try:
        text = html_path.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r'<meta name="stpgraph-ontology-sha256" content="([0-9a-f]{64})">', text)
    return match.group(1) if match else None


def is_current(root: Path | None = None) -> bool:
    """True when the checked-in docs and context were generated from the current ontology."""
    root = root or project_root()
    ontology = ontology_path(root)
    text = context_text(ontology)
    return (stamped_digest(root / ONTOLOGY_HTML) == _digest(ontology)
            and CONTEXT_PATH.read_text(encoding="utf-8") == text
            and (root / PUBLISHED_CONTEXT).read_text(encoding="utf-8") == text)


def _write(path: Path, text: str) -> bool:
    """Write ``text`` atomically when it differs; return True when the file changed."""
    from .atomic import write_atomic

    data = text.encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


def generate(root: Path | None = None) -> list[Path]:
    """Regenerate the HTML docs and both copies of the context; return the files that changed."""
    root = root or project_root()
    ontology = ontology_path(root)
    changed = []
    text = context_text(ontology)
    for path in (CONTEXT_PATH, root / PUBLISHED_CONTEXT):
        if _write(path, text):
            changed.append(path)
    stale = stamped_digest(root / ONTOLOGY_HTML) != _digest(ontology)
    if stale and _write(root / ONTOLOGY_HTML, render_html(ontology)):
        changed.append(root / ONTOLOGY_HTML)
    return changed


def main(argv: list[str] | None = None) -> int:
    """``python -m stpgraph.ontodocs [--check] [--force]``: regenerate, or report staleness."""
    args = sys.argv[1:] if argv is None else argv
    root = project_root()
    if "--check" in args:
        if is_current(root):
            print("ontology docs and JSON-LD context are current")
            return 0
        print("ontology docs or JSON-LD context are stale: run `make docs`", file=sys.stderr)
        return 1
    if "--force" in args:
        (root / ONTOLOGY_HTML).unlink(missing_ok=True)
    changed = generate(root)
    for path in changed:
        print(f"wrote {path.relative_to(root) if path.is_relative_to(root) else path}")
    if not changed:
        print("ontology docs and JSON-LD context are current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
