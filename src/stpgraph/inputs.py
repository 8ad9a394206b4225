"""The files a build reads, and the named graph each one becomes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .paths import graph_iri

ONTOLOGY_GRAPH = graph_iri("ontology")
SOURCES_GRAPH = graph_iri("sources")
INFERRED_GRAPH = graph_iri("inferred")


@dataclass(frozen=True)
class Input:
    """One Turtle file and the named graph its triples are loaded into."""

    path: Path
    graph: str

    @property
    def is_ontology(self) -> bool:
        """True for the ontology's own files, which hold terms rather than facts."""
        return self.graph == ONTOLOGY_GRAPH


def collect_inputs(root: Path) -> list[Input]:
    """List the build's input files in a fixed order.

    ``ontology/stp.ttl`` and ``ontology/schemes.ttl`` form the ontology graph; ``data/sources.ttl``
    the sources graph; each ``data/seeds/*.ttl`` and ``data/reference/*.ttl`` its own graph named
    after the file's stem.
    """
    found = [
        Input(root / "ontology" / "stp.ttl", ONTOLOGY_GRAPH),
        Input(root / "ontology" / "schemes.ttl", ONTOLOGY_GRAPH),
        Input(root / "data" / "sources.ttl", SOURCES_GRAPH),
    ]
    for folder in ("seeds", "reference"):
        for path in sorted((root / "data" / folder).glob("*.ttl")):
            found.append(Input(path, graph_iri(path.stem)))
    names: dict[str, Path] = {}
    for item in found:
        if item.graph in names and not item.is_ontology:
            raise ValueError(f"{item.path} and {names[item.graph]} would both be graph {item.graph}")
        names[item.graph] = item.path
    return found


def shapes_path(root: Path) -> Path:
    """Return the SHACL shapes file."""
    return root / "ontology" / "shapes.ttl"


def checks_dir(root: Path) -> Path:
    """Return the folder of saved queries; those named ``*-violation.rq`` are build checks."""
    return root / "queries"


def digest(paths: list[Path]) -> str:
    """Return a SHA-256 over the names and contents of ``paths``, to tell when a build is stale."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.name).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()
