"""What every importer shares: the error type, IRIs, dataset descriptions and graph helpers.

IRIs follow docs/modelling.md: ``id/stp/<first E54 code>`` for an STP partnership,
``id/footprint/<E54>`` for an area, ``id/icb/<ODS>``, ``id/ccg/<ODS>``,
``id/sub-icb-location/<ODS>``, ``id/region/<E40>``, ``id/trust/<ODS>``,
``id/cancer-alliance/<E56>``. Two kinds are added here: ``id/dataset/<set>`` for the public table a
named graph is derived from, and ``id/membership/<member>-in-<organisation>`` so that the same
membership stated by two tables is one node (each graph states it; ``GRAPH ?g`` shows both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..errors import InputError
from ..namespace import PREFIXES, STP
from ..paths import GRAPH, ID

ORG = Namespace("http://www.w3.org/ns/org#")
STATGEO = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

STPBODY = Namespace(ID + "stp/")
FOOTPRINT = Namespace(ID + "footprint/")
ICB = Namespace(ID + "icb/")
CCG = Namespace(ID + "ccg/")
SICBL = Namespace(ID + "sub-icb-location/")
REGION = Namespace(ID + "region/")
TRUST = Namespace(ID + "trust/")
CANCER_ALLIANCE = Namespace(ID + "cancer-alliance/")
EVENT = Namespace(ID + "event/")
FINDING = Namespace(ID + "finding/")
DATASET = Namespace(ID + "dataset/")
MEMBERSHIP = Namespace(ID + "membership/")
AGENT = Namespace(ID + "org/")
DOC = Namespace(ID + "document/")
FORM = Namespace(ID + "form/")
FORM_CHANGE = Namespace(ID + "form-change/")
CERTAINTY = Namespace(ID + "certainty/")

#: Prefixes used when writing the reference Turtle (the project's, plus a few of our own kinds).
TURTLE_PREFIXES: dict[str, str] = {
    **{k: v for k, v in PREFIXES.items() if k not in ("id", "void", "time")},
    "cancer-alliance": str(CANCER_ALLIANCE),
    "certainty": str(CERTAINTY),
    "dataset": str(DATASET),
    "membership": str(MEMBERSHIP),
    "statgeo": str(STATGEO),
}

OGL = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
MIT = URIRef("https://opensource.org/licenses/MIT")
HEALTH_AND_CARE_ACT_2022 = DOC["health-and-care-act-2022"]

#: Attribution sentences the publishers ask for (SOURCES.md, "Licences").
ONS_ATTRIBUTION = ("Source: Office for National Statistics licensed under the Open Government "
                   "Licence v.3.0. Contains OS data © Crown copyright and database right {year}")
NHS_ATTRIBUTION = ("Contains public sector information licensed under the Open Government "
                   "Licence v3.0")


class ReferenceTableError(InputError):
    """A reference table has a row the importer cannot trust; names the file and the line.

    >>> print(ReferenceTableError(Path("x/stps.csv"), 7, "bad code 'E5'"))
    stps.csv:7: bad code 'E5'
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        where = f"{self.path.name}:{line}" if line else self.path.name
        super().__init__(f"{where}: {message}")


# --- literals ----------------------------------------------------------------------------------


def en(text: str) -> Literal:
    """An English-tagged literal, as the project's labels and descriptions are."""
    return Literal(text, lang="en")


def plain(text: str) -> Literal:
    """A plain string literal (codes are xsd:string)."""
    return Literal(text)


def integer(value: int) -> Literal:
    """An xsd:integer literal."""
    return Literal(value, datatype=XSD.integer)


def day(text: str) -> Literal:
    """An xsd:date literal, for a day the source gives."""
    return Literal(text, datatype=XSD.date)


def month(text: str) -> Literal:
    """An xsd:gYearMonth literal, for a month the source gives without a day."""
    return Literal(text, datatype=XSD.gYearMonth)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def month_words(text: str) -> str:
    """Write a ``YYYY-MM`` month in words.

    >>> month_words("2018-08")
    'August 2018'
    """
    y, m = text.split("-")
    return f"{MONTHS[int(m) - 1]} {y}"


def and_list(items: Iterable[str]) -> str:
    """Join words as English does: ``a, b and c``.

    >>> and_list(["00C", "00K", "00M"])
    '00C, 00K and 00M'
    """
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def year(text: str) -> Literal:
    """An xsd:gYear literal."""
    return Literal(text, datatype=XSD.gYear)


# --- datasets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publisher:
    """An organisation that publishes a reference table."""

    slug: str
    label: str
    kind: URIRef
    description: str = ""

    @property
    def iri(self) -> URIRef:
        """The publisher's IRI, ``id/org/<slug>``."""
        return AGENT[self.slug]

    def describe(self, g: Graph) -> None:
        """Type and label the publisher in ``g``."""
        g.add((self.iri, RDF.type, self.kind))
        g.add((self.iri, RDFS.label, en(self.label)))
        if self.description:
            g.add((self.iri, DCTERMS.description, en(self.description)))


ONS = Publisher("office-for-national-statistics", "Office for National Statistics",
                STP.StatutoryBody)
NHS_DIGITAL = Publisher("nhs-digital", "NHS Digital", STP.ArmsLengthBody)
HEALTH_FOUNDATION = Publisher("health-foundation", "The Health Foundation", STP.ThinkTank)
STRATEGY_UNIT = Publisher(
    "strategy-unit", "The Strategy Unit", ORG.Organization,
    "An NHS analytics team hosted by NHS Midlands and Lancashire Commissioning Support Unit.")


@dataclass(frozen=True)
class DatasetInfo:
    """Where a reference table comes from: publisher, the copy's repository, vintage, licence."""

    title: str
    description: str
    publisher: Publisher
    repository: str
    path: str
    commit: str
    commit_date: str
    vintage: str
    period_start: Literal | None
    period_end: Literal | None
    license: URIRef
    rights: str

    @property
    def source_url(self) -> URIRef:
        """The GitHub address of the exact file version the table was copied from."""
        return URIRef(f"https://github.com/{self.repository}/blob/{self.commit}/{self.path}")

    def citation(self, file_name: str) -> str:
        """One sentence naming the repository, path and commit of the copy."""
        return (f"Copied verbatim as {file_name} from {self.path} in the GitHub repository "
                f"{self.repository} at commit {self.commit} ({self.commit_date}).")


def graph_iri(set_name: str) -> URIRef:
    """The named graph a set's Turtle file is loaded into."""
    return URIRef(GRAPH + set_name)


def dataset_node(g: Graph, set_name: str, title: str) -> URIRef:
    """State that the set's graph derives from dataset ``id/dataset/<set_name>``; type, title and
    identify that dataset, and return it."""
    ds = DATASET[set_name]
    g.add((graph_iri(set_name), PROV.wasDerivedFrom, ds))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, PROV.Entity))
    g.add((ds, RDFS.label, en(title)))
    g.add((ds, DCTERMS.title, en(title)))
    g.add((ds, DCTERMS.identifier, plain(set_name)))
    return ds


def describe_dataset(g: Graph, set_name: str, info: DatasetInfo, file_name: str) -> URIRef:
    """State that the set's graph derives from its dataset, and describe that dataset."""
    ds = dataset_node(g, set_name, info.title)
    g.add((ds, DCTERMS.description, en(f"{info.description} Vintage: {info.vintage}.")))
    g.add((ds, DCTERMS.publisher, info.publisher.iri))
    info.publisher.describe(g)
    g.add((ds, DCTERMS.source, info.source_url))
    g.add((ds, DCTERMS.bibliographicCitation, en(info.citation(file_name))))
    g.add((ds, DCTERMS.license, info.license))
    g.add((ds, DCTERMS.rights, en(info.rights)))
    if info.period_start is not None:
        g.add((ds, STP.periodStart, info.period_start))
    if info.period_end is not None:
        g.add((ds, STP.periodEnd, info.period_end))
    return ds


# --- things --------------------------------------------------------------------------------------


def footprint(g: Graph, code: str) -> URIRef:
    """Add the area with ONS code ``code`` (an STP, ICS or ICB footprint) and return its IRI."""
    fp = FOOTPRINT[code]
    g.add((fp, RDF.type, STP.Footprint))
    g.add((fp, RDFS.label, en(f"Footprint {code}")))
    g.add((fp, STP.onsCode, plain(code)))
    g.add((fp, SKOS.exactMatch, STATGEO[code]))
    return fp


def region(g: Graph, code: str, name: str) -> URIRef:
    """Add an NHS England region with its ONS code and name."""
    r = REGION[code]
    g.add((r, RDF.type, STP.NHSRegion))
    g.add((r, ORG.classification, FORM["nhs-region"]))
    g.add((r, RDFS.label, en(name)))
    g.add((r, STP.onsCode, plain(code)))
    g.add((r, SKOS.exactMatch, STATGEO[code]))
    return r


def labels(g: Graph, node: URIRef, latest: str, own: str) -> None:
    """Give ``node`` its latest known name as rdfs:label and this table's name as altLabel.

    Every graph applies the same rule with the same latest name, so the union holds exactly one
    rdfs:label per body.
    """
    g.add((node, RDFS.label, en(latest)))
    if own != latest:
        g.add((node, SKOS.altLabel, en(own)))


def _period(g: Graph, node: URIRef | BNode, start: Literal | None, end: Literal | None) -> None:
    """Give ``node`` its stp:startDate and stp:endDate, each where known."""
    if start is not None:
        g.add((node, STP.startDate, start))
    if end is not None:
        g.add((node, STP.endDate, end))


def _dated(g: Graph, node: URIRef, link: URIRef, kind: URIRef, label: str,
           start: Literal | None, end: Literal | None) -> BNode:
    """Attach to ``node`` by ``link`` a blank node of ``kind`` with a label and a period."""
    b = BNode()
    g.add((node, link, b))
    g.add((b, RDF.type, kind))
    g.add((b, RDFS.label, en(label)))
    _period(g, b, start, end)
    return b


def dated_name(g: Graph, node: URIRef, name: str, when: str,
               start: Literal | None = None, end: Literal | None = None) -> None:
    """Attach a stp:DatedName: the name ``name`` as the table of vintage ``when`` gives it.

    Which table that is, the named graph tells (``GRAPH ?g``); the label names the vintage.
    """
    b = _dated(g, node, STP.hasDatedName, STP.DatedName, f"{name} (name in the {when} table)",
               start, end)
    g.add((b, STP.name, en(name)))


def dated_code(g: Graph, node: URIRef, code: str, note: str, *, start: Literal | None = None,
               end: Literal | None = None) -> None:
    """Attach a stp:DatedCode: ``code`` identified ``node`` from ``start`` to ``end``."""
    b = _dated(g, node, STP.hasDatedCode, STP.DatedCode, f"{code} ({note})", start, end)
    g.add((b, SKOS.notation, plain(code)))


def membership(g: Graph, member: URIRef, member_key: str, organisation: URIRef,
               organisation_key: str, label: str, *, start: Literal | None = None,
               end: Literal | None = None, description: str = "") -> URIRef:
    """Add an org:Membership of ``member`` in ``organisation``; its IRI is built from both keys."""
    m = MEMBERSHIP[f"{member_key}-in-{organisation_key}"]
    g.add((m, RDF.type, ORG.Membership))
    g.add((m, RDFS.label, en(label)))
    g.add((m, ORG.member, member))
    g.add((m, ORG.organization, organisation))
    _period(g, m, start, end)
    if description:
        g.add((m, DCTERMS.description, en(description)))
    return m


def event(g: Graph, slug: str, kind: URIRef, label: str, description: str, *,
          original: Iterable[URIRef] = (), resulting: Iterable[URIRef] = (),
          renamed: URIRef | None = None, date: Literal | None = None, latest: Literal | None = None,
          source: URIRef | None = None, framework: URIRef | None = None,
          evidence: str = "", certainty: str = "") -> URIRef:
    """Add a change event of bodies (docs/modelling.md, "Body-level history")."""
    e = EVENT[slug]
    g.add((e, RDF.type, kind))
    g.add((e, RDFS.label, en(label)))
    g.add((e, DCTERMS.description, en(description)))
    for body in original:
        g.add((e, ORG.originalOrganization, body))
    for body in resulting:
        g.add((e, ORG.resultingOrganization, body))
    if renamed is not None:
        g.add((e, STP.renamedBody, renamed))
    if date is not None:
        g.add((e, DCTERMS.date, date))
    if latest is not None:
        g.add((e, STP.latestDate, latest))
    if source is not None:
        g.add((e, DCTERMS.source, source))
    if framework is not None:
        g.add((e, STP.hasFormalFramework, framework))
    if evidence:
        g.add((e, STP.evidence, plain(evidence)))
    if certainty:
        g.add((e, STP.certainty, CERTAINTY[certainty]))
    return e


def health_and_care_act(g: Graph) -> URIRef:
    """Describe the Health and Care Act 2022, the formal framework of the July 2022 changes."""
    act = HEALTH_AND_CARE_ACT_2022
    g.add((act, RDF.type, STP.Legislation))
    g.add((act, RDFS.label, en("Health and Care Act 2022")))
    g.add((act, DCTERMS.title, en("Health and Care Act 2022")))
    g.add((act, DCTERMS.issued, year("2022")))
    g.add((act, DCTERMS.description, en(
        "The Act that established integrated care boards and abolished clinical commissioning "
        "groups, both on 1 July 2022.")))
    return act
