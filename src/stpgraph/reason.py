"""OWL-RL reasoning with owlrl, keeping only the inferences worth publishing.

owlrl adds many triples that say nothing about the data (every resource is an ``owl:Thing``,
every individual is ``owl:sameAs`` itself, facts about datatypes and built-in terms). The kept
inferences are those whose subject is one of our things (``…/id/…``) or a blank node of the data,
minus such trivia.
"""

from __future__ import annotations

import owlrl
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .errors import ReasoningError
from .paths import ID

ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}
_SCHEMA_NS = (str(RDF), str(RDFS), str(OWL))
_BUILTIN = (*_SCHEMA_NS, "http://www.w3.org/2001/XMLSchema#")


def _keep(triple: tuple, data_bnodes: set[BNode]) -> bool:
    s, p, o = triple
    if isinstance(s, URIRef):
        if not str(s).startswith(ID):
            return False
    elif not (isinstance(s, BNode) and s in data_bnodes):
        return False
    if p == RDF.type:
        return o not in _TRIVIAL_TYPES and not str(o).startswith(_SCHEMA_NS)
    if p == OWL.sameAs:
        return s != o
    return not str(p).startswith(_BUILTIN)


def infer(ontology: Graph, data: Graph) -> Graph:
    """Return the OWL-RL inferences from ``ontology`` plus ``data`` that are not already asserted.

    Raises ReasoningError listing every contradiction the reasoner found (for instance a
    replacement asserted where a source denies it).
    """
    closure = Graph()
    for triple in ontology:
        closure.add(triple)
    for triple in data:
        closure.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False,
        improved_datatypes=False,
    ).expand(closure)
    errors = sorted(str(m) for m in closure.objects(None, ERR.error))
    if errors:
        raise ReasoningError(f"the reasoner found {len(errors)} contradiction(s)", errors)
    data_bnodes = {s for s in data.subjects() if isinstance(s, BNode)}
    inferred = Graph()
    for triple in closure:
        if triple in data or triple in ontology:
            continue
        if _keep(triple, data_bnodes):
            inferred.add(triple)
    return inferred
