"""Pictures: `stpgraph plot succession|timeline` write valid SVG/PNG showing what the graph says."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stpgraph.engines import LocalEngine
from stpgraph.errors import UsageError
from stpgraph.plot import Picture, succession, succession_svg, timeline, timeline_items

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def plot(*args: str) -> subprocess.CompletedProcess:
    """Run `stpgraph plot …` as a user would."""
    return subprocess.run([sys.executable, "-m", "stpgraph.cli", "plot", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "STPGRAPH_HOME": str(ROOT)})


def svg_text(path_or_text: Path | str) -> str:
    """All the text in an SVG document (parsed, so it must be well-formed XML)."""
    text = path_or_text.read_text() if isinstance(path_or_text, Path) else path_or_text
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    return "\n".join(t for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}tspan", f"{SVG}title")
                     for t in [el.text or ""])


def test_forms_diagram_from_the_cli(tmp_path: Path, built: Path) -> None:
    out = tmp_path / "forms.svg"
    run = plot("succession", "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = svg_text(out)
    for expected in ("sustainability and transformation partnership", "integrated care system",
                     "sustainability and transformation plan (form)", "form renaming", "2017-03",
                     "accountable care organisation", "integrated care provider"):
        assert expected in text, expected


def test_body_lineage_shows_merger_and_icb(tmp_path: Path, built: Path) -> None:
    out = tmp_path / "cumbria.svg"
    run = plot("succession", "stpbody:E54000047", "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = svg_text(out)
    for expected in ("West, North and East Cumbria", "Cumbria and North East", "E54000045",
                     "merger", "2018-08", "evolution", "2022-07-01", "QHM", "Health and Care Act 2022"):
        assert expected in text, expected


def test_all_bodies_png_is_a_png(tmp_path: Path, built: Path) -> None:
    out = tmp_path / "all.png"
    run = plot("succession", "--all", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(PNG_MAGIC) and out.stat().st_size > 10_000


def test_timeline_svg_and_png(tmp_path: Path, built: Path) -> None:
    svg, png = tmp_path / "t.svg", tmp_path / "t.png"
    assert plot("timeline", "-o", str(svg)).returncode == 0
    text = svg_text(svg)
    for expected in ("Five Year Forward View (2014-10)", "Health and Social Care Act 2012 (2012)",
                     "Next Steps on the NHS Five Year Forward View (2017-03)", "policy document",
                     "law", "→ replaced", "Undated in the sources", "NHS Long Term Plan"):
        assert expected in text, expected
    run = plot("timeline", "--format", "png", "-o", str(png))
    assert run.returncode == 0, run.stderr
    assert png.read_bytes().startswith(PNG_MAGIC)


def test_cli_errors_are_usage_errors(tmp_path: Path, built: Path) -> None:
    run = plot("succession", "-o", str(tmp_path / "x.gif"))
    assert run.returncode == 2 and "use a .svg or .png name" in run.stderr
    assert not (tmp_path / "x.gif").exists()
    run = plot("succession", "stpbody:E54000047", "--all", "-o", str(tmp_path / "x.svg"))
    assert run.returncode == 2 and "not both" in run.stderr
    run = plot("succession", "doc:five-year-forward-view", "-o", str(tmp_path / "x.svg"))
    assert run.returncode == 2 and "no succession events involve doc:five-year-forward-view" in run.stderr
    assert "succession" in plot("--help").stdout and "timeline" in plot("--help").stdout


def test_timeline_items_keep_precision_and_conflicts(engine: LocalEngine) -> None:
    items, links = timeline_items(engine)
    by_label = {i.label: i for i in items}
    fyfv = by_label["Five Year Forward View"]
    assert str(fyfv.date) == "2014-10" and fyfv.date.precision == "month"  # 2014 and 2014-10: most precise
    assert by_label["Health and Social Care Act 2012"].date.start.year == 2012
    assert len({i.date.precision for i in items if i.date is not None}) >= 2
    assert by_label["NHS Long Term Plan"].date is None  # never given a guessed date
    assert any(i.when.count(" or ") for i in items if i.kind == "requirement deadline")
    kinds = {k for _, _, k in links}
    assert {"created", "replaced"} <= kinds


def test_picture_save_is_atomic_and_api_functions(engine: LocalEngine, tmp_path: Path) -> None:
    picture = timeline(engine, since=2016, until=2018)
    assert isinstance(picture, Picture)
    text = svg_text(picture.svg)
    assert "Next Steps on the NHS Five Year Forward View (2017-03)" in text
    assert "Health and Social Care Act 2012" not in text  # outside 2016–2018
    saved = picture.save(tmp_path / "sub" / "t.svg")
    assert saved.read_text() == picture.svg
    assert [p.name for p in saved.parent.iterdir()] == ["t.svg"]  # no temporary files left
    assert picture._repr_svg_() == picture.svg
    with pytest.raises(UsageError, match="cannot tell the picture format"):
        picture.save(tmp_path / "t.pdf")


def test_entity_page_svg(engine: LocalEngine) -> None:
    svg = succession_svg(engine, "https://w3id.org/stpgraph/id/icb/QE1")
    assert svg is not None and "Healthier Lancashire and South Cumbria" in svg_text(svg)
    assert "integrated care system" in svg_text(succession_svg(engine, "https://w3id.org/stpgraph/id/form/ics"))
    assert succession_svg(engine, "https://w3id.org/stpgraph/id/document/five-year-forward-view") is None
    with pytest.raises(UsageError, match="not both"):
        succession(engine, ["https://w3id.org/stpgraph/id/icb/QE1"], everything=True)


def test_svg_output_is_deterministic(engine: LocalEngine) -> None:
    assert timeline(engine).svg == timeline(engine).svg
    assert succession(engine).svg == succession(engine).svg


def test_pictures_in_docs_are_current(engine: LocalEngine) -> None:
    """docs/succession.svg and docs/timeline.svg are what the shipped graph draws (`make pictures`)."""
    for name, picture in (("succession.svg", succession(engine)), ("timeline.svg", timeline(engine))):
        saved = (ROOT / "docs" / name).read_text()
        assert saved == picture.svg, f"docs/{name} is stale: run `make pictures`"
