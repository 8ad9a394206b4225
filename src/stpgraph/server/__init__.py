"""``stpgraph serve``: a read-only SPARQL 1.1 endpoint, a linked-data site and a small web UI.

>>> from stpgraph.server import Settings, create_app  # doctest: +SKIP
>>> app = create_app(Settings(data=Path("build/graph.nq"), root=Path(".")))  # doctest: +SKIP
"""

from __future__ import annotations

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
