"""What the reference-layer tests share: where the committed layer lives, its IRIs, and loaders.

Imported by tests/test_importers.py, tests/test_reference.py and tests/test_waves.py (pytest puts
tests/ on sys.path). The IRIs are written out as docs/modelling.md gives them, not taken from
stpgraph.importers, so that a wrong IRI in the library fails the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Namespace

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
QUERIES = ROOT / "queries"

BASE = "https://w3id.org/stpgraph/"
STP = Namespace("https://w3id.org/stpgraph/def/")
ID = Namespace("https://w3id.org/stpgraph/id/")
GRAPH = Namespace("https://w3id.org/stpgraph/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
STPBODY = Namespace("https://w3id.org/stpgraph/id/stp/")
FOOTPRINT = Namespace("https://w3id.org/stpgraph/id/footprint/")
ICB = Namespace("https://w3id.org/stpgraph/id/icb/")
CCG = Namespace("https://w3id.org/stpgraph/id/ccg/")
SICBL = Namespace("https://w3id.org/stpgraph/id/sub-icb-location/")
REGION = Namespace("https://w3id.org/stpgraph/id/region/")
TRUST = Namespace("https://w3id.org/stpgraph/id/trust/")
EVENT = Namespace("https://w3id.org/stpgraph/id/event/")
FINDING = Namespace("https://w3id.org/stpgraph/id/finding/")
MEMBERSHIP = Namespace("https://w3id.org/stpgraph/id/membership/")


def load_set(folder: Path, name: str) -> Graph:
    """The Turtle file ``folder/<name>.ttl`` of one reference set, parsed."""
    return Graph().parse(folder / f"{name}.ttl", format="turtle")


def union_of(graphs: Iterable[Graph]) -> Graph:
    """One graph holding the triples of all of ``graphs``."""
    g = Graph()
    for part in graphs:
        g += part
    return g
