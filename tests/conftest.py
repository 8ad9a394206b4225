"""Shared fixtures: the real built graph, opened once per test session."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from stpgraph.build import build
from stpgraph.engines import LocalEngine
from stpgraph.store import load_memory

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built() -> Path:
    """Build the shipped graph (skipped when current) and return the artefact's path."""
    build(ROOT)
    return ROOT / "build" / "graph.nq"


@pytest.fixture(scope="session")
def store(built: Path) -> ox.Store:
    """An in-memory pyoxigraph store of the shipped graph."""
    return load_memory(built)


@pytest.fixture(scope="session")
def engine(store: ox.Store) -> LocalEngine:
    """The local query engine over the shipped graph."""
    return LocalEngine(store)
