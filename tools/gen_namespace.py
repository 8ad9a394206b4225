"""Write src/stpgraph/namespace.py's STP class from ontology/stp.ttl (run by `make namespace`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[1]
DEF = "https://w3id.org/stpgraph/def/"
BEGIN, END = "    # --- generated terms: begin ---\n", "    # --- generated terms: end ---\n"


def terms() -> list[str]:
    """Every term of the stp: namespace defined in the ontology, sorted."""
    g = Graph().parse(ROOT / "ontology" / "stp.ttl")
    names = {str(s)[len(DEF):] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(DEF)}
    return sorted(n for n in names if n)


def main() -> int:
    target = ROOT / "src" / "stpgraph" / "namespace.py"
    text = target.read_text()
    body = "".join(f"    {name}: URIRef\n" for name in terms())
    new = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), BEGIN + body + END, text, flags=re.S)
    if new != text:
        target.write_text(new)
        print(f"updated {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
