"""``stpgraph export``: the built graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML.

Quad formats (N-Quads, TriG, JSON-LD) keep every named graph, so provenance travels with the data;
triple formats (Turtle, N-Triples, RDF/XML) hold the union of the chosen graphs. Output is
deterministic: statements are sorted (graph, subject, predicate, object) and blank nodes are
relabelled by a hash of their surroundings (the first-degree hash of RDF Dataset Canonicalization,
refined where two nodes tie), so a release-to-release diff shows only what changed.

    stpgraph export --format trig -o stpgraph.trig
    stpgraph export --format turtle --graphs asserted > asserted.ttl
    stpgraph export --format jsonld --graphs bma-stps nhse-stp-faq
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import pyoxigraph as ox

from .atomic import write_atomic
from .errors import UsageError
from .inputs import INFERRED_GRAPH
from .namespace import PREFIXES
from .paths import GRAPH


@dataclass(frozen=True)
class Format:
    """One export format: its name, file extension, media type and whether it keeps graphs."""

    name: str
    extension: str
    media_type: str
    quads: bool
    title: str

    @property
    def rdf_format(self) -> ox.RdfFormat | None:
        """The pyoxigraph format (None for JSON-LD, which pyld writes)."""
        return _OX_FORMATS.get(self.name)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", "ttl", "text/turtle", False, "Turtle"),
    Format("ntriples", "nt", "application/n-triples", False, "N-Triples"),
    Format("nquads", "nq", "application/n-quads", True, "N-Quads"),
    Format("trig", "trig", "application/trig", True, "TriG"),
    Format("jsonld", "jsonld", "application/ld+json", True, "JSON-LD"),
    Format("rdfxml", "rdf", "application/rdf+xml", False, "RDF/XML"),
)}
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "rdfxml": ox.RdfFormat.RDF_XML,
}
GROUPS = ("all", "asserted", "inferred")


def all_prefixes() -> dict[str, str]:
    """Every prefix the exports may declare: the query prefixes plus a few for the data."""
    from .ontodocs import EXTRA_PREFIXES

    return {**PREFIXES, **EXTRA_PREFIXES}


# --- choosing graphs ---------------------------------------------------------------------


def graph_names(store: ox.Store) -> list[str]:
    """The IRIs of the store's named graphs, sorted."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def select_graphs(store: ox.Store, spec: Sequence[str]) -> list[str]:
    """Resolve ``all``, ``asserted``, ``inferred``, short names (``bma-stps``) or IRIs to graph IRIs.

    Several values (or comma-separated ones) add up. Raises UsageError for an unknown name.
    """
    known = graph_names(store)
    words = [w.strip() for item in (spec or ["all"]) for w in item.split(",") if w.strip()] or ["all"]
    chosen: list[str] = []
    for word in words:
        if word == "all":
            found = known
        elif word == "asserted":
            found = [g for g in known if g != INFERRED_GRAPH]
        else:
            iri = word if "://" in word else GRAPH + word
            if iri not in known:
                short = ", ".join(g.removeprefix(GRAPH) for g in known)
                raise UsageError(f"no named graph {word!r}; choose all, asserted, inferred or one of: "
                                 f"{short}")
            found = [iri]
        chosen.extend(g for g in found if g not in chosen)
    return sorted(chosen)


def collect_quads(store: ox.Store, graphs: Iterable[str]) -> list[ox.Quad]:
    """Every quad of the given named graphs."""
    out: list[ox.Quad] = []
    for name in graphs:
        out.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    return out


# --- canonical blank-node labels ---------------------------------------------------------


def _line(quad: ox.Quad, names: dict[ox.BlankNode, str]) -> str:
    parts = []
    for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
        if isinstance(term, ox.BlankNode):
            parts.append("_:" + names.get(term, term.value))
        elif isinstance(term, ox.DefaultGraph):
            continue
        else:
            parts.append(str(term))
    return " ".join(parts)


def _hashes(bnodes: list[ox.BlankNode], mentions: dict[ox.BlankNode, list[ox.Quad]],
            others: dict[ox.BlankNode, str]) -> dict[ox.BlankNode, str]:
    out = {}
    for node in bnodes:
        names = {**others, node: "a"}
        lines = sorted(_line(q, names) for q in mentions[node])
        out[node] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return out


def blank_node_labels(quads: Sequence[ox.Quad]) -> dict[ox.BlankNode, str]:
    """Map each blank node to a stable label ``b<16 hex>`` derived from its surroundings.

    The label is the first-degree hash of RDF Dataset Canonicalization (RDFC-1.0) where that is
    unique, so adding unrelated data never renames a node. Nodes that tie are told apart by hashing
    their neighbours' hashes in rounds; nodes still tied after that get the canonical order of
    RDFC-1.0 itself (computed with pyld).
    """
    mentions: dict[ox.BlankNode, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.BlankNode):
                mentions[term].append(quad)
    bnodes = list(mentions)
    if not bnodes:
        return {}
    hashes = _hashes(bnodes, mentions, dict.fromkeys(bnodes, "z"))
    for _round in range(len(bnodes)):
        distinct = len(set(hashes.values()))
        if distinct == len(bnodes):
            break
        refined = _hashes(bnodes, mentions, {b: "h" + h[:32] for b, h in hashes.items()})
        # keep a unique first-degree hash as it is; refine only the ones that tie
        counts = _count(hashes.values())
        refined = {b: hashes[b] if counts[hashes[b]] == 1 else refined[b] for b in bnodes}
        if len(set(refined.values())) == distinct:
            break
        hashes = refined
    counts = _count(hashes.values())
    labels = {b: "b" + h[:16] for b, h in hashes.items() if counts[h] == 1}
    tied = [b for b in bnodes if b not in labels]
    if tied:
        order = _rdfc_order(quads)
        for b in tied:
            labels[b] = f"b{hashes[b][:16]}c{order[b]}"
    return labels


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for v in values:
        counts[v] += 1
    return counts


def _rdfc_order(quads: Sequence[ox.Quad]) -> dict[ox.BlankNode, int]:
    """The RDFC-1.0 canonical index of each blank node (slower; only for nodes that tie)."""
    try:
        from pyld.canon import URDNA2015
    except ImportError:  # pyld < 3
        from pyld.jsonld import URDNA2015
    from pyld.jsonld import parse_nquads

    ids: dict[ox.BlankNode, str] = {}
    for quad in quads:
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.BlankNode):
                ids.setdefault(term, f"n{len(ids)}")
    text = "".join(_line(q, ids) + " .\n" for q in quads)
    canon = URDNA2015()
    canon.main(parse_nquads(text), {"format": "application/n-quads"})
    issued = canon.canonical_issuer.existing
    return {node: int(issued["_:" + name].removeprefix("_:c14n")) for node, name in ids.items()}


def canonical_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Deduplicate, relabel blank nodes stably and sort by (graph, subject, predicate, object)."""
    unique = list(dict.fromkeys(quads))
    labels = blank_node_labels(unique)

    def fix(term):
        return ox.BlankNode(labels[term]) if isinstance(term, ox.BlankNode) else term

    if labels:
        unique = [ox.Quad(fix(q.subject), q.predicate, fix(q.object), fix(q.graph_name)) for q in unique]
    return sorted(unique, key=_sort_key)


def _sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    return (graph, str(quad.subject), str(quad.predicate), str(quad.object))


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads`` (their graphs dropped), sorted."""
    triples = dict.fromkeys(q.triple for q in quads)
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


# --- serialising -------------------------------------------------------------------------


def _used_prefixes(statements: Sequence[ox.Quad | ox.Triple]) -> dict[str, str]:
    prefixes = all_prefixes()
    iris = set()
    for st in statements:
        for term in (st.subject, st.predicate, st.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    used = {}
    for prefix, ns in sorted(prefixes.items()):
        if any(iri.startswith(ns) and len(iri) > len(ns) for iri in iris):
            used[prefix] = ns
    return used


def serialize(quads: Sequence[ox.Quad], fmt: str, *, context_url: str | None = None) -> bytes:
    """Write already canonical ``quads`` in ``fmt``; triple formats get the union of the graphs.

    For JSON-LD the packaged context is embedded, or referenced by ``context_url`` when given.
    """
    spec = FORMATS[fmt]
    if fmt == "jsonld":
        return _jsonld(quads, context_url)
    if fmt == "nquads":
        return "".join(f"{_line(q, {})} .\n" for q in quads).encode()
    if fmt == "ntriples":
        return ox.serialize(union_triples(quads), format=ox.RdfFormat.N_TRIPLES)
    statements: list = list(quads) if spec.quads else union_triples(quads)
    return ox.serialize(statements, format=spec.rdf_format, prefixes=_used_prefixes(statements))


def _jsonld(quads: Sequence[ox.Quad], context_url: str | None) -> bytes:
    from . import jsonld
    from .ontodocs import load_context

    return jsonld.dumps(jsonld.compact(quads, load_context(), context_ref=context_url))


def export(store: ox.Store, fmt: str, graphs: Sequence[str] = ("all",), *,
           context_url: str | None = None) -> bytes:
    """Export the chosen graphs of ``store`` as ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    quads = canonical_quads(collect_quads(store, select_graphs(store, graphs)))
    return serialize(quads, fmt, context_url=context_url)




def format_for(path: Path) -> str | None:
    """The export format a file name's extension implies, if any."""
    suffix = path.suffix.lstrip(".").lower()
    aliases = {"json": "jsonld", "xml": "rdfxml", "owl": "rdfxml", "n3": "turtle"}
    for spec in FORMATS.values():
        if suffix == spec.extension:
            return spec.name
    return aliases.get(suffix)


@click.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="Output format [default: from the -o extension, else turtle]. nquads, trig and "
                   "jsonld keep the named graphs; the others hold their union.")
@click.option("--graphs", "-g", "graphs", multiple=True, metavar="WHICH",
              help="all (default), asserted (all but inferred), inferred, or a graph's short name "
                   "such as bma-stps; repeat or separate with commas to combine.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--context-url", metavar="URL",
              help="JSON-LD only: reference the context at URL (e.g. https://w3id.org/stpgraph/"
                   "context.jsonld) instead of embedding it.")
def cli(fmt: str | None, graphs: tuple[str, ...], output: Path | None, context_url: str | None) -> None:
    """Export the built graph as RDF, with stable ordering and blank-node labels."""
    from .paths import project_root
    from .store import open_store

    if fmt is None:
        fmt = (format_for(output) if output else None) or "turtle"
    if context_url and fmt != "jsonld":
        raise UsageError("--context-url applies to --format jsonld only")
    try:
        root = project_root()
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    data = export(open_store(root), fmt, graphs, context_url=context_url)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomic(output, data)
    click.echo(f"wrote {output} ({len(data):,} bytes, {fmt})", err=True)
