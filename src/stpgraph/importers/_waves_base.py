"""What the parts of the waves importer share: IRIs, the STP21 table, dates, names and the
builder that collects each set's graph and cited sources (see ``markdown_waves``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS

from ..namespace import STP
from ..paths import ID
from ._base import (
    AGENT,
    CERTAINTY,
    FINDING,
    MONTHS,
    TURTLE_PREFIXES,
    day,
    month,
    month_words,
)
from ._markdown import MdDocument, MdRow, MdSection, MdTable, SourceEntry, keys_in

VANGUARD = Namespace(ID + "vanguard/")
VANGUARD_TYPE = Namespace(ID + "vanguard-type/")
PIONEER = Namespace(ID + "pioneer/")
WAVE = Namespace(ID + "wave/")
ICS = Namespace(ID + "ics/")
PROGRAMME = Namespace(ID + "programme/")
REQUIREMENT = Namespace(ID + "requirement/")
SCHEME = Namespace(ID + "scheme/")
STATUS = Namespace(ID + "status/")

#: The four sets this importer writes, in order; each is ``data/reference/<set>.ttl``.
SETS = ("vanguards", "pioneers", "ics-cohorts", "icbs-2026")

PREFIXES = {
    **TURTLE_PREFIXES,
    "vanguard": str(VANGUARD),
    "vanguard-type": str(VANGUARD_TYPE),
    "pioneer": str(PIONEER),
    "wave": str(WAVE),
    "ics": str(ICS),
    "dcat": str(DCAT),
}

NEW_MODELS_OF_CARE = PROGRAMME["new-models-of-care"]
PIONEER_PROGRAMME = PROGRAMME["integrated-care-and-support-pioneers"]
VANGUARD_COUNT = FINDING["count-vanguard-sites"]  # the seed's "50 'Vanguard' sites"
NHS_ENGLAND = AGENT["nhs-england"]

#: The 42 STPs of April 2021 by ODS code: their ONS code and name in the ONS "Clinical
#: Commissioning Group to STP and Cancer Alliances (April 2021) Lookup in England"
#: (ons_ccg21_stp21_cal21_lookup_apr2021.csv, columns STP21CDH, STP21CD, STP21NM; reference set
#: ``ccg-stp-2021``). The same 42 ODS codes are the ICBs' of July 2022. A test checks this table
#: against data/reference/ccg-stp-2021.ttl.
STP21: dict[str, tuple[str, str]] = {
    "QE1": ("E54000048", "Healthier Lancashire and South Cumbria"),
    "QF7": ("E54000009", "South Yorkshire and Bassetlaw"),
    "QGH": ("E54000019", "Herefordshire and Worcestershire"),
    "QH8": ("E54000026", "Mid and South Essex"),
    "QHG": ("E54000024", "Bedfordshire, Luton and Milton Keynes"),
    "QHL": ("E54000017", "Birmingham and Solihull"),
    "QHM": ("E54000050", "Cumbria and North East"),
    "QJ2": ("E54000012", "Joined Up Care Derbyshire"),
    "QJG": ("E54000023", "Suffolk and North East Essex"),
    "QJK": ("E54000037", "Devon"),
    "QJM": ("E54000013", "Lincolnshire"),
    "QK1": ("E54000015", "Leicester, Leicestershire and Rutland"),
    "QKK": ("E54000030", "Our Healthier South East London"),
    "QKS": ("E54000032", "Kent and Medway"),
    "QM7": ("E54000025", "Hertfordshire and West Essex"),
    "QMF": ("E54000029", "East London Health and Care Partnership"),
    "QMJ": ("E54000028", "North London Partners in Health and Care"),
    "QMM": ("E54000022", "Norfolk and Waveney Health and Care Partnership"),
    "QNC": ("E54000010", "Staffordshire and Stoke on Trent"),
    "QNQ": ("E54000034", "Frimley Health and Care ICS"),
    "QNX": ("E54000053", "Sussex Health and Care Partnership"),
    "QOC": ("E54000011", "Shropshire and Telford and Wrekin"),
    "QOP": ("E54000007", "Greater Manchester Health and Social Care Partnership"),
    "QOQ": ("E54000051", "Humber, Coast and Vale"),
    "QOX": ("E54000040", "Bath and North East Somerset, Swindon and Wiltshire"),
    "QPM": ("E54000020", "Northamptonshire"),
    "QR1": ("E54000043", "Gloucestershire"),
    "QRL": ("E54000042", "Hampshire and the Isle of Wight"),
    "QRV": ("E54000027", "North West London Health and Care Partnership"),
    "QSL": ("E54000038", "Somerset"),
    "QT1": ("E54000014", "Nottingham and Nottinghamshire Health and Care"),
    "QT6": ("E54000036", "Cornwall and the Isles of Scilly Health and Social Care Partnership"),
    "QU9": ("E54000044", "Buckinghamshire, Oxfordshire and Berkshire West"),
    "QUA": ("E54000016", "The Black Country and West Birmingham"),
    "QUE": ("E54000021", "Cambridgeshire and Peterborough"),
    "QUY": ("E54000039", "Bristol, North Somerset and South Gloucestershire"),
    "QVV": ("E54000041", "Dorset"),
    "QWE": ("E54000031", "South West London Health and Care Partnership"),
    "QWO": ("E54000054", "West Yorkshire and Harrogate (Health and Care Partnership)"),
    "QWU": ("E54000018", "Coventry and Warwickshire"),
    "QXU": ("E54000052", "Surrey Heartlands Health and Care Partnership"),
    "QYG": ("E54000008", "Cheshire and Merseyside"),
}

#: Files the Markdown cites as "this folder's" copy, and the public file each was copied from
#: (SOURCES.md §6).
LOCAL_FILES = {
    "postcodesio_icb_names_codes_apr2023.json":
        "https://github.com/ideal-postcodes/postcodes.io/blob/"
        "2cb312a3546103f0365af282f94bdd29b1a20727/data/icb.json",
}

#: The five vanguard types: code -> (label, definition). Labels and definitions are ours, after
#: NHS England's pages for each type (the file's V1-V5).
VANGUARD_TYPES: dict[str, tuple[str, str]] = {
    "PACS": ("integrated primary and acute care system",
             "A vanguard joining up GP, hospital, community and mental health services for a "
             "population, under one organisation or a close partnership of providers."),
    "MCP": ("multispecialty community provider",
            "A vanguard moving specialist care out of hospitals into the community, around "
            "larger groups of GP practices working with nurses, therapists and specialists."),
    "EHCH": ("enhanced health in care homes",
             "A vanguard in which NHS, council and care-home services work together to give "
             "care-home residents joined-up health, care and rehabilitation."),
    "UEC": ("urgent and emergency care",
            "A vanguard joining up the urgent and emergency care services of an area, such as "
            "A&E, NHS 111, ambulances and out-of-hours GPs, into a network."),
    "ACC": ("acute care collaboration",
            "A vanguard in which hospitals link up, as chains, groups or specialist networks, to "
            "make services clinically and financially sustainable."),
}

#: Existing bodies a vanguard's name ties it to, mapped by name through the reference tables:
#: vanguard number -> [(kind, ODS code, the body's name in the table, certainty, why)]. A link
#: is "confirmed" when the vanguard is named after exactly that body, and "inferred" when the tie
#: is a partial name or a later name. Vanguards named after bodies the tables do not hold
#: (Moorfields, The Walton Centre) are not linked. A test checks every code against
#: data/reference.
VANGUARD_LINKS: dict[int, list[tuple[str, str, str, str, str]]] = {
    8: [("ccg", "03E", "NHS Harrogate and Rural District CCG", "confirmed",
         "The vanguard is named after the CCG.")],
    25: [("ccg", "13T", "NHS Newcastle Gateshead CCG", "inferred",
          "NHS England's later page lists the site under 'Newcastle and Gateshead CCG'; matched "
          "by name to the CCG formed in 2018.")],
    26: [("ccg", "06K", "NHS East and North Hertfordshire CCG", "confirmed",
          "The vanguard is named after the CCG.")],
    27: [("ccg", "04K", "NHS Nottingham City CCG", "confirmed",
          "The vanguard is named after the CCG.")],
    31: [("ccg", "06H", "NHS Cambridgeshire and Peterborough CCG", "confirmed",
          "The vanguard is named after the CCG.")],
    38: [("trust", "RM3", "Salford Royal NHS Foundation Trust", "inferred",
          "Matched by name: the Salford trust of the Salford and Wigan chain."),
         ("trust", "RRF", "Wrightington, Wigan And Leigh NHS Foundation Trust", "inferred",
          "Matched by name: the Wigan trust of the Salford and Wigan chain.")],
    39: [("trust", "RTF", "Northumbria Healthcare NHS Foundation Trust", "inferred",
          "Matched by name: the only Northumbria trust in the tables.")],
    40: [("trust", "RAL", "Royal Free London NHS Foundation Trust", "inferred",
          "Matched by name: the vanguard bears the trust's name.")],
    41: [("trust", "RN7", "Dartford And Gravesham NHS Trust", "inferred",
          "Matched by name: the file places the group in Dartford and Gravesham.")],
}

#: Short names the cohort table uses for systems it absorbed ("absorbs Bucks, Berks West ICSs"):
#: short name -> the name the same table gives the system when it was designated.
ABSORBED_ALIASES = {
    "Bucks": "Buckinghamshire",
    "Berks West": "Berkshire West",
    "Cumbria": "West, North and East Cumbria",
}

_MONTHS = {m[:3]: i for i, m in enumerate(MONTHS, 1)}  # 'Jan' -> 1
_MON = f"(?:{'|'.join(_MONTHS)})"
_DAY_MON_YEAR = re.compile(rf"^(?P<day>[0-9]{{1,2}}) (?P<mon>{_MON}) (?P<year>[0-9]{{4}})")
_MON_YEAR = re.compile(rf"^(?P<mon>{_MON}) (?P<year>[0-9]{{4}})")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MARK = re.compile(r"\[(?:unverified|inferred)[^\]]*\]")


# =================================================================================================
#  Small helpers
# =================================================================================================


def _date_text(lit: Literal) -> str:
    """A date literal in words: '10 March 2015', 'January 2015'."""
    parts = str(lit).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {month_words(str(lit)[:7])}"
    if len(parts) == 2:
        return month_words(str(lit))
    return parts[0]


def _a(phrase: str) -> str:
    """'A' or 'An' before ``phrase``."""
    return ("An " if phrase[0].lower() in "aeiou" else "A ") + phrase


def _when(lit: Literal) -> str:
    """'on 8 December 2020' for a day, 'in June 2017' for a month or year."""
    return ("on " if len(str(lit)) == 10 else "in ") + _date_text(lit)


def _parse_date(row: MdRow, text: str) -> Literal:
    """Read '10 Mar 2015', 'Jun 2017' or '2013-11-01' at the start of ``text``, at its precision."""
    text = text.strip().strip("*")
    if _ISO_DAY.match(text[:10]):
        return day(text[:10])
    m = _DAY_MON_YEAR.match(text)
    if m:
        return day(f"{m['year']}-{_MONTHS[m['mon']]:02d}-{int(m['day']):02d}")
    m = _MON_YEAR.match(text)
    if m:
        return month(f"{m['year']}-{_MONTHS[m['mon']]:02d}")
    raise row.error(f"expected a date such as '10 Mar 2015', 'Jun 2017' or '2013-11-01', found "
                    f"{text[:30]!r}")


def slug(name: str) -> str:
    """A kebab-case slug for an IRI.

    >>> slug("Modality Birmingham & Sandwell"), slug("Connecting Care – Wakefield District")
    ('modality-birmingham-and-sandwell', 'connecting-care-wakefield-district')
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.replace("&", " and ").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def initials(name: str) -> str:
    """Capitals of a name's words, leaving out 'and' and 'the' (for 'HIOW', 'B&S').

    >>> initials("Hampshire and Isle of Wight"), initials("Birmingham and Solihull")
    ('HIOW', 'BS')
    """
    words = re.findall(r"[A-Za-z]+", name)
    return "".join(w[0].upper() for w in words if w.lower() not in ("and", "the"))


def _check_marks(row: MdRow, text: str, handled: Iterable[str] = ()) -> None:
    """Raise if ``text`` has a certainty mark the importer does not carry (after ``handled``)."""
    rest = text
    for pattern in handled:
        rest = re.sub(pattern, "", rest)
    m = _MARK.search(rest)
    if m:
        raise row.error(f"the certainty mark {m.group(0)} is not one this importer knows how to "
                        f"carry; model it, or the fact would read as established")


@dataclass
class _Out:
    """One output graph and what its facts cite."""

    stem: str
    graph: Graph = field(default_factory=Graph)
    cited: set[str] = field(default_factory=set)


class _Builder:
    """Shared state while turning the parsed file into the four graphs."""

    def __init__(self, doc: MdDocument, sources: dict[str, SourceEntry]) -> None:
        self.doc = doc
        self.sources = sources
        self.out = {stem: _Out(stem) for stem in SETS}

    def source_iris(self, row: MdRow | MdSection, text: str, stem: str) -> list[URIRef]:
        """The addresses of the keys cited in ``text``; an unknown key is an error."""
        iris = []
        for key in keys_in(text):
            if key not in self.sources:
                raise row.error(f"source key {key} is not in the file's source list")
            self.out[stem].cited.add(key)
            iris.append(URIRef(self.sources[key].iri))
        return iris

    def fact(self, stem: str, node: URIRef | BNode, sources: Iterable[URIRef],
             certainty: str = "confirmed") -> None:
        """Give a fact node its sources and certainty."""
        g = self.out[stem].graph
        for s in sources:
            g.add((node, DCTERMS.source, s))
        g.add((node, STP.certainty, CERTAINTY[certainty]))


def _one_table(section: MdSection, number: str, expected: tuple[str, ...]) -> MdTable:
    """Section ``number``'s only table; raise naming the section unless there is exactly one and
    its columns start with ``expected``."""
    if len(section.tables) != 1:
        raise section.error(f"section {number} should hold one table, found {len(section.tables)}")
    table = section.tables[0]
    header = table.header
    if len(header) != len(expected) or any(
            not h.startswith(e) for h, e in zip(header, expected, strict=True)):
        raise section.error(f"expected a table with columns {' | '.join(expected)}, found "
                            f"{' | '.join(header)}")
    return table
