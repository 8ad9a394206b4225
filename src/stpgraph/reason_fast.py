"""Fast OWL-RL reasoning for large graphs: the rules our ontology uses, compiled from its axioms.

owlrl (``reason.infer``) stays the reference. This module reads the schema axioms from the store
(whatever graph they are in), checks that they use only the OWL-RL constructs it implements, and
runs the matching instance rules to a fixpoint in plain Python over the few predicates they touch,
reading those triples from a pyoxigraph store by index. Supported:

* ``cax-sco``/``cax-eqc`` subclass and equivalent-class closure (our classes and the W3C ones we
  align to), ``prp-spo1``/``prp-eqp`` subproperty and equivalent-property closure;
* ``prp-dom``/``prp-rng`` domain and range, ``prp-inv`` inverses, ``prp-symp`` symmetry,
  ``prp-trp`` transitivity (``stp:eventuallyReplacedBy``/``eventuallyReplaces``),
  ``prp-spo2`` property chains of any length (the two on ``stp:replacedBy``);
* contradictions, reported with owlrl's own wording: ``cax-dw``/``cax-adc`` disjoint classes,
  ``prp-npa1``/``prp-npa2`` negative property assertions, ``prp-irp``, ``prp-asyp``, ``prp-pdw``,
  ``cls-nothing2`` and ``dt-not-type`` (a literal whose lexical form its datatype rejects).

Any other OWL construct (``owl:sameAs``, restrictions, functional properties, keys, class
expressions…) raises :class:`UnsupportedOntology`; ``build`` then falls back to owlrl. The kept
inferences are filtered exactly as ``reason.infer`` filters owlrl's, and a test checks that the two
agree triple for triple on the shipped graph and on a synthetic one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from .errors import ReasoningError
from .load import typed_literals
from .paths import ID

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = ox.NamedNode(RDF + "type")
_FIRST, _REST, _NIL = ox.NamedNode(RDF + "first"), ox.NamedNode(RDF + "rest"), ox.NamedNode(RDF + "nil")
_TRIVIAL_TYPES = {OWL + "Thing", RDFS + "Resource", OWL + "NamedIndividual", RDFS + "Class", OWL + "Class"}
_SCHEMA_NS = (RDF, RDFS, OWL)
_BUILTIN = (*_SCHEMA_NS, XSD)

#: schema predicates this module understands
_SCHEMA_PREDICATES = {
    RDFS + "subClassOf", OWL + "equivalentClass", RDFS + "subPropertyOf", OWL + "equivalentProperty",
    OWL + "inverseOf", RDFS + "domain", RDFS + "range", OWL + "propertyChainAxiom",
    OWL + "disjointWith", OWL + "propertyDisjointWith", OWL + "members",
}
#: property characteristics (``p a owl:X``) this module understands
_CHARACTERISTICS = {"TransitiveProperty", "SymmetricProperty", "IrreflexiveProperty", "AsymmetricProperty"}
#: OWL-RL constructs it does not implement: seeing one means "use owlrl"
_UNSUPPORTED_PREDICATES = {
    OWL + p for p in ("sameAs", "differentFrom", "hasKey", "someValuesFrom", "allValuesFrom", "hasValue",
                      "maxCardinality", "maxQualifiedCardinality", "intersectionOf", "unionOf",
                      "complementOf", "oneOf", "distinctMembers", "onProperty", "hasSelf")
}
_UNSUPPORTED_TYPES = {
    OWL + t for t in ("FunctionalProperty", "InverseFunctionalProperty", "AllDifferent",
                      "AllDisjointProperties", "Restriction")
}


class UnsupportedOntology(Exception):
    """The axioms use an OWL construct that the fast path does not implement."""


Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Rules:
    """The instance rules compiled from the schema axioms of a store."""

    def __init__(self) -> None:
        self.superclasses: dict[Term, set[Term]] = {}
        self.superproperties: dict[Term, set[Term]] = {}
        self.inverses: dict[Term, set[Term]] = defaultdict(set)
        self.domains: dict[Term, set[Term]] = defaultdict(set)
        self.ranges: dict[Term, set[Term]] = defaultdict(set)
        self.transitive: set[Term] = set()
        self.symmetric: set[Term] = set()
        self.irreflexive: set[Term] = set()
        self.asymmetric: set[Term] = set()
        self.disjoint_classes: list[tuple[Term, Term]] = []
        self.disjoint_properties: list[tuple[Term, Term]] = []
        #: binary chain steps (first, second) -> result; longer chains use hidden helper properties
        self.chains: list[tuple[Term, Term, Term]] = []
        self.helpers: set[Term] = set()

    def active_properties(self) -> set[Term]:
        """Every property whose triples take part in some rule or check."""
        props = set(self.superproperties) | set(self.inverses) | set(self.domains) | set(self.ranges)
        props |= self.transitive | self.symmetric | self.irreflexive | self.asymmetric
        for a, b, c in self.chains:
            props |= {a, b, c}
        for a, b in self.disjoint_properties:
            props |= {a, b}
        for p in list(props):
            props |= self.superproperties.get(p, set()) | self.inverses.get(p, set())
        return props - self.helpers


def _closure(edges: dict[Term, set[Term]]) -> dict[Term, set[Term]]:
    out: dict[Term, set[Term]] = {}
    for start in edges:
        seen: set[Term] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        seen.discard(start)
        out[start] = seen
    return out


def _list(store: ox.Store, head: Term) -> list[Term]:
    items: list[Term] = []
    while head != _NIL:
        first = [q.object for q in store.quads_for_pattern(head, _FIRST, None, None)]
        rest = [q.object for q in store.quads_for_pattern(head, _REST, None, None)]
        if len(first) != 1 or len(rest) != 1 or len(items) > 1000:
            raise UnsupportedOntology(f"malformed RDF list at {head}")
        items.append(first[0])
        head = rest[0]
    return items


def compile_rules(store: ox.Store) -> Rules:
    """Read the schema axioms of every graph in ``store`` into :class:`Rules`.

    Raises UnsupportedOntology naming the first construct the fast path does not implement.
    """
    for iri in sorted(_UNSUPPORTED_PREDICATES):
        for q in store.quads_for_pattern(None, ox.NamedNode(iri), None, None):
            raise UnsupportedOntology(f"{q.subject} uses {iri}")
    for iri in sorted(_UNSUPPORTED_TYPES):
        for q in store.quads_for_pattern(None, TYPE, ox.NamedNode(iri), None):
            raise UnsupportedOntology(f"{q.subject} is a {iri}")

    def pairs(pred: str) -> Iterator[tuple[Term, Term]]:
        for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, None):
            yield q.subject, q.object

    rules = Rules()
    sub_c: dict[Term, set[Term]] = defaultdict(set)
    sub_p: dict[Term, set[Term]] = defaultdict(set)
    for pred, edges, both in ((RDFS + "subClassOf", sub_c, False), (OWL + "equivalentClass", sub_c, True),
                              (RDFS + "subPropertyOf", sub_p, False),
                              (OWL + "equivalentProperty", sub_p, True)):
        for s, o in pairs(pred):
            if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)):
                raise UnsupportedOntology(f"{pred} between {s} and {o}: only named classes and properties")
            edges[s].add(o)
            if both:
                edges[o].add(s)
    rules.superclasses = {c: sup for c, sup in _closure(sub_c).items() if sup}
    rules.superproperties = {p: sup for p, sup in _closure(sub_p).items() if sup}
    for s, o in pairs(OWL + "inverseOf"):
        if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)):
            raise UnsupportedOntology(f"owl:inverseOf between {s} and {o}")
        rules.inverses[s].add(o)
        rules.inverses[o].add(s)
    for s, o in pairs(RDFS + "domain"):
        rules.domains[s].add(o)
    for s, o in pairs(RDFS + "range"):
        rules.ranges[s].add(o)
    for name in _CHARACTERISTICS:
        target = getattr(rules, name.removesuffix("Property").lower())
        for q in store.quads_for_pattern(None, TYPE, ox.NamedNode(OWL + name), None):
            target.add(q.subject)
    for s, o in pairs(OWL + "disjointWith"):
        rules.disjoint_classes.append((s, o))
    for s, o in pairs(OWL + "propertyDisjointWith"):
        rules.disjoint_properties.append((s, o))
    for s, o in pairs(OWL + "members"):
        if not any(store.quads_for_pattern(s, TYPE, ox.NamedNode(OWL + "AllDisjointClasses"), None)):
            raise UnsupportedOntology(f"owl:members on {s}, which is not an owl:AllDisjointClasses")
        classes = _list(store, o)
        rules.disjoint_classes.extend((a, b) for i, a in enumerate(classes) for b in classes[i + 1:])
    for n, (result, head) in enumerate(sorted(pairs(OWL + "propertyChainAxiom"), key=str)):
        steps = _list(store, head)
        if len(steps) < 2 or not all(isinstance(p, ox.NamedNode) for p in steps):
            raise UnsupportedOntology(f"property chain on {result}: only chains of named properties")
        left = steps[0]
        for i, step in enumerate(steps[1:], start=1):
            out = result if i == len(steps) - 1 else ox.NamedNode(f"urn:stpgraph:chain:{n}:{i}")
            if out != result:
                rules.helpers.add(out)
            rules.chains.append((left, step, out))
            left = out
    return rules


class _Closure:
    """Semi-naive forward chaining over the active predicates and rdf:type."""

    def __init__(self, rules: Rules) -> None:
        self.r = rules
        self.facts: dict[Term, set[tuple[Term, Term]]] = defaultdict(set)
        self.types: set[tuple[Term, Term]] = set()
        self.by_s: dict[Term, dict[Term, set[Term]]] = defaultdict(lambda: defaultdict(set))
        self.by_o: dict[Term, dict[Term, set[Term]]] = defaultdict(lambda: defaultdict(set))
        self.indexed = set(rules.transitive)
        for a, b, _c in rules.chains:
            self.indexed |= {a, b}
        self.queue: list[tuple[Term, Term, Term]] = []

    def add(self, s: Term, p: Term, o: Term) -> None:
        bucket = self.facts[p]
        if (s, o) in bucket:
            return
        bucket.add((s, o))
        if p in self.indexed:
            self.by_s[p][s].add(o)
            self.by_o[p][o].add(s)
        self.queue.append((s, p, o))

    def add_type(self, x: Term, c: Term) -> None:
        if (x, c) in self.types:
            return
        self.types.add((x, c))
        for d in self.r.superclasses.get(c, ()):
            self.types.add((x, d))

    def run(self) -> None:
        r, queue = self.r, self.queue
        chains_by_first: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
        chains_by_second: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
        for a, b, c in r.chains:
            chains_by_first[a].append((b, c))
            chains_by_second[b].append((a, c))
        while queue:
            s, p, o = queue.pop()
            for q in r.superproperties.get(p, ()):
                self.add(s, q, o)
            for q in r.inverses.get(p, ()):
                self.add(o, q, s)
            if p in r.symmetric:
                self.add(o, p, s)
            for c in r.domains.get(p, ()):
                self.add_type(s, c)
            for c in r.ranges.get(p, ()):
                self.add_type(o, c)
            if p in r.transitive:
                for z in list(self.by_s[p].get(o, ())):
                    self.add(s, p, z)
                for w in list(self.by_o[p].get(s, ())):
                    self.add(w, p, o)
            for b, c in chains_by_first.get(p, ()):
                for z in list(self.by_s[b].get(o, ())):
                    self.add(s, c, z)
            for a, c in chains_by_second.get(p, ()):
                for w in list(self.by_o[a].get(s, ())):
                    self.add(w, c, o)


def _v(term: Term) -> str:
    return term.value


def _contradictions(store: ox.Store, rules: Rules, cl: _Closure) -> list[str]:
    errors: set[str] = set()
    members: dict[Term, set[Term]] = defaultdict(set)
    wanted = {c for pair in rules.disjoint_classes for c in pair} | {ox.NamedNode(OWL + "Nothing")}
    for x, c in cl.types:
        if c in wanted:
            members[c].add(x)
    for c1, c2 in rules.disjoint_classes:
        for x in members[c1] & members[c2]:
            errors.add(f"Disjoint classes {_v(c1)} and {_v(c2)} have a common individual {_v(x)}")
    for x in members[ox.NamedNode(OWL + "Nothing")]:
        errors.add(f"{_v(x)} is defined of type 'Nothing'")
    for p in rules.irreflexive:
        for s, o in cl.facts[p]:
            if s == o:
                errors.add(f"Irreflexive property used on {_v(s)} with {_v(p)}")
    for p in rules.asymmetric:
        for s, o in cl.facts[p]:
            if (o, s) in cl.facts[p]:
                errors.add(f"Erroneous usage of asymmetric property {_v(p)} on {_v(s)} and {_v(o)}")
    for p1, p2 in rules.disjoint_properties:
        for s, o in cl.facts[p1] & cl.facts[p2]:
            errors.add(f"Erroneous usage of disjoint properties {_v(p1)} and {_v(p2)} on {_v(s)} and {_v(o)}")
    for q in store.quads_for_pattern(None, ox.NamedNode(OWL + "sourceIndividual"), None, None):
        x, i1 = q.subject, q.object
        for qp in store.quads_for_pattern(x, ox.NamedNode(OWL + "assertionProperty"), None, None):
            p = qp.object
            for key, kind in (("targetIndividual", "object"), ("targetValue", "datatype")):
                for qt in store.quads_for_pattern(x, ox.NamedNode(OWL + key), None, None):
                    i2 = qt.object
                    if (i1, i2) in cl.facts.get(p, ()) or any(store.quads_for_pattern(i1, p, i2, None)):
                        errors.add(f"Negative ({kind}) property assertion violated for: "
                                   f"({_v(i1)}, {_v(p)}, {_v(i2)})")
    errors.update(_ill_typed_literals(store))
    return sorted(errors)


def _ill_typed_literals(store: ox.Store) -> Iterable[str]:
    """owlrl's dt-not-type: literals of OWL-RL datatypes whose lexical form does not parse."""
    from owlrl.DatatypeHandling import AltXSDToPYTHON
    from owlrl.XsdDatatypes import OWL_RL_Datatypes

    converters = {str(k): v for k, v in AltXSDToPYTHON.items()}
    checked = {str(d) for d in OWL_RL_Datatypes} & set(converters)
    found = []
    for lit in typed_literals(store):
        datatype = lit.datatype.value
        if datatype not in checked:
            continue
        try:
            converters[datatype](lit.value)
        except ValueError:
            found.append(f"Lexical value of the literal '{lit.value}' does not match its datatype "
                         f"({datatype})")
    return found


def _subject_kept(s: Term, data_bnode) -> bool:
    """The subject test of ``reason._keep``: one of our things, or a blank node of the data."""
    if isinstance(s, ox.NamedNode):
        return s.value.startswith(ID)
    return isinstance(s, ox.BlankNode) and data_bnode(s)


def infer_store(store: ox.Store, ontology_graph: str) -> list[ox.Triple]:
    """Return the kept OWL-RL inferences of everything in ``store`` that no graph already asserts.

    ``ontology_graph`` names the graph of the ontology's own files: blank nodes that occur as
    subjects only there are not data, and inferences about them are dropped (as owlrl's path does).
    Raises UnsupportedOntology when the axioms need owlrl, ReasoningError on contradictions.
    """
    rules = compile_rules(store)
    cl = _Closure(rules)
    asserted: dict[Term, set[tuple[Term, Term]]] = {}
    for p in rules.active_properties():
        pairs = {(q.subject, q.object) for q in store.quads_for_pattern(None, p, None, None)}
        asserted[p] = pairs
        for s, o in pairs:
            cl.add(s, p, o)
    asserted_types = {(q.subject, q.object) for q in store.quads_for_pattern(None, TYPE, None, None)}
    for x, c in asserted_types:
        cl.add_type(x, c)
    cl.run()
    errors = _contradictions(store, rules, cl)
    if errors:
        raise ReasoningError(f"the reasoner found {len(errors)} contradiction(s)", errors)

    onto = ox.NamedNode(ontology_graph)
    bnode_cache: dict[Term, bool] = {}

    def data_bnode(b: Term) -> bool:
        if b not in bnode_cache:
            bnode_cache[b] = any(q.graph_name != onto for q in store.quads_for_pattern(b, None, None, None))
        return bnode_cache[b]

    out: list[ox.Triple] = []
    for p, pairs in cl.facts.items():
        if p in rules.helpers or p.value.startswith(_BUILTIN):
            continue
        have = asserted.get(p)
        if have is None:
            have = {(q.subject, q.object) for q in store.quads_for_pattern(None, p, None, None)}
        for s, o in pairs:
            if (s, o) not in have and _subject_kept(s, data_bnode):
                out.append(ox.Triple(s, p, o))
    kept_class: dict[Term, bool] = {}
    for x, c in cl.types:
        ok = kept_class.get(c)
        if ok is None:
            ok = kept_class[c] = isinstance(c, ox.NamedNode) and c.value not in _TRIVIAL_TYPES and not (
                c.value.startswith(_SCHEMA_NS))
        if ok and (x, c) not in asserted_types and _subject_kept(x, data_bnode):
            out.append(ox.Triple(x, TYPE, c))
    return out
