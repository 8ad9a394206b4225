"""Prefixes for compact display and for queries, with no heavy imports.

Kept apart from :mod:`stpgraph.namespace` (which needs rdflib) so that a CLI query starts fast.
"""

from __future__ import annotations

from .paths import DEF, GRAPH, ID

#: Prefixes for compact display and for the prologue of saved queries.
PREFIXES: dict[str, str] = {
    "stp": DEF,
    "agent": ID + "org/",
    "doc": ID + "document/",
    "form": ID + "form/",
    "form-change": ID + "form-change/",
    "event": ID + "event/",
    "finding": ID + "finding/",
    "stpbody": ID + "stp/",
    "footprint": ID + "footprint/",
    "icb": ID + "icb/",
    "ccg": ID + "ccg/",
    "sicbl": ID + "sub-icb-location/",
    "region": ID + "region/",
    "trust": ID + "trust/",
    "status": ID + "status/",
    "certainty": ID + "certainty/",
    "scheme": ID + "scheme/",
    "programme": ID + "programme/",
    "requirement": ID + "requirement/",
    "aim": ID + "aim/",
    "challenge": ID + "challenge/",
    "funding": ID + "funding/",
    "group": ID + "group/",
    "role": ID + "role/",
    "person": ID + "person/",
    "survey": ID + "survey/",
    "investigation": ID + "investigation/",
    "dataset": ID + "dataset/",
    "membership": ID + "membership/",
    "cancer-alliance": ID + "cancer-alliance/",
    "vanguard": ID + "vanguard/",
    "vanguard-type": ID + "vanguard-type/",
    "pioneer": ID + "pioneer/",
    "wave": ID + "wave/",
    "ics": ID + "ics/",
    "id": ID,
    "graph": GRAPH,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}

# Longest namespace first, so ``form-change:`` wins over ``id:``.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_LOCAL = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def compact_iri(iri: str) -> str:
    """Return ``prefix:local`` for an IRI under a known namespace, else ``<iri>``.

    >>> compact_iri("https://w3id.org/stpgraph/id/form/stp")
    'form:stp'
    >>> compact_iri("http://example.org/x")
    '<http://example.org/x>'
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local and set(local) <= _LOCAL and not local.startswith("-"):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def sparql_prologue() -> str:
    """PREFIX declarations for every known prefix."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
