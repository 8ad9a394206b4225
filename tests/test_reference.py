"""The committed real-world layer, data/reference/*.ttl, checked against what the tables hold.

Counts are those SOURCES.md documents for each table (44 STPs in 2017/18, 42 from 2018/19, 7
regions, 106 CCGs in April 2021, 42 ICBs, ...). These tests read only data/reference/ and the
ontology, so they run without ../shared.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from reference_support import (
    BASE,
    CCG,
    EVENT,
    FINDING,
    FOOTPRINT,
    ICB,
    ID,
    ORG,
    QUERIES,
    REFERENCE,
    REGION,
    ROOT,
    SICBL,
    STP,
    STPBODY,
    load_set,
    union_of,
)

SETS = ["stps-2017", "stps-2018", "stp-regions-2018", "stp-regions-2020", "ccg-stp-2021",
        "icbs-2023", "sub-icb-locations-2023", "stp-list-sizes-2022", "ccg-population-2018",
        "ccg-successors-2020"]
SUCCESSION = (STP.Merger, STP.Acquisition, STP.Split, STP.Evolution, STP.Replacement)


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {name: load_set(REFERENCE, name) for name in SETS}


@pytest.fixture(scope="module")
def union(graphs: dict[str, Graph]) -> Graph:
    return union_of(graphs.values())


def typed(g: Graph, cls: URIRef) -> set[URIRef]:
    return set(g.subjects(RDF.type, cls))


def codes(g: Graph, nodes: set[URIRef], prop: URIRef = STP.onsCode) -> set[str]:
    return {str(c) for n in nodes for c in g.objects(n, prop)}


def successors(g: Graph) -> dict[URIRef, set[URIRef]]:
    """Direct successors, as the reasoner derives stp:replacedBy from succession events."""
    out: dict[URIRef, set[URIRef]] = defaultdict(set)
    for cls in SUCCESSION:
        for event in g.subjects(RDF.type, cls):
            for old in g.objects(event, ORG.originalOrganization):
                out[old].update(g.objects(event, ORG.resultingOrganization))
    return out


def test_every_set_is_committed() -> None:
    assert {p.stem for p in REFERENCE.glob("*.ttl")} >= set(SETS)


# --- counts, as SOURCES.md documents the tables --------------------------------------------------


def test_44_stps_of_2016_17(graphs: dict[str, Graph]) -> None:
    g = graphs["stps-2017"]
    stps = typed(g, STP.SustainabilityAndTransformationPartnership)
    assert len(stps) == 44
    assert codes(g, stps) == {f"E540000{n:02d}" for n in range(5, 49)}
    assert len(typed(g, STP.NHSTrust) | typed(g, STP.NHSFoundationTrust)) == 137
    # The texts' count of 44 footprints is linked to exactly these bodies.
    assert set(g.objects(FINDING["count-stp-footprints"], STP.counts)) == stps


def test_42_stps_from_2018_19(graphs: dict[str, Graph]) -> None:
    g = graphs["stps-2018"]
    stps = typed(g, STP.SustainabilityAndTransformationPartnership)
    assert len(stps) == 42
    expected = {f"E540000{n:02d}" for n in range(5, 45)} | {"E54000048", "E54000049"}
    assert codes(g, stps) == expected
    change = ID["form-change/stps-replaced-by-icss"]
    assert set(g.objects(change, STP.appliesTo)) == stps


def test_7_regions_and_their_stps(graphs: dict[str, Graph]) -> None:
    per_region = {"E40000003": 5, "E40000005": 6, "E40000006": 7, "E40000007": 6,
                  "E40000008": 11, "E40000009": 4, "E40000010": 3}
    for name in ("stp-regions-2018", "stp-regions-2020"):
        g = graphs[name]
        assert codes(g, typed(g, STP.NHSRegion)) == set(per_region)
        for code, count in per_region.items():
            members = set(g.subjects(ORG.organization, REGION[code]))
            assert len(members) == count, (name, code)
    g = graphs["stp-regions-2020"]
    assert g.value(REGION.E40000009, RDFS.label) == Literal("North East and Yorkshire", lang="en")


def test_april_2020_recodes(graphs: dict[str, Graph]) -> None:
    g = graphs["stp-regions-2020"]
    assert len(typed(g, STP.SustainabilityAndTransformationPartnership)) == 42
    recodes = {(str(g.value(e, STP.renamedBody)).rsplit("/", 1)[1], str(e).rsplit("-", 1)[1])
               for e in typed(g, STP.Recoding)}
    assert recodes == {("E54000005", "E54000054"), ("E54000006", "E54000051"),
                       ("E54000049", "E54000050"), ("E54000033", "E54000053"),
                       ("E54000035", "E54000052")}


def test_106_ccgs_42_stps_21_cancer_alliances_in_april_2021(graphs: dict[str, Graph]) -> None:
    g = graphs["ccg-stp-2021"]
    assert len(typed(g, STP.ClinicalCommissioningGroup)) == 106
    stps = typed(g, STP.SustainabilityAndTransformationPartnership)
    assert len(stps) == 42
    assert len(codes(g, stps, STP.odsCode)) == 42
    assert len(typed(g, STP.CancerAlliance)) == 21
    assert len(typed(g, ORG.Membership)) == 106


def test_42_icbs_with_the_stps_ods_codes(graphs: dict[str, Graph]) -> None:
    g = graphs["icbs-2023"]
    icbs = typed(g, STP.IntegratedCareBoard)
    assert len(icbs) == 42
    stp_ods = codes(graphs["ccg-stp-2021"],
                    typed(graphs["ccg-stp-2021"], STP.SustainabilityAndTransformationPartnership),
                    STP.odsCode)
    assert codes(g, icbs, STP.odsCode) == stp_ods
    assert len(codes(g, icbs)) == 42
    assert len(typed(g, STP.Evolution)) == 42


def test_106_sub_icb_locations(graphs: dict[str, Graph]) -> None:
    g = graphs["sub-icb-locations-2023"]
    units = typed(g, STP.SubICBLocation)
    assert len(units) == 106
    assert len(typed(g, STP.Replacement)) == 106
    assert all(g.value(u, ORG.unitOf) is not None for u in units)


def test_populations_mid_2018(graphs: dict[str, Graph]) -> None:
    g = graphs["ccg-population-2018"]
    assert len(typed(g, STP.ClinicalCommissioningGroup)) == 195
    values = {str(fp).rsplit("/", 1)[1]: int(g.value(fig, STP.value))
              for fp, fig in g.subject_objects(STP.population)}
    the_42 = {c: v for c, v in values.items() if c not in ("E54000045", "E54000046", "E54000047")}
    assert len(the_42) == 42
    assert sum(the_42.values()) == 55_977_178
    assert min(the_42.values()) == the_42["E54000011"] == 498_073
    assert max(the_42.values()) == the_42["E54000049"] == 3_129_490
    assert the_42["E54000007"] == 2_845_985
    # The three northern footprints of 2016/17, rebuilt from the CCG rows, add up to E54000049.
    northern = [values["E54000045"], values["E54000046"], values["E54000047"]]
    assert sum(northern) == values["E54000049"]
    assert values["E54000047"] == 318_631  # North Cumbria CCG


def test_gp_list_sizes(graphs: dict[str, Graph]) -> None:
    g = graphs["stp-list-sizes-2022"]
    values = [int(v) for v in g.objects(None, STP.value)]
    assert len(values) == 42
    assert min(values) == 508_001 and max(values) == 3_265_683
    assert round(sum(values) / 1e6, 1) == 60.4
    cne = g.value(FOOTPRINT.E54000050, STP.population)
    assert int(g.value(cne, STP.value)) == 3_265_683


def test_ccg_mergers_to_2020(graphs: dict[str, Graph]) -> None:
    g = graphs["ccg-successors-2020"]
    events = typed(g, STP.Merger) | typed(g, STP.Acquisition) | typed(g, STP.Replacement)
    assert len(events) == 28
    olds = {o for e in events for o in g.objects(e, ORG.originalOrganization)}
    assert len(olds) == 104
    ncl = EVENT["ccg-merger-into-93C"]
    assert {str(o).rsplit("/", 1)[1] for o in g.objects(ncl, ORG.originalOrganization)} == {
        "07M", "07R", "07X", "08D", "08H"}
    assert all(g.value(e, STP.latestDate) is not None for e in events)


# --- spot checks ---------------------------------------------------------------------------------


def test_named_bodies_and_codes(union: Graph) -> None:
    def label(node: URIRef) -> str:
        return str(union.value(node, RDFS.label))

    assert label(ICB.QE1) == "NHS Lancashire and South Cumbria Integrated Care Board"
    assert union.value(ICB.QE1, STP.onsCode) == Literal("E54000048")
    assert label(STPBODY.E54000049) == "Cumbria and North East"
    assert label(STPBODY.E54000047) == "West, North and East Cumbria"
    assert label(CCG["01F"]) == "NHS Halton CCG"
    assert union.value(CCG["01F"], STP.onsCode) == Literal("E38000068")
    assert label(REGION.E40000003) == "London"
    assert union.value(ICB.QOP, STP.onsCode) == Literal("E54000057")  # Greater Manchester, 2023
    # Bassetlaw's sub-ICB location belongs to Nottingham and Nottinghamshire, not South Yorkshire.
    assert union.value(SICBL["02Q"], ORG.unitOf) == ICB.QT1
    # The same ODS code, but a sub-ICB location is not the CCG.
    assert (CCG["02Q"], RDF.type, STP.SubICBLocation) not in union
    assert (SICBL["02Q"], RDF.type, STP.ClinicalCommissioningGroup) not in union
    assert union.value(STPBODY.E54000045, STP.endDate) == Literal("2018-08",
                                                                  datatype=XSD.gYearMonth)


def test_sub_icb_location_with_a_new_ons_code(union: Graph) -> None:
    assert union.value(CCG["15E"], STP.onsCode) == Literal("E38000220")
    assert union.value(SICBL["15E"], STP.onsCode) == Literal("E38000258")


# --- succession ----------------------------------------------------------------------------------


def test_every_2016_footprint_ends_at_exactly_one_icb(union: Graph) -> None:
    succ = successors(union)
    stps = set(union.objects(FINDING["count-stp-footprints"], STP.counts))
    assert len(stps) == 44
    ends: dict[URIRef, set[URIRef]] = {}
    for stp in stps:
        frontier, seen, last = {stp}, set(), set()
        while frontier:
            node = frontier.pop()
            seen.add(node)
            nxt = succ.get(node, set())
            if not nxt:
                last.add(node)
            frontier |= nxt - seen
        ends[stp] = last
        assert len(last) == 1, (stp, last)
        (end,) = last
        assert (end, RDF.type, STP.IntegratedCareBoard) in union, (stp, end)
    reached = {next(iter(e)) for e in ends.values()}
    assert reached == set(union.subjects(RDF.type, STP.IntegratedCareBoard))
    assert len(reached) == 42
    assert ends[STPBODY.E54000045] == {ICB.QHM}
    assert ends[STPBODY.E54000009] == {ICB.QF7}


def test_no_body_is_its_own_successor(union: Graph) -> None:
    succ = successors(union)
    for body, after in succ.items():
        assert body not in after, body
        # and no chain returns to it
        frontier, seen = set(after), set()
        while frontier:
            node = frontier.pop()
            assert node != body, f"{body} succeeds itself through a chain"
            seen.add(node)
            frontier |= succ.get(node, set()) - seen
    assert (None, STP.replacedBy, None) not in union  # derived by the reasoner only


def test_ccg_to_sub_icb_location_is_a_replacement(union: Graph) -> None:
    for event in union.subjects(RDF.type, STP.Replacement):
        old = union.value(event, ORG.originalOrganization)
        new = union.value(event, ORG.resultingOrganization)
        if (new, RDF.type, STP.SubICBLocation) in union:
            assert str(old).rsplit("/", 1)[1] == str(new).rsplit("/", 1)[1]
            assert old != new
            assert union.value(event, DCTERMS.date) == Literal("2022-07-01", datatype=XSD.date)


# --- graph hygiene -------------------------------------------------------------------------------


def test_every_typed_thing_has_exactly_one_label(union: Graph) -> None:
    for subject in set(union.subjects(RDF.type, None)):
        assert len(list(union.objects(subject, RDFS.label))) == 1, subject


def test_shacl_shapes_pass(union: Graph) -> None:
    from stpgraph.validate import shape_violations

    ontology = Graph()
    for name in ("stp.ttl", "schemes.ttl"):
        ontology.parse(ROOT / "ontology" / name, format="turtle")
    data = union_of([union, ontology])
    assert shape_violations(data, ontology, ROOT / "ontology" / "shapes.ttl") == []


# --- saved queries -------------------------------------------------------------------------------

CLAIMS = """
@prefix stp: <https://w3id.org/stpgraph/def/> .
@prefix finding: <https://w3id.org/stpgraph/id/finding/> .
@prefix form: <https://w3id.org/stpgraph/id/form/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
finding:test-mean a stp:PopulationFigure ; rdfs:label "average" ; stp:about form:stp ;
    stp:aggregate "mean" ; stp:value 1200000 ; stp:unit "people" .
finding:test-min a stp:PopulationFigure ; rdfs:label "smallest" ; stp:about form:stp ;
    stp:aggregate "minimum" ; stp:value 300000 ; stp:unit "people" .
finding:test-max a stp:PopulationFigure ; rdfs:label "largest" ; stp:about form:stp ;
    stp:aggregate "maximum" ; stp:value 2800000 ; stp:unit "people" .
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The reference graphs, each in its named graph, plus three test claims."""
    s = ox.Store()
    for name in SETS:
        s.load(path=str(REFERENCE / f"{name}.ttl"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(BASE + "graph/" + name))
    s.load(CLAIMS.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(BASE + "graph/t"))
    return s


def run(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    from stpgraph.catalogue import parse_header

    saved = parse_header(QUERIES / f"{name}.rq")
    results = store.query(saved.bind(params), use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in results]


def test_saved_queries_have_headers() -> None:
    from stpgraph.catalogue import parse_header

    for name in ("footprint-successor-icb", "ccg-mergers", "bodies-per-region",
                 "footprint-population-ranking", "claims-vs-data"):
        saved = parse_header(QUERIES / f"{name}.rq")
        assert saved.title and saved.description and saved.params, name


def test_query_successor_icb(store: ox.Store) -> None:
    rows = run(store, "footprint-successor-icb")
    assert len(rows) == 44
    assert len({r["icb"] for r in rows}) == 42
    (row,) = run(store, "footprint-successor-icb", footprint="footprint:E54000046")
    assert row["icbOdsCode"] == "QHM" and row["via"] == "Cumbria and North East"
    assert row["date"] == "2022-07-01"


def test_query_ccg_mergers(store: ox.Store) -> None:
    rows = run(store, "ccg-mergers")
    assert len(rows) == 28
    (tees,) = run(store, "ccg-mergers", successor="ccg:16C")
    assert tees["predecessorCount"] == "3" and "NHS Darlington CCG (00C)" in tees["predecessors"]


def test_query_bodies_per_region(store: ox.Store) -> None:
    rows = run(store, "bodies-per-region")
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[f"{r['kind']} {r['basis']}"] += int(r["bodies"])
    assert sorted(totals.values()) == [42, 42, 42, 106]
    london = run(store, "bodies-per-region", region="region:E40000003")
    assert {(r["kind"], r["bodies"]) for r in london} == {("STP", "5"), ("CCG", "5"), ("ICB", "5")}


def test_query_population_ranking(store: ox.Store) -> None:
    rows = run(store, "footprint-population-ranking", set="stps-2017")
    assert len(rows) == 44
    assert rows[0]["code"] == "E54000007" and rows[0]["rank"] == "1"
    assert rows[-1]["code"] == "E54000047" and rows[-1]["rank"] == "44"
    assert len(run(store, "footprint-population-ranking")) == 44 + 42


def test_query_claims_vs_data(store: ox.Store) -> None:
    rows = run(store, "claims-vs-data")
    got = {(r["aggregate"], r["set"]): (int(float(r["computed"])), int(float(r["difference"])))
           for r in rows}
    assert got[("mean", "stps-2017")] == (1_272_209, 72_209)
    assert got[("minimum", "stps-2017")] == (318_631, 18_631)
    assert got[("maximum", "stps-2017")] == (2_845_985, 45_985)
    assert got[("mean", "stps-2018")] == (1_332_790, 132_790)
    assert got[("minimum", "stps-2018")] == (498_073, 198_073)
    assert got[("maximum", "stps-2018")] == (3_129_490, 329_490)
    smallest = [r for r in rows if r["aggregate"] == "minimum" and r["set"] == "stps-2017"]
    assert smallest[0]["footprintName"] == "West, North and East Cumbria"
