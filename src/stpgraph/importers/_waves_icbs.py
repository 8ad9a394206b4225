"""Section 3 of the waves file: integrated care boards from July 2022 to April 2026."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..namespace import STP
from ._base import (
    DOC,
    EVENT,
    FINDING,
    FORM,
    FORM_CHANGE,
    HEALTH_AND_CARE_ACT_2022,
    ICB,
    ORG,
    ReferenceTableError,
    and_list,
    dated_code,
    day,
    en,
    event,
    integer,
    year,
)
from ._markdown import MdRow, MdSection
from ._waves_base import (
    _MON,
    NHS_ENGLAND,
    REQUIREMENT,
    STATUS,
    STP21,
    _Builder,
    _check_marks,
    _date_text,
    _one_table,
    _parse_date,
    initials,
    slug,
)

# =================================================================================================
#  3. Integrated care boards
# =================================================================================================

_ORDER = re.compile(r"established by the (?P<order>.+? Order [0-9]{4})")
_REGULATIONS = re.compile(r"set by the (?P<regs>.+? Regulations [0-9]{4})")
_VARIATION = re.compile(r"^(?P<title>.+? \(Variation\) Order (?P<year>[0-9]{4})): \"(?P<what>[^\"]+)\" "
                        r"from (?P<from>[0-9]{1,2} [A-Z][a-z]{2} [0-9]{4})")
_SUCCESSION = re.compile(r"^(?P<lhs>.+?) → \*\*(?P<code>[A-Z0-9]{3,5}) (?P<name>[^*]+?)\*\*"
                         r"(?: \((?P<note>[^)]*)\))?$")
_SUMMARY = re.compile(r"(?P<close>[0-9]+) close, (?P<new>[0-9]+) new → (?P<total>[0-9]+) ICBs "
                      r"\[inferred: (?P<sum>[^\]]+)\]")
_SPLIT = re.compile(r"^(?P<name>.+?) \((?P<code>Q[A-Z0-9]{2})\) (?P<n>[0-9]+)-way split: (?P<parts>.+)$")
_STATEMENT = re.compile(r"^(?P<day>[0-9]{1,2} [A-Z][a-z]{2} [0-9]{4}) written statement "
                        r"\((?P<id>[A-Z]+[0-9]+)\): (?P<what>.+)$")
_CUTS = re.compile(r"^(?P<when>[A-Z][a-z]{2} [0-9]{4}): NHSE told ICBs to (?P<what>.+?) by "
                   r"(?P<by>[A-Z][a-z]{2} [0-9]{4})$")


@dataclass(frozen=True)
class Succession:
    """One 1 April 2026 succession: whole and partial predecessors of one successor."""

    code: str
    name: str
    whole: tuple[str, ...]
    parts: tuple[str, ...]
    keeps_code: bool


def _ics_rows(section: MdSection) -> dict[str, MdRow]:
    table = _one_table(section, "3", ("Fact", "Source"))
    wanted = {
        "act": lambda f: "Royal Assent" in f,
        "establishment": lambda f: "statutory ICBs established" in f,
        "variation": lambda f: "(Variation) Order" in f,
        "cuts": lambda f: f.startswith(("Mar 2025", "Apr 2025")) and "NHSE told ICBs" in f,
        "statement": lambda f: "written statement" in f,
        "clusters": lambda f: f.startswith("No clusters"),
        "successions": lambda f: "ODS successions" in f,
        "split": lambda f: "-way split" in f,
    }
    found: dict[str, MdRow] = {}
    for r in table.rows:
        for name, test in wanted.items():
            if test(r.cells[0]):
                if name in found:
                    raise r.error(f"a second '{name}' row (first on line {found[name].line})")
                found[name] = r
    missing = [n for n in wanted if n not in found]
    if missing:
        raise section.error(f"section 3 lacks the row(s): {', '.join(missing)}")
    return found


def parse_successions(row: MdRow) -> tuple[list[Succession], re.Match[str]]:
    """Read the 1 April 2026 successions row."""
    text = row.cells[0]
    _check_marks(row, text, [r"\[inferred: [^\]]+\]"])
    summary = _SUMMARY.search(text)
    if summary is None:
        raise row.error("expected a summary like '12 close, 6 new → 36 ICBs [inferred: …]'")
    head = text[: summary.start()].rstrip().rstrip(".")
    items_text = head.split("): ", 1)[1] if "): " in head else head.split(": ", 1)[-1]
    result = []
    for item in items_text.split("; "):
        m = _SUCCESSION.match(item.strip())
        if m is None:
            raise row.error(f"cannot read the succession {item!r}: expected 'QAA + part of QBB → "
                            f"**CODE Name**'")
        whole, parts = [], []
        for p in m["lhs"].split(" + "):
            p = p.strip()
            target = parts if p.startswith("part of ") else whole
            code = p.removeprefix("part of ")
            if code not in STP21:
                raise row.error(f"{code} is not one of the 42 ICB codes")
            target.append(code)
        keeps = bool(m["note"] and "keeps code" in m["note"])
        if keeps != (m["code"] in STP21):
            raise row.error(f"{m['code']} {'keeps' if keeps else 'is a new'} code but is "
                            f"{'not ' if m['code'] not in STP21 else ''}one of the 42")
        result.append(Succession(m["code"], m["name"].strip(), tuple(whole), tuple(parts), keeps))
    return result, summary


def build_icbs(b: _Builder, section: MdSection) -> dict[str, int]:
    """ICBs from 1 July 2022 to 1 April 2026, into the ``icbs-2026`` graph."""
    rows = _ics_rows(section)
    g = b.out["icbs-2026"].graph
    stem = "icbs-2026"

    def src(name: str) -> list[URIRef]:
        return b.source_iris(rows[name], rows[name].cells[1], stem)

    for name in ("act", "establishment", "cuts", "clusters", "split"):
        _check_marks(rows[name], rows[name].cells[0])
    _check_marks(rows["variation"], rows["variation"].cells[0], [r"content \**\[unverified\]\**"])
    _check_marks(rows["statement"], rows["statement"].cells[0], [r"\(excerpt cut off; rest of list "
                                                                 r"\[unverified\]\)"])

    # --- the Act, 1 July 2022 and the legislation --------------------------------------------
    act_row = rows["act"].cells[0]
    assent = re.search(rf"Royal Assent ([0-9]{{1,2}} {_MON} [0-9]{{4}})", act_row)
    if assent is None:
        raise rows["act"].error("expected 'Royal Assent D Mon YYYY'")
    g.add((HEALTH_AND_CARE_ACT_2022, RDF.type, STP.Legislation))
    g.add((HEALTH_AND_CARE_ACT_2022, RDFS.label, en("Health and Care Act 2022")))
    g.add((HEALTH_AND_CARE_ACT_2022, DCTERMS.issued, _parse_date(rows["act"], assent.group(1))))
    b.fact(stem, HEALTH_AND_CARE_ACT_2022, src("act"))

    est = rows["establishment"].cells[0]
    order, regs = _ORDER.search(est), _REGULATIONS.search(est)
    if order is None or regs is None:
        raise rows["establishment"].error("expected 'established by the … Order YYYY (date set by "
                                          "the … Regulations YYYY)'")
    start = _parse_date(rows["establishment"], est.lstrip("*"))
    if len(str(start)) != 10:
        raise rows["establishment"].error("the ICBs' establishment needs a day")
    frameworks = []
    for title in (order["order"], regs["regs"]):
        doc = DOC[slug(title)]
        frameworks.append(doc)
        g.add((doc, RDF.type, STP.Legislation))
        g.add((doc, RDFS.label, en(title)))
        g.add((doc, DCTERMS.title, en(title)))
        g.add((doc, DCTERMS.issued, year(title[-4:])))
        g.add((doc, DCTERMS.description, en(
            "The statutory instrument that established the integrated care boards."
            if "Order" in title else
            "The regulations that set the day on which the integrated care boards' areas took "
            "effect.")))
        b.fact(stem, doc, src("establishment"))

    icbs = sorted(STP21)
    established = EVENT[f"icbs-established-{start}"]
    g.add((established, RDF.type, STP.Establishment))
    g.add((established, RDFS.label, en(f"{len(icbs)} integrated care boards established "
                                       f"({_date_text(start)})")))
    g.add((established, DCTERMS.description, en(
        f"On {_date_text(start)} the {len(icbs)} statutory integrated care boards came into being "
        f"under the Health and Care Act 2022, established by the {order['order']} on the day set "
        f"by the {regs['regs']}; clinical commissioning groups were abolished the same day. Each "
        f"board kept its STP's ODS code.")))
    g.add((established, DCTERMS.date, start))
    for doc in [HEALTH_AND_CARE_ACT_2022, *frameworks]:
        g.add((established, STP.hasFormalFramework, doc))
    for code in icbs:
        g.add((established, ORG.resultingOrganization, ICB[code]))
        g.add((ICB[code], RDF.type, STP.IntegratedCareBoard))
        g.add((ICB[code], ORG.classification, FORM.icb))
        g.add((ICB[code], STP.startDate, start))
    b.fact(stem, established, src("establishment"))

    ccgs = FORM_CHANGE[f"ccgs-replaced-by-icbs-{str(start)[:4]}"]
    g.add((ccgs, RDF.type, STP.FormReplacement))
    g.add((ccgs, RDFS.label, en("Clinical commissioning groups abolished and replaced by "
                                "integrated care boards")))
    g.add((ccgs, DCTERMS.description, en(
        f"On {_date_text(start)} every clinical commissioning group was abolished and the "
        f"integrated care boards took over their role.")))
    g.add((ccgs, STP.priorForm, FORM.ccg))
    g.add((ccgs, STP.nextForm, FORM.icb))
    g.add((ccgs, DCTERMS.date, start))
    g.add((ccgs, STP.status, STATUS.actual))
    for doc in [HEALTH_AND_CARE_ACT_2022, *frameworks]:
        g.add((ccgs, STP.hasFormalFramework, doc))
    b.fact(stem, ccgs, src("establishment"))
    _count(b, stem, "count-icbs-2022-07", len(icbs), start, [ICB[c] for c in icbs],
           f"{len(icbs)} integrated care boards on {_date_text(start)}", src("establishment"))

    var = _VARIATION.match(rows["variation"].cells[0])
    if var is None:
        raise rows["variation"].error("expected '… (Variation) Order YYYY: \"…\" from D Mon YYYY'")
    doc = DOC[slug(var["title"])]
    g.add((doc, RDF.type, STP.Legislation))
    g.add((doc, RDFS.label, en(var["title"])))
    g.add((doc, DCTERMS.title, en(var["title"])))
    g.add((doc, DCTERMS.issued, year(var["year"])))
    g.add((doc, DCTERMS.description, en(
        f"An order varying the establishment order, described by NHS England as making "
        f"\"{var['what']}\" from {_date_text(_parse_date(rows['variation'], var['from']))}. What "
        f"it changed is not confirmed, so no change is recorded here.")))
    b.fact(stem, doc, src("variation"))

    # --- 2025: running costs and clustering --------------------------------------------------
    cuts = _CUTS.match(rows["cuts"].cells[0])
    if cuts is None:
        raise rows["cuts"].error("expected 'Mon YYYY: NHSE told ICBs to … by Mon YYYY'")
    req = REQUIREMENT["icb-running-cost-cut-2025"]
    g.add((req, RDF.type, STP.Requirement))
    g.add((req, RDFS.label, en(f"ICBs to {cuts['what']}")))
    g.add((req, DCTERMS.description, en(
        f"In {_date_text(_parse_date(rows['cuts'], cuts['when']))} NHS England told integrated "
        f"care boards to {cuts['what']} by {_date_text(_parse_date(rows['cuts'], cuts['by']))}.")))
    g.add((req, DCTERMS.date, _parse_date(rows["cuts"], cuts["when"])))
    g.add((req, STP.deadline, _parse_date(rows["cuts"], cuts["by"])))
    g.add((req, STP.appliesTo, FORM.icb))
    g.add((req, PROV.wasAttributedTo, NHS_ENGLAND))
    b.fact(stem, req, src("cuts"))

    st = _STATEMENT.match(rows["statement"].cells[0])
    if st is None:
        raise rows["statement"].error("expected 'D Mon YYYY written statement (ID): …'")
    statement = DOC[st["id"].lower()]
    issued = _parse_date(rows["statement"], st["day"])
    g.add((statement, RDF.type, STP.PolicyDocument))
    g.add((statement, RDFS.label, en(f"Written ministerial statement {st['id']} "
                                     f"({_date_text(issued)})")))
    g.add((statement, DCTERMS.identifier, Literal(st["id"])))
    g.add((statement, DCTERMS.issued, issued))
    g.add((statement, DCTERMS.description, en(
        "A written statement to the House of Commons on integrated care boards' running costs "
        "and the alignment of their boundaries with strategic authorities.")))
    b.fact(stem, statement, src("statement"))
    named = _named_footprints(st["what"])
    clusters = REQUIREMENT["icb-clusters-2026"]
    g.add((clusters, RDF.type, STP.Requirement))
    g.add((clusters, RDFS.label, en("ICBs to share leadership in clusters, with the first new "
                                    "footprints from 1 April 2026")))
    lead = re.search(r"(?P<a>[0-9]+) → (?P<b>[0-9]+)", st["what"])
    g.add((clusters, DCTERMS.description, en(
        (f"Clusters of integrated care boards cut their leadership teams from {lead['a']} to "
         f"{lead['b']}, the boards staying legally separate; " if lead else "")
        + f"the first new footprints take effect on 1 April 2026: {'; '.join(named)} (the rest "
        f"of the statement's list is not confirmed). "
        + re.sub(r"\s+", " ", rows["clusters"].cells[0]).rstrip(".") + ".")))
    g.add((clusters, DCTERMS.date, issued))
    g.add((clusters, STP.deadline, day("2026-04-01")))
    g.add((clusters, STP.appliesTo, FORM.icb))
    g.add((statement, STP.setsOut, clusters))
    b.fact(stem, clusters, src("statement") + src("clusters"))

    # --- 1 April 2026 --------------------------------------------------------------------------
    successions, summary = parse_successions(rows["successions"])
    when = day("2026-04-01")
    last = day("2026-03-31")
    keys = src("successions")
    ended: set[str] = set()
    new: list[Succession] = []
    receivers: dict[str, list[str]] = {}
    for s in successions:
        for code in [*s.whole, *s.parts]:
            ended.add(code)
        for code in s.parts:
            receivers.setdefault(code, []).append(s.code)
        if not s.keeps_code:
            new.append(s)
    close, new_n, total = int(summary["close"]), int(summary["new"]), int(summary["total"])
    if len(ended) != close or len(new) != new_n or len(icbs) - len(ended) + len(new) != total:
        raise rows["successions"].error(
            f"the row says {close} close and {new_n} new ({total} in all), but its successions "
            f"close {len(ended)} and create {len(new)}")
    for code in sorted(ended):
        g.add((ICB[code], STP.endDate, last))
    for s in successions:
        names_framework = statement if _short(s.name) in {_short(n) for n in named} else None
        if s.keeps_code:
            for code in s.parts:
                _succession(b, g, f"icb-acquisition-{when}-{s.code}", STP.Acquisition,
                            f"{s.name} ({s.code}) takes over part of {code}",
                            f"On 1 April 2026 the existing board {s.code} ({s.name}) took over part "
                            f"of the area of {code}, keeping its own code; {code} closed.",
                            [code], s.code, when, keys, names_framework)
            continue
        node = ICB[s.code]
        g.add((node, RDF.type, STP.IntegratedCareBoard))
        g.add((node, ORG.classification, FORM.icb))
        g.add((node, RDFS.label, en(s.name)))
        g.add((node, STP.odsCode, Literal(s.code)))
        g.add((node, STP.startDate, when))
        g.add((node, DCTERMS.description, en(
            f"The integrated care board established on 1 April 2026 with ODS code {s.code}, "
            f"succeeding {_list(s.whole, s.parts)}.")))
        dated_code(g, node, s.code, "ODS code from 1 April 2026", start=when)
        b.fact(stem, node, keys)
        _succession(b, g, f"icb-merger-{when}-{s.code}", STP.Merger,
                    f"{_list(s.whole, s.parts)} succeeded by {s.name} ({s.code})",
                    f"On 1 April 2026 the new board {s.name} ({s.code}) took over "
                    f"{_list(s.whole, s.parts)}; the new body starts on that day (a merger in the "
                    f"ODS sense).", [*s.whole, *s.parts], s.code, when, keys, names_framework)
    split_row = rows["split"]
    sp = _SPLIT.match(split_row.cells[0])
    if sp is None:
        raise split_row.error("expected 'Name (QXX) N-way split: Area → Board; …'")
    for code, targets in sorted(receivers.items()):
        detail = ""
        if code == sp["code"]:
            parts = [p.strip() for p in sp["parts"].split(";")]
            if len(parts) != int(sp["n"]) or len(targets) != int(sp["n"]):
                raise split_row.error(f"a {sp['n']}-way split, but {len(parts)} parts are named "
                                      f"and the successions give {len(targets)} receivers")
            by_name = {_short(s.name): s.code for s in successions}
            for p in parts:
                _area, _arrow, board = p.partition(" → ")
                hits = [c for n, c in by_name.items() if _short(board) in (n, initials(n))]
                if len(hits) != 1 or hits[0] not in targets:
                    raise split_row.error(f"{board!r} is not one of the boards that receive part "
                                          f"of {code}")
            detail = " The parts: " + "; ".join(parts) + "."
        kind = STP.Split
        _succession(b, g, f"icb-split-{when}-{code}", kind,
                    f"{code} split between {', '.join(targets)}",
                    f"On 1 April 2026 the board {code} closed and its area was divided between "
                    f"{', '.join(targets)}.{detail}", [code], targets, when,
                    keys + (src("split") if code == sp["code"] else []), None)
    _count(b, stem, "count-icbs-2026-04", total, when,
           [ICB[c] for c in icbs if c not in ended] + [ICB[s.code] for s in new],
           f"{total} integrated care boards from 1 April 2026", keys, certainty="inferred",
           note=f"Worked out from the successions: {summary['sum']}.")
    return {"ICBs on 2022-07-01": len(icbs), "ICBs closed 2026-04-01": len(ended),
            "ICBs new 2026-04-01": len(new), "ICBs from 2026-04-01": total}


def _named_footprints(text: str) -> list[str]:
    """The confirmed names in the statement's list of first new footprints."""
    m = re.search(r"from \**1 Apr 2026\**: (?P<list>.+)$", text)
    if m is None:
        return []
    names = []
    for part in m["list"].split(";"):
        part = part.strip()
        if "…" in part or "[unverified]" in part or part.startswith('"'):
            continue
        names.append(part.rstrip("."))
    return names


def _short(name: str) -> str:
    """A board's name without 'NHS ' and with 'and the' read as 'and'."""
    return name.removeprefix("NHS ").replace(" and the ", " and ").strip()


def _list(whole: Iterable[str], parts: Iterable[str]) -> str:
    return and_list([*whole, *(f"part of {c}" for c in parts)])


def _succession(b: _Builder, g: Graph, slug_: str, kind: URIRef, label: str, description: str,
                original: list[str], resulting: str | list[str], when: Literal,
                sources: list[URIRef], framework: URIRef | None) -> None:
    e = event(g, slug_, kind, label, description, original=[ICB[c] for c in original],
              resulting=[ICB[c] for c in ([resulting] if isinstance(resulting, str) else resulting)],
              date=when, framework=framework)
    b.fact("icbs-2026", e, sources)


def _count(b: _Builder, stem: str, slug_: str, value: int, when: Literal, bodies: list[URIRef],
           label: str, sources: list[URIRef], certainty: str = "confirmed", note: str = "") -> None:
    g = b.out[stem].graph
    c = FINDING[slug_]
    g.add((c, RDF.type, STP.Count))
    g.add((c, RDFS.label, en(label)))
    g.add((c, DCTERMS.description, en(f"The number of integrated care boards in England from "
                                      f"{_date_text(when)}. {note}".strip())))
    g.add((c, STP.countOf, FORM.icb))
    g.add((c, STP.value, integer(value)))
    g.add((c, STP.unit, Literal("boards")))
    g.add((c, STP.referencePeriod, when))
    for body in bodies:
        g.add((c, STP.counts, body))
    if len(bodies) != value:
        raise ReferenceTableError(b.doc.path, None, f"{label}: {len(bodies)} boards are counted")
    b.fact(stem, c, sources, certainty)


