"""Run docs/tutorial.ipynb, save it with its outputs, and render docs/tutorial.md for readers
without Jupyter.

    python tools/render_tutorial.py           # re-run and re-render (what `make tutorial` does)
    python tools/render_tutorial.py --check   # run a copy; fail if the saved notebook or the
                                              # Markdown rendering is stale (what the tests do)

Outputs are made deterministic (no timings; SVG pictures carry no dates or random ids), so the check
compares them exactly.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import MarkdownExporter

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"
MARKDOWN = ROOT / "docs" / "tutorial.md"
FILES = ROOT / "docs" / "tutorial_files"


def execute(path: Path) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel from docs/; raise on the first error."""
    nb = nbformat.read(path, as_version=4)
    env = {**os.environ, "STPGRAPH_HOME": str(ROOT)}
    client = NotebookClient(nb, timeout=900, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}}, env=env)
    client.execute(cwd=str(path.parent), env=env)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    return nb


def render_markdown(nb: nbformat.NotebookNode) -> tuple[str, dict[str, bytes]]:
    """The notebook as Markdown, and the picture files it refers to (name → bytes)."""
    exporter = MarkdownExporter()
    body, resources = exporter.from_notebook_node(
        nb, resources={"output_files_dir": FILES.name, "unique_key": "tutorial"})
    files = {Path(name).name: (data.encode() if isinstance(data, str) else data)
             for name, data in resources.get("outputs", {}).items()}
    return body, files


def _outputs(nb: nbformat.NotebookNode) -> list[str]:
    lines = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                lines.append(f"cell {i}: ERROR {out.ename}: {out.evalue}")
            elif out.output_type == "stream":
                lines.append(f"cell {i}: {out.name}: {out.text}")
            else:
                for mime, data in sorted(out.get("data", {}).items()):
                    lines.append(f"cell {i}: {mime}: {data if isinstance(data, str) else ''.join(data)}")
    return lines


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    os.replace(tmp, path)


def write() -> None:
    """Execute the notebook in place and regenerate the Markdown and its pictures."""
    nb = execute(NOTEBOOK)
    _write_atomic(NOTEBOOK, nbformat.writes(nb).encode() + b"\n")
    body, files = render_markdown(nb)
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        _write_atomic(FILES / name, data)
    _write_atomic(MARKDOWN, body.encode())
    print(f"wrote {NOTEBOOK.relative_to(ROOT)}, {MARKDOWN.relative_to(ROOT)} and "
          f"{len(files)} pictures in {FILES.relative_to(ROOT)}/")


def check() -> list[str]:
    """Problems that make the saved notebook or its Markdown stale (empty when all is current)."""
    problems = []
    saved = nbformat.read(NOTEBOOK, as_version=4)
    fresh = execute(NOTEBOOK)
    errors = [line for line in _outputs(fresh) if ": ERROR " in line]
    problems += errors
    old, new = _outputs(saved), _outputs(fresh)
    if old != new:
        diff = "\n".join(list(difflib.unified_diff(old, new, "saved", "fresh", lineterm="", n=1))[:60])
        problems.append(f"{NOTEBOOK.name} outputs are stale:\n{diff}")
    body, files = render_markdown(saved)
    if not MARKDOWN.is_file() or MARKDOWN.read_text() != body:
        problems.append(f"{MARKDOWN.name} does not match {NOTEBOOK.name}")
    for name, data in files.items():
        if not (FILES / name).is_file() or (FILES / name).read_bytes() != data:
            problems.append(f"{FILES.name}/{name} is missing or stale")
    return problems


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the saved files are stale")
    args = parser.parse_args()
    if not args.check:
        write()
        return
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("run `make tutorial` (python tools/render_tutorial.py) and commit the result",
              file=sys.stderr)
        sys.exit(1)
    print("docs/tutorial.ipynb and docs/tutorial.md are current")


if __name__ == "__main__":
    main()
