"""A deterministic, NHS-shaped synthetic graph in the stpgraph ontology, for benchmarks and scale tests.

``generate(folder, triples=100_000, seed=8)`` writes a complete stpgraph project under ``folder``
(the real ``ontology/`` and ``queries/`` copied in, ``data/sources.ttl`` and one file per synthetic
reference table in ``data/reference/``) that ``stpgraph build`` accepts: it meets
``ontology/shapes.ttl`` and is free of contradictions.

The shape follows England's NHS and its decade of change, scaled by one factor so that the
proportions stay realistic at any size: 7 regions; per unit of scale ~44 STP footprints that
are designated ICSs and evolve into ~42 ICBs in July 2022; ~211 CCGs in 2013 merging in waves to
~106 and replaced by sub-ICB locations; ~220 trusts (mergers, renames); ~300 local authorities
(unitary mergers); ~1,250 PCNs established in July 2019; ~7,800 GP practices in 2013 of which
~1,300 merge away by 2023, each with dated names, codes, memberships and yearly list sizes;
quarterly releases of the reference tables that supersede each other. Every table is its own named
graph, derived from its own source entity. At scale 1 the graph holds roughly 600,000 triples;
``triples=`` picks the scale that gives about that many.

Run ``python bench/synthetic.py OUT --triples 100000`` to write one.
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/stpgraph/"
ID = BASE + "id/"
DEF = BASE + "def/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"
STATGEO = "http://statistics.data.gov.uk/id/statistical-geography/"

#: entity counts at scale 1, close to England's (see the module docstring)
NATIONAL = {"stp": 44, "ccg": 211, "trust": 220, "la": 300, "pcn": 1250, "practice": 7800}
#: calibrated triples per unit of scale (measured; only used to pick the scale for ``triples=``)
TRIPLES_PER_SCALE = 590_000
_FIXED = 1_000  # about the triples that do not scale (regions, releases, sources)

_WORDS = ("Abbey", "Ash", "Beech", "Bridge", "Brook", "Castle", "Cedar", "Church", "Cliff", "Dale",
          "Elm", "Fair", "Field", "Ford", "Glen", "Green", "Grove", "Hall", "Heath", "Hill", "Holly",
          "King", "Lake", "Lea", "Marsh", "Meadow", "Mill", "Moor", "Oak", "Park", "Pine", "Quay",
          "River", "Rose", "Stone", "Vale", "Well", "West", "Willow", "Wood")
_PLACES = ("Ambridge", "Barset", "Casterbridge", "Dunmore", "Eastwick", "Fenwick", "Grimsby Vale",
           "Holtby", "Ivybridge", "Jarrow Fields", "Kingsmere", "Lowfield", "Midhurst", "Netherby",
           "Oakham", "Pembury", "Queensferry", "Redmarsh", "Sandford", "Thornbury", "Upton", "Wexcombe")
_REGIONS = ("North East and Yorkshire", "North West", "Midlands", "East of England", "London",
            "South East", "South West")


def _iri(path: str) -> str:
    return f"<{ID}{path}>"


def _d(name: str) -> str:
    return f"<{DEF}{name}>"


def _lit(text: str, lang: str = "en") -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def _plain(text: str) -> str:
    return '"' + text + '"'


def _typed(text: str, dt: str) -> str:
    return f'"{text}"^^<{XSD}{dt}>'


def _date(y: int, m: int, d: int) -> str:
    return _typed(f"{y:04d}-{m:02d}-{d:02d}", "date")


@dataclass
class SyntheticReport:
    """What ``generate`` wrote: the project folder, the scale and the triples per table."""

    root: Path
    scale: float
    seed: int
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        """All triples written to data/ (the ontology not included)."""
        return sum(self.tables.values())


class _Table:
    """One reference table: a Turtle file of one triple per line (N-Triples is valid Turtle)."""

    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self.count = 0
        self._bnode = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.fh.write(f"{s} {p} {o} .\n")
        self.count += 1

    def bnode(self) -> str:
        self._bnode += 1
        return f"_:b{self._bnode}"


class _Gen:
    def __init__(self, root: Path, scale: float, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.n = {k: max(2, round(v * scale)) for k, v in NATIONAL.items()}
        self.scale = scale
        self.tables: dict[str, int] = {}
        self.events = 0

    # -- helpers --------------------------------------------------------------------------------

    @contextmanager
    def table(self, name: str) -> Iterator[_Table]:
        path = self.root / "data" / "reference" / f"synthetic-{name}.ttl"
        with path.open("w", encoding="utf-8") as fh:
            fh.write(f"# Synthetic reference table '{name}' (bench/synthetic.py); not real data.\n")
            t = _Table(fh)
            yield t
        self.tables[f"synthetic-{name}"] = t.count

    def name(self, kind: str) -> str:
        r = self.rng
        return f"{r.choice(_WORDS)} {r.choice(_WORDS)}{r.choice(('', 'e', 'ton', 'ley'))} {kind}"

    def body(self, t: _Table, node: str, cls: str, form: str, label: str, source: str) -> None:
        t.add(node, RDF_TYPE, _d(cls))
        t.add(node, f"<{ORG}classification>", _iri(f"form/{form}"))
        t.add(node, LABEL, _lit(label))
        t.add(node, f"<{DCT}source>", source)

    def dated_name(self, t: _Table, node: str, name: str, start: str, end: str | None) -> None:
        b = t.bnode()
        t.add(node, _d("hasDatedName"), b)
        t.add(b, RDF_TYPE, _d("DatedName"))
        t.add(b, _d("name"), _lit(name))
        t.add(b, _d("startDate"), start)
        if end:
            t.add(b, _d("endDate"), end)

    def dated_code(self, t: _Table, node: str, code: str, start: str, end: str | None) -> None:
        b = t.bnode()
        t.add(node, _d("hasDatedCode"), b)
        t.add(b, RDF_TYPE, _d("DatedCode"))
        t.add(b, f"<{SKOS}notation>", _plain(code))
        t.add(b, _d("startDate"), start)
        if end:
            t.add(b, _d("endDate"), end)

    def membership(self, t: _Table, key: str, member: str, org: str, label: str, start: str,
                   end: str | None, source: str) -> None:
        m = _iri(f"membership/{key}")
        t.add(m, RDF_TYPE, f"<{ORG}Membership>")
        t.add(m, LABEL, _lit(label))
        t.add(m, f"<{ORG}member>", member)
        t.add(m, f"<{ORG}organization>", org)
        t.add(m, _d("startDate"), start)
        if end:
            t.add(m, _d("endDate"), end)
        t.add(m, f"<{DCT}source>", source)

    def event(self, t: _Table, cls: str, label: str, date: str, source: str, *,
              original: tuple[str, ...] = (), resulting: tuple[str, ...] = (),
              renamed: str | None = None, framework: str | None = None) -> str:
        self.events += 1
        e = _iri(f"event/synthetic-{self.events}")
        t.add(e, RDF_TYPE, _d(cls))
        t.add(e, LABEL, _lit(label))
        t.add(e, f"<{DCT}date>", date)
        for o in original:
            t.add(e, f"<{ORG}originalOrganization>", o)
        for r in resulting:
            t.add(e, f"<{ORG}resultingOrganization>", r)
        if renamed:
            t.add(e, _d("renamedBody"), renamed)
        if framework:
            t.add(e, _d("hasFormalFramework"), framework)
        t.add(e, f"<{DCT}source>", source)
        t.add(e, _d("locator"), _plain(f"row {self.events}"))
        return e

    # -- the tables -------------------------------------------------------------------------------

    def run(self) -> None:
        self.sources()
        with self.table("structure") as t:
            self.structure(t)
        with self.table("providers") as t:
            self.providers(t)
        with self.table("primary-care") as t:
            self.primary_care(t)
        with self.table("releases") as t:
            self.releases(t)

    def sources(self) -> None:
        lines = [
            f"@prefix stp: <{DEF}> .", f"@prefix prov: <{PROV}> .", f"@prefix dct: <{DCT}> .",
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            "# Source entities of the synthetic reference tables (bench/synthetic.py).",
        ]
        for name in ("structure", "providers", "primary-care", "releases"):
            doc = f"<{ID}dataset/synthetic-{name}>"
            lines += [
                f'{doc} a dcat:Dataset ; rdfs:label "Synthetic reference table: {name}"@en ;',
                '    dct:description "Generated by bench/synthetic.py for benchmarks; not real data."@en .',
                f"<{BASE}graph/synthetic-{name}> prov:wasDerivedFrom {doc} .",
            ]
        (self.root / "data" / "sources.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def structure(self, t: _Table) -> None:
        """Regions, STP footprints → ICSs → ICBs, CCGs (merging) → sub-ICB locations, councils."""
        src = _iri("dataset/synthetic-structure")
        act = _iri("document/health-and-care-act-2022")
        t.add(act, RDF_TYPE, _d("Legislation"))
        t.add(act, LABEL, _lit("Health and Care Act 2022"))
        t.add(act, f"<{DCT}issued>", _typed("2022-04", "gYearMonth"))
        self.regions = []
        for i, name in enumerate(_REGIONS):
            code = f"E400000{i + 1:02d}"
            r = _iri(f"region/{code}")
            self.body(t, r, "NHSRegion", "nhs-region", name, src)
            t.add(r, _d("onsCode"), _plain(code))
            t.add(r, f"<{SKOS}exactMatch>", f"<{STATGEO}{code}>")
            self.regions.append(r)
        rng = self.rng
        self.stps, self.icbs = [], []
        for i in range(self.n["stp"]):
            code = f"E54{i + 1:06d}"
            place = f"{rng.choice(_PLACES)} and {rng.choice(_PLACES)} {i + 1}"
            stp, fp = _iri(f"stp/{code}"), _iri(f"footprint/{code}")
            region = self.regions[i % len(self.regions)]
            self.body(t, stp, "SustainabilityAndTransformationPartnership", "stp", f"{place} STP", src)
            t.add(stp, _d("onsCode"), _plain(code))
            t.add(stp, _d("startDate"), _date(2016, 3, 1 + i % 28))
            t.add(stp, _d("hasFootprint"), fp)
            t.add(stp, _d("inRegion"), region)
            t.add(fp, RDF_TYPE, _d("Footprint"))
            t.add(fp, LABEL, _lit(f"{place} footprint"))
            t.add(fp, _d("onsCode"), _plain(code))
            t.add(fp, f"<{SKOS}exactMatch>", f"<{STATGEO}{code}>")
            self.dated_name(t, stp, f"{place} Sustainability and Transformation Plan",
                            _date(2016, 3, 1), _date(2017, 2, 28))
            self.dated_name(t, stp, f"{place} Sustainability and Transformation Partnership",
                            _date(2017, 3, 1), None)
            self.membership(t, f"stp-{code}-in-{region[-10:-1]}", stp, region,
                            f"{place} STP in its NHS region", _date(2016, 3, 1), None, src)
            self.event(t, "Designation", f"{place} STP designated an integrated care system",
                       _date(2018 + i % 4, 4, 1), src, renamed=stp)
            self.stps.append((stp, code, place, region))
        # A few STPs pair up into one ICB (44 STPs became 42 ICBs).
        pairs = len(self.stps) - round(len(self.stps) * 42 / 44)
        groups = [self.stps[2 * k:2 * k + 2] for k in range(pairs)]
        groups += [[s] for s in self.stps[2 * pairs:]]
        icb_of: dict[str, str] = {}
        for n, group in enumerate(groups, start=1):
            code = f"Q{_code36(n, 2)}"
            icb = _iri(f"icb/{code}")
            place = group[0][2]
            self.body(t, icb, "IntegratedCareBoard", "icb", f"NHS {place} Integrated Care Board", src)
            t.add(icb, _d("odsCode"), _plain(code))
            t.add(icb, _d("startDate"), _date(2022, 7, 1))
            t.add(icb, _d("hasFootprint"), _iri(f"footprint/{group[0][1]}"))
            t.add(icb, _d("inRegion"), group[0][3])
            self.event(t, "Evolution" if len(group) == 1 else "Merger",
                       f"{place} becomes an integrated care board", _date(2022, 7, 1), src,
                       original=tuple(g[0] for g in group), resulting=(icb,), framework=act)
            for g in group:
                icb_of[g[0]] = icb
                t.add(g[0], _d("endDate"), _date(2022, 6, 30))
            self.icbs.append(icb)
        # CCGs: the 2013 set, waves of mergers 2018-2021 down to about half, then replaced by
        # sub-ICB locations in July 2022.
        self.ccg_count = 0
        alive = [self._ccg(t, f"NHS {self.name('')}CCG",
                           self.stps[i * len(self.stps) // self.n["ccg"]][0], _date(2013, 4, 1), src)
                 for i in range(self.n["ccg"])]
        target = max(2, round(self.n["ccg"] * 106 / 211))
        for year in (2018, 2019, 2020, 2021):
            goal = len(alive) - round((len(alive) - target) / (2022 - year))
            for stp, *_rest in self.stps:
                ccgs = [c for c in alive if c[2] == stp]
                while len(alive) > goal and len(ccgs) >= 2:
                    k = min(len(ccgs), rng.choice((2, 2, 3, 4)), len(alive) - goal + 1)
                    parts, ccgs = ccgs[:k], ccgs[k:]
                    start = _date(year, 4, 1)
                    new = self._ccg(t, f"NHS {self.name('')}CCG", stp, start, src)
                    for c in parts:
                        t.add(c[0], _d("endDate"), _date(year, 3, 31))
                    self.event(t, "Merger", f"{len(parts)} CCGs merge into {new[1]}", start, src,
                               original=tuple(c[0] for c in parts), resulting=(new[0],))
                    alive = [a for a in alive if a not in parts] + [new]
        self.sicbls = []
        for ccg, code, stp in alive:
            t.add(ccg, _d("endDate"), _date(2022, 6, 30))
            s = _iri(f"sub-icb-location/{code}")
            icb = icb_of[stp]
            self.body(t, s, "SubICBLocation", "sub-icb-location", f"{self.name('')}sub-ICB location", src)
            t.add(s, _d("odsCode"), _plain(code))
            ons = f"E38{abs(hash_code(code)) % 1_000_000:06d}"
            t.add(s, _d("onsCode"), _plain(ons))
            t.add(s, _d("startDate"), _date(2022, 7, 1))
            t.add(s, f"<{ORG}subOrganizationOf>", icb)
            self.event(t, "Replacement", f"CCG {code} replaced by a sub-ICB location", _date(2022, 7, 1),
                       src, original=(ccg,), resulting=(s,), framework=act)
            self.sicbls.append((s, ccg, icb))
        # Local authorities, with a few unitary mergers.
        self.las = []
        for i in range(self.n["la"]):
            code = f"E{rng.choice(('06', '07', '08', '09'))}{i + 1:06d}"
            la = _iri(f"local-authority/{code}")
            stp, _c, place, _r = self.stps[i * len(self.stps) // self.n["la"]]
            self.body(t, la, "LocalAuthority", "local-authority", f"{rng.choice(_PLACES)} Council {i}", src)
            t.add(la, _d("onsCode"), _plain(code))
            t.add(la, f"<{SKOS}exactMatch>", f"<{STATGEO}{code}>")
            self.membership(t, f"la-{code}-in-{stp[-10:-1]}", la, stp, f"council {code} in {place} STP",
                            _date(2016, 3, 1), None, src)
            self.las.append((la, code, stp))
        for k in range(max(1, self.n["la"] // 30)):
            a, b = self.las[2 * k], self.las[2 * k + 1]
            code = f"E06{900000 + k:06d}"
            la = _iri(f"local-authority/{code}")
            self.body(t, la, "LocalAuthority", "local-authority", f"{rng.choice(_PLACES)} Unitary {k}", src)
            t.add(la, _d("onsCode"), _plain(code))
            t.add(la, _d("startDate"), _date(2019 + k % 5, 4, 1))
            self.event(t, "Merger", f"councils {a[1]} and {b[1]} form a unitary authority",
                       _date(2019 + k % 5, 4, 1), src, original=(a[0], b[0]), resulting=(la,))

    def _ccg(self, t: _Table, label: str, stp: str, start: str, src: str) -> tuple:
        code = _ods_ccg(self.ccg_count)
        self.ccg_count += 1
        c = _iri(f"ccg/{code}")
        self.body(t, c, "ClinicalCommissioningGroup", "ccg", label, src)
        t.add(c, _d("odsCode"), _plain(code))
        t.add(c, _d("onsCode"), _plain(f"E38{abs(hash_code(code)) % 1_000_000:06d}"))
        t.add(c, _d("startDate"), start)
        self.dated_code(t, c, code, start, None)
        self.membership(t, f"ccg-{code}-in-stp", c, stp, f"CCG {code} in its STP", start, None, src)
        return (c, code, stp)

    def providers(self, t: _Table) -> None:
        """NHS trusts and foundation trusts, with mergers (acquisitions) and renames."""
        src = _iri("dataset/synthetic-providers")
        rng = self.rng
        trusts = []
        kinds = (("NHSTrust", "nhs-trust"), ("NHSFoundationTrust", "nhs-foundation-trust"),
                 ("AmbulanceService", "ambulance-service"))
        for i in range(self.n["trust"]):
            code = f"R{_code36(i + 10, 3)}"
            cls, form = kinds[0] if i % 3 == 0 else kinds[1] if i % 11 else kinds[2]
            node = _iri(f"trust/{code}")
            name = f"{rng.choice(_PLACES)} {rng.choice(('Hospitals', 'Healthcare', 'Community'))} {i}"
            self.body(t, node, cls, form, f"{name} NHS Trust", src)
            t.add(node, _d("odsCode"), _plain(code))
            t.add(node, _d("startDate"), _date(1991 + i % 20, 4, 1))
            self.dated_name(t, node, f"{name} NHS Trust", _date(1991 + i % 20, 4, 1), None)
            stp = self.stps[i % len(self.stps)][0]
            self.membership(t, f"trust-{code}-in-stp", node, stp, f"trust {code} in its STP",
                            _date(2016, 3, 1), None, src)
            trusts.append(node)
        for k in range(max(1, self.n["trust"] // 8)):
            a, b = trusts[3 * k % len(trusts)], trusts[(3 * k + 1) % len(trusts)]
            if a == b:
                continue
            self.event(t, "Acquisition", "trust acquisition", _date(2014 + k % 9, 10, 1), src,
                       original=(b,), resulting=(a,))
        for k in range(max(1, self.n["trust"] // 6)):
            node = trusts[(5 * k + 2) % len(trusts)]
            self.event(t, "Renaming", "trust renamed", _date(2015 + k % 8, 6, 1), src, renamed=node)

    def primary_care(self, t: _Table) -> None:
        """PCNs (from July 2019) and GP practices with names, codes, memberships, list sizes, mergers."""
        src = _iri("dataset/synthetic-primary-care")
        rng = self.rng
        pcns = []
        for i in range(self.n["pcn"]):
            code = f"U{i + 10000:05d}"
            node = _iri(f"pcn/{code}")
            sicbl = self.sicbls[i * len(self.sicbls) // self.n["pcn"]]
            self.body(t, node, "PrimaryCareNetwork", "pcn", f"{self.name('')}PCN", src)
            t.add(node, _d("odsCode"), _plain(code))
            t.add(node, _d("startDate"), _date(2019, 7, 1))
            self.event(t, "Establishment", f"PCN {code} established", _date(2019, 7, 1), src,
                       resulting=(node,))
            self.membership(t, f"pcn-{code}-in-ccg", node, sicbl[1], f"PCN {code} in its CCG",
                            _date(2019, 7, 1), _date(2022, 6, 30), src)
            self.membership(t, f"pcn-{code}-in-sicbl", node, sicbl[0], f"PCN {code} in its sub-ICB location",
                            _date(2022, 7, 1), None, src)
            pcns.append((node, sicbl))
        practices = []
        for i in range(self.n["practice"]):
            code = f"{chr(65 + i % 26)}{i // 26 + 81000:05d}"
            node = _iri(f"practice/{code}")
            pcn, sicbl = pcns[i * len(pcns) // self.n["practice"]]
            name = f"{self.name('')}Surgery"
            opened = _date(1950 + rng.randrange(63), 1 + rng.randrange(12), 1 + rng.randrange(28))
            self.body(t, node, "GPPractice", "gp-practice", name, src)
            t.add(node, _d("odsCode"), _plain(code))
            t.add(node, _d("startDate"), opened)
            self.dated_name(t, node, name, opened, None)
            self.dated_code(t, node, code, opened, None)
            self.membership(t, f"practice-{code}-in-ccg", node, sicbl[1], f"practice {code} in its CCG",
                            _date(2013, 4, 1), _date(2022, 6, 30), src)
            self.membership(t, f"practice-{code}-in-sicbl", node, sicbl[0],
                            f"practice {code} in its sub-ICB location", _date(2022, 7, 1), None, src)
            self.membership(t, f"practice-{code}-in-pcn", node, pcn, f"practice {code} in its PCN",
                            _date(2019, 7, 1), None, src)
            size = 2000 + rng.randrange(14000)
            for year in range(2014, 2024, 2):
                f = _iri(f"finding/list-size-{code}-{year}")
                t.add(f, RDF_TYPE, _d("PopulationFigure"))
                t.add(f, LABEL, _lit(f"registered patients of {code} in {year}"))
                t.add(f, _d("about"), node)
                t.add(f, _d("value"), _typed(str(size), "integer"))
                t.add(f, _d("unit"), _plain("people"))
                t.add(f, _d("referencePeriod"), _typed(str(year), "gYear"))
                t.add(f, f"<{PROV}wasAttributedTo>", _iri("org/nhs-digital"))
                size = max(500, size + rng.randrange(-800, 1200))
            practices.append(node)
        t.add(_iri("org/nhs-digital"), RDF_TYPE, _d("ArmsLengthBody"))
        t.add(_iri("org/nhs-digital"), LABEL, _lit("NHS Digital"))
        # ~1,300 of 7,800 practices merge away over the decade: some into practices that later
        # merge again, so succession chains are several links long.
        survivors = list(practices)
        for k in range(round(self.n["practice"] / 6)):
            gone = survivors.pop(rng.randrange(len(survivors)))
            into = survivors[rng.randrange(len(survivors))]
            t.add(gone, _d("endDate"), _date(2013 + k * 10 // max(1, self.n["practice"] // 6), 3, 31))
            kind = "Merger" if k % 4 else "Acquisition"
            self.event(t, kind, "practice merger", _date(2013 + k * 10 // max(1, self.n["practice"] // 6),
                                                         4, 1), src, original=(gone,), resulting=(into,))
        # Denials: sources that say a body did *not* take over another.
        for k in range(max(1, self.n["practice"] // 500)):
            b = t.bnode()
            t.add(b, RDF_TYPE, f"<{OWL}NegativePropertyAssertion>")
            t.add(b, f"<{OWL}sourceIndividual>", pcns[k % len(pcns)][0])
            t.add(b, f"<{OWL}assertionProperty>", _d("replacedBy"))
            t.add(b, f"<{OWL}targetIndividual>", pcns[k % len(pcns)][1][0])
            t.add(b, _d("evidence"), _plain("PCNs do not replace sub-ICB locations"))

    def releases(self, t: _Table) -> None:
        """Quarterly releases of the reference tables, each superseding the one before."""
        src = _iri("dataset/synthetic-releases")
        prev = None
        for q in range(40):
            year, month = 2013 + q // 4, 1 + 3 * (q % 4)
            doc = _iri(f"document/synthetic-ods-release-{year}-{month:02d}")
            t.add(doc, RDF_TYPE, _d("Report"))
            t.add(doc, LABEL, _lit(f"Synthetic ODS release {year}-{month:02d}"))
            t.add(doc, f"<{DCT}issued>", _typed(f"{year}-{month:02d}", "gYearMonth"))
            t.add(doc, f"<{DCT}publisher>", _iri("org/nhs-digital"))
            t.add(doc, f"<{DCT}source>", src)
            if prev:
                t.add(prev, _d("replacedBy"), doc)
            prev = doc


def hash_code(text: str) -> int:
    """A stable (not salted) small hash of ``text``."""
    h = 0
    for ch in text:
        h = (h * 131 + ord(ch)) % 1_000_003
    return h


def _code36(n: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out


def _ods_ccg(i: int) -> str:
    return f"{i // 26 + 10:02d}{chr(65 + i % 26)}"


def scale_for(triples: int) -> float:
    """Return the scale factor that gives about ``triples`` triples."""
    return max(0.001, (triples - _FIXED) / TRIPLES_PER_SCALE)


def generate(folder: Path, triples: int = 100_000, *, seed: int = 8, scale: float | None = None,
             with_queries: bool = True) -> SyntheticReport:
    """Write a synthetic stpgraph project of about ``triples`` triples under ``folder``.

    The same ``seed`` and size always give byte-identical files. ``folder`` is emptied first.
    """
    fixed = scale is not None
    scale = scale if scale is not None else scale_for(triples)
    for _attempt in range(4):
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "data" / "reference").mkdir(parents=True)
        (folder / "data" / "seeds").mkdir()
        shutil.copytree(ROOT / "ontology", folder / "ontology")
        (folder / "queries").mkdir()
        if with_queries:
            for q in sorted((ROOT / "queries").glob("*.rq")):
                shutil.copy(q, folder / "queries" / q.name)
        gen = _Gen(folder, scale, seed)
        gen.run()
        report = SyntheticReport(root=folder, scale=scale, seed=seed, tables=dict(gen.tables))
        if fixed or abs(report.triples - triples) <= 0.03 * triples:
            break
        scale *= max(1, triples - _FIXED) / max(1, report.triples - _FIXED)
    return report


def main() -> None:
    """Command line: write one synthetic project."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args()
    report = generate(args.folder, args.triples, seed=args.seed)
    print(f"wrote {report.triples} triples at scale {report.scale:.3f} to {report.root}")


if __name__ == "__main__":
    main()
