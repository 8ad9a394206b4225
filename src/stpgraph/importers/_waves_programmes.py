"""Sections 1a and 1b of the waves file: new care models vanguards and integrated care pioneers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..namespace import STP
from ._base import (
    CCG,
    FINDING,
    FORM,
    ORG,
    TRUST,
    en,
    membership,
)
from ._markdown import MdRow, MdSection, keys_in
from ._waves_base import (
    _MON,
    NEW_MODELS_OF_CARE,
    PIONEER,
    PIONEER_PROGRAMME,
    SCHEME,
    VANGUARD,
    VANGUARD_COUNT,
    VANGUARD_LINKS,
    VANGUARD_TYPE,
    VANGUARD_TYPES,
    WAVE,
    _a,
    _Builder,
    _check_marks,
    _date_text,
    _one_table,
    _parse_date,
    slug,
)

# =================================================================================================
#  1a. Vanguards
# =================================================================================================


def _programme_wave(b: _Builder, stem: str, slug_: str, programme: URIRef, date: Literal,
                    label: str, description: str, sources: list[URIRef]) -> URIRef:
    """Add ``wave/<slug_>``: one wave of a programme's selections, into the ``stem`` graph."""
    wave = WAVE[slug_]
    g = b.out[stem].graph
    g.add((wave, RDF.type, STP.Wave))
    g.add((wave, RDFS.label, en(label)))
    g.add((wave, DCTERMS.description, en(description)))
    g.add((wave, DCTERMS.date, date))
    g.add((wave, STP.partOfProgramme, programme))
    b.fact(stem, wave, sources)
    return wave

_WAVE_DATES = re.compile(rf"\*\*(?P<wave>[0-9]+)\*\* = (?P<date>[0-9]{{1,2}} {_MON} [0-9]{{4}})"
                         r"[^\[*]*\[(?P<keys>[^\]]+)\]")
_SEEN_FOR = re.compile(r"seen for (?P<numbers>[0-9][0-9,\s–-]*[0-9]);")
_WAVE_ONE = re.compile(r"Wave (?P<wave>[0-9]+) = (?P<parts>[0-9]+ [A-Z]+(?: \+ [0-9]+ [A-Z]+)*) "
                       r"\[[^\]]+\]; total (?P<total>[0-9]+)")
_QUOTED = re.compile(r"\"([^\"]+)\"")
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")


def _numbers(text: str) -> set[int]:
    """'1, 10, 24–29' -> {1, 10, 24, …, 29}.

    >>> sorted(_numbers("1, 24–26"))
    [1, 24, 25, 26]
    """
    found: set[int] = set()
    for part in re.split(r",\s*", text.strip()):
        bounds = re.split(r"\s*[–-]\s*", part)
        found.update(range(int(bounds[0]), int(bounds[-1]) + 1))
    return found


@dataclass(frozen=True)
class VanguardRow:
    """A vanguard as the table gives it."""

    row: MdRow
    number: int
    label: str
    alt_labels: tuple[str, ...]
    type: str
    wave: int
    keys: str

    @property
    def slug(self) -> str:
        """The slug of its IRI: the name before any parenthesis."""
        return slug(self.label.split(" (")[0])


def _names(row: MdRow, cell: str) -> tuple[str, tuple[str, ...]]:
    """The label and name variants in a vanguard's name cell.

    The label is the name as on the NHS England page; variants are the part before a
    parenthesis, acronyms in parentheses, names in quotes and names after 'also' or 'later:'.
    """
    main, _sep, also = cell.partition("; also ")
    alts: list[str] = []
    for quoted in _QUOTED.findall(main):
        alts.append(quoted)
    main = re.sub(r"\s*\(\"[^\"]+\"[^)]*\)", "", main)
    later = re.search(r"\s*\(later: ([^)]+)\)", main)
    if later:
        alts.append(later.group(1))
        main = main[: later.start()] + main[later.end():]
    label = main.strip()
    if not label:
        raise row.error("the vanguard has no name")
    for name in [label, *_QUOTED.findall(also)]:
        if name != label:
            alts.append(name)
        short = name.split(" (")[0]
        if short != name:
            alts.append(short)
        alts.extend(_ACRONYM.findall(name))
    unique = tuple(dict.fromkeys(a for a in alts if a != label))
    return label, unique


def parse_vanguards(section: MdSection) -> tuple[list[VanguardRow], dict[int, tuple[Literal, str]],
                                                 set[int], dict[str, int], int]:
    """Read section 1a: the rows, the wave dates (with their source keys), the numbers the file
    confirms, the stated type counts of wave 1 and the stated total."""
    waves: dict[int, tuple[Literal, str]] = {}
    text = "\n".join(t for _n, t in section.prose)
    for m in _WAVE_DATES.finditer(text):
        _m, line = section.find(re.compile(re.escape(m.group(0))), "a wave date")
        waves[int(m["wave"])] = (_parse_date(MdRow(section.path, line, ()), m["date"]), m["keys"])
    if not waves:
        raise section.error("section 1a gives no wave dates ('**1** = 10 Mar 2015 … [V6]')")
    seen, _line = section.find(_SEEN_FOR, "which vanguard numbers are confirmed ('seen for …;')")
    confirmed = _numbers(seen["numbers"])
    one, _line = section.find(_WAVE_ONE, "the types of wave 1 ('Wave 1 = 14 MCP + …; total 50')")
    stated = {p.split()[1]: int(p.split()[0]) for p in one["parts"].split(" + ")}
    total = int(one["total"])

    table = _one_table(section, "1a", ("No.", "Vanguard", "Type", "Wave", "Source"))
    rows: list[VanguardRow] = []
    numbers: dict[int, int] = {}
    for r in table.rows:
        number_text, name, type_, wave_text, keys = r.cells
        if not number_text.isdigit():
            raise r.error(f"'No.' should be a whole number, found {number_text!r}")
        number = int(number_text)
        if number in numbers:
            raise r.error(f"vanguard number {number} is also used on line {numbers[number]}")
        numbers[number] = r.line
        if type_ not in VANGUARD_TYPES:
            raise r.error(f"unknown vanguard type {type_!r}; known: {', '.join(VANGUARD_TYPES)}")
        if not wave_text.isdigit() or int(wave_text) not in waves:
            raise r.error(f"wave {wave_text!r} has no date in the section's text")
        for cell in r.cells:
            _check_marks(r, cell)
        label, alts = _names(r, name)
        rows.append(VanguardRow(r, number, label, alts, type_, int(wave_text), keys))
    slugs: dict[str, int] = {}
    for v in rows:
        if v.slug in slugs:
            raise v.row.error(f"vanguard {v.label!r} would have the same IRI as the one on line "
                              f"{slugs[v.slug]}")
        slugs[v.slug] = v.row.line
    wave_one = [v for v in rows if v.wave == min(waves)]
    counted = {t: sum(1 for v in wave_one if v.type == t) for t in stated}
    if counted != stated or sum(stated.values()) != len(wave_one):
        raise section.error(f"the text says wave {min(waves)} is {one['parts']}, but the table has "
                            f"{len(wave_one)} rows: {counted}")
    if len(rows) != total:
        raise section.error(f"the text says {total} vanguards in total, the table has {len(rows)}")
    return rows, waves, confirmed, stated, total



def build_vanguards(b: _Builder, section: MdSection) -> dict[str, int]:
    """The vanguards, their types, waves and links, into the ``vanguards`` graph."""
    rows, waves, confirmed, _stated, _total = parse_vanguards(section)
    out = b.out["vanguards"]
    g = out.graph
    scheme = SCHEME["vanguard-types"]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, RDFS.label, en("vanguard types")))
    g.add((scheme, SKOS.prefLabel, en("vanguard types")))
    g.add((scheme, SKOS.definition, en(
        "The five care models that the New Models of Care programme's vanguards tested.")))
    for code, (label, definition) in VANGUARD_TYPES.items():
        concept = VANGUARD_TYPE[code]
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, concept))
        g.add((concept, RDFS.label, en(label)))
        g.add((concept, SKOS.prefLabel, en(label)))
        g.add((concept, SKOS.altLabel, en(code)))
        g.add((concept, SKOS.notation, Literal(code)))
        g.add((concept, SKOS.definition, en(definition)))
        g.add((concept, SKOS.broader, FORM["new-care-model"]))
        common = set.intersection(*[set(keys_in(v.keys)) for v in rows if v.type == code] or [set()])
        for s in b.source_iris(section, " ".join(sorted(common)), "vanguards"):
            g.add((concept, DCTERMS.source, s))

    wave_nodes = {}
    for number, (date, keys) in sorted(waves.items()):
        members = [v for v in rows if v.wave == number]
        types = sorted({v.type for v in members}, key=list(VANGUARD_TYPES).index)
        wave_nodes[number] = _programme_wave(
            b, "vanguards", f"new-care-models-vanguards-{number}", NEW_MODELS_OF_CARE, date,
            f"New care models vanguards, wave {number} ({_date_text(date)})",
            f"NHS England's selection of {len(members)} vanguards of type {', '.join(types)} on "
            f"{_date_text(date)}.", b.source_iris(section, keys, "vanguards"))

    for v in rows:
        node = VANGUARD[v.slug]
        g.add((node, RDF.type, STP.Vanguard))
        g.add((node, ORG.classification, FORM.vanguard))
        g.add((node, ORG.classification, VANGUARD_TYPE[v.type]))
        g.add((node, RDFS.label, en(v.label)))
        for alt in v.alt_labels:
            g.add((node, SKOS.altLabel, en(alt)))
        date = waves[v.wave][0]
        g.add((node, DCTERMS.description, en(
            f"{_a(VANGUARD_TYPES[v.type][0])} ({v.type}) vanguard of the New Models of Care "
            f"programme, selected in wave {v.wave} on {_date_text(date)}.")))
        g.add((node, STP.partOfProgramme, NEW_MODELS_OF_CARE))
        g.add((wave_nodes[v.wave], STP.designates, node))
        g.add((VANGUARD_COUNT, STP.counts, node))
        b.fact("vanguards", node, b.source_iris(v.row, v.keys, "vanguards"))
        number = BNode()
        g.add((node, STP.hasDatedCode, number))
        g.add((number, RDF.type, STP.DatedCode))
        g.add((number, RDFS.label, en(f"vanguard number {v.number} (NHS England's running "
                                      f"number)")))
        g.add((number, SKOS.notation, Literal(str(v.number))))
        if v.number in confirmed:
            b.fact("vanguards", number, b.source_iris(v.row, v.keys, "vanguards"))
        else:
            g.add((number, DCTERMS.description, en(
                "Not seen at a source: the number follows the order of NHS England's pages.")))
            b.fact("vanguards", number, [], "inferred")
        for kind, code, body_name, certainty, why in VANGUARD_LINKS.get(v.number, []):
            body = (CCG if kind == "ccg" else TRUST)[code]
            m = membership(g, body, f"{kind}-{code}", node, f"vanguard-{v.slug}",
                           f"{body_name} in the {v.label} vanguard", description=why)
            b.fact("vanguards", m, b.source_iris(v.row, v.keys, "vanguards"), certainty)
    return {f"vanguards wave {n}": sum(1 for v in rows if v.wave == n) for n in sorted(waves)} | {
        f"vanguards {t}": sum(1 for v in rows if v.type == t) for t in VANGUARD_TYPES}


# =================================================================================================
#  1b. Integrated care pioneers
# =================================================================================================

_PIONEER_WAVE = re.compile(r"^(?P<wave>[0-9]+) \((?P<count>[0-9]+)\)$")
_SHORT_NAMES = re.compile(r"shortens (?P<n>[a-z]+|[0-9]+) wave-(?P<wave>[0-9]+) names? to "
                          r"(?P<names>.+?) \[(?P<keys>[^\]]+)\]")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_TOTAL = re.compile(r"Total (?P<total>[0-9]+) \[(?P<keys>[^\]]+)\]")


def build_pioneers(b: _Builder, section: MdSection) -> dict[str, int]:
    """The integrated care pioneers and their waves, into the ``pioneers`` graph."""
    g = b.out["pioneers"].graph
    table = _one_table(section, "1b", ("Wave", "Date", "Areas", "Source"))
    g.add((PIONEER_PROGRAMME, RDF.type, STP.Programme))
    g.add((PIONEER_PROGRAMME, RDFS.label, en("Integrated Care and Support Pioneers programme")))
    g.add((PIONEER_PROGRAMME, DCTERMS.description, en(
        "The national programme that chose local areas, in two waves (2013 and 2015), to pioneer "
        "joined-up health and social care before the vanguards.")))
    pioneers: dict[str, tuple[URIRef, int, str]] = {}
    counts: dict[str, int] = {}
    for r in table.rows:
        wave_text, date_text, areas_text, keys = r.cells
        m = _PIONEER_WAVE.match(wave_text)
        if m is None:
            raise r.error(f"the wave should read like '1 (14)', found {wave_text!r}")
        _check_marks(r, date_text, [r"\(exact day \[unverified\]\)"])
        for cell in (wave_text, areas_text, keys):
            _check_marks(r, cell)
        number, expected = int(m["wave"]), int(m["count"])
        date = _parse_date(r, date_text)
        areas = [a.strip() for a in areas_text.split(";")]
        if len(areas) != expected or any(not a for a in areas):
            raise r.error(f"wave {number} should list {expected} areas, found {len(areas)}")
        date_keys, list_keys = _split_keys(r, keys)
        wave = _programme_wave(
            b, "pioneers", f"integrated-care-pioneers-{number}", PIONEER_PROGRAMME, date,
            f"Integrated care pioneers, wave {number} ({_date_text(date)})",
            f"The {expected} areas chosen as integrated care and support pioneers in "
            f"{_date_text(date)}.", b.source_iris(r, date_keys + " " + list_keys, "pioneers"))
        for area in areas:
            node = PIONEER[slug(area)]
            if slug(area) in pioneers:
                raise r.error(f"pioneer {area!r} is also listed on line {pioneers[slug(area)][1]}")
            pioneers[slug(area)] = (node, r.line, area)
            g.add((node, RDF.type, STP.IntegratedCarePioneer))
            g.add((node, ORG.classification, FORM.pioneer))
            g.add((node, RDFS.label, en(area)))
            g.add((node, DCTERMS.description, en(
                f"An area chosen as an integrated care and support pioneer in wave {number} "
                f"({_date_text(date)}).")))
            g.add((node, STP.partOfProgramme, PIONEER_PROGRAMME))
            g.add((wave, STP.designates, node))
            b.fact("pioneers", node, b.source_iris(r, list_keys, "pioneers"))
        counts[f"pioneers wave {number}"] = len(areas)

    text = "\n".join(t for _n, t in section.prose)
    if "shortens" in text and not _SHORT_NAMES.search(text):
        raise section.error("cannot read the short names ('shortens two wave-1 names to \"A\" "
                            "and \"B\" [KEY]')")
    for m in _SHORT_NAMES.finditer(text):
        stated = _NUMBER_WORDS.get(m["n"], int(m["n"]) if m["n"].isdigit() else -1)
        if stated != len(_QUOTED.findall(m["names"])):
            raise section.error(f"the text says {m['n']} short names but quotes "
                                f"{len(_QUOTED.findall(m['names']))}")
        wave_areas = {a for _s, (n, _l, a) in pioneers.items()
                      if (WAVE[f"integrated-care-pioneers-{m['wave']}"], STP.designates, n) in g}
        for short in _QUOTED.findall(m["names"]):
            matches = [a for a in wave_areas if short in a]
            if len(matches) != 1:
                raise section.error(f"short name {short!r} should match one wave-{m['wave']} "
                                    f"pioneer, matches {matches}")
            node = pioneers[slug(matches[0])][0]
            g.add((node, SKOS.altLabel, en(short)))
            for s in b.source_iris(section, m["keys"], "pioneers"):
                g.add((node, DCTERMS.source, s))
    total, _line = section.find(_TOTAL, "the total number of pioneers ('Total 25 [P6]')")
    if int(total["total"]) != len(pioneers):
        raise section.error(f"the text says {total['total']} pioneers, the table lists "
                            f"{len(pioneers)}")
    count = FINDING["count-integrated-care-pioneers"]
    g.add((count, RDF.type, STP.Count))
    g.add((count, RDFS.label, en(f"{len(pioneers)} integrated care pioneers")))
    g.add((count, DCTERMS.description, en(
        "The number of areas chosen as integrated care and support pioneers over both waves.")))
    g.add((count, STP.countOf, FORM.pioneer))
    g.add((count, STP.value, Literal(len(pioneers), datatype=XSD.integer)))
    g.add((count, STP.unit, Literal("areas")))
    g.add((count, STP.about, PIONEER_PROGRAMME))
    for node, _line, _area in pioneers.values():
        g.add((count, STP.counts, node))
    b.fact("pioneers", count, b.source_iris(section, total["keys"], "pioneers"))
    return counts


def _split_keys(row: MdRow, text: str) -> tuple[str, str]:
    """'P2,P3 (date); P4,P7 (list)' -> ('P2,P3', 'P4,P7'); plain keys serve both."""
    date_keys = list_keys = text
    for part in text.split(";"):
        m = re.match(r"^\s*(?P<keys>[^()]+?)\s*\((?P<what>date|list)\)\s*$", part)
        if m is None:
            if ";" in text:
                raise row.error(f"expected 'KEYS (date); KEYS (list)', found {text!r}")
            continue
        if m["what"] == "date":
            date_keys = m["keys"]
        else:
            list_keys = m["keys"]
    return date_keys, list_keys


