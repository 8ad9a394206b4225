"""Server settings: one frozen dataclass, built by the CLI or by tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..paths import BASE


@dataclass(frozen=True)
class Settings:
    """Everything the app factory needs.

    ``data`` is the built graph: an Oxigraph database folder (``build/store``), opened read-only,
    or an N-Quads file (``build/graph.nq``), loaded into memory by every process (fastest).
    ``base`` is the IRI prefix served at the site root: ``{base}id/x`` is served at ``/id/x``.
    """

    data: Path
    root: Path  # the project folder: queries/ and docs/ontology/ are read from it
    base: str = BASE
    timeout: float = 5.0  # seconds a query may run (queueing included) before it is stopped
    max_rows: int = 10_000  # rows (or triples) a query may return
    max_request_bytes: int = 256 * 1024  # request body / query string size
    workers: int = 2  # query worker processes
    isolate_workers: bool = True  # run workers in an empty network namespace when possible
    title: str = "stpgraph"
    licence: str = "https://creativecommons.org/licenses/by/4.0/"

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/': {self.base!r}")
        if self.timeout <= 0 or self.max_rows <= 0 or self.workers <= 0 or self.max_request_bytes <= 0:
            raise ValueError("timeout, max_rows, workers and max_request_bytes must be positive")

    @property
    def queries(self) -> Path:
        """The folder of saved queries."""
        return self.root / "queries"

    @property
    def ontology_docs(self) -> Path:
        """Generated ontology documentation, served at ``/def/`` when present."""
        return self.root / "docs" / "ontology" / "index.html"
