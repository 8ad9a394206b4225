"""Open the built graph as a pyoxigraph store, cached on disk beside the artefact.

``build/graph.nq`` is the artefact; ``build/store/`` is an Oxigraph database loaded from it once,
so that every later CLI call opens it read-only in milliseconds instead of re-parsing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .paths import build_dir, project_root

ARTEFACT = "graph.nq"
MANIFEST = "manifest.json"
STORE = "store"
STAMP = "DIGEST"


def _manifest_digest(out: Path) -> str | None:
    import json

    try:
        return json.loads((out / MANIFEST).read_text())["digest"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_built(root: Path | None = None, *, echo=None) -> Path:
    """Build the graph if it is missing or stale; return the build folder."""
    root = root or project_root()
    out = build_dir(root)
    if (out / ARTEFACT).is_file() and (out / MANIFEST).is_file():
        from .build import is_current

        if is_current(root, out):
            return out
    from .build import build

    build(root, out=out, echo=echo or (lambda _m: None))
    return out


def open_store(root: Path | None = None, *, check: bool = True, echo=None) -> ox.Store:
    """Return a read-only store of the built graph, building and caching as needed.

    With ``check=False`` an existing artefact is used without comparing it to the inputs (fast
    path for a deployed server or a benchmark).
    """
    root = root or project_root()
    out = ensure_built(root, echo=echo) if check else build_dir(root)
    if not (out / ARTEFACT).is_file():
        from .errors import UsageError

        raise UsageError(f"no built graph at {out / ARTEFACT}; run `stpgraph build`")
    digest = _manifest_digest(out) or ""
    cached = out / STORE
    try:
        if (cached / STAMP).read_text() == digest:
            return ox.Store.read_only(str(cached))
    except OSError:
        pass
    _refresh_cache(out, digest)
    return ox.Store.read_only(str(cached))


def _refresh_cache(out: Path, digest: str) -> None:
    tmp = Path(tempfile.mkdtemp(dir=out, prefix=".store-"))
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(path=str(out / ARTEFACT), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        del store
        (tmp / STAMP).write_text(digest)
        old = out / f".store-old-{tmp.name}"
        if (out / STORE).exists():
            (out / STORE).rename(old)
        tmp.rename(out / STORE)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_memory(path: Path) -> ox.Store:
    """Load an N-Quads file into a new in-memory store."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store
