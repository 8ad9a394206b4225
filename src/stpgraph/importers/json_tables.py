"""Importers for the JSON reference tables (postcodes.io's extracts of ONSPD documents).

``icb.json`` maps the 42 ICB ONS codes of April 2023 to names; ``ccgs.json`` maps sub-ICB
location ONS codes to their ODS code and parent ICB name. Neither gives an ICB's ODS code, which
keys the ICB's IRI: it is found through the CCGs. A sub-ICB location keeps the ODS code of the
CCG whose area it took over, and the ONS April 2021 lookup gives each CCG's STP ODS code, which
carried over to the ICB (SOURCES.md §5). Each ICB takes the STP ODS code shared by most of the
CCGs of that STP; the match must be one to one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespace import STP
from ._base import (
    CCG,
    FORM,
    ICB,
    ORG,
    SICBL,
    STATGEO,
    STPBODY,
    ReferenceTableError,
    day,
    en,
    event,
    footprint,
    health_and_care_act,
    plain,
)
from ._facts import ICB_START, LAST_DAY_BEFORE_ICBS, body_code
from ._read import Row, clean, read_json_object

if TYPE_CHECKING:
    from ._sources import Sources

ICB_SUFFIX = " Integrated Care Board"
#: postcodes.io's extract keeps the CSV header as an entry; it is not a sub-ICB location.
HEADER_KEY = "SICBL23CD"


@dataclass(frozen=True)
class Icb23:
    """An ICB of the April 2023 list."""

    row: Row
    code: str
    name: str

    @property
    def short_name(self) -> str:
        """The name without " Integrated Care Board", as ``ccgs.json`` gives parent names."""
        return self.name.removesuffix(ICB_SUFFIX)


@dataclass(frozen=True)
class Sicbl23:
    """An English sub-ICB location of April 2023."""

    row: Row
    ons: str
    ods: str
    icb_name: str


def parse_icb23(path: Path) -> list[Icb23]:
    """Read ``{"E54…": "NHS … Integrated Care Board"}``; names must be unique and non-empty."""
    rows = []
    names: dict[str, int] = {}
    for r in read_json_object(path):
        code = r.check_code(r.values["key"], "stp-ons", "the key")
        name = r.values["value"]
        if not isinstance(name, str) or not clean(name):
            raise r.error(f"the name of {code} should be non-empty text, found {name!r}")
        name = clean(name)
        if name in names:
            raise r.error(f"{name!r} is also the name of the ICB on line {names[name]}")
        names[name] = r.line
        rows.append(Icb23(r, code, name))
    return rows


def parse_sicbl23(path: Path) -> list[Sicbl23]:
    """Read ``{"E38…": {"ccg19cdh": ODS, "name": ICB name}}``, keeping the English (E38) entries.

    Welsh, Scottish, Northern Irish and Manx entries and the stray header entry are skipped.
    """
    rows = []
    seen: dict[str, int] = {}
    for r in read_json_object(path):
        key = r.values["key"]
        if not key.startswith("E") or key == HEADER_KEY:
            continue
        ons = r.check_code(key, "ccg-ons", "the key")
        value = r.values["value"]
        if not isinstance(value, dict) or set(value) != {"ccg19cdh", "name"}:
            raise r.error(f"{ons} should map to {{\"ccg19cdh\": …, \"name\": …}}, found {value!r}")
        item = Row(r.path, r.line, value)
        ods = item.code("ccg19cdh", "ccg-ods")
        if ods in seen:
            raise r.error(f"ODS code {ods} is also used on line {seen[ods]}")
        seen[ods] = r.line
        rows.append(Sicbl23(r, ons, ods, item.text("name")))
    return rows


def icb_ods_codes(src: Sources) -> dict[str, str]:
    """Map each ICB's ONS code (April 2023) to its ODS code, through the CCGs (see module doc)."""
    icb_by_name = {i.short_name: i for i in src.icb23}
    sicbl_icb: dict[str, str] = {}
    for s in src.sicbl23:
        if s.icb_name not in icb_by_name:
            raise s.row.error(f"parent ICB {s.icb_name!r} is not in {src.path('icb23').name}")
        sicbl_icb[s.ods] = icb_by_name[s.icb_name].code
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in src.ccg21:
        if c.ods in sicbl_icb:
            votes[c.stp_ods][sicbl_icb[c.ods]] += 1
    found: dict[str, str] = {}
    for stp_ods, counter in sorted(votes.items()):
        ranked = counter.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            raise ReferenceTableError(src.path("sicbl23"), None,
                                      f"the CCGs of STP {stp_ods} split evenly between ICBs "
                                      f"{ranked[0][0]} and {ranked[1][0]}")
        icb_code = ranked[0][0]
        if icb_code in found:
            raise ReferenceTableError(src.path("sicbl23"), None,
                                      f"ICB {icb_code} matches both STP ODS codes "
                                      f"{found[icb_code]} and {stp_ods}")
        found[icb_code] = stp_ods
    for i in src.icb23:
        if i.code not in found:
            raise i.row.error(f"no STP of April 2021 leads to ICB {i.code} ({i.name})")
    return found


def build_icbs_2023(src: Sources, g: Graph, ds: URIRef) -> None:
    """The 42 ICBs established on 1 July 2022, and each STP's evolution into its ICB."""
    act = health_and_care_act(g)
    ods_of = icb_ods_codes(src)
    names: dict[str, str] = {}
    for i in src.icb23:
        ods = ods_of[i.code]
        names[ods] = i.name
        node = ICB[ods]
        g.add((node, RDF.type, STP.IntegratedCareBoard))
        g.add((node, ORG.classification, FORM.icb))
        g.add((node, RDFS.label, en(i.name)))
        g.add((node, STP.odsCode, plain(ods)))
        g.add((node, STP.onsCode, plain(i.code)))
        g.add((node, STP.hasFootprint, footprint(g, i.code)))
        g.add((node, STP.startDate, day(ICB_START)))

    stps = {(body_code(c.stp), c.stp_ods) for c in src.ccg21}
    for body, ods in sorted(stps):
        if ods not in names:
            continue
        g.add((STPBODY[body], STP.endDate, day(LAST_DAY_BEFORE_ICBS)))
        event(
            g, f"stp-{body}-to-icb-{ods}", STP.Evolution,
            f"{src.stp_name(body)} STP evolves into {names[ods]}",
            f"On 1 July 2022, under the Health and Care Act 2022, the statutory integrated care "
            f"board took over from the partnership for much the same footprint. The ICB keeps the "
            f"STP's ODS code {ods}, as the ONS April 2021 lookup gives it; the ICB's ONS code is "
            f"from the April 2023 list.",
            original=[STPBODY[body]], resulting=[ICB[ods]], date=day(ICB_START), source=ds,
            framework=act)


def build_sub_icb_locations_2023(src: Sources, g: Graph, ds: URIRef) -> None:
    """The 106 sub-ICB locations as units of their ICBs, and each CCG's replacement by one."""
    act = health_and_care_act(g)
    ods_of = icb_ods_codes(src)
    icb_of_name = {i.short_name: ods_of[i.code] for i in src.icb23}
    ccgs = {c.ods: c for c in src.ccg21}
    for s in src.sicbl23:
        node = SICBL[s.ods]
        icb = ICB[icb_of_name[s.icb_name]]
        g.add((node, RDF.type, STP.SubICBLocation))
        g.add((node, ORG.classification, FORM["sub-icb-location"]))
        g.add((node, RDFS.label, en(f"{s.icb_name} ICB - {s.ods}")))
        g.add((node, STP.odsCode, plain(s.ods)))
        g.add((node, STP.onsCode, plain(s.ons)))
        g.add((node, RDFS.seeAlso, STATGEO[s.ons]))
        g.add((node, ORG.unitOf, icb))
        g.add((node, ORG.subOrganizationOf, icb))
        g.add((node, STP.startDate, day(ICB_START)))
        ccg = ccgs.get(s.ods)
        if ccg is None:
            continue
        g.add((CCG[s.ods], STP.endDate, day(LAST_DAY_BEFORE_ICBS)))
        code_note = (f"It keeps the CCG's ONS code {s.ons}." if ccg.ons == s.ons else
                     f"It has a new ONS code, {s.ons} (the CCG's was {ccg.ons}).")
        event(
            g, f"ccg-{s.ods}-to-sub-icb-location-{s.ods}", STP.Replacement,
            f"{ccg.name} replaced by sub-ICB location {s.ods}",
            f"On 1 July 2022 the Health and Care Act 2022 abolished the CCG; its duties passed to "
            f"the {s.icb_name} integrated care board, and its area became a sub-ICB location of "
            f"that board under the same ODS code {s.ods}. The sub-ICB location is a unit of the "
            f"board, not a continuation of the CCG as a legal body. {code_note}",
            original=[CCG[s.ods]], resulting=[node], date=day(ICB_START), source=ds,
            framework=act)
