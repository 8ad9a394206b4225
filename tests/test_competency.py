"""Competency questions: each tests/competency/*.rq asks something the source texts answer.

The header gives the question, the source document and the expected rows (``# expect: a | b``),
taken from reading the text. Rows must match exactly as a set, or as a subset with
``# match: contains``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stpgraph.engines import LocalEngine
from stpgraph.results import plain

FOLDER = Path(__file__).parent / "competency"
CASES = sorted(FOLDER.glob("*.rq"))


def _header(path: Path) -> tuple[set[tuple[str, ...]], bool, str]:
    expected, contains, source = set(), False, ""
    for line in path.read_text().splitlines():
        if line.startswith("# expect:"):
            expected.add(tuple(v.strip() for v in line[len("# expect:"):].split(" | ")))
        elif line.startswith("# match:"):
            contains = line.split(":", 1)[1].strip() == "contains"
        elif line.startswith("# source:"):
            source = line.split(":", 1)[1].strip()
    return expected, contains, source


def test_at_least_twenty_questions_across_all_five_documents() -> None:
    sources = {_header(p)[2] for p in CASES}
    assert len(CASES) >= 20
    assert {"integration-overview", "kings-fund-stps-explained", "nhse-stp-faq", "bma-stps",
            "bdj-lewney-2017"} <= sources


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_competency_question(path: Path, engine: LocalEngine) -> None:
    expected, contains, _ = _header(path)
    assert expected, f"{path.name} has no '# expect:' line"
    results = engine.query(path.read_text(), label=path.name)
    got = {tuple(plain(t) for t in row) for row in results.rows}
    if contains:
        missing = expected - got
        assert not missing, f"missing rows {sorted(missing)}; got {sorted(got)}"
    else:
        assert got == expected
