"""``stpgraph import-reference``: turn the public reference tables into data/reference/*.ttl."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("import-reference")
@click.argument("source_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the Turtle files to (default: data/reference).")
@click.option("--set", "sets", multiple=True, metavar="NAME",
              help="Import only this set (repeatable); default: every set.")
def cli(source_dir: Path, out_dir: Path | None, sets: tuple[str, ...]) -> None:
    """Import the reference tables in SOURCE_DIR (e.g. ../shared/reference).

    Every row is checked first; on a bad row the command names the file and line and writes
    nothing.
    """
    from ..errors import UsageError
    from ..paths import project_root
    from . import IMPORTERS, import_all, import_set

    out = out_dir or project_root() / "data" / "reference"
    unknown = [s for s in sets if s not in IMPORTERS]
    if unknown:
        raise UsageError(f"no reference set {unknown[0]!r}; known sets: {', '.join(IMPORTERS)}")
    if sets:
        counts = {name: import_set(name, source_dir, out) for name in sets}
    else:
        counts = import_all(source_dir, out)
    width = max(len(n) for n in counts)
    for name, count in counts.items():
        click.echo(f"{name:<{width}}  {count:>6,} triples  -> {out / (name + '.ttl')}")
    click.echo(f"{'total':<{width}}  {sum(counts.values()):>6,} triples")
