"""Compact JSON-LD for stpgraph data, written directly with the shipped ``@context``.

pyld is a complete JSON-LD processor but takes minutes on the whole graph; our context is simple
and generated (prefixes, one term per ontology term, ``@type: @id`` on object properties, default
language ``en``), so compaction against it is a direct mapping, done here in one linear pass. The
tests expand the output with pyld and with pyoxigraph and compare it to the source statements.

Shape: ``{"@context": …, "@graph": [{"@id": graph, "@graph": [node, …]}, …]}`` for quads (one
entry per named graph), or ``{"@context": …, "@graph": [node, …]}`` for triples. Nodes, keys and
values are sorted, so the text is deterministic.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Context:
    """A generated JSON-LD context read into lookup tables."""

    document: dict

    @cached_property
    def _tables(self) -> tuple[dict[str, str], dict[str, tuple[str, bool]], str | None]:
        ctx = self.document["@context"]
        prefixes: dict[str, str] = {}
        raw_terms: dict[str, tuple[str, bool]] = {}
        for key, value in ctx.items():
            if key.startswith("@"):
                continue
            if isinstance(value, str) and ":" not in key and value.endswith(("/", "#")) and "://" in value:
                prefixes[key] = value
            elif isinstance(value, str):
                raw_terms[key] = (value, False)
            elif isinstance(value, dict) and "@id" in value:
                raw_terms[key] = (value["@id"], value.get("@type") == "@id")
        terms = {}
        for key, (iri, link) in raw_terms.items():
            prefix, sep, local = iri.partition(":")
            full = prefixes[prefix] + local if sep and prefix in prefixes else iri
            terms[full] = (key, link)
        return prefixes, terms, ctx.get("@language")

    @cached_property
    def _by_length(self) -> list[tuple[str, str]]:
        return sorted(self._tables[0].items(), key=lambda kv: (-len(kv[1]), kv[0]))

    @cached_property
    def _curies(self) -> dict[str, str]:
        return {}

    def curie(self, iri: str) -> str:
        """``prefix:local`` for an IRI under a known prefix (longest wins), else the IRI itself."""
        found = self._curies.get(iri)
        if found is None:
            found = self._curies[iri] = self._make_curie(iri)
        return found

    def _make_curie(self, iri: str) -> str:
        for prefix, ns in self._by_length:
            if iri.startswith(ns) and len(iri) > len(ns):
                local = iri[len(ns):]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return iri

    def term(self, iri: str) -> tuple[str, bool] | None:
        """The short key for an IRI and whether its values are coerced to IRIs."""
        return self._tables[1].get(iri)

    @property
    def language(self) -> str | None:
        """The context's default language."""
        return self._tables[2]

    def vocab(self, iri: str) -> str:
        """An IRI in a vocabulary position (a key or an ``@type``): its term, else a CURIE."""
        found = self.term(iri)
        return found[0] if found else self.curie(iri)


def _node_id(term: ox.NamedNode | ox.BlankNode, ctx: Context) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else ctx.curie(term.value)


def _literal(lit: ox.Literal, ctx: Context) -> str | dict:
    if lit.language:
        if lit.language == ctx.language:
            return lit.value
        return {"@value": lit.value, "@language": lit.language}
    if lit.datatype.value == XSD_STRING:
        return {"@value": lit.value} if ctx.language else lit.value
    return {"@value": lit.value, "@type": ctx.curie(lit.datatype.value)}


def _nodes(triples: Sequence[ox.Triple], ctx: Context) -> list[dict]:
    subjects: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    order: dict[str, tuple[int, str]] = {}
    for t in triples:
        sid = _node_id(t.subject, ctx)
        order.setdefault(sid, (isinstance(t.subject, ox.BlankNode), str(t.subject)))
        node = subjects[sid]
        p, o = t.predicate.value, t.object
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            node["@type"].append((str(o), ctx.vocab(o.value)))
            continue
        found = ctx.term(p)
        if isinstance(o, ox.Literal):
            key = found[0] if found and not found[1] else ctx.curie(p)
            node[key].append((str(o), _literal(o, ctx)))
        elif found and found[1]:
            node[found[0]].append((str(o), _node_id(o, ctx)))
        else:
            key = found[0] if found else ctx.curie(p)
            node[key].append((str(o), {"@id": _node_id(o, ctx)}))
    out = []
    for sid in sorted(subjects, key=lambda s: order[s]):
        obj: dict[str, object] = {"@id": sid}
        props = subjects[sid]
        for key in sorted(props, key=lambda k: (k != "@type", k.lower(), k)):
            values = [v for _s, v in sorted(props[key], key=lambda sv: sv[0])]
            obj[key] = values[0] if len(values) == 1 else values
        out.append(obj)
    return out


def compact(statements: Sequence[ox.Quad] | Sequence[ox.Triple], context: dict, *,
            context_ref: str | None = None) -> dict:
    """Compact quads (one ``@graph`` entry per named graph) or triples into a JSON-LD document.

    ``context`` is the context document (``{"@context": {...}}``); the output embeds it, or names
    ``context_ref`` instead when given (a URL where that same context is published).
    """
    ctx = Context(context)
    doc: dict[str, object] = {"@context": context_ref or context["@context"]}
    if statements and isinstance(statements[0], ox.Quad):
        graphs: dict[str, list[ox.Triple]] = defaultdict(list)
        names: dict[str, ox.NamedNode | ox.BlankNode] = {}
        default: list[ox.Triple] = []
        for q in statements:
            if isinstance(q.graph_name, ox.DefaultGraph):
                default.append(q.triple)
            else:
                names.setdefault(str(q.graph_name), q.graph_name)
                graphs[str(q.graph_name)].append(q.triple)
        entries: list[dict] = _nodes(default, ctx)
        for key in sorted(graphs):
            entries.append({"@id": _node_id(names[key], ctx), "@graph": _nodes(graphs[key], ctx)})
        doc["@graph"] = entries
    else:
        doc["@graph"] = _nodes(list(statements), ctx)
    return doc


def dumps(doc: dict) -> bytes:
    """The document as UTF-8 JSON, one key per line (stable for diffs)."""
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
