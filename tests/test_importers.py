"""The reference-table importers, run on the small tables in tests/fixtures/reference/.

The fixtures copy the real tables' columns and encodings (byte-order marks, CRLF line ends, a
non-breaking space, the shuffled region column, dummy rows, stray JSON entries) with a few rows
each, chosen so every rule is exercised: the August 2018 merger, the April 2020 re-codes, a new
ONS code for a sub-ICB location, the name-matched list sizes and the rebuilt northern populations.
"""

from __future__ import annotations

import doctest
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from reference_support import (
    BASE,
    CCG,
    EVENT,
    FINDING,
    FOOTPRINT,
    ICB,
    ID,
    MEMBERSHIP,
    ORG,
    REGION,
    SICBL,
    STP,
    STPBODY,
    TRUST,
    load_set,
    union_of,
)

from stpgraph.errors import InputError
from stpgraph.importers import (
    IMPORTERS,
    ReferenceTableError,
    _base,
    _facts,
    _turtle,
    csv_tables,
    import_all,
    import_set,
)
from stpgraph.importers.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
ACT = URIRef(BASE + "id/document/health-and-care-act-2022")
OGL = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
DAY_BEFORE = Literal("2022-06-30", datatype=XSD.date)
ICB_DAY = Literal("2022-07-01", datatype=XSD.date)


def gym(text: str) -> Literal:
    return Literal(text, datatype=XSD.gYearMonth)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reference")
    import_all(FIXTURES, folder)
    return folder


@pytest.fixture(scope="module")
def graphs(out: Path) -> dict[str, Graph]:
    return {p.stem: load_set(out, p.stem) for p in sorted(out.glob("*.ttl"))}


@pytest.fixture(scope="module")
def union(graphs: dict[str, Graph]) -> Graph:
    """The table sets together (the waves file is checked in tests/test_waves.py)."""
    return union_of(part for name, part in graphs.items() if name in IMPORTERS)


# --- every set -----------------------------------------------------------------------------------


def test_every_set_is_written_and_counts_are_its_triples(tmp_path: Path) -> None:
    from stpgraph.importers.markdown_waves import SETS as WAVE_SETS

    counts = import_all(FIXTURES, tmp_path)
    assert list(counts) == [*IMPORTERS, *WAVE_SETS]
    for name, count in counts.items():
        parsed = load_set(tmp_path, name)
        assert len(parsed) == count > 0, name


def test_output_is_byte_for_byte_stable(out: Path, tmp_path: Path) -> None:
    import_all(FIXTURES, tmp_path)
    for path in sorted(out.glob("*.ttl")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_files_are_readable_turtle_with_header_and_no_blank_node_labels(out: Path) -> None:
    for path in out.glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# stpgraph reference layer: named graph <{BASE}graph/{path.stem}>")
        assert "_:" not in text and "\u00a0" not in text and "\r" not in text
        assert "@prefix stp: <https://w3id.org/stpgraph/def/> ." in text
        assert path.stat().st_mode & 0o044 == 0o044, "generated files must be world-readable"


def test_import_set_writes_only_that_set(tmp_path: Path) -> None:
    assert import_set("stps-2018", FIXTURES, tmp_path) > 0
    assert [p.name for p in tmp_path.iterdir()] == ["stps-2018.ttl"]
    with pytest.raises(KeyError, match="no reference set"):
        import_set("nope", FIXTURES, tmp_path)


@pytest.mark.parametrize("name", list(IMPORTERS))
def test_graph_derives_from_a_described_dataset(name: str, graphs: dict[str, Graph]) -> None:
    g = graphs[name]
    dataset = ID[f"dataset/{name}"]
    assert (URIRef(f"{BASE}graph/{name}"), PROV.wasDerivedFrom, dataset) in g
    assert g.value(dataset, DCTERMS.title) and g.value(dataset, RDFS.label)
    assert g.value(dataset, DCTERMS.identifier) == Literal(name)
    publisher = g.value(dataset, DCTERMS.publisher)
    assert publisher is not None and g.value(publisher, RDFS.label)
    source = str(g.value(dataset, DCTERMS.source))
    assert source.startswith("https://github.com/") and "/blob/" in source
    commit = source.split("/blob/")[1].split("/")[0]
    assert len(commit) == 40 and commit in str(g.value(dataset, DCTERMS.bibliographicCitation))
    assert g.value(dataset, DCTERMS.rights)
    licence = g.value(dataset, DCTERMS.license)
    mit = URIRef("https://opensource.org/licenses/MIT")
    assert licence == (mit if name == "stps-2017" else OGL)


def test_every_typed_thing_has_one_label_and_dates_are_single(union: Graph) -> None:
    for subject in set(union.subjects(RDF.type, None)):
        labels = list(union.objects(subject, RDFS.label))
        assert len(labels) == 1, (subject, labels)
    for prop in (STP.startDate, STP.endDate):
        for subject in set(union.subjects(prop, None)):
            assert len(set(union.objects(subject, prop))) == 1, (subject, prop)


def test_codes_are_plain_strings(union: Graph) -> None:
    for prop in (STP.onsCode, STP.odsCode, SKOS.notation):
        for value in union.objects(None, prop):
            assert isinstance(value, Literal) and value.datatype is None and not value.language


# --- one set at a time ---------------------------------------------------------------------------


def test_stps_2017(graphs: dict[str, Graph]) -> None:
    g = graphs["stps-2017"]
    stps = set(g.subjects(RDF.type, STP.SustainabilityAndTransformationPartnership))
    codes = ["E54000005", "E54000008", "E54000017", "E54000045", "E54000046", "E54000047",
             "E54000048"]
    assert stps == {STPBODY[c] for c in codes}
    assert set(g.objects(FINDING["count-stp-footprints"], STP.counts)) == stps
    body = STPBODY.E54000045
    assert (body, STP.hasFootprint, FOOTPRINT.E54000045) in g
    assert (FOOTPRINT.E54000045, SKOS.exactMatch,
            URIRef("http://statistics.data.gov.uk/id/statistical-geography/E54000045")) in g
    assert (body, ORG.classification, ID["form/stp"]) in g
    # The wrong NHS England Region column is never used.
    assert not list(g.triples((None, STP.inRegion, None)))
    assert "Commissioning Region" not in g.serialize(format="nt")
    # The non-breaking space after a name is cleaned away.
    assert (STPBODY.E54000017, RDFS.label, Literal("Birmingham and Solihull", lang="en")) in g
    # August 2018 merger, from the README change log.
    merger = EVENT["northern-stps-merge-2018"]
    assert (merger, RDF.type, STP.Merger) in g
    assert set(g.objects(merger, ORG.originalOrganization)) == {
        STPBODY.E54000045, STPBODY.E54000046, STPBODY.E54000047}
    assert list(g.objects(merger, ORG.resultingOrganization)) == [STPBODY.E54000049]
    assert g.value(merger, DCTERMS.date) == gym("2018-08")
    assert g.value(STPBODY.E54000046, STP.endDate) == gym("2018-08")
    assert g.value(STPBODY.E54000049, STP.startDate) == gym("2018-08")
    assert (STPBODY.E54000049, RDF.type, None) not in g  # described by the 2018/19 tables
    # Trusts and the trust change the change log lists.
    assert (TRUST.RCF, RDF.type, STP.NHSFoundationTrust) in g
    assert (TRUST.RR8, RDF.type, STP.NHSTrust) in g
    assert (TRUST.RR8, ORG.memberOf, STPBODY.E54000005) in g
    takeover = EVENT["trust-RR1-into-RRK-2018-06"]
    assert (takeover, RDF.type, STP.Acquisition) in g
    assert g.value(takeover, ORG.resultingOrganization) == TRUST.RRK
    assert g.value(TRUST.RR1, STP.endDate) == gym("2018-06")


def test_stps_2018(graphs: dict[str, Graph]) -> None:
    g = graphs["stps-2018"]
    stps = set(g.subjects(RDF.type, STP.SustainabilityAndTransformationPartnership))
    assert len(stps) == 5 and STPBODY.E54000049 in stps and STPBODY.E54000045 not in stps
    change = ID["form-change/stps-replaced-by-icss"]
    assert set(g.objects(change, STP.appliesTo)) == stps
    body = STPBODY.E54000005
    # rdfs:label is the latest name (April 2021); this table's short name is an altLabel and a
    # dated name.
    latest = "West Yorkshire and Harrogate (Health and Care Partnership)"
    assert g.value(body, RDFS.label) == Literal(latest, lang="en")
    assert (body, SKOS.altLabel, Literal("West Yorkshire", lang="en")) in g
    named = g.value(body, STP.hasDatedName)
    assert g.value(named, STP.name) == Literal("West Yorkshire", lang="en")
    assert "2018/19" in g.value(named, RDFS.label)


def test_stp_regions_2018(graphs: dict[str, Graph]) -> None:
    g = graphs["stp-regions-2018"]
    assert set(g.subjects(RDF.type, STP.NHSRegion)) == {REGION.E40000008, REGION.E40000009,
                                                        REGION.E40000010}
    assert g.value(REGION.E40000009, RDFS.label) == Literal("North East and Yorkshire", lang="en")
    assert g.value(REGION.E40000009, STP.onsCode) == Literal("E40000009")
    m = MEMBERSHIP["stp-E54000049-in-region-E40000009"]
    assert (m, RDF.type, ORG.Membership) in g
    assert g.value(m, ORG.member) == STPBODY.E54000049
    assert g.value(m, ORG.organization) == REGION.E40000009
    assert g.value(m, STP.startDate) == gym("2018-08")
    assert g.value(m, STP.endDate) == DAY_BEFORE
    assert (STPBODY.E54000008, STP.inRegion, REGION.E40000010) in g


def test_stp_regions_2020_recodes(graphs: dict[str, Graph]) -> None:
    g = graphs["stp-regions-2020"]
    body = STPBODY.E54000005  # keyed by its first code, also after the April 2020 re-code
    assert (body, STP.hasFootprint, FOOTPRINT.E54000054) in g
    assert (body, STP.onsCode, Literal("E54000054")) in g
    recode = EVENT["recode-E54000005-to-E54000054"]
    assert (recode, RDF.type, STP.Recoding) in g
    assert g.value(recode, STP.renamedBody) == body
    assert g.value(recode, DCTERMS.date) == gym("2020-04")
    codes = {str(g.value(c, SKOS.notation)): c for c in g.objects(body, STP.hasDatedCode)}
    assert set(codes) == {"E54000005", "E54000054"}
    assert g.value(codes["E54000005"], STP.endDate) == gym("2020-04")
    assert g.value(codes["E54000054"], STP.startDate) == gym("2020-04")
    assert (EVENT["recode-E54000049-to-E54000050"], STP.renamedBody, STPBODY.E54000049) in g
    assert not list(g.subjects(STP.renamedBody, STPBODY.E54000008))


def test_ccg_stp_2021(graphs: dict[str, Graph]) -> None:
    g = graphs["ccg-stp-2021"]
    assert len(set(g.subjects(RDF.type, STP.ClinicalCommissioningGroup))) == 9
    assert g.value(CCG["01F"], RDFS.label) == Literal("NHS Halton CCG", lang="en")
    assert g.value(CCG["01F"], STP.onsCode) == Literal("E38000068")
    assert g.value(CCG["01F"], STP.odsCode) == Literal("01F")
    assert (STPBODY.E54000005, STP.odsCode, Literal("QWO")) in g
    m = MEMBERSHIP["ccg-15F-in-stp-E54000005"]
    assert g.value(m, ORG.member) == CCG["15F"]
    assert g.value(m, ORG.organization) == STPBODY.E54000005
    assert g.value(m, STP.endDate) == DAY_BEFORE
    alliance = ID["cancer-alliance/E56000029"]
    assert (alliance, RDF.type, STP.CancerAlliance) in g
    assert (CCG["84H"], ORG.memberOf, alliance) in g


def test_icbs_2023(graphs: dict[str, Graph]) -> None:
    g = graphs["icbs-2023"]
    icbs = set(g.subjects(RDF.type, STP.IntegratedCareBoard))
    assert icbs == {ICB.QYG, ICB.QWO, ICB.QHL, ICB.QE1, ICB.QHM}
    # ODS code found through the CCGs; the ONS code is the April 2023 one.
    assert g.value(ICB.QHL, STP.onsCode) == Literal("E54000055")
    assert g.value(ICB.QHM, RDFS.label) == Literal(
        "NHS North East and North Cumbria Integrated Care Board", lang="en")  # trailing space
    assert g.value(ICB.QHM, STP.hasFootprint) == FOOTPRINT.E54000050
    assert g.value(ICB.QHM, STP.startDate) == ICB_DAY
    evolution = EVENT["stp-E54000049-to-icb-QHM"]
    assert (evolution, RDF.type, STP.Evolution) in g
    assert g.value(evolution, ORG.originalOrganization) == STPBODY.E54000049
    assert g.value(evolution, ORG.resultingOrganization) == ICB.QHM
    assert g.value(evolution, DCTERMS.date) == ICB_DAY
    assert g.value(evolution, STP.hasFormalFramework) == ACT
    assert (ACT, RDF.type, STP.Legislation) in g
    assert g.value(ACT, RDFS.label) == Literal("Health and Care Act 2022", lang="en")
    assert g.value(STPBODY.E54000017, STP.endDate) == DAY_BEFORE


def test_sub_icb_locations_2023(graphs: dict[str, Graph]) -> None:
    g = graphs["sub-icb-locations-2023"]
    units = set(g.subjects(RDF.type, STP.SubICBLocation))
    assert len(units) == 9  # Welsh, Manx and the stray header entry are skipped
    unit = SICBL["15E"]
    assert unit != CCG["15E"]
    assert g.value(unit, STP.onsCode) == Literal("E38000258")  # a new code, not the CCG's
    assert g.value(unit, ORG.unitOf) == ICB.QHL
    assert g.value(unit, RDFS.label) == Literal("NHS Birmingham and Solihull ICB - 15E", lang="en")
    assert g.value(unit, STP.startDate) == ICB_DAY
    event = EVENT["ccg-15E-to-sub-icb-location-15E"]
    assert (event, RDF.type, STP.Replacement) in g
    assert g.value(event, ORG.originalOrganization) == CCG["15E"]
    assert g.value(event, ORG.resultingOrganization) == unit
    assert g.value(event, DCTERMS.date) == ICB_DAY
    assert "E38000258" in g.value(event, DCTERMS.description)
    assert g.value(CCG["15E"], STP.endDate) == DAY_BEFORE
    assert (None, STP.replacedBy, None) not in g  # derived by the reasoner, never asserted


def test_stp_list_sizes_2022(graphs: dict[str, Graph]) -> None:
    g = graphs["stp-list-sizes-2022"]
    figures = set(g.subjects(RDF.type, STP.PopulationFigure))
    assert len(figures) == 5
    # Lancashire is listed as E54000004, Cumbria and North East as E54000049: matched by name.
    lancs = FINDING["gp-list-size-E54000048"]
    assert (FOOTPRINT.E54000048, STP.population, lancs) in g
    assert g.value(lancs, STP.value) == Literal(1787755, datatype=XSD.integer)
    assert g.value(lancs, STP.unit) == Literal("registered patients")
    assert (FOOTPRINT.E54000050, STP.population, FINDING["gp-list-size-E54000050"]) in g
    assert "Dummy" not in g.serialize(format="nt")


def test_ccg_population_2018(graphs: dict[str, Graph]) -> None:
    g = graphs["ccg-population-2018"]
    assert len(set(g.subjects(RDF.type, STP.ClinicalCommissioningGroup))) == 17

    def population(code: str) -> int:
        figure = FINDING[f"population-{code}-2018"]
        assert (FOOTPRINT[code], STP.population, figure) in g
        assert g.value(figure, STP.referencePeriod) == Literal("2018", datatype=XSD.gYear)
        assert g.value(figure, STP.unit) == Literal("people")
        return int(g.value(figure, STP.value))

    assert population("E54000005") == 1500 + 410
    assert population("E54000049") == sum(a + b for a, b in [
        (10, 11), (20, 22), (30, 33), (40, 44), (50, 55), (60, 66), (70, 77), (80, 88), (90, 99),
        (100, 111), (120, 122), (300, 333)])
    # The three 2016/17 northern footprints, rebuilt from their CCGs (flagged as inferred).
    assert population("E54000045") == 21 + 42 + 63 + 84 + 105
    assert population("E54000046") == 126 + 147 + 168 + 189 + 211 + 242
    assert population("E54000047") == 633
    inferred = URIRef(BASE + "id/certainty/inferred")
    assert g.value(FINDING["population-E54000047-2018"], STP.certainty) == inferred
    assert g.value(FINDING["population-E54000049-2018"], STP.certainty) is None
    # A CCG still in the same STP in April 2021 has an end date; one merged away has none.
    assert g.value(MEMBERSHIP["ccg-13T-in-stp-E54000049"], STP.endDate) == DAY_BEFORE
    assert g.value(MEMBERSHIP["ccg-00C-in-stp-E54000049"], STP.endDate) is None


def test_ccg_successors_2020(graphs: dict[str, Graph]) -> None:
    g = graphs["ccg-successors-2020"]
    mergers = set(g.subjects(RDF.type, STP.Merger))
    assert mergers == {EVENT["ccg-merger-into-16C"], EVENT["ccg-merger-into-84H"],
                       EVENT["ccg-merger-into-15F"]}
    tees = EVENT["ccg-merger-into-16C"]
    assert set(g.objects(tees, ORG.originalOrganization)) == {CCG["00C"], CCG["00K"], CCG["00M"]}
    assert g.value(tees, STP.latestDate) == gym("2020-04")
    assert g.value(tees, DCTERMS.date) is None  # the table gives no date
    assert g.value(CCG["16C"], RDFS.label) == Literal("NHS Tees Valley CCG", lang="en")
    # A CCG no table names keeps its code as its label, and says so.
    assert g.value(CCG["02V"], RDFS.label) == Literal("CCG 02V", lang="en")
    assert "only by its ODS code" in g.value(CCG["02V"], DCTERMS.description)


# --- malformed rows: clear error, nothing written ------------------------------------------------


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


BAD = [
    ("ons_ccg21_stp21_cal21_lookup_apr2021.csv", _replace(",15E,", ",1 5E,"), 3, "CCG21CDH"),
    ("hf_trust_stp_lookup_2017-18_44stps.csv", _replace(",RR1,Birmingham and Solihull", ",RR1"),
     5, "expected 5 fields"),
    ("su_eol_stps_stp18.csv", _replace("E54000048,", "E54000008,"), 5, "listed twice"),
    ("su_eol_stp18cd_to_nhser18cd.csv", _replace("E40000008, ", "E4000008, "), 4, "nhser18cd"),
    ("su_eol_stp20cd_to_nhser20cd.csv", _replace("nhser20nm", "region_name"), 1, "columns"),
    ("opensafely_stp_list_sizes.csv", _replace("Cheshire and Merseyside STP", "Atlantis STP"), 4,
     "matches the name"),
    ("opensafely_stp_list_sizes.csv", _replace("2672123", "26721x3"), 4, "whole number"),
    ("su_eol_ccg18_stp18_population_mid2018_syoa.csv", _replace(",90,800", ",90,801"), 4,
     "add up to"),
    ("su_eol_ccg_successors_to_ccg20.csv", _replace("03G,15F", "15F,15F"), 9, "own successor"),
    ("postcodesio_sub_icb_locations_apr2023.json", _replace('"ccg19cdh": "15E"',
                                                            '"ccg19cdh": "15-E"'), 38, "15-E"),
    ("postcodesio_icb_names_codes_apr2023.json", _replace('Board ",\n  "E54000054"',
                                                          'Board "\n  "E54000054"'), 5,
     "not valid JSON"),
    ("postcodesio_icb_names_codes_apr2023.json", _replace('"E54000055"', '"E5400005"'), 6,
     "the key should be"),
]


@pytest.mark.parametrize(("name", "edit", "line", "message"), BAD,
                         ids=[f"{b[0].split('.')[0]}-{b[3]}" for b in BAD])
def test_malformed_row_names_file_and_line_and_writes_nothing(
        tmp_path: Path, name: str, edit: Callable[[str], str], line: int, message: str) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURES, source)
    path = source / name
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + edit(text).encode("utf-8"))

    out = tmp_path / "out"
    out.mkdir()
    previous = {n: f"# previous {n}\n" for n in IMPORTERS}
    for n, content in previous.items():
        (out / f"{n}.ttl").write_text(content)

    with pytest.raises(ReferenceTableError) as caught:
        import_all(source, out)
    assert f"{name}:{line}:" in str(caught.value)
    assert message in str(caught.value)
    assert isinstance(caught.value, InputError)
    assert caught.value.line == line
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.ttl" for n in IMPORTERS)
    for n, content in previous.items():
        assert (out / f"{n}.ttl").read_text() == content


def test_missing_table_is_named(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURES, source)
    (source / "su_eol_stps_stp18.csv").unlink()
    with pytest.raises(ReferenceTableError, match=r"su_eol_stps_stp18\.csv: file not found"):
        import_all(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- command line and helpers --------------------------------------------------------------------


def test_cli_imports_every_set(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [str(FIXTURES), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "stps-2017" in result.output and "total" in result.output
    from stpgraph.importers.markdown_waves import SETS as WAVE_SETS

    assert len(list(tmp_path.glob("*.ttl"))) == len(IMPORTERS) + len(WAVE_SETS)


def test_cli_reports_a_bad_row_with_exit_code_3(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from stpgraph.cli import main

    source = tmp_path / "source"
    shutil.copytree(FIXTURES, source)
    path = source / "su_eol_ccg_successors_to_ccg20.csv"
    path.write_text(path.read_text().replace("00D,84H", "00D,8 4H"))
    with pytest.raises(SystemExit) as caught:
        main(["import-reference", str(source), "--out", str(tmp_path / "out")])
    assert caught.value.code == 3
    assert "su_eol_ccg_successors_to_ccg20.csv:3:" in capsys.readouterr().err


def test_name_matching_for_list_sizes() -> None:
    norm = csv_tables._normal_name
    assert norm("Staffordshire & Stoke on Trent STP") == norm("Staffordshire and Stoke on Trent")
    assert norm("Frimley Health & Care (STP)") == norm("Frimley Health and Care ICS")
    assert norm("North London Partners in Health & Care (STP)") != norm("North West London")


def test_turtle_writer_refuses_shared_blank_nodes() -> None:
    from rdflib import BNode

    g = Graph()
    b = BNode()
    g.add((URIRef("http://example.org/a"), RDFS.seeAlso, b))
    g.add((URIRef("http://example.org/c"), RDFS.seeAlso, b))
    g.add((b, RDFS.label, Literal("x")))
    with pytest.raises(ValueError, match="blank node"):
        _turtle.TurtleWriter({}).render(g)


def test_turtle_writer_escapes_and_round_trips() -> None:
    g = Graph()
    s = URIRef("https://w3id.org/stpgraph/id/ccg/01F")
    g.add((s, RDFS.label, Literal('a "quoted"\nname\\', lang="en")))
    g.add((s, RDFS.comment, Literal("2018-08", datatype=XSD.gYearMonth)))
    g.add((s, STP.value, Literal(42, datatype=XSD.integer)))
    text = _turtle.TurtleWriter(_base.TURTLE_PREFIXES).render(g)
    assert "ccg:01F" in text and "stp:value 42" in text
    assert Graph().parse(data=text, format="turtle").isomorphic(g)


@pytest.mark.parametrize("module", [_base, _facts, _turtle, csv_tables],
                         ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.failed == 0
