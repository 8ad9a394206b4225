"""SHACL at scale: shapes compiled to SPARQL find the suspects, pySHACL judges them.

pySHACL over a million triples is too slow for the build, and sampling cannot promise to catch a
single bad node. So validation runs in two steps over the whole graph:

1. **Detect.** Every shape with a target is compiled to one SPARQL ``SELECT`` that returns the
   focus nodes that do *not* conform, run by pyoxigraph over the union of all graphs. Each
   constraint becomes a condition that is never more lenient than SHACL's (and literals of the
   shapes' datatypes that rdflib deems ill-typed make their subjects suspects too), so no
   violating node escapes.
2. **Judge.** pySHACL validates only the suspects, on the neighbourhood their shapes can see
   (triples up to the shapes' path depth from each suspect, plus the ontology), and its results
   for those focus nodes are the report: the same lines a full pySHACL run gives.

Shapes that use a feature this compiler does not know (``sh:closed``, SPARQL constraints,
unbounded paths, …) raise :class:`UnsupportedShapes`; the build then runs pySHACL on everything.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from .load import typed_literals

SH = Namespace("http://www.w3.org/ns/shacl#")

_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
_IGNORED = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
            RDF.type, RDFS.label, RDFS.comment, SH.deactivated, SH.flags, *_TARGETS}
_HANDLED = {SH.property, SH.path, SH.node, SH["or"], SH["and"], SH["not"], SH.xone, SH.minCount,
            SH.maxCount, SH.datatype, SH.nodeKind, SH.pattern, SH["in"], SH["class"], SH.hasValue,
            SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
            SH.maxExclusive, SH.languageIn}
_NODE_KINDS = {
    SH.IRI: "isIRI({0})", SH.BlankNode: "isBlank({0})", SH.Literal: "isLiteral({0})",
    SH.BlankNodeOrIRI: "(isBlank({0}) || isIRI({0}))",
    SH.BlankNodeOrLiteral: "(isBlank({0}) || isLiteral({0}))",
    SH.IRIOrLiteral: "(isIRI({0}) || isLiteral({0}))",
}
_COMPARE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature that the compiler does not implement."""


def _n3(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{text}"@{term.language}'
        return f'"{text}"^^<{term.datatype or XSD.string}>'
    raise UnsupportedShapes(f"cannot write {term!r} in a query")


class Compiler:
    """Turns shapes into SPARQL conformance conditions."""

    def __init__(self, shapes: Graph, subclasses: dict[str, set[str]]) -> None:
        self.g = shapes
        self.subclasses = subclasses
        self._n = itertools.count()
        self.datatypes: set[str] = set()
        self.inverse = False

    def var(self) -> str:
        return f"?v{next(self._n)}"

    def classes(self, cls: Node) -> str:
        """A VALUES list of ``cls`` and every subclass of it (rdfs:subClassOf in the data)."""
        found = {str(cls)} | self.subclasses.get(str(cls), set())
        return " ".join(f"<{c}>" for c in sorted(found))

    def path(self, node: Node) -> tuple[str, int]:
        """Return the SPARQL property path for a SHACL path, and how many steps it can take."""
        g = self.g
        if isinstance(node, URIRef):
            return f"<{node}>", 1
        if (node, RDF.first, None) in g:
            parts = [self.path(p) for p in Collection(g, node)]
            return "(" + "/".join(p for p, _ in parts) + ")", sum(d for _, d in parts)
        inv = g.value(node, SH.inversePath)
        if inv is not None:
            self.inverse = True
            p, d = self.path(inv)
            return f"^{p}", d
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            parts = [self.path(p) for p in Collection(g, alt)]
            return "(" + "|".join(p for p, _ in parts) + ")", max(d for _, d in parts)
        opt = g.value(node, SH.zeroOrOnePath)
        if opt is not None:
            p, d = self.path(opt)
            return f"({p})?", d
        raise UnsupportedShapes(f"path {node} (unbounded or unknown paths are not compiled)")

    def check(self, shape: Node) -> None:
        for p in set(self.g.predicates(shape, None)):
            if p not in _HANDLED and p not in _IGNORED and str(p).startswith(str(SH)):
                raise UnsupportedShapes(f"{shape} uses {p}")

    def node_cond(self, shape: Node, x: str) -> tuple[str, int]:
        """Return (SPARQL condition that ``x`` conforms to ``shape``, depth of triples it reads)."""
        g = self.g
        if g.value(shape, SH.deactivated) == Literal(True):
            return "true", 0
        self.check(shape)
        if g.value(shape, SH.path) is not None:
            return self.prop_cond(shape, x)
        conds, depth = [], 0
        c, d = self.value_cond(shape, x)
        if c:
            conds.append(c)
            depth = max(depth, d)
        for ps in g.objects(shape, SH.property):
            c, d = self.prop_cond(ps, x)
            conds.append(c)
            depth = max(depth, d)
        return (" && ".join(conds) if conds else "true"), depth

    def logical(self, shape: Node, x: str) -> tuple[list[str], int]:
        g = self.g
        conds, depth = [], 0
        for target in g.objects(shape, SH.node):
            c, d = self.node_cond(target, x)
            conds.append(f"({c})")
            depth = max(depth, d)
        for key, op in ((SH["or"], " || "), (SH["and"], " && ")):
            for head in g.objects(shape, key):
                parts = [self.node_cond(s, x) for s in Collection(g, head)]
                conds.append("(" + op.join(f"({c})" for c, _ in parts) + ")")
                depth = max([depth, *(d for _, d in parts)])
        for target in g.objects(shape, SH["not"]):
            c, d = self.node_cond(target, x)
            conds.append(f"(!({c}))")
            depth = max(depth, d)
        for head in g.objects(shape, SH.xone):
            parts = [self.node_cond(s, x) for s in Collection(g, head)]
            conds.append("((" + " + ".join(f"IF({c}, 1, 0)" for c, _ in parts) + ") = 1)")
            depth = max([depth, *(d for _, d in parts)])
        return conds, depth

    def value_cond(self, shape: Node, x: str) -> tuple[str, int]:
        """Conditions on ``x`` itself: datatype, node kind, pattern, in, class, logic…"""
        g = self.g
        conds, depth = [], 0
        for dt in g.objects(shape, SH.datatype):
            self.datatypes.add(str(dt))
            conds.append(f"(isLiteral({x}) && sameTerm(DATATYPE({x}), <{dt}>))")
        for kind in g.objects(shape, SH.nodeKind):
            if kind not in _NODE_KINDS:
                raise UnsupportedShapes(f"node kind {kind}")
            conds.append(_NODE_KINDS[kind].format(x))
        flags = g.value(shape, SH.flags)
        for pattern in g.objects(shape, SH.pattern):
            f = f", {_n3(Literal(str(flags)))}" if flags is not None else ""
            conds.append(f"(!isBlank({x}) && REGEX(STR({x}), {_n3(Literal(str(pattern)))}{f}))")
        for head in g.objects(shape, SH["in"]):
            members = [f"sameTerm({x}, {_n3(m)})" for m in Collection(g, head)]
            conds.append("(" + (" || ".join(members) or "false") + ")")
        for cls in g.objects(shape, SH["class"]):
            conds.append(f"EXISTS {{ {x} a {(t := self.var())} VALUES {t} {{ {self.classes(cls)} }} }}")
            depth = max(depth, 1)
        if g.value(shape, SH.path) is None:
            for v in g.objects(shape, SH.hasValue):
                conds.append(f"sameTerm({x}, {_n3(v)})")
        for key, op in _COMPARE.items():
            for bound in g.objects(shape, key):
                conds.append(f"COALESCE({x} {op} {_n3(bound)}, false)")
        for key, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            for n in g.objects(shape, key):
                conds.append(f"(!isBlank({x}) && STRLEN(STR({x})) {op} {int(n)})")
        for head in g.objects(shape, SH.languageIn):
            langs = " || ".join(f'LCASE(LANG({x})) = "{str(lang).lower()}"' for lang in Collection(g, head))
            conds.append(f"(isLiteral({x}) && ({langs or 'false'}))")
        more, d = self.logical(shape, x)
        conds.extend(more)
        depth = max(depth, d)
        return " && ".join(conds), depth

    def prop_cond(self, ps: Node, x: str) -> tuple[str, int]:
        g = self.g
        self.check(ps)
        path, steps = self.path(g.value(ps, SH.path))
        conds = []
        n_min = g.value(ps, SH.minCount)
        if n_min is not None and int(n_min) > 0:
            vs = [self.var() for _ in range(int(n_min))]
            conds.append(f"EXISTS {{ {' . '.join(f'{x} {path} {v}' for v in vs)} {_distinct(vs)} }}")
        n_max = g.value(ps, SH.maxCount)
        if n_max is not None:
            vs = [self.var() for _ in range(int(n_max) + 1)]
            conds.append(f"NOT EXISTS {{ {' . '.join(f'{x} {path} {v}' for v in vs)} {_distinct(vs)} }}")
        for v in g.objects(ps, SH.hasValue):
            conds.append(f"EXISTS {{ {x} {path} {_n3(v)} }}")
        v = self.var()
        vc, depth = self.value_cond(ps, v)
        if vc:
            conds.append(f"NOT EXISTS {{ {x} {path} {v} FILTER(!({vc})) }}")
        return (" && ".join(conds) if conds else "true"), steps + depth


def _distinct(vs: list[str]) -> str:
    pairs = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)]
    return f"FILTER({' && '.join(pairs)})" if pairs else ""


def _subclasses(store: ox.Store) -> dict[str, set[str]]:
    """Map every class to all its subclasses (rdfs:subClassOf in any graph, transitively)."""
    down: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, None):
        down.setdefault(q.object.value, set()).add(q.subject.value)
    out: dict[str, set[str]] = {}
    for top in down:
        seen: set[str] = set()
        stack = list(down[top])
        while stack:
            c = stack.pop()
            if c not in seen:
                seen.add(c)
                stack.extend(down.get(c, ()))
        out[top] = seen
    return out


def compile_shapes(shapes: Graph, store: ox.Store) -> tuple[list[tuple[str, str]], Compiler, int]:
    """Return (shape name, query) pairs, the compiler, and the neighbourhood depth the shapes read."""
    comp = Compiler(shapes, _subclasses(store))
    queries, depth = [], 1
    top = {s for t in _TARGETS for s in shapes.subjects(t, None)}
    for shape in sorted(top, key=str):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        targets = []
        for cls in shapes.objects(shape, SH.targetClass):
            targets.append(f"{{ ?focus a ?tc VALUES ?tc {{ {comp.classes(cls)} }} }}")
        for node in shapes.objects(shape, SH.targetNode):
            targets.append(f"{{ VALUES ?focus {{ {_n3(node)} }} }}")
        for p in shapes.objects(shape, SH.targetSubjectsOf):
            targets.append(f"{{ ?focus <{p}> [] }}")
        for p in shapes.objects(shape, SH.targetObjectsOf):
            comp.inverse = True
            targets.append(f"{{ [] <{p}> ?focus }}")
        cond, d = comp.node_cond(shape, "?focus")
        depth = max(depth, d)
        query = f"SELECT DISTINCT ?focus WHERE {{ {' UNION '.join(targets)} FILTER(!({cond})) }}"
        queries.append((str(shape), query))
    return queries, comp, depth


def _ill_typed_subjects(store: ox.Store, datatypes: Iterable[str]) -> set[Node]:
    """Subjects of literals whose lexical form rdflib rejects for a datatype the shapes name."""
    wanted = sorted(d for d in datatypes if d not in (str(XSD.string), str(RDF.langString)))
    if not wanted:
        return set()
    wanted_set = set(wanted)
    bad = [lit for lit in typed_literals(store) if lit.datatype.value in wanted_set
           and Literal(lit.value, datatype=URIRef(lit.datatype.value)).ill_typed]
    found: set[Node] = set()
    for lit in bad:
        for q in store.quads_for_pattern(None, None, lit, None):
            found.add(q.subject)
    return found


def suspects(store: ox.Store, shapes_path: Path) -> tuple[set, int, bool]:
    """Return the focus nodes that may violate a shape, the depth to judge them at, and whether
    incoming triples are needed (inverse paths)."""
    shapes = Graph().parse(shapes_path, format="turtle")
    queries, comp, depth = compile_shapes(shapes, store)
    found: set = set()
    for _name, query in queries:
        for (focus,) in store.query(query, use_default_graph_as_union=True):
            found.add(focus)
    found |= _ill_typed_subjects(store, comp.datatypes)
    return found, depth, comp.inverse


def neighbourhood(store: ox.Store, nodes: Iterable, depth: int, incoming: bool, skip_graph: str) -> Graph:
    """Copy into an rdflib graph every triple within ``depth`` steps of ``nodes`` (not ``skip_graph``)."""
    from .load import to_rdflib

    skip = ox.NamedNode(skip_graph)
    out = Graph()
    frontier, seen = set(nodes), set()
    for _ in range(depth):
        nxt = set()
        for node in frontier - seen:
            seen.add(node)
            if isinstance(node, ox.Literal):
                continue
            quads = list(store.quads_for_pattern(node, None, None, None))
            if incoming:
                quads += list(store.quads_for_pattern(None, None, node, None))
            for q in quads:
                if q.graph_name == skip:
                    continue
                out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
                nxt.add(q.object)
                nxt.add(q.subject)
        frontier = nxt
    return out

