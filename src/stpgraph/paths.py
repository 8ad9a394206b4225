"""Where stpgraph's inputs and build artefacts live.

The project root is the folder that holds ``ontology/`` and ``data/``. It is found from the
``STPGRAPH_HOME`` environment variable, else from the current directory upwards, else from this
package's location (an editable install inside the repository).
"""

from __future__ import annotations

import os
from pathlib import Path

BASE = "https://w3id.org/stpgraph/"
DEF = BASE + "def/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"


def project_root() -> Path:
    """Return the project root folder, raising FileNotFoundError when none can be found."""
    env = os.environ.get("STPGRAPH_HOME")
    if env:
        return Path(env).resolve()
    candidates = [Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents]
    for folder in candidates:
        if (folder / "ontology" / "stp.ttl").is_file() and (folder / "data").is_dir():
            return folder
    raise FileNotFoundError(
        "cannot find the stpgraph project (a folder with ontology/stp.ttl and data/); "
        "run from inside it or set STPGRAPH_HOME"
    )


def build_dir(root: Path | None = None) -> Path:
    """Return the folder that build artefacts are written to (``build/`` under the root)."""
    env = os.environ.get("STPGRAPH_BUILD")
    if env:
        return Path(env).resolve()
    return (root or project_root()) / "build"


def graph_iri(name: str) -> str:
    """Return the IRI of the named graph called ``name``."""
    return GRAPH + name
