"""Importers for the CSV reference tables.

Each ``parse_*`` function reads one table and checks every row (codes against their scheme,
numbers, one name per code, no duplicate keys), raising :class:`ReferenceTableError` with the
file and line of the first bad row. Each ``build_*`` function turns checked rows into triples.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..namespace import STP
from ._base import (
    CANCER_ALLIANCE,
    CCG,
    CERTAINTY,
    FINDING,
    FORM,
    FORM_CHANGE,
    NHS_DIGITAL,
    ONS,
    ORG,
    STATGEO,
    STPBODY,
    TRUST,
    and_list,
    dated_code,
    dated_name,
    day,
    en,
    event,
    footprint,
    integer,
    labels,
    membership,
    month,
    month_words,
    plain,
    region,
    year,
)
from ._facts import (
    LAST_DAY_BEFORE_ICBS,
    MERGED_2018,
    MERGED_INTO_2018,
    MERGED_INTO_2018_NAME,
    MERGER_EVIDENCE_2018,
    MERGER_MONTH_2018,
    NORTHERN_FOOTPRINT_CCGS_2016,
    RECODE_MONTH,
    TRUST_CHANGES_2018,
    body_code,
)
from ._read import Row, read_csv

if TYPE_CHECKING:
    from ._sources import Sources

COUNT_STP_FOOTPRINTS = FINDING["count-stp-footprints"]
STPS_REPLACED_BY_ICSS = FORM_CHANGE["stps-replaced-by-icss"]


# =================================================================================================
#  Parsing
# =================================================================================================


_T = TypeVar("_T")


def _read_rows(path: Path, make: Callable[..., _T], columns: Sequence[str],
               fields: Sequence[tuple[str, str]], *, unique: Sequence[tuple[str, str]] = (),
               one_name: Sequence[tuple[str, str, str]] = ()) -> list[_T]:
    """Read and check the CSV table at ``path``, whose header must be ``columns``.

    Each row becomes ``make(row, *values)``, the values read in order from ``fields``: (column,
    kind) pairs as for :meth:`Row.value`. Then each (attribute, what) of ``unique`` must not
    repeat, and each (code, name, what) of ``one_name`` must give a code one name
    (see :func:`_unique` and :func:`_one_name`).
    """
    rows = [make(r, *(r.value(column, kind) for column, kind in fields))
            for r in read_csv(path, columns)]
    for attr, what in unique:
        _unique(rows, attr, what)
    for code, name, what in one_name:
        _one_name(rows, code, name, what)
    return rows


def _unique(rows: Sequence[Any], attr: str, what: str) -> None:
    """Raise on the second row that repeats the value of ``attr``."""
    seen: dict[str, int] = {}
    for r in rows:
        k = getattr(r, attr)
        if k in seen:
            raise r.row.error(f"{what} {k!r} is listed twice (first on line {seen[k]})")
        seen[k] = r.row.line


def _one_name(rows: Sequence[Any], code: str, name: str, what: str) -> None:
    """Raise on a row that gives a code (attribute ``code``) a different name (attribute ``name``)
    than an earlier row."""
    first: dict[str, tuple[str, int]] = {}
    for r in rows:
        c, n = getattr(r, code), getattr(r, name)
        if c in first and first[c][0] != n:
            raise r.row.error(f"{what} {c} is named {n!r} here but {first[c][0]!r} on line "
                              f"{first[c][1]}")
        first.setdefault(c, (n, r.row.line))


@dataclass(frozen=True)
class TrustRow:
    """A row of the Health Foundation's trust-to-STP lookup."""

    row: Row
    trust: str
    code: str
    stp_name: str
    stp_code: str


def parse_hf(path: Path) -> list[TrustRow]:
    """Read the 2017/18 trust-to-STP table. Its ``NHS England Region`` column is never used.

    SOURCES.md: the column holds the four old commissioning regions, shuffled against the trusts.
    """
    return _read_rows(
        path, TrustRow, ["NHS England Region", "Trust", "code", "STP", "STP_code"],
        [("Trust", "text"), ("code", "trust-ods"), ("STP", "text"), ("STP_code", "stp-ons")],
        unique=[("code", "trust code")], one_name=[("stp_code", "stp_name", "STP")])


@dataclass(frozen=True)
class NamedCode:
    """A code and its name."""

    row: Row
    code: str
    name: str


def parse_stp18(path: Path) -> list[NamedCode]:
    """Read the 2018/19 list of STP codes and short names."""
    return _read_rows(path, NamedCode, ["stp18cd", "stp18nm"],
                      [("stp18cd", "stp-ons"), ("stp18nm", "text")], unique=[("code", "STP")])


@dataclass(frozen=True)
class RegionLink:
    """An STP and the NHS England region it belongs to."""

    row: Row
    region: str
    stp: str
    region_name: str = ""
    stp_name: str = ""


def parse_stp18_region(path: Path) -> list[RegionLink]:
    """Read the 2018/19 STP-to-region lookup (its values follow ", ")."""
    return _read_rows(path, RegionLink, ["nhser18cd", "stp18cd"],
                      [("nhser18cd", "region-ons"), ("stp18cd", "stp-ons")], unique=[("stp", "STP")])


def parse_stp20_region(path: Path) -> list[RegionLink]:
    """Read the April 2020 STP-to-region lookup with names."""
    return _read_rows(
        path, RegionLink, ["nhser20cd", "nhser20nm", "stp20cd", "stp20nm"],
        [("nhser20cd", "region-ons"), ("stp20cd", "stp-ons"), ("nhser20nm", "text"),
         ("stp20nm", "text")],
        unique=[("stp", "STP")], one_name=[("region", "region_name", "region")])


@dataclass(frozen=True)
class Ccg21:
    """A row of the ONS CCG to STP and cancer alliance lookup (April 2021)."""

    row: Row
    ons: str
    ods: str
    name: str
    stp: str
    stp_ods: str
    stp_name: str
    alliance: str
    alliance_name: str


def parse_ccg21(path: Path) -> list[Ccg21]:
    """Read the April 2021 CCG lookup; each STP must have one ODS code and one name."""
    columns = ["CCG21CD", "CCG21CDH", "CCG21NM", "STP21CD", "STP21CDH", "STP21NM", "CAL21CD",
               "CAL21NM", "FID"]
    return _read_rows(  # FID is checked to be a number, and dropped
        path, lambda r, _fid, *values: Ccg21(r, *values), columns,
        [("FID", "count"), ("CCG21CD", "ccg-ons"), ("CCG21CDH", "ccg-ods"), ("CCG21NM", "text"),
         ("STP21CD", "stp-ons"), ("STP21CDH", "stp-ods"), ("STP21NM", "text"),
         ("CAL21CD", "alliance-ons"), ("CAL21NM", "text")],
        unique=[("ods", "CCG ODS code"), ("ons", "CCG ONS code")],
        one_name=[("stp", "stp_name", "STP"), ("stp", "stp_ods", "STP (ODS code)"),
                  ("stp_ods", "stp", "STP ODS code (ONS code)"),
                  ("alliance", "alliance_name", "cancer alliance")])


@dataclass(frozen=True)
class ListSize:
    """A row of OpenSAFELY's STP list sizes."""

    row: Row
    stp_id: str
    name: str
    size: int
    dummy: bool


_DUMMY = re.compile(r"^Dummy STP [0-9]+$")


def parse_list_sizes(path: Path) -> list[ListSize]:
    """Read the GP list sizes; rows named "Dummy STP n" are test rows and are flagged."""
    rows = []
    for r in read_csv(path, ["stp_id", "name", "total_list_size"]):
        name, size = r.text("name"), r.count("total_list_size")
        dummy = bool(_DUMMY.match(name))
        stp_id = r.text("stp_id") if dummy else r.code("stp_id", "stp-ons")
        rows.append(ListSize(r, stp_id, name, size, dummy))
    _unique([x for x in rows if not x.dummy], "name", "STP name")
    return rows


@dataclass(frozen=True)
class Ccg18:
    """One CCG of the mid-2018 population table: codes, STP, name and total population."""

    row: Row
    ons: str
    ods: str
    stp: str
    name: str
    population: int


def parse_population(path: Path) -> list[Ccg18]:
    """Read the CCG x single-year-of-age table and check it, CCG by CCG.

    Every row of a CCG must repeat the same codes, STP, name and ``all_ages``; its ages must not
    repeat; and the single-year counts must add up to ``all_ages``.
    """
    columns = ["ccg18cd", "ccg18cdh", "stp18cd", "area_names", "all_ages", "age", "count"]
    first: dict[str, Ccg18] = {}
    sums: Counter[str] = Counter()
    ages: dict[str, set[str]] = defaultdict(set)
    for r in read_csv(path, columns):
        ccg = Ccg18(r, r.code("ccg18cd", "ccg-ons"), r.code("ccg18cdh", "ccg-ods"),
                    r.code("stp18cd", "stp-ons"), r.text("area_names"), r.count("all_ages"))
        age = r.text("age")
        if not re.fullmatch(r"[0-9]{1,3}\+?", age):
            raise r.error(f"'age' should be a whole number of years, found {age!r}")
        if age in ages[ccg.ods]:
            raise r.error(f"age {age} of CCG {ccg.ods} is listed twice")
        ages[ccg.ods].add(age)
        sums[ccg.ods] += r.count("count")
        known = first.setdefault(ccg.ods, ccg)
        for attr in ("ons", "stp", "name", "population"):
            if getattr(known, attr) != getattr(ccg, attr):
                raise r.error(f"CCG {ccg.ods} has {attr} {getattr(ccg, attr)!r} here but "
                              f"{getattr(known, attr)!r} on line {known.row.line}")
    for ods, ccg in first.items():
        if sums[ods] != ccg.population:
            raise ccg.row.error(f"the single-year counts of CCG {ods} add up to {sums[ods]}, "
                                f"not to its all_ages {ccg.population}")
    rows = list(first.values())
    _unique(rows, "ons", "CCG ONS code")
    return rows


@dataclass(frozen=True)
class Succession:
    """A CCG and its April 2020 successor (ODS codes)."""

    row: Row
    old: str
    new: str


def parse_successors(path: Path) -> list[Succession]:
    """Read the CCG successor table; a CCG is listed once and is not its own successor."""
    rows = []
    for r in read_csv(path, ["old_ccg", "ccg20cdh"]):
        old, new = r.code("old_ccg", "ccg-ods"), r.code("ccg20cdh", "ccg-ods")
        if old == new:
            raise r.error(f"CCG {old} is given as its own successor")
        rows.append(Succession(r, old, new))
    _unique(rows, "old", "predecessor CCG")
    return rows


# =================================================================================================
#  Building
# =================================================================================================


def _stp_body(g: Graph, src: Sources, code: str, own_name: str, when: str) -> URIRef:
    """Add the STP partnership that had ``code`` (and the footprint of that code)."""
    key = body_code(code)
    body = STPBODY[key]
    g.add((body, RDF.type, STP.SustainabilityAndTransformationPartnership))
    g.add((body, ORG.classification, FORM.stp))
    labels(g, body, src.stp_name(key), own_name)
    g.add((body, STP.onsCode, plain(code)))
    g.add((body, STP.hasFootprint, footprint(g, code)))
    dated_name(g, body, own_name, when)
    return body


def _ccg(g: Graph, src: Sources, ods: str, ons: str | None = None, own_name: str | None = None,
         ) -> URIRef:
    """Add a CCG by ODS code, with its latest name from any table (or its code if none names it)."""
    node = CCG[ods]
    g.add((node, RDF.type, STP.ClinicalCommissioningGroup))
    g.add((node, ORG.classification, FORM.ccg))
    g.add((node, STP.odsCode, plain(ods)))
    latest = src.ccg_names.get(ods)
    if latest is None:
        latest = own_name or f"CCG {ods}"
        if own_name is None:
            g.add((node, DCTERMS.description, en(
                "A clinical commissioning group known here only by its ODS code: none of the "
                "reference tables gives its name.")))
    labels(g, node, latest, own_name or latest)
    if ons is not None:
        g.add((node, STP.onsCode, plain(ons)))
        g.add((node, RDFS.seeAlso, STATGEO[ons]))
    return node


#: How membership dates are read (also stated in the datasets' descriptions).
MEMBERSHIP_NOTE = (
    "A membership listed by the table carries an end date of 30 June 2022 where the member "
    "still belonged then (CCGs were abolished and STPs gave way to integrated care boards on "
    "1 July 2022); its start is given only where a change log tells it.")


def _ccg_in_stp(g: Graph, src: Sources, ccg_ods: str, body: str, end: bool) -> None:
    """Add the membership of a CCG in an STP, ending on 30 June 2022 when ``end``."""
    membership(
        g, CCG[ccg_ods], f"ccg-{ccg_ods}", STPBODY[body], f"stp-{body}",
        f"{src.ccg_names.get(ccg_ods, 'CCG ' + ccg_ods)} in {src.stp_name(body)}",
        end=day(LAST_DAY_BEFORE_ICBS) if end else None)


def _stp_in_region(g: Graph, src: Sources, body: str, region_code: str, end: bool) -> None:
    """Add the region, the STP's dated membership in it, and the undated stp:inRegion shortcut."""
    name = src.region_names[region_code]
    node = region(g, region_code, name)
    start = month(MERGER_MONTH_2018) if body == MERGED_INTO_2018 else None
    membership(
        g, STPBODY[body], f"stp-{body}", node, f"region-{region_code}",
        f"{src.stp_name(body)} in the {name} region", start=start,
        end=day(LAST_DAY_BEFORE_ICBS) if end else None)
    g.add((STPBODY[body], STP.inRegion, node))


def build_stps_2017(src: Sources, g: Graph, ds: URIRef) -> None:
    """The 44 STPs of 2017/18 with their footprints and acute trusts, the count of 44 linked to
    them, and the changes the README's change log records (August 2018 merger, trust changes)."""
    rows = src.hf
    names = {r.stp_code: r.stp_name for r in rows}
    for code, name in names.items():
        body = _stp_body(g, src, code, name, "2017/18")
        g.add((COUNT_STP_FOOTPRINTS, STP.counts, body))

    trusts = {r.code: r for r in rows}
    for r in rows:
        node = TRUST[r.code]
        foundation = "foundation trust" in r.trust.lower()
        g.add((node, RDF.type, STP.NHSFoundationTrust if foundation else STP.NHSTrust))
        g.add((node, ORG.classification,
               FORM["nhs-foundation-trust"] if foundation else FORM["nhs-trust"]))
        g.add((node, RDFS.label, en(r.trust)))
        g.add((node, STP.odsCode, plain(r.code)))
        g.add((node, ORG.memberOf, STPBODY[r.stp_code]))

    readme = ("The README of the HFAnalyticsLab/Winter_pressures repository, which publishes this "
              "table, records the change in its change log.")
    if all(code in names for code in MERGED_2018):
        # The new partnership is described by the 2018/19 tables; this graph only dates it.
        merged = STPBODY[MERGED_INTO_2018]
        g.add((merged, STP.startDate, month(MERGER_MONTH_2018)))
        for code in MERGED_2018:
            g.add((STPBODY[code], STP.endDate, month(MERGER_MONTH_2018)))
        event(
            g, "northern-stps-merge-2018", STP.Merger,
            "Three northern STPs merge into Cumbria and North East STP",
            f"In August 2018 the STPs {and_list(f'{c} ({names[c]})' for c in MERGED_2018)} "
            f"merged to form the {MERGED_INTO_2018_NAME} STP ({MERGED_INTO_2018}), leaving 42 "
            f"STPs. " + readme,
            original=[STPBODY[c] for c in MERGED_2018], resulting=[merged],
            date=month(MERGER_MONTH_2018), source=ds, evidence=MERGER_EVIDENCE_2018,
            certainty="confirmed")

    for old, new, when in TRUST_CHANGES_2018:
        if old not in trusts or new not in trusts:
            continue
        g.add((TRUST[old], STP.endDate, month(when)))
        event(
            g, f"trust-{old}-into-{new}-{when}", STP.Acquisition,
            f"{trusts[old].trust} taken over by {trusts[new].trust}",
            f"The change log lists the trust change {old} to {new} in {month_words(when)}. The "
            f"successor's ODS "
            f"code {new} already existed, so this is recorded as an acquisition (the ODS "
            f"distinction between merger and acquisition). " + readme,
            original=[TRUST[old]], resulting=[TRUST[new]], date=month(when), source=ds,
            evidence=f"{old} to {new}", certainty="confirmed")


def build_stps_2018(src: Sources, g: Graph, ds: URIRef) -> None:
    """The 42 STPs of 2018/19, each linked from the Long Term Plan's form change it was subject to
    (every STP to become an integrated care system by April 2021)."""
    for r in src.stp18:
        body = _stp_body(g, src, r.code, r.name, "2018/19")
        g.add((STPS_REPLACED_BY_ICSS, STP.appliesTo, body))


def build_stp_regions_2018(src: Sources, g: Graph, ds: URIRef) -> None:
    """Each 2018/19 STP in its NHS England region (names of the regions from the 2020 lookup)."""
    regions_2020 = {body_code(r.stp): r.region for r in src.stp20_region}
    names = src.region_names
    for r in src.stp18_region:
        if r.region not in names:
            raise r.row.error(f"region {r.region} is not named in {src.path('stp20-region').name}")
        _stp_in_region(g, src, r.stp, r.region, end=regions_2020.get(r.stp) == r.region)


def build_stp_regions_2020(src: Sources, g: Graph, ds: URIRef) -> None:
    """The 42 STPs of April 2020 with their region, names, and the April 2020 re-codes."""
    for r in src.stp20_region:
        key = body_code(r.stp)
        body = _stp_body(g, src, r.stp, r.stp_name, "April 2020")
        _stp_in_region(g, src, key, r.region, end=True)
        if key != r.stp:
            g.add((body, STP.onsCode, plain(key)))
            dated_code(g, body, key, "ONS code until April 2020", end=month(RECODE_MONTH))
            dated_code(g, body, r.stp, "ONS code from April 2020", start=month(RECODE_MONTH))
            event(
                g, f"recode-{key}-to-{r.stp}", STP.Recoding,
                f"{src.stp_name(key)} re-coded from {key} to {r.stp}",
                f"In April 2020 ONS gave this STP's footprint the code {r.stp} in place of {key}, "
                f"after CCG mergers changed its boundary; the partnership stayed the same body.",
                renamed=body, date=month(RECODE_MONTH), source=ds, certainty="confirmed")


def build_ccg_stp_2021(src: Sources, g: Graph, ds: URIRef) -> None:
    """The 106 CCGs of April 2021 in their STPs and cancer alliances; STP names and ODS codes."""
    seen_stp: set[str] = set()
    for r in src.ccg21:
        node = _ccg(g, src, r.ods, r.ons, r.name)
        key = body_code(r.stp)
        if key not in seen_stp:
            seen_stp.add(key)
            body = _stp_body(g, src, r.stp, r.stp_name, "April 2021")
            g.add((body, STP.odsCode, plain(r.stp_ods)))
        _ccg_in_stp(g, src, r.ods, key, end=True)
        alliance = CANCER_ALLIANCE[r.alliance]
        g.add((alliance, RDF.type, STP.CancerAlliance))
        g.add((alliance, ORG.classification, FORM["cancer-alliance"]))
        g.add((alliance, RDFS.label, en(r.alliance_name)))
        g.add((alliance, STP.onsCode, plain(r.alliance)))
        g.add((node, ORG.memberOf, alliance))


def _normal_name(name: str) -> str:
    """A name reduced to its place words, to match STP names across tables.

    >>> _normal_name("North London Partners in Health & Care (STP)")
    'north london'
    """
    text = re.sub(r"\(.*?\)", " ", name.lower().replace("&", " and "))
    stop = {"stp", "ics", "partnership", "partners", "health", "care", "and", "social", "the",
            "in", "nhs", "our", "healthier", "joined", "up", "of"}
    return " ".join(w for w in re.sub(r"[^a-z]", " ", text).split() if w not in stop)


def build_stp_list_sizes_2022(src: Sources, g: Graph, ds: URIRef) -> None:
    """GP registered list sizes per STP footprint, matched to the STPs of April 2021 by name."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for r in src.ccg21:
        by_name[_normal_name(r.stp_name)].add(r.stp)
    for r in src.stp20_region:
        by_name[_normal_name(r.stp_name)].add(r.stp)
    NHS_DIGITAL.describe(g)
    done: dict[str, int] = {}
    for r in src.list_sizes:
        if r.dummy:
            continue
        found = by_name.get(_normal_name(r.name), set())
        if len(found) != 1:
            why = "no" if not found else "more than one"
            raise r.row.error(f"{why} STP of April 2021 matches the name {r.name!r}")
        code = found.pop()
        if code in done:
            raise r.row.error(f"{r.name!r} matches footprint {code}, already matched on line "
                              f"{done[code]}")
        done[code] = r.row.line
        fp = footprint(g, code)
        fig = FINDING[f"gp-list-size-{code}"]
        g.add((fp, STP.population, fig))
        g.add((fig, RDF.type, STP.PopulationFigure))
        g.add((fig, RDFS.label, en(f"GP registered list size, {src.stp_name(body_code(code))} "
                                   f"footprint ({code})")))
        g.add((fig, DCTERMS.description, en(
            f"Patients registered with GP practices in the footprint, about 2021/22, as totalled "
            f"in OpenSAFELY's table, which lists it as {r.name!r} under the code {r.stp_id}. "
            f"Matched to the footprint by name, because the table's codes are a legacy mix.")))
        g.add((fig, STP.value, integer(r.size)))
        g.add((fig, STP.unit, plain("registered patients")))
        g.add((fig, STP.about, fp))
        g.add((fig, PROV.wasAttributedTo, NHS_DIGITAL.iri))
        g.add((fig, DCTERMS.source, ds))


def _population_figure(g: Graph, code: str, name: str, value: int, description: str,
                       ds: URIRef, inferred: bool = False) -> None:
    """Add a footprint's mid-2018 population figure (``inferred`` when rebuilt)."""
    fp = footprint(g, code)
    fig = FINDING[f"population-{code}-2018"]
    g.add((fp, STP.population, fig))
    g.add((fig, RDF.type, STP.PopulationFigure))
    g.add((fig, RDFS.label, en(f"Mid-2018 population of the {name} footprint ({code})")))
    g.add((fig, DCTERMS.description, en(description)))
    g.add((fig, STP.value, integer(value)))
    g.add((fig, STP.unit, plain("people")))
    g.add((fig, STP.referencePeriod, year("2018")))
    g.add((fig, STP.about, fp))
    g.add((fig, PROV.wasAttributedTo, ONS.iri))
    g.add((fig, DCTERMS.source, ds))
    if inferred:
        g.add((fig, STP.certainty, CERTAINTY.inferred))


def build_ccg_population_2018(src: Sources, g: Graph, ds: URIRef) -> None:
    """The 195 CCGs of mid-2018 in their STPs, and the mid-2018 population of each footprint
    (the 42 of 2018/19 and, rebuilt from CCG rows, the three northern footprints of 2016/17)."""
    ccg21_pairs = {(r.ods, body_code(r.stp)) for r in src.ccg21}
    by_stp: dict[str, list] = defaultdict(list)
    for r in src.ccg18:
        _ccg(g, src, r.ods, r.ons, r.name)
        _ccg_in_stp(g, src, r.ods, r.stp, end=(r.ods, r.stp) in ccg21_pairs)
        by_stp[r.stp].append(r)
    ONS.describe(g)
    for code, ccgs in sorted(by_stp.items()):
        codes = ", ".join(sorted(c.ods for c in ccgs))
        _population_figure(
            g, code, src.stp_name(body_code(code)), sum(c.population for c in ccgs),
            f"The sum of the ONS mid-2018 population estimates of the {len(ccgs)} CCGs the table "
            f"keys to this footprint ({codes}).", ds)

    northern = {c.ods: c for c in by_stp.get(MERGED_INTO_2018, [])}
    wanted = {ods for group in NORTHERN_FOOTPRINT_CCGS_2016.values() for ods in group}
    if set(northern) != wanted:
        return
    for code, group in NORTHERN_FOOTPRINT_CCGS_2016.items():
        _population_figure(
            g, code, src.stp_name(code), sum(northern[o].population for o in group),
            f"Rebuilt for the 2016/17 footprint, which merged into {MERGED_INTO_2018} in August "
            f"2018: the sum of the ONS mid-2018 estimates of the CCGs {and_list(group)}, taken "
            f"from the CCGs the table keys to {MERGED_INTO_2018}. Which CCG belonged to which "
            f"northern footprint follows the footprints' names and ONS's note that North Durham "
            f"CCG moved to E54000046 in December 2016; it is not tabulated.", ds, inferred=True)


def build_ccg_successors_2020(src: Sources, g: Graph, ds: URIRef) -> None:
    """CCG mergers to April 2020 from the ODS successor records."""
    groups: dict[str, list[str]] = defaultdict(list)
    for r in src.successors:
        groups[r.new].append(r.old)
    predecessors = {r.old for r in src.successors}
    for new, olds in sorted(groups.items()):
        for code in [new, *olds]:
            _ccg(g, src, code)
        acquisition = new in predecessors
        kind = STP.Acquisition if acquisition else STP.Merger
        name = src.ccg_names.get(new, f"CCG {new}")
        olds = sorted(olds)
        what = ("The successor's code was itself a CCG that had a successor, so the body "
                "already existed: recorded as an acquisition." if acquisition else
                "The successor has a code none of its predecessors had, so it is recorded as a "
                "merger into a new body (the ODS distinction).")
        if len(olds) == 1 and not acquisition:
            kind = STP.Replacement
            what = "Only one predecessor is listed, so it is recorded as a replacement."
        event(
            g, f"ccg-merger-into-{new}", kind,
            f"CCGs {and_list(olds)} succeeded by {name} ({new})",
            f"NHS Digital's ODS successor records, as filtered by The Strategy Unit, give CCG "
            f"{new} as the successor of CCGs {and_list(olds)}, with an effective date before 1 "
            f"April 2021 and {new} among the CCGs of April 2020; so the change had taken effect by "
            f"April 2020. The table gives neither the exact date nor the type of succession. "
            + what,
            original=[CCG[o] for o in olds], resulting=[CCG[new]], latest=month("2020-04"),
            source=ds)

