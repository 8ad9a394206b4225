"""Section 2 of the waves file: the cohorts of accountable and integrated care systems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..namespace import STP
from ._base import (
    EVENT,
    FORM,
    FORM_CHANGE,
    ORG,
    STPBODY,
    day,
    en,
    event,
)
from ._facts import body_code
from ._markdown import MdRow, MdSection, keys_in
from ._waves_base import (
    _MON,
    _MONTHS,
    ABSORBED_ALIASES,
    ICS,
    STATUS,
    STP21,
    WAVE,
    _Builder,
    _check_marks,
    _date_text,
    _one_table,
    _parse_date,
    _when,
    initials,
    slug,
)

# =================================================================================================
#  2. ICS cohorts
# =================================================================================================

_WHOLE = re.compile(r"^(?P<name>.+?) → (?P<code>Q[A-Z0-9]{2})(?: \((?P<note>[^)]*)\))?$")
_PART = re.compile(r"^(?P<name>.+?) \(part of (?P<code>Q[A-Z0-9]{2})\)$")
_BY_ONS = re.compile(r"^(?P<name>.+?) \((?P<ons>E54[0-9]{6}), later part of (?P<later>Q[A-Z0-9]{2})\)$")
_EXTRA = re.compile(r"^(?P<label>[^:]*?\b(?P<count>[0-9]+) (?P<what>[a-z ]+?)): (?P<items>.+)$")
_EXTRA_ITEM = re.compile(r"(?P<name>[A-Z][^,()]*?) \((?P<code>Q[A-Z0-9]{2})(?:, (?P<note>[^)]*))?\)")
_ABSORBS = re.compile(r"absorbs (?P<names>.+?) ICSs?$")
_SOURCE_DAY = re.compile(rf"\b[VPICB][0-9]{{1,2}}[a-z]?, (?P<day>[0-9]{{1,2}}) (?P<mon>{_MON})\b")
_EFFECTIVE = re.compile(rf"effective \**(?P<date>[0-9]{{1,2}} {_MON} [0-9]{{4}})\**")
_INFERRED_MEMBERS = re.compile(
    r"(?P<names>[A-Z][^.():]*?) only in (?P<keys>[VPICB][0-9]{1,2}[a-z]?(?:,\s*[VPICB][0-9]{1,2}"
    r"[a-z]?)*)(?P<why>[^.]*?)\[inferred\]")
_TOTAL_CELL = re.compile(r"^(?P<n>[0-9]+)(?: \(\+(?P<plus>[0-9]+))?")
_CAVEAT = re.compile(
    r"all of (?P<name>[^(]+?) \((?P<code>Q[A-Z0-9]{2})\) became an ICS is \**\[unverified\]\**; it "
    r"must be among\s+the (?P<n>[0-9]+) of (?P<year>[0-9]{4}) for the totals to add up \[inferred\]")
_COVERS = re.compile(r"cover all (?P<n>[0-9]+) STP21 codes exactly once")
#: Certainty marks in a cohort's first cell that concern only a day the importer drops.
_DAY_MARKS = (r"\((?:exact )?day \[unverified\]\)", r"\[inferred\] from [^)]*")


@dataclass
class Designated:
    """A body designated in a cohort."""

    key: str  # ODS code, or the slug of a system smaller than an STP
    name: str
    body: URIRef
    whole: bool
    parent: str | None = None  # ODS code of the STP a part-system lies in
    certainty: str = "confirmed"
    absorbs: list[str] = field(default_factory=list)
    note: str = ""
    keys: str = ""  # the sources for this body alone, when they differ from the cohort's


@dataclass
class Cohort:
    """One row of the cohort table."""

    row: MdRow
    label: str
    date: Literal
    effective: Literal | None
    members: list[Designated]
    extra: list[Designated]
    extra_label: str
    total: int | None
    plus: int
    keys: str
    renaming: bool = False

    def keys_for(self, d: Designated) -> str:
        """The source keys of one designation: its own, or the cohort's less those that only
        name the inferred members."""
        if d.keys:
            return d.keys
        only = {k for m in self.members if m.keys for k in keys_in(m.keys)}
        return " ".join(k for k in keys_in(self.keys) if k not in only)


def _stp_body(code: str) -> URIRef:
    return STPBODY[body_code(STP21[code][0])]


def _designated(row: MdRow, item: str) -> Designated:
    m = _WHOLE.match(item)
    if m:
        code = m["code"]
        if code not in STP21:
            raise row.error(f"{code} is not an STP21 ODS code")
        d = Designated(code, m["name"], _stp_body(code), True, note=m["note"] or "")
        if m["note"] and (a := _ABSORBS.search(m["note"])):
            d.absorbs = [n.strip() for n in re.split(r",| and ", a["names"]) if n.strip()]
        return d
    m = _PART.match(item)
    if m:
        if m["code"] not in STP21:
            raise row.error(f"{m['code']} is not an STP21 ODS code")
        return Designated(slug(m["name"]), m["name"], ICS[slug(m["name"])], False, m["code"])
    m = _BY_ONS.match(item)
    if m:
        return Designated(m["ons"], m["name"], STPBODY[body_code(m["ons"])], True,
                          note=f"later part of {m['later']}")
    raise row.error(f"cannot read the footprint {item!r}: expected 'Name → QXX', 'Name (part of "
                    f"QXX)' or 'Name (E54…, later part of QXX)'")


def parse_cohorts(section: MdSection) -> list[Cohort]:
    """Read section 2's table and caveats into cohorts, in order."""
    table = _one_table(section, "2", ("Cohort", "Footprints", "Total", "Source"))
    cohorts: list[Cohort] = []
    for r in table.rows:
        first, items_text, total_text, keys = r.cells
        for cell in (items_text, keys):
            _check_marks(r, cell)
        date = _parse_date(r, first)
        label = first.split(",")[0].split(" (")[0].strip("* ")
        if (d := _SOURCE_DAY.search(first)) and len(str(date)) == 7 and \
                _MONTHS[d["mon"]] == int(str(date)[5:7]):
            date = day(f"{date!s}-{int(d['day']):02d}")
        effective = None
        if e := _EFFECTIVE.search(first):
            effective = _parse_date(r, e["date"])
        inferred = _INFERRED_MEMBERS.search(first)
        _check_marks(r, first, [*_DAY_MARKS, _INFERRED_MEMBERS.pattern])
        t = _TOTAL_CELL.match(total_text)
        if t is None and total_text not in ("–", "-"):
            raise r.error(f"the total should be a number or '–', found {total_text!r}")
        total = int(t["n"]) if t else None
        plus = int(t["plus"]) if t and t["plus"] else 0
        if "→" not in items_text and "(part of" not in items_text:
            cohorts.append(Cohort(r, label, date, effective, [], [], "", total, plus, keys,
                                  renaming=bool(re.search(r"\bACS renamed ICS\b", items_text))))
            continue
        main, _sep, extra_text = items_text.partition(". ")
        members = [_designated(r, item.strip()) for item in main.split(";")]
        extra: list[Designated] = []
        extra_label = ""
        if extra_text:
            x = _EXTRA.match(extra_text)
            if x is None:
                raise r.error(f"cannot read {extra_text!r}: expected 'N kind: Name (QXX), …'")
            extra_label = x["what"]
            for item in _EXTRA_ITEM.finditer(x["items"]):
                if item["code"] not in STP21:
                    raise r.error(f"{item['code']} is not an STP21 ODS code")
                extra.append(Designated(item["code"], item["name"], _stp_body(item["code"]), True,
                                        note=item["note"] or ""))
            if len(extra) != int(x["count"]):
                raise r.error(f"the row says {x['count']} {x['what']} but names {len(extra)}")
        if inferred:
            for short in (n.strip() for n in inferred["names"].split(",")):
                hits = [d for d in members if short in (d.name, initials(d.name))
                        or short.replace("&", "") == initials(d.name)]
                if len(hits) != 1:
                    raise r.error(f"{short!r} should name one footprint of this cohort, names "
                                  f"{len(hits)}")
                hits[0].certainty = "inferred"
                hits[0].keys = inferred["keys"]
                hits[0].note = (f"Only {inferred['keys']} names it in this cohort; the file "
                                f"infers its place here ({inferred['why'].strip(' ;')}).")
        cohorts.append(Cohort(r, label, date, effective, members, extra, extra_label, total, plus,
                              keys))
    _apply_caveat(section, cohorts)
    return cohorts


def _apply_caveat(section: MdSection, cohorts: list[Cohort]) -> None:
    """The caveat that a whole STP's designation is unverified but must fall in a given year's
    cohort: add it there as inferred, absorbing any part-system of that STP."""
    text = " ".join(t for _n, t in section.prose)
    for m in _CAVEAT.finditer(text):
        code = m["code"]
        if code not in STP21:
            raise section.error(f"the caveat names {code}, not an STP21 ODS code")
        target = [c for c in cohorts if str(c.date).startswith(m["year"]) and c.members]
        if len(target) != 1:
            raise section.error(f"the caveat places {code} in the cohort of {m['year']}, but "
                                f"{len(target)} cohorts fall in that year")
        parts = [d.name for c in cohorts for d in c.members if d.parent == code]
        target[0].members.append(Designated(
            code, m["name"].strip(), _stp_body(code), True, certainty="inferred", absorbs=parts,
            note=(f"When all of {m['name'].strip()} became an ICS is unverified; the file infers "
                  f"it was among the {m['n']} of {m['year']}, for the totals to add up.")))


def _check_totals(section: MdSection, cohorts: list[Cohort]) -> dict[str, int]:
    """Replay the cohorts and check each stated total; return the totals by cohort label."""
    live: dict[str, Designated] = {}
    by_name: dict[str, Designated] = {}
    totals: dict[str, int] = {}
    whole_codes: list[str] = []
    for c in cohorts:
        for d in [*c.members, *c.extra]:
            if d.key in live:
                raise c.row.error(f"{d.name} is designated again (first as {live[d.key].name})")
            for short in d.absorbs:
                name = ABSORBED_ALIASES.get(short, short)
                gone = by_name.get(name)
                if gone is None or gone.key not in live:
                    raise c.row.error(f"{d.name} absorbs {short!r}, which is not a system "
                                      f"designated earlier")
                del live[gone.key]
            live[d.key] = d
            by_name[d.name] = d
            if d.whole and d.key in STP21:
                whole_codes.append(d.key)
        if c.total is not None:
            if c.members and len(c.members) != c.total and c.plus:
                raise c.row.error(f"the total says {c.total} but the row names {len(c.members)}")
            if len(live) != c.total + c.plus:
                raise c.row.error(f"after this cohort the file's rows give {len(live)} systems, "
                                  f"but its total is {c.total}" + (f" (+{c.plus})" if c.plus
                                                                   else ""))
            totals[c.label] = len(live)
    covers = re.search(_COVERS, " ".join(t for _n, t in section.prose))
    if covers:
        dupes = sorted({c for c in whole_codes if whole_codes.count(c) > 1})
        if dupes or len(set(whole_codes)) != int(covers["n"]):
            raise section.error(f"the file says the cohorts cover {covers['n']} STP codes once "
                                f"each; they cover {len(set(whole_codes))}, repeating {dupes}")
    return totals


def build_cohorts(b: _Builder, section: MdSection) -> dict[str, int]:
    """The ICS cohorts as waves of per-body designations, into the ``ics-cohorts`` graph."""
    cohorts = parse_cohorts(section)
    totals = _check_totals(section, cohorts)
    g = b.out["ics-cohorts"].graph
    designated: dict[str, tuple[Designated, Cohort]] = {}
    for c in cohorts:
        keys_iris = b.source_iris(c.row, c.keys, "ics-cohorts")
        if c.renaming:
            _renaming(b, c, [d for d, _c in designated.values()], keys_iris)
            continue
        if not c.members:
            continue
        shadow = str(c.date) < "2018"
        groups = [(c.members, "", "shadow accountable care systems" if shadow else
                   "integrated care systems")]
        if c.extra:
            groups.append((c.extra, "devolution", c.extra_label))
        for members, suffix, what in groups:
            wave = WAVE["ics-cohort-" + str(c.date)[:7] + (f"-{suffix}" if suffix else "")]
            _cohort_wave(g, wave, c, members, what)
            b.fact("ics-cohorts", wave, keys_iris)
            for d in members:
                _designation(b, g, c, d, wave, b.source_iris(c.row, c.keys_for(d), "ics-cohorts"),
                             suffix)
                for short in d.absorbs:
                    name = ABSORBED_ALIASES.get(short, short)
                    gone = next(x for x, _c in designated.values() if x.name == name)
                    _absorption(b, g, c, gone, d, keys_iris)
                designated[d.key] = (d, c)
    return {f"ICSs after {label}": n for label, n in totals.items()}


def _cohort_wave(g: Graph, wave: URIRef, c: Cohort, members: list[Designated], what: str) -> None:
    g.add((wave, RDF.type, STP.Wave))
    when = _date_text(c.date)
    g.add((wave, RDFS.label, en(f"ICS cohort of {when}: {len(members)} {what}")))
    text = (f"The {len(members)} footprints or systems designated {what} {_when(c.date)}"
            + (f", with effect from {_date_text(c.effective)}" if c.effective else "") + ".")
    g.add((wave, DCTERMS.description, en(text)))
    g.add((wave, DCTERMS.date, c.date))
    if c.effective is not None:
        g.add((wave, STP.startDate, c.effective))
    g.add((wave, DCTERMS.subject, FORM.ics))


def _designation(b: _Builder, g: Graph, c: Cohort, d: Designated, wave: URIRef,
                 sources: list[URIRef], suffix: str) -> None:
    e = EVENT[f"ics-designation-{str(c.date)[:7]}-{d.key}"]
    shadow = str(c.date) < "2018"
    form = "a shadow accountable care system" if shadow else "an integrated care system"
    if suffix == "devolution":
        form = "a devolution area in NHS England's first wave of shadow systems"
    g.add((e, RDF.type, STP.Designation))
    if suffix == "devolution":
        label = f"{d.name} joins the first shadow systems as a devolution area"
    else:
        label = f"{d.name} designated {form}"
    g.add((e, RDFS.label, en(f"{label} ({_date_text(c.date)})")))
    text = f"{d.name} was designated {form} {_when(c.date)}"
    if c.effective is not None:
        text += f", with effect from {_date_text(c.effective)}"
    text += "."
    if not d.whole:
        text += (f" The system covered part of the {STP21[d.parent][1]} footprint ({d.parent})."
                 if d.parent else "")
    if d.note and d.certainty != "confirmed":
        text += " " + d.note.strip()
    elif d.note:
        text += f" The source notes: {d.note}."
    g.add((e, DCTERMS.description, en(text)))
    g.add((e, STP.renamedBody, d.body))
    g.add((e, DCTERMS.date, c.date))
    if c.effective is not None:
        g.add((e, STP.startDate, c.effective))
    g.add((e, DCTERMS.isPartOf, wave))
    g.add((e, DCTERMS.subject, FORM.ics))
    b.fact("ics-cohorts", e, sources, d.certainty)
    g.add((d.body, ORG.classification, FORM.ics))
    if shadow:
        g.add((d.body, ORG.classification, FORM.acs))
    g.add((d.body, SKOS.altLabel, en(d.name)))
    if not d.whole:
        g.add((d.body, RDF.type, STP.IntegratedCareSystem))
        g.add((d.body, RDF.type, STP.AccountableCareSystem))
        g.add((d.body, RDFS.label, en(f"{d.name} ICS")))
        g.add((d.body, SKOS.altLabel, en(f"{d.name} ACS")))
        g.add((d.body, DCTERMS.description, en(
            f"The accountable, later integrated, care system of {d.name}, smaller than an STP "
            f"footprint: part of {STP21[d.parent][1]} ({d.parent}).")))
        g.add((d.body, ORG.subOrganizationOf, _stp_body(d.parent)))
        g.add((d.body, STP.startDate, c.date))
        b.fact("ics-cohorts", d.body, sources)


def _absorption(b: _Builder, g: Graph, c: Cohort, gone: Designated, into: Designated,
                sources: list[URIRef]) -> None:
    certainty = "inferred" if into.certainty != "confirmed" else "confirmed"
    e = event(
        g, f"ics-absorbed-{str(c.date)[:7]}-{gone.key}", STP.Acquisition,
        f"{gone.name} ICS absorbed into {into.name} ICS ({_date_text(c.date)})",
        f"When {into.name} was designated an integrated care system {_when(c.date)}, the earlier "
        f"{gone.name} system became part of it and ceased to count as a system of its own."
        + (" Inferred with the designation it belongs to." if certainty == "inferred" else ""),
        original=[gone.body], resulting=[into.body], date=c.date)
    b.fact("ics-cohorts", e, sources, certainty)
    if not gone.whole:
        g.add((gone.body, STP.endDate, c.date))


def _renaming(b: _Builder, c: Cohort, bodies: list[Designated], sources: list[URIRef]) -> None:
    g = b.out["ics-cohorts"].graph
    change = FORM_CHANGE[f"acs-renamed-ics-{str(c.date)[:4]}"]
    g.add((change, RDF.type, STP.FormRenaming))
    g.add((change, RDFS.label, en("Accountable care systems renamed integrated care systems")))
    g.add((change, DCTERMS.description, en(
        f"In {_date_text(c.date)} NHS England began to call accountable care systems integrated "
        f"care systems.")))
    g.add((change, STP.priorForm, FORM.acs))
    g.add((change, STP.nextForm, FORM.ics))
    g.add((change, DCTERMS.date, c.date))
    g.add((change, STP.status, STATUS.actual))
    b.fact("ics-cohorts", change, sources)
    e = EVENT[f"acs-renamed-ics-{str(c.date)[:7]}"]
    g.add((e, RDF.type, STP.Renaming))
    g.add((e, RDFS.label, en(f"The {len(bodies)} shadow systems of 2017 renamed integrated care "
                             f"systems ({_date_text(c.date)})")))
    g.add((e, DCTERMS.description, en(
        "With the renaming of the form, each system designated in June 2017 went from being "
        "called an accountable care system to an integrated care system.")))
    g.add((e, DCTERMS.date, c.date))
    for d in bodies:
        g.add((e, STP.renamedBody, d.body))
    b.fact("ics-cohorts", e, sources)


