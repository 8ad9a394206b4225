"""Programmes and waves (issue 10): the Markdown importer, and what its graphs answer.

The importer is tested on ``tests/fixtures/waves/mini.md`` (a small file with the real file's
shape) and on broken copies of it. The shipped graph is tested through the saved queries:
vanguards 50 = 14 + 9 + 6 + 8 + 13, pioneers 25 = 14 + 11, ICS cohort totals 8 (+2), 14, 14, 18,
29, 42, and ICBs 42 on 2 July 2022 and 36 on 2 April 2026, plus named cases and certainty.
Nothing here reads ../shared: only data/reference/ and tests/fixtures/.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from reference_support import GRAPH, ID, ORG, QUERIES, REFERENCE, load_set

from stpgraph.catalogue import get
from stpgraph.engines import LocalEngine
from stpgraph.importers import _markdown, _waves_base, _waves_programmes
from stpgraph.importers._base import ReferenceTableError
from stpgraph.importers._facts import body_code
from stpgraph.importers.markdown_waves import SETS, STP21, VANGUARD_LINKS, import_waves
from stpgraph.namespace import STP
from stpgraph.results import plain

FIXTURE = Path(__file__).parent / "fixtures" / "waves" / "mini.md"
CERTAIN = ID["certainty/confirmed"]
INFERRED = ID["certainty/inferred"]


def _run(engine: LocalEngine, name: str, **params: str) -> list[dict[str, str]]:
    query = get(QUERIES, name)
    results = engine.query(query.bind(params), label=name)
    return [{k: plain(v) for k, v in row.items()} for row in results.records()]


# =================================================================================================
#  The importer, on the fixture
# =================================================================================================


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("waves")
    counts = import_waves(FIXTURE, out)
    assert set(counts) == set(SETS) and all(n > 0 for n in counts.values())
    return out


def test_fixture_writes_one_graph_per_set_with_provenance(mini: Path) -> None:
    assert sorted(p.name for p in mini.iterdir()) == sorted(f"{s}.ttl" for s in SETS)
    for stem in SETS:
        g = load_set(mini, stem)
        dataset = ID[f"dataset/{stem}"]
        assert (GRAPH[stem], PROV.wasDerivedFrom, dataset) in g
        assert (dataset, DCTERMS.identifier, Literal(stem)) in g
        cited = set(g.objects(dataset, DCTERMS.source))
        assert cited, stem
        used = {o for s, o in g.subject_objects(DCTERMS.source) if s != dataset}
        assert used <= cited and used, stem


def test_fixture_import_is_deterministic(mini: Path, tmp_path: Path) -> None:
    import_waves(FIXTURE, tmp_path)
    for stem in SETS:
        assert (tmp_path / f"{stem}.ttl").read_text() == (mini / f"{stem}.ttl").read_text()


def test_fixture_sources_are_the_addresses_the_file_gives(mini: Path) -> None:
    g = load_set(mini, "vanguards")
    assert (ID["vanguard/alpha-partners"], DCTERMS.source,
            URIRef("https://england.nhs.uk/first/page/")) in g
    icbs = load_set(mini, "icbs-2026")
    repo_file = URIRef("https://github.com/owner/repo/blob/"
                       "0123456789abcdef0123456789abcdef01234567/docs/history.md")
    assert (ID["event/icb-split-2026-04-01-QNQ"], DCTERMS.source, repo_file) in icbs


def test_fixture_vanguards_names_numbers_and_certainty(mini: Path) -> None:
    g = load_set(mini, "vanguards")
    alpha, beta, gamma = (ID[f"vanguard/{s}"] for s in ("alpha-partners", "beta-network",
                                                        "gamma-care"))
    assert set(g.objects(alpha, RDFS.label)) == {Literal("Alpha Partners (Somewhere)", lang="en")}
    assert Literal("Alpha Partners", lang="en") in set(g.objects(alpha, SKOS.altLabel))
    assert set(g.objects(beta, RDFS.label)) == {Literal("Beta Network", lang="en")}
    assert Literal("Beta SRG", lang="en") in set(g.objects(beta, SKOS.altLabel))
    assert {str(x) for x in g.objects(gamma, SKOS.altLabel)} >= {"Gamma Group (GG)", "GG"}
    assert (gamma, ORG.classification, ID["vanguard-type/UEC"]) in g
    assert (ID["wave/new-care-models-vanguards-2"], STP.designates, gamma) in g
    numbers = {}
    for v in (alpha, beta, gamma):
        (node,) = g.objects(v, STP.hasDatedCode)
        numbers[str(g.value(node, SKOS.notation))] = g.value(node, STP.certainty)
    # "seen for 1, 3": number 2 only follows page order.
    assert numbers == {"1": CERTAIN, "2": INFERRED, "3": CERTAIN}


def test_fixture_pioneers_keep_month_when_day_is_unverified(mini: Path) -> None:
    g = load_set(mini, "pioneers")
    assert g.value(ID["wave/integrated-care-pioneers-2"], DCTERMS.date) == Literal(
        "2015-01", datatype=XSD.gYearMonth)
    assert (ID["pioneer/north-thing"], SKOS.altLabel, Literal("Thing", lang="en")) in g
    count = ID["finding/count-integrated-care-pioneers"]
    assert g.value(count, STP.value).toPython() == 3
    assert len(set(g.objects(count, STP.counts))) == 3


def test_fixture_cohorts_inferred_member_absorption_and_renaming(mini: Path) -> None:
    g = load_set(mini, "ics-cohorts")
    bs = ID["event/ics-designation-2020-12-QHL"]
    dorset = ID["event/ics-designation-2020-12-QVV"]
    assert g.value(bs, STP.certainty) == INFERRED
    assert g.value(dorset, STP.certainty) == CERTAIN
    # The inferred member cites only the source that names it; the others not that one.
    assert set(g.objects(bs, DCTERMS.source)) == {URIRef("https://blog.example.org/post")}
    assert URIRef("https://blog.example.org/post") not in set(g.objects(dorset, DCTERMS.source))
    assert g.value(bs, DCTERMS.date) == Literal("2020-12-08", datatype=XSD.date)
    assert g.value(bs, STP.startDate) == Literal("2021-04-01", datatype=XSD.date)
    # A system inside an STP is its own body, absorbed when the whole footprint is designated.
    berks = ID["ics/berkshire-west"]
    assert (berks, ORG.subOrganizationOf, ID[f"stp/{STP21['QU9'][0]}"]) in g
    absorbed = ID["event/ics-absorbed-2019-06-berkshire-west"]
    assert (absorbed, RDF.type, STP.Acquisition) in g
    assert (absorbed, ORG.resultingOrganization, ID[f"stp/{STP21['QU9'][0]}"]) in g
    renaming = ID["event/acs-renamed-ics-2018-02"]
    assert len(set(g.objects(renaming, STP.renamedBody))) == 3  # 2 shadow ACSs + 1 devolution


def test_fixture_icb_successions(mini: Path) -> None:
    g = load_set(mini, "icbs-2026")
    day = Literal("2026-04-01", datatype=XSD.date)
    assert g.value(ID["icb/S0E4D"], STP.startDate) == day
    ends = {s for s in g.subjects(STP.endDate, Literal("2026-03-31", datatype=XSD.date))}
    assert ends == {ID["icb/QU9"], ID["icb/QNQ"]}
    split = ID["event/icb-split-2026-04-01-QNQ"]
    assert set(g.objects(split, ORG.resultingOrganization)) == {ID["icb/S0E4D"], ID["icb/QRL"]}
    merger = ID["event/icb-merger-2026-04-01-S0E4D"]
    assert set(g.objects(merger, ORG.originalOrganization)) == {ID["icb/QU9"], ID["icb/QNQ"]}
    # Only a successor the written statement names gets it as formal framework.
    assert g.value(merger, STP.hasFormalFramework) == ID["document/hcws915"]
    acquisition = ID["event/icb-acquisition-2026-04-01-QRL"]
    assert g.value(acquisition, STP.hasFormalFramework) is None
    count = ID["finding/count-icbs-2026-04"]
    assert g.value(count, STP.value).toPython() == 41
    assert g.value(count, STP.certainty) == INFERRED
    # The Variation Order's content is unverified: the document is there, no change is.
    variation = ID["document/icbs-establishment-variation-order-2023"]
    assert (variation, RDF.type, STP.Legislation) in g
    assert not set(g.subjects(STP.hasFormalFramework, variation))


_MINI = FIXTURE.read_text()

BROKEN = [
    ("missing-cell", '| 2 | Beta Network ("Beta SRG" in press) | MCP | 1 | V1 |',
     "| 2 | Beta Network | MCP | 1 |", "has 4 cells but the table's header has 5",
     "| 2 | Beta Network | MCP | 1 |"),
    ("unknown-type", '| Gamma Care; also "Gamma Group (GG)" | UEC |',
     '| Gamma Care; also "Gamma Group (GG)" | XYZ |', "unknown vanguard type 'XYZ'", "| XYZ |"),
    ("unknown-source", "| Third Town | P1 |", "| Third Town | P9 |",
     "source key P9 is not in the file's source list", "| Third Town | P9 |"),
    ("duplicate-number", "| 3 | Gamma Care", "| 1 | Gamma Care", "vanguard number 1 is also used",
     "| 1 | Gamma Care"),
    ("wrong-total", "| Gloucestershire → QR1 | 4 | I1 |", "| Gloucestershire → QR1 | 5 | I1 |",
     "after this cohort the file's rows give 4 systems, but its total is 5",
     "| Gloucestershire → QR1 | 5 | I1 |"),
    ("unhandled-mark", "| Gloucestershire → QR1 |", "| Gloucestershire → QR1 [unverified] |",
     "certainty mark [unverified] is not one this importer knows", "Gloucestershire → QR1 ["),
    ("unknown-code", "Dorset → QVV", "Dorset → QZZ", "QZZ is not an STP21 ODS code",
     "Dorset → QZZ"),
    ("succession-summary", "2 close, 1 new → 41 ICBs", "3 close, 1 new → 40 ICBs",
     "the row says 3 close and 1 new", "3 close, 1 new"),
    ("wave-one-types", "Wave 1 = 1 MCP + 1 PACS", "Wave 1 = 2 MCP + 1 PACS",
     "the text says wave 1 is 2 MCP + 1 PACS", "## 1a."),
]


@pytest.mark.parametrize(("old", "new", "message", "line_of"),
                         [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_file_names_file_and_line_and_writes_nothing(
        tmp_path: Path, old: str, new: str, message: str, line_of: str) -> None:
    assert old in _MINI
    text = _MINI.replace(old, new, 1)
    bad = tmp_path / "bad.md"
    bad.write_text(text)
    out = tmp_path / "out"
    out.mkdir()
    (out / "vanguards.ttl").write_text("old content\n")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if line_of in t)
    with pytest.raises(ReferenceTableError) as info:
        import_waves(bad, out)
    assert str(info.value).startswith(f"bad.md:{line}: ")
    assert message in str(info.value)
    assert sorted(p.name for p in out.iterdir()) == ["vanguards.ttl"]
    assert (out / "vanguards.ttl").read_text() == "old content\n"


@pytest.mark.parametrize("module", [_markdown, _waves_base, _waves_programmes],
                         ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ReferenceTableError, match=r"^missing\.md: cannot read the file"):
        import_waves(tmp_path / "missing.md", tmp_path)


# =================================================================================================
#  The shipped Turtle, against the other reference sets
# =================================================================================================


def test_stp21_table_matches_the_reference_layer() -> None:
    g = load_set(REFERENCE, "ccg-stp-2021")
    found = {str(code): s for s, code in g.subject_objects(STP.odsCode)
             if (s, RDF.type, STP.SustainabilityAndTransformationPartnership) in g}
    assert set(found) == set(STP21)
    for ods, (ons, _name) in STP21.items():
        assert found[ods] == ID[f"stp/{body_code(ons)}"], ods


def test_vanguard_links_point_at_bodies_of_the_reference_layer() -> None:
    g = Graph()
    for path in sorted(REFERENCE.glob("*.ttl")):
        if path.stem not in SETS:
            g.parse(path, format="turtle")
    for _number, links in VANGUARD_LINKS.items():
        for kind, code, name, certainty, _why in links:
            body = ID[f"{kind}/{code}"]
            assert Literal(name, lang="en") in set(g.objects(body, RDFS.label)), (kind, code)
            assert certainty in ("confirmed", "inferred")


def test_shipped_files_are_the_four_sets() -> None:
    for stem in SETS:
        text = (REFERENCE / f"{stem}.ttl").read_text()
        assert text.startswith(f"# stpgraph reference layer: named graph <{GRAPH[stem]}>.")


# =================================================================================================
#  The built graph, through the saved queries
# =================================================================================================


def test_vanguards_by_type_and_wave(engine: LocalEngine) -> None:
    rows = _run(engine, "vanguards-by-type-and-wave")
    by = {(r["date"], r["code"]): int(r["vanguards"]) for r in rows}
    assert by == {("2015-03-10", "MCP"): 14, ("2015-03-10", "PACS"): 9,
                  ("2015-03-10", "EHCH"): 6, ("2015-07-24", "UEC"): 8,
                  ("2015-09-25", "ACC"): 13}
    assert sum(by.values()) == 50
    # Numbers seen at a source: 1, 10, 24-29, 30, 38-39 (11); the other 39 are inferred.
    assert sum(int(r["numbersInferred"]) for r in rows) == 39
    only = _run(engine, "vanguards-by-type-and-wave", type=str(ID["vanguard-type/ACC"]))
    assert len(only) == 1 and "Royal Free London" in only[0]["names"]


def test_vanguards_are_counted_by_the_seed_finding(engine: LocalEngine) -> None:
    rows = _run(engine, "vanguards-by-type-and-wave")
    q = """PREFIX stp: <https://w3id.org/stpgraph/def/>
    SELECT (COUNT(DISTINCT ?v) AS ?n) (SAMPLE(?value) AS ?stated) WHERE {
      <https://w3id.org/stpgraph/id/finding/count-vanguard-sites> stp:counts ?v ; stp:value ?value .
      ?v a stp:Vanguard }"""
    (row,) = engine.query(q).records()
    assert int(plain(row["n"])) == int(plain(row["stated"])) == 50 == sum(
        int(r["vanguards"]) for r in rows)


def test_pioneers_in_two_waves(engine: LocalEngine) -> None:
    q = """PREFIX stp: <https://w3id.org/stpgraph/def/> PREFIX dct: <http://purl.org/dc/terms/>
    SELECT ?date (COUNT(DISTINCT ?p) AS ?n) WHERE {
      ?wave a stp:Wave ;
            stp:partOfProgramme
              <https://w3id.org/stpgraph/id/programme/integrated-care-and-support-pioneers> ;
            dct:date ?date ; stp:designates ?p . ?p a stp:IntegratedCarePioneer }
    GROUP BY ?date ORDER BY ?date"""
    rows = [(plain(r["date"]), int(plain(r["n"]))) for r in engine.query(q).records()]
    assert rows == [("2013-11-01", 14), ("2015-01", 11)]


@pytest.mark.parametrize(("date", "expected"), [
    ("2017-05-31", 0), ("2017-06-30", 10), ("2018-05-31", 14), ("2018-09-01", 14),
    ("2019-06-30", 14), ("2020-05-31", 18), ("2020-12-31", 29), ("2021-04-01", 42),
    ("2022-06-30", 42), ("2019", 14), ("2020-12", 29),
])
def test_icss_on_date_gives_the_cohort_totals(engine: LocalEngine, date: str,
                                              expected: int) -> None:
    (row,) = _run(engine, "icss-on-date", date=date)
    assert int(row["icss"]) == expected


def test_icss_on_date_default_and_uncertain_counts(engine: LocalEngine) -> None:
    (default,) = _run(engine, "icss-on-date")
    assert default["date"] == "2018-05-31" and int(default["icss"]) == 14
    (row,) = _run(engine, "icss-on-date", date="2020-12-31")
    # Lancashire and South Cumbria (2019) and B&S, Derbyshire, HIOW (December 2020) are inferred.
    assert int(row["notConfirmed"]) == 4


def test_icss_agree_with_the_bma_count_of_14(engine: LocalEngine) -> None:
    q = """PREFIX stp: <https://w3id.org/stpgraph/def/>
    SELECT ?v WHERE { <https://w3id.org/stpgraph/id/finding/bma-count-icss> stp:value ?v }"""
    (row,) = engine.query(q).records()
    stated = int(plain(row["v"]))
    # The page was written between the May 2018 cohort and the May 2020 one; every day in
    # between has the same count.
    for date in ("2018-05-31", "2019-01-01", "2019-12-31", "2020-04-30"):
        (counted,) = _run(engine, "icss-on-date", date=date)
        assert int(counted["icss"]) == stated == 14


@pytest.mark.parametrize(("date", "expected"), [
    ("2022-06-30", 0), ("2022-07-02", 42), ("2026-03-31", 42), ("2026-04-02", 36),
    ("2026-11-30", 36),
])
def test_icbs_on_date(engine: LocalEngine, date: str, expected: int) -> None:
    rows = _run(engine, "icbs-on-date", date=date)
    assert len(rows) == expected
    assert len({r["icb"] for r in rows}) == expected


def test_icbs_of_april_2026_are_the_named_successors(engine: LocalEngine) -> None:
    codes = {r["code"] for r in _run(engine, "icbs-on-date", date="2026-04-02")}
    assert {"S1Y5D", "D7T5G", "T6Y0W", "S0E4D", "S9B9J", "Z9B2Z", "QRL", "QHM", "QE1"} <= codes
    assert not codes & {"QNQ", "QM7", "QJG", "QU9", "QMJ", "QRV", "QHG", "QUE", "QH8"}


def test_footprint_ics_designation_named_cases(engine: LocalEngine) -> None:
    wy = _run(engine, "footprint-ics-designation", footprint="footprint:E54000054")
    assert [(r["date"], r["scope"], r["certainty"]) for r in wy] == [
        ("2018-05", "whole", "confirmed")]
    bob = _run(engine, "footprint-ics-designation", footprint="stpbody:E54000044")
    assert sorted((r["date"], r["scope"]) for r in bob) == [
        ("2017-06", "part"), ("2017-06", "part"), ("2019-06", "whole")]
    lsc = _run(engine, "footprint-ics-designation", footprint="footprint:E54000048")
    assert {(r["date"], r["certainty"]) for r in lsc} == {("2017-06", "confirmed"),
                                                          ("2019-06", "inferred")}
    bs = _run(engine, "footprint-ics-designation", footprint="footprint:E54000017")
    assert [(r["date"], r["effective"], r["certainty"]) for r in bs] == [
        ("2020-12-08", "2021-04-01", "inferred")]
    everything = _run(engine, "footprint-ics-designation")
    assert len(everything) == 46  # 42 whole footprints, E54000047 and 3 smaller systems


def test_footprint_to_2026_icb_chains(engine: LocalEngine) -> None:
    def short(iri: str) -> str:
        return iri.removeprefix(str(ID))

    frimley = _run(engine, "footprint-to-2026-icb", footprint="footprint:E54000034")
    assert {short(r["icb"]) for r in frimley} == {"icb/S0E4D", "icb/S9B9J", "icb/QRL"}
    assert {short(r["step"]) for r in frimley} == {"stp/E54000034", "icb/QNQ", "icb/S0E4D",
                                                   "icb/S9B9J", "icb/QRL"}
    durham = _run(engine, "footprint-to-2026-icb", footprint="stpbody:E54000045")
    assert [short(r["step"]) for r in durham] == ["stp/E54000045", "stp/E54000049", "icb/QHM"]
    before = _run(engine, "footprint-to-2026-icb", footprint="footprint:E54000034",
                  date="2023-01-01")
    assert {short(r["icb"]) for r in before} == {"icb/QNQ"}


# =================================================================================================
#  Certainty is data
# =================================================================================================

_FACT_CLASSES = (STP.ChangeEvent, STP.Wave, STP.Vanguard, STP.IntegratedCarePioneer,
                 ORG.Membership, STP.Count, STP.FormChange, STP.Requirement)


@pytest.fixture(scope="module")
def shipped() -> dict[str, Graph]:
    return {stem: load_set(REFERENCE, stem) for stem in SETS}


def test_every_fact_node_has_exactly_one_certainty(shipped: dict[str, Graph]) -> None:
    for stem, g in shipped.items():
        nodes = {s for cls in _FACT_CLASSES for s in g.subjects(RDF.type, cls)}
        nodes |= set(g.objects(None, STP.hasDatedCode)) if stem == "vanguards" else set()
        assert nodes, stem
        for node in nodes:
            values = set(g.objects(node, STP.certainty))
            assert len(values) == 1, (stem, node)


def test_inferred_facts_are_exactly_those_the_file_marks(shipped: dict[str, Graph]) -> None:
    def inferred(stem: str) -> set[str]:
        return {str(s).removeprefix(str(ID)) for s in shipped[stem].subjects(STP.certainty,
                                                                             INFERRED)
                if isinstance(s, URIRef)}
    assert inferred("ics-cohorts") == {
        "event/ics-designation-2019-06-QE1", "event/ics-absorbed-2019-06-blackpool-and-fylde-coast",
        "event/ics-designation-2020-12-QHL", "event/ics-designation-2020-12-QJ2",
        "event/ics-designation-2020-12-QRL"}
    assert inferred("icbs-2026") == {"finding/count-icbs-2026-04"}
    assert inferred("pioneers") == set()
    numbers = [n for n in shipped["vanguards"].objects(None, STP.hasDatedCode)
               if shipped["vanguards"].value(n, STP.certainty) == INFERRED]
    assert len(numbers) == 39


def test_unverified_days_are_left_out(shipped: dict[str, Graph]) -> None:
    g = shipped["ics-cohorts"]
    months = {str(o) for o in g.objects(None, DCTERMS.date)}
    # May 2018 and May 2020: day unverified; June 2017: day only inferred ("~15 Jun").
    assert {"2017-06", "2018-05", "2020-05"} <= months
    assert not any(re.match(r"^(2017-06|2018-05|2020-05)-", m) for m in months)
    pioneers = {str(o) for o in shipped["pioneers"].objects(None, DCTERMS.date)}
    assert "2015-01" in pioneers and not any(m.startswith("2015-01-") for m in pioneers)
    # The Variation Order's content is unverified: nothing cites it as the reason for a change.
    variation = ID["document/icbs-establishment-variation-order-2023"]
    assert not set(shipped["icbs-2026"].subjects(STP.hasFormalFramework, variation))
