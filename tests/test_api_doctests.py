"""The examples in the API's docstrings run, against the shipped graph."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

MODULES = ["stpgraph.api", "stpgraph.dates", "stpgraph.plot"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built.parents[1])  # stpgraph.open() finds the project from here
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"
    if name != "stpgraph.plot":
        assert result.attempted >= 5, f"{name} should show its use in runnable examples"
