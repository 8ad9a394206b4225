"""``stpgraph build``: parse → validate → reason → write one N-Quads artefact, atomically.

The artefact is ``build/graph.nq`` (every named graph, sorted) with ``build/manifest.json``
beside it (input digest, triple counts, timings). A build is skipped when the manifest's digest
matches the inputs; a failed build leaves the previous artefact untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from . import __version__
from .errors import ValidationError
from .inputs import INFERRED_GRAPH, ONTOLOGY_GRAPH, checks_dir, collect_inputs, digest, shapes_path
from .load import load_graphs, union
from .paths import build_dir, project_root
from .reason import infer
from .validate import check_queries, shape_violations

ARTEFACT = "graph.nq"
MANIFEST = "manifest.json"
_CODE = ("build.py", "load.py", "reason.py", "validate.py", "inputs.py")


@dataclass
class BuildReport:
    """What a build did: triples per graph, inferred count and seconds per step."""

    graphs: dict[str, int] = field(default_factory=dict)
    inferred: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    digest: str = ""
    skipped: bool = False
    version: str = __version__

    @property
    def total(self) -> int:
        """All quads in the artefact, inferred ones included."""
        return sum(self.graphs.values())


def _input_digest(root: Path) -> str:
    files = [i.path for i in collect_inputs(root)]
    files.append(shapes_path(root))
    files.extend(check_queries(checks_dir(root)))
    here = Path(__file__).parent
    files.extend(here / name for name in _CODE)
    return digest(files) + ":" + __version__


def read_manifest(out: Path) -> dict | None:
    """Return the manifest of the build in ``out``, or None when there is none."""
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def is_current(root: Path | None = None, out: Path | None = None) -> bool:
    """True when ``build/`` holds an artefact built from exactly the current inputs."""
    root = root or project_root()
    out = out or build_dir(root)
    manifest = read_manifest(out)
    return bool(manifest) and (out / ARTEFACT).is_file() and (
        manifest.get("digest") == _input_digest(root)
    )


def _ox(term: URIRef | BNode | Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def quads(graphs: dict[str, Graph]) -> list[ox.Quad]:
    """Convert rdflib graphs, keyed by graph IRI, to pyoxigraph quads."""
    out = []
    for name, graph in graphs.items():
        g = ox.NamedNode(name)
        out.extend(ox.Quad(_ox(s), _ox(p), _ox(o), g) for s, p, o in graph)
    return out


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_checks(store: ox.Store, root: Path) -> list[str]:
    """Run every ``queries/*-violation.rq`` check; return one line per offending row."""
    problems = []
    for path in check_queries(checks_dir(root)):
        for row in store.query(path.read_text(), use_default_graph_as_union=True):
            values = ", ".join(str(v) for v in row if v is not None)
            problems.append(f"{path.name}: {values}")
    return problems


def build(root: Path | None = None, *, out: Path | None = None, force: bool = False,
          echo: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Build the graph artefact under ``out`` (default ``build/``) unless it is current.

    Raises InputError, ValidationError or ReasoningError; on any error the previous artefact
    stays as it was.
    """
    root = root or project_root()
    out = out or build_dir(root)
    key = _input_digest(root)
    manifest = read_manifest(out)
    if not force and manifest and manifest.get("digest") == key and (out / ARTEFACT).is_file():
        report = BuildReport(graphs=manifest["graphs"], inferred=manifest["inferred"],
                             seconds=manifest["seconds"], digest=key, skipped=True)
        echo("graph is up to date (use --force to rebuild)")
        return report

    report = BuildReport(digest=key)
    t0 = time.perf_counter()
    inputs = collect_inputs(root)
    echo(f"parsing {len(inputs)} files")
    graphs = load_graphs(inputs)
    ontology = graphs[ONTOLOGY_GRAPH]
    data = union(g for name, g in graphs.items() if name != ONTOLOGY_GRAPH)
    report.seconds["parse"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    echo("validating against ontology/shapes.ttl")
    problems = shape_violations(union([data, ontology]), ontology, shapes_path(root))
    if problems:
        raise ValidationError(f"{len(problems)} SHACL violation(s)", problems)
    report.seconds["validate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    echo("reasoning (OWL-RL)")
    inferred = infer(ontology, data)
    graphs[INFERRED_GRAPH] = inferred
    report.seconds["reason"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    all_quads = quads(graphs)
    store = ox.Store()
    store.bulk_extend(all_quads)
    problems = run_checks(store, root)
    if problems:
        raise ValidationError(f"{len(problems)} check violation(s)", problems)
    report.seconds["check"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    text = ox.serialize(all_quads, format=ox.RdfFormat.N_QUADS)
    lines = sorted(set(text.decode().splitlines()))
    _write_atomic(out / ARTEFACT, ("\n".join(lines) + "\n").encode())
    report.graphs = {name: len(g) for name, g in sorted(graphs.items())}
    report.inferred = len(inferred)
    report.seconds["write"] = time.perf_counter() - t0
    _write_atomic(out / MANIFEST, json.dumps(asdict(report), indent=2).encode())
    return report
