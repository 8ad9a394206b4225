"""Importer of ``vanguards-and-ics-waves.md``: programmes and waves from 2013 to April 2026.

The Markdown file gathers, each with its public source, the 50 new care models vanguards (2015),
the 25 integrated care pioneers (2013, 2015), the cohorts in which STP footprints became
accountable or integrated care systems (June 2017 to April 2021), and what happened to integrated
care boards from their establishment on 1 July 2022 to the successions of 1 April 2026.

:func:`import_waves` reads the file's tables, lists and source list, checks every row (a bad one
raises :class:`ReferenceTableError` naming the file and line, and nothing is written), checks that
the cohort totals the file states follow from its rows, and writes four Turtle files, each its own
named graph ``graph/<stem>``:

``vanguards.ttl``
    the vanguards, their types (a SKOS scheme ``id/scheme/vanguard-types``) and selection waves;
``pioneers.ttl``
    the integrated care pioneers and their two waves;
``ics-cohorts.ttl``
    one ``stp:Designation`` per body and cohort, the cohorts as ``stp:Wave``\\ s, the February 2018
    renaming and the 2019 absorptions of the sub-STP systems;
``icbs-2026.ttl``
    the ICBs' establishment, the 2025 clustering decision and the 1 April 2026 successions, with
    start and end dates on the boards.

Certainty is data: a fact the file marks ``[inferred]`` carries
``stp:certainty certainty:inferred`` on its own node (the event, the membership, the vanguard's
number); what it marks ``[unverified]`` is left out (an unverified day, say, is dropped and the
month kept). Any mark the importer does not know how to carry is an error, so none can slip in as
a plain fact. Every fact node names its sources with ``dct:source`` (the page or repository file
the file's key points to), and each graph ``prov:wasDerivedFrom`` its dataset
``id/dataset/<stem>``, which describes the file and lists those sources.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..namespace import STP
from ._base import (
    DATASET,
    ReferenceTableError,
    dataset_node,
    en,
    graph_iri,
)
from ._markdown import parse_markdown, parse_sources
from ._turtle import TurtleWriter, write_sets
from ._waves_base import (
    LOCAL_FILES,
    PREFIXES,
    SETS,
    STP21,
    VANGUARD_LINKS,
    _Builder,
)
from ._waves_icbs import build_icbs
from ._waves_ics import build_cohorts
from ._waves_programmes import build_pioneers, build_vanguards

__all__ = ["SETS", "STP21", "VANGUARD_LINKS", "build_waves", "import_waves", "render_waves"]

# =================================================================================================
#  Datasets, rendering and writing
# =================================================================================================

_DATASETS = {
    "vanguards": ("New care models vanguards, 2015 (compiled)", "1a",
                  "The 50 vanguards of NHS England's New Models of Care programme with their "
                  "type and selection wave, and NHS England's running numbers."),
    "pioneers": ("Integrated care and support pioneers, 2013 and 2015 (compiled)", "1b",
                 "The 25 integrated care and support pioneer areas in their two waves."),
    "ics-cohorts": ("Accountable and integrated care system cohorts, 2017 to 2021 (compiled)", "2",
                    "The cohorts in which STP footprints, and a few smaller systems, were "
                    "designated shadow accountable care systems and integrated care systems."),
    "icbs-2026": ("Integrated care boards, July 2022 to April 2026 (compiled)", "3",
                  "The establishment of the 42 integrated care boards, the 2025 decisions on "
                  "running costs and clusters, and the successions of 1 April 2026."),
}


def _describe_dataset(b: _Builder, stem: str) -> None:
    out = b.out[stem]
    g = out.graph
    title, section, description = _DATASETS[stem]
    ds = dataset_node(g, stem, title)
    g.add((ds, DCTERMS.description, en(
        f"{description} Compiled by the stpgraph developers in the Markdown file "
        f"{b.doc.path.name} (section {section}) from public web pages and public repository "
        f"files, each fact with its source; facts marked there as unverified are left out and "
        f"inferred ones are marked with stp:certainty.")))
    g.add((ds, DCTERMS.bibliographicCitation, en(
        f"{b.doc.title or b.doc.path.name}, section {section} ({b.doc.path.name}).")))
    for key in sorted(out.cited):
        entry = b.sources[key]
        page = URIRef(entry.iri)
        g.add((ds, DCTERMS.source, page))
        g.add((page, RDF.type, STP.Report if entry.kind == "page" else STP.Document))
        g.add((page, RDFS.label, en(f"{entry.address} (source {key})")))
        g.add((page, DCTERMS.identifier, Literal(key)))


def build_waves(md_path: Path) -> dict[str, tuple[Graph, dict[str, int]]]:
    """Parse and check the file, and return each set's graph with the counts it holds."""
    path = Path(md_path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceTableError(path, None, f"cannot read the file: {exc}") from None
    doc = parse_markdown(path, text)
    sources = parse_sources(doc.section_titled("Sources"), LOCAL_FILES)
    b = _Builder(doc, sources)
    counts = {
        "vanguards": build_vanguards(b, doc.section("1a")),
        "pioneers": build_pioneers(b, doc.section("1b")),
        "ics-cohorts": build_cohorts(b, doc.section("2")),
        "icbs-2026": build_icbs(b, doc.section("3")),
    }
    for stem in SETS:
        _describe_dataset(b, stem)
    return {stem: (b.out[stem].graph, counts[stem]) for stem in SETS}


def render_waves(md_path: Path) -> dict[str, tuple[str, int]]:
    """Each set's Turtle text and number of triples, nothing written."""
    rendered = {}
    for stem, (g, _counts) in build_waves(md_path).items():
        header = (
            f"# stpgraph reference layer: named graph <{graph_iri(stem)}>.\n"
            f"# Generated by stpgraph.importers.markdown_waves from {Path(md_path).name}.\n"
            f"# Do not edit by hand; regenerate with `stpgraph import-reference`.\n")
        text = TurtleWriter(PREFIXES).render(g, first=[graph_iri(stem), DATASET[stem]],
                                             header=header)
        rendered[stem] = (text, len(g))
    return rendered


def import_waves(md_path: Path, out_dir: Path) -> dict[str, int]:
    """Import the Markdown fact file into ``out_dir/<set>.ttl`` for each of :data:`SETS`.

    Everything is parsed, checked and rendered before the first file is written, so a bad row
    means no file changes. Returns the number of triples written per set.
    """
    return write_sets(render_waves(md_path), out_dir)
