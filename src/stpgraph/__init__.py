"""stpgraph: a knowledge graph of NHS England's local partnerships and the policies behind them.

``stpgraph.open()`` returns a :class:`~stpgraph.api.KnowledgeGraph`; the API lives in
:mod:`stpgraph.api` and is imported on first use, so ``import stpgraph`` stays fast.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["IRI", "Day", "KnowledgeGraph", "Table", "Year", "YearMonth", "__version__", "open"]

if False:  # for type checkers and IDEs only; importing typing here would slow `import stpgraph`
    from .api import IRI, KnowledgeGraph, Table, open
    from .dates import Day, Year, YearMonth

_LAZY = {
    "open": "api", "KnowledgeGraph": "api", "Table": "api", "IRI": "api",
    "Year": "dates", "YearMonth": "dates", "Day": "dates",
}


def __getattr__(name: str) -> object:
    """Import the public API on first use (PEP 562)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
