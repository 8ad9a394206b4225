"""Namespaces and prefixes used across stpgraph, with ``STP`` as a typed rdflib namespace.

The attributes of ``STP`` are generated from ``ontology/stp.ttl`` by ``make namespace``;
a test fails when the two disagree.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import Node

from .paths import DEF, GRAPH, ID


class STP(DefinedNamespace):
    """The stpgraph ontology, ``https://w3id.org/stpgraph/def/``."""

    _NS = Namespace(DEF)
    _fail = True

    # --- generated terms: begin ---
    Abolition: URIRef
    Accountability: URIRef
    AccountableCareOrganisation: URIRef
    AccountableCareSystem: URIRef
    Acquisition: URIRef
    Aim: URIRef
    AmbulanceService: URIRef
    ArmsLengthBody: URIRef
    CancerAlliance: URIRef
    Challenge: URIRef
    ChangeEvent: URIRef
    Claim: URIRef
    ClinicalCommissioningGroup: URIRef
    Concern: URIRef
    Count: URIRef
    DatedCode: URIRef
    DatedName: URIRef
    Designation: URIRef
    Document: URIRef
    Establishment: URIRef
    Evolution: URIRef
    Finding: URIRef
    Footprint: URIRef
    FormChange: URIRef
    FormEvolution: URIRef
    FormRenaming: URIRef
    FormReplacement: URIRef
    Funding: URIRef
    GPPractice: URIRef
    GovernmentDepartment: URIRef
    HeadlineArea: URIRef
    IntegratedCareBoard: URIRef
    IntegratedCarePartnership: URIRef
    IntegratedCarePioneer: URIRef
    IntegratedCareProvider: URIRef
    IntegratedCareSystem: URIRef
    Investigation: URIRef
    LeadershipRule: URIRef
    Legislation: URIRef
    LocalAuthority: URIRef
    LocalDentalNetwork: URIRef
    LocalProfessionalNetwork: URIRef
    MembershipRule: URIRef
    Merger: URIRef
    NHSFoundationTrust: URIRef
    NHSProvider: URIRef
    NHSRegion: URIRef
    NHSTrust: URIRef
    Partnership: URIRef
    PartnershipBoard: URIRef
    Periodical: URIRef
    Plan: URIRef
    PlanningGuidance: URIRef
    PolicyDocument: URIRef
    PopulationFigure: URIRef
    PrimaryCareNetwork: URIRef
    PrivateProvider: URIRef
    ProfessionalBody: URIRef
    Programme: URIRef
    Publisher: URIRef
    Recoding: URIRef
    Recommendation: URIRef
    Renaming: URIRef
    Replacement: URIRef
    Report: URIRef
    Requirement: URIRef
    Role: URIRef
    SourceDocument: URIRef
    Split: URIRef
    StakeholderGroup: URIRef
    Statistic: URIRef
    StatutoryBody: URIRef
    SubICBLocation: URIRef
    SuccessionEvent: URIRef
    Survey: URIRef
    SurveyResult: URIRef
    SustainabilityAndTransformationPartnership: URIRef
    SustainabilityAndTransformationPlan: URIRef
    Target: URIRef
    ThinkTank: URIRef
    TradeUnion: URIRef
    Vanguard: URIRef
    VoluntarySectorOrganisation: URIRef
    Wave: URIRef
    about: URIRef
    aggregate: URIRef
    amount: URIRef
    appliesTo: URIRef
    certainty: URIRef
    citesEvidence: URIRef
    conductedBy: URIRef
    couldBecome: URIRef
    countOf: URIRef
    counts: URIRef
    created: URIRef
    deadline: URIRef
    designates: URIRef
    eligibleHolder: URIRef
    endDate: URIRef
    engagedWith: URIRef
    eventuallyReplacedBy: URIRef
    eventuallyReplaces: URIRef
    evidence: URIRef
    expectedMember: URIRef
    formChangedBy: URIRef
    formConcept: URIRef
    fromSurvey: URIRef
    hasDatedCode: URIRef
    hasDatedName: URIRef
    hasFootprint: URIRef
    hasFormalFramework: URIRef
    implements: URIRef
    inRegion: URIRef
    introduced: URIRef
    latestDate: URIRef
    launchedBy: URIRef
    leaderRole: URIRef
    locator: URIRef
    name: URIRef
    nextForm: URIRef
    odsCode: URIRef
    onsCode: URIRef
    partOfProgramme: URIRef
    periodEnd: URIRef
    periodStart: URIRef
    population: URIRef
    priorForm: URIRef
    referencePeriod: URIRef
    refreshes: URIRef
    renamedBody: URIRef
    replacedBy: URIRef
    replaces: URIRef
    respondents: URIRef
    seedFile: URIRef
    setsOut: URIRef
    startDate: URIRef
    status: URIRef
    supplements: URIRef
    supportsDeliveryOf: URIRef
    unit: URIRef
    value: URIRef
    # --- generated terms: end ---


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


def compact(term: Node) -> str:
    """Render any rdflib term compactly: IRIs with prefixes, literals in N3 form."""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    return term.n3()


def sparql_prologue() -> str:
    """PREFIX declarations for every known prefix."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
