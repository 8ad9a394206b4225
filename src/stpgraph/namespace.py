"""Namespaces and prefixes used across stpgraph, with ``STP`` as a typed rdflib namespace.

The attributes of ``STP`` are generated from ``ontology/stp.ttl`` by ``make namespace``;
a test fails when the two disagree.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import Node

from .paths import DEF
from .prefixes import PREFIXES, compact_iri, sparql_prologue

__all__ = ["PREFIXES", "STP", "compact", "compact_iri", "sparql_prologue"]


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


def compact(term: Node) -> str:
    """Render any rdflib term compactly: IRIs with prefixes, literals in N3 form."""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    return term.n3()
