"""``stpgraph build``: parse → validate → reason → check → write one N-Quads artefact, atomically.

The artefact is ``build/graph.nq`` (every named graph, sorted) with ``build/manifest.json``
beside it (input digest, triple counts, timings, which reasoner and validator ran). A build is
skipped when the manifest's digest matches the inputs; a failed build leaves the previous
artefact untouched.

The graph is held once, in an in-memory pyoxigraph store that the inputs are bulk-loaded into.
Two paths, chosen by size (``AUTO_FAST_ABOVE`` quads) or by the ``reasoner``/``validator``
arguments:

* reference: pySHACL over the whole graph, owlrl for the OWL-RL closure (rdflib copies of the
  store are made for them, which is fine for small graphs);
* fast: shapes compiled to SPARQL with pySHACL judging only the suspects (``shacl_fast``), and
  the compiled OWL-RL rules of ``reason_fast``. Tests hold both paths to the same output.

If the ontology or shapes use something the fast path does not implement, ``auto`` uses the
reference path for that step and says so.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import __version__
from .atomic import write_atomic
from .errors import UsageError, ValidationError
from .inputs import INFERRED_GRAPH, ONTOLOGY_GRAPH, checks_dir, collect_inputs, digest, shapes_path
from .load import graph_of, load_store, to_oxigraph
from .paths import build_dir, project_root
from .reason import infer
from .validate import check_queries, shape_violations, shape_violations_store

ARTEFACT = "graph.nq"
MANIFEST = "manifest.json"
_CODE = ("build.py", "load.py", "reason.py", "reason_fast.py", "validate.py", "shacl_fast.py", "inputs.py")
#: graphs with more quads than this take the fast reasoner and validator under ``auto``
AUTO_FAST_ABOVE = 10_000
CHOICES = ("auto", "owlrl", "fast")
VALIDATORS = ("auto", "pyshacl", "fast")


@dataclass
class BuildReport:
    """What a build did: triples per graph, inferred count, seconds per step, paths taken."""

    graphs: dict[str, int] = field(default_factory=dict)
    inferred: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    digest: str = ""
    skipped: bool = False
    version: str = __version__
    reasoner: str = ""
    validator: str = ""
    cpu_seconds: dict[str, float] = field(default_factory=dict)

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


def quads(graphs: dict[str, Graph]) -> list[ox.Quad]:
    """Convert rdflib graphs, keyed by graph IRI, to pyoxigraph quads."""
    out = []
    for name, graph in graphs.items():
        g = ox.NamedNode(name)
        out.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), g) for s, p, o in graph)
    return out




def run_checks(store: ox.Store, root: Path) -> list[str]:
    """Run every ``queries/*-violation.rq`` check; return one line per offending row."""
    problems = []
    for path in check_queries(checks_dir(root)):
        for row in store.query(path.read_text(), use_default_graph_as_union=True):
            values = ", ".join(str(v) for v in row if v is not None)
            problems.append(f"{path.name}: {values}")
    return problems


class _Steps:
    """Times each step of the build in wall-clock and CPU seconds."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report

    def __call__(self, name: str):
        steps = self

        class _Timer:
            def __enter__(self) -> None:
                self.t, self.c = time.perf_counter(), time.process_time()

            def __exit__(self, *exc: object) -> None:
                steps.report.seconds[name] = time.perf_counter() - self.t
                steps.report.cpu_seconds[name] = time.process_time() - self.c

        return _Timer()


def _validate(store: ox.Store, root: Path, how: str, echo: Callable[[str], None]) -> str:
    shapes = shapes_path(root)
    if how in ("auto", "fast"):
        from .shacl_fast import UnsupportedShapes

        try:
            problems = shape_violations_store(store, ONTOLOGY_GRAPH, shapes)
            how = "fast"
        except UnsupportedShapes as exc:
            if how == "fast":
                raise UsageError(f"the fast validator cannot run these shapes: {exc}") from exc
            echo(f"shapes need the full pySHACL run ({exc})")
            how = "pyshacl"
    if how == "pyshacl":
        names = [str(g.value) for g in store.named_graphs()]
        ontology = graph_of(store, [ONTOLOGY_GRAPH])
        data = graph_of(store, names)
        problems = shape_violations(data, ontology, shapes)
    if problems:
        raise ValidationError(f"{len(problems)} SHACL violation(s)", problems)
    return how


def _reason(store: ox.Store, how: str, echo: Callable[[str], None]) -> tuple[str, int]:
    g = ox.NamedNode(INFERRED_GRAPH)
    if how in ("auto", "fast"):
        from .reason_fast import UnsupportedOntology, infer_store

        try:
            triples = infer_store(store, ONTOLOGY_GRAPH)
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
            return "fast", len(triples)
        except UnsupportedOntology as exc:
            if how == "fast":
                raise UsageError(f"the fast reasoner cannot handle this ontology: {exc}") from exc
            echo(f"ontology needs owlrl ({exc})")
    names = [str(n.value) for n in store.named_graphs() if n.value != ONTOLOGY_GRAPH]
    inferred = infer(graph_of(store, [ONTOLOGY_GRAPH]), graph_of(store, names))
    store.bulk_extend(quads({INFERRED_GRAPH: inferred}))
    return "owlrl", len(inferred)


def _write_sorted(store: ox.Store, path: Path) -> None:
    text = store.dump(format=ox.RdfFormat.N_QUADS).decode()
    lines = text.splitlines()
    del text
    lines.sort()
    data = ("\n".join(lines) + "\n").encode()
    del lines
    write_atomic(path, data)


def _counts(store: ox.Store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row[0].value: int(row[1].value) for row in sorted(rows, key=lambda r: r[0].value)}


def build(root: Path | None = None, *, out: Path | None = None, force: bool = False,
          echo: Callable[[str], None] = lambda _m: None, reasoner: str = "auto",
          validator: str = "auto") -> BuildReport:
    """Build the graph artefact under ``out`` (default ``build/``) unless it is current.

    ``reasoner`` is ``auto`` (owlrl up to ``AUTO_FAST_ABOVE`` quads, the compiled rules above),
    ``owlrl`` or ``fast``; ``validator`` likewise ``auto``, ``pyshacl`` or ``fast``. Raises
    InputError, ValidationError, ReasoningError or UsageError; on any error the previous artefact
    stays as it was.
    """
    if reasoner not in CHOICES:
        raise UsageError(f"unknown reasoner {reasoner!r}; choose one of {', '.join(CHOICES)}")
    if validator not in VALIDATORS:
        raise UsageError(f"unknown validator {validator!r}; choose one of {', '.join(VALIDATORS)}")
    root = root or project_root()
    out = out or build_dir(root)
    key = _input_digest(root)
    manifest = read_manifest(out)
    if (not force and manifest and manifest.get("digest") == key and (out / ARTEFACT).is_file()
            and reasoner in ("auto", manifest.get("reasoner"))
            and validator in ("auto", manifest.get("validator"))):
        report = BuildReport(graphs=manifest["graphs"], inferred=manifest["inferred"],
                             seconds=manifest["seconds"], digest=key, skipped=True,
                             reasoner=manifest.get("reasoner", ""), validator=manifest.get("validator", ""))
        echo("graph is up to date (use --force to rebuild)")
        return report

    report = BuildReport(digest=key)
    step = _Steps(report)
    with step("parse"):
        inputs = collect_inputs(root)
        echo(f"parsing {len(inputs)} files")
        store = load_store(inputs)
        size = len(store)
    big = size > AUTO_FAST_ABOVE
    with step("validate"):
        how = validator if validator != "auto" else ("auto" if big else "pyshacl")
        echo(f"validating {size:,} triples against ontology/shapes.ttl ({how.replace('auto', 'fast')})")
        report.validator = _validate(store, root, how, echo)
    with step("reason"):
        how = reasoner if reasoner != "auto" else ("auto" if big else "owlrl")
        echo(f"reasoning (OWL-RL, {how.replace('auto', 'fast')})")
        report.reasoner, report.inferred = _reason(store, how, echo)
    with step("check"):
        problems = run_checks(store, root)
        if problems:
            raise ValidationError(f"{len(problems)} check violation(s)", problems)
    with step("write"):
        report.graphs = _counts(store)
        _write_sorted(store, out / ARTEFACT)
    del store
    write_atomic(out / MANIFEST, json.dumps(asdict(report), indent=2).encode())
    return report
