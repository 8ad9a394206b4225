"""docs/tutorial.ipynb runs clean, its saved outputs are current, and docs/tutorial.md matches it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"


def test_notebook_is_saved_with_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs for c in code), "every code cell should be saved with its output"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    assert any("image/svg+xml" in o.get("data", {}) for c in code for o in c.outputs)


def test_notebook_runs_and_nothing_is_stale(built: Path) -> None:
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "render_tutorial.py"), "--check"],
                         cwd=ROOT, capture_output=True, text=True, timeout=1200,
                         env={**os.environ, "STPGRAPH_HOME": str(ROOT)})
    assert run.returncode == 0, run.stderr[-4000:]
    assert "are current" in run.stdout
