"""The saved-query catalogue (queries/*.rq): expected answers, two engines, a real remote endpoint.

Expected rows are written here as data, read off the source texts (data/seeds/ say which document
says what; the reference tables' own notes give the body-level history), never produced by running
the query. A case lists rows the result must contain (each row: some of its columns, compared as
compact IRIs or plain literal values) and rows it must not contain. Checks (``*-violation``) must
return nothing on the shipped graph and must find the faults planted in
tests/fixtures/queries/violations.trig.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from stpgraph.catalogue import SavedQuery, expand, load_catalogue
from stpgraph.engines import LocalEngine, RdflibEngine, RemoteEngine
from stpgraph.errors import UsageError
from stpgraph.inputs import collect_inputs
from stpgraph.load import load_store
from stpgraph.namespace import compact_iri
from stpgraph.results import Results

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue(ROOT / "queries")
CHECKS = sorted(n for n, q in CATALOGUE.items() if q.is_check)
FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "violations.trig"

FAQ, BMA, KF, IO, BDJ = ("graph:nhse-stp-faq", "graph:bma-stps", "graph:kings-fund-stps-explained",
                         "graph:integration-overview", "graph:bdj-lewney-2017")


@dataclass
class Case:
    """What one run of a saved query must (and must not) return."""

    params: dict[str, str] = field(default_factory=dict)
    contains: list[dict[str, str]] = field(default_factory=list)
    absent: list[dict[str, str]] = field(default_factory=list)
    distinct: tuple[str, set[str]] | None = None  # (column, exactly this set of values)


CASES: dict[str, Case] = {
    # --- succession of forms of body -------------------------------------------------------
    "form-succession": Case(
        contains=[
            # "With Next Steps ... in March 2017 ... STPs became Sustainability and Transformation
            # Partnerships" (overview ¶5; BMA introduction).
            {"from": "form:stp-plan", "to": "form:stp", "kind": "form renaming", "date": "2017-03",
             "status": "carried out", "framework": "doc:next-steps-on-the-fyfv", "source": IO},
            {"from": "form:stp-plan", "to": "form:stp", "kind": "form renaming", "date": "2017-03",
             "framework": "doc:next-steps-on-the-fyfv", "source": BMA},
            # "requires every STP to become an integrated care system by April 2021" (FAQ).
            {"from": "form:stp", "to": "form:ics", "kind": "form replacement", "date": "2021-04",
             "status": "planned", "framework": "doc:nhs-long-term-plan", "source": FAQ},
            # "STPs have evolved to become integrated care systems" (FAQ), no date given.
            {"from": "form:stp", "to": "form:ics", "kind": "form evolution", "status": "carried out",
             "date": "", "source": FAQ},
            # "ICPs - formerly known as ACOs" (BMA).
            {"from": "form:aco", "to": "form:integrated-care-provider", "kind": "form renaming",
             "source": BMA},
        ],
        # "STPs do not replace Vanguards": no form change may start from vanguards.
        absent=[{"from": "form:vanguard"}, {"from": "form:new-care-model"}],
    ),
    "form-possibilities": Case(
        contains=[
            {"from": "form:stp", "couldBecome": "form:acs", "source": IO},
            {"from": "form:stp", "couldBecome": "form:acs", "source": BDJ},
            {"from": "form:stp", "couldBecome": "form:ics", "source": BMA},
            {"from": "form:stp", "couldBecome": "form:integrated-care-provider", "source": BMA},
            {"from": "form:acs", "couldBecome": "form:aco", "source": BDJ},
        ],
        absent=[{"from": "form:vanguard"}],
    ),
    "not-replaced": Case(
        contains=[
            {"subject": "form:vanguard", "relation": "not replaced by", "object": "form:stp",
             "evidence": "STPs do not replace Vanguards", "cites": "doc:nhs-2016a", "source": IO},
            {"subject": "id:accountability/member-bodies-accountabilities",
             "relation": "not replaced by", "object": "form:stp", "source": IO},
            {"subject": "form:new-care-model", "relation": "not replaced by", "object": "form:stp",
             "source": FAQ},
            {"subject": "form:new-care-model", "relation": "not replaced by", "object": "form:ics",
             "source": FAQ},
            {"subject": "form:stp", "relation": "supplements, does not replace",
             "object": "id:accountability/member-bodies-accountabilities", "source": IO},
            {"subject": "form:stp", "relation": "supplements, does not replace",
             "object": "form:new-care-model", "source": FAQ},
            {"subject": "form:ics", "relation": "supplements, does not replace",
             "object": "form:new-care-model", "source": FAQ},
        ],
    ),
    "replacements": Case(
        contains=[
            {"replaced": "form:stp-plan", "replacedBy": "form:stp", "how": "derived",
             "source": "graph:inferred"},
            {"replaced": "form:stp", "replacedBy": "form:ics", "how": "derived"},
            # "new five-year plans ... replacing the 2016 plans" (BMA, Next steps).
            {"replaced": "doc:stp-plans-2016", "replacedBy": "doc:system-plans-2019", "how": "asserted",
             "source": BMA},
        ],
        absent=[{"replaced": "form:vanguard"}, {"replaced": "form:new-care-model"}],
    ),
    # --- succession of bodies (reference tables) ----------------------------------------------
    "body-succession": Case(
        contains=[
            # "three STPs in the north of England (E54000045, E54000046, E54000047) merged in
            # August 2018 to form Cumbria and North East STP (E54000049)" (Health Foundation).
            {"kind": "merger", "from": f"stpbody:{code}", "to": "stpbody:E54000049", "date": "2018-08",
             "source": "graph:stps-2017"} for code in ("E54000045", "E54000046", "E54000047")
        ] + [
            # ICBs took over from the partnerships on 1 July 2022 under the Health and Care Act 2022.
            {"kind": "evolution", "from": "stpbody:E54000049", "to": "icb:QHM", "date": "2022-07-01",
             "framework": "doc:health-and-care-act-2022"},
            {"kind": "evolution", "from": "stpbody:E54000048", "to": "icb:QE1", "date": "2022-07-01"},
            # ODS successor records: 00F, 00G and 00H succeeded by 13T by April 2020.
            {"kind": "merger", "from": "ccg:00F", "to": "ccg:13T", "latestDate": "2020-04", "date": ""},
            {"kind": "replacement", "from": "ccg:13T", "to": "sicbl:13T", "date": "2022-07-01"},
        ],
    ),
    "succession-chain": Case(
        params={"from": "stpbody:E54000045"},
        contains=[
            {"step": "stpbody:E54000045", "next": "stpbody:E54000049", "kind": "merger", "date": "2018-08",
             "isLatest": "false"},
            {"step": "stpbody:E54000049", "next": "icb:QHM", "kind": "evolution", "date": "2022-07-01"},
        ],
        absent=[{"step": "stpbody:E54000046"}],
    ),
    # --- policy lineage --------------------------------------------------------------------
    "policy-timeline": Case(
        contains=[
            # The overview dates the FYFV 2014, the BDJ paper October 2014: both kept, as given.
            {"item": "doc:five-year-forward-view", "date": "2014", "precision": "year", "source": IO},
            {"item": "doc:five-year-forward-view", "date": "2014-10", "precision": "month",
             "publisher": "NHS England", "source": BDJ},
            {"item": "doc:planning-guidance-2016-17", "date": "2015-12", "kind": "planning guidance"},
            {"item": "doc:next-steps-on-the-fyfv", "date": "2017-03", "kind": "policy document"},
            {"item": "id:programme/new-models-of-care", "date": "2015-01", "kind": "programme"},
            {"item": "doc:health-and-social-care-act-2012", "date": "2012", "kind": "legislation"},
            {"item": "doc:bma-stp-analysis-2017", "date": "2017-06", "kind": "report",
             "publisher": "British Medical Association"},
        ],
    ),
    "document-effects": Case(
        contains=[
            {"document": "doc:planning-guidance-2016-17", "effect": "introduced", "object": "form:stp-plan",
             "source": IO},
            {"document": "doc:next-steps-on-the-fyfv", "effect": "introduced", "object": "form:ics",
             "source": BMA},
            {"document": "doc:next-steps-on-the-fyfv", "effect": "refreshes",
             "object": "doc:five-year-forward-view", "source": BDJ},
            {"document": "doc:system-plans-2019", "effect": "replaces", "object": "doc:stp-plans-2016",
             "source": BMA},
            {"document": "doc:stp-plans-2016", "effect": "implements",
             "object": "doc:five-year-forward-view"},
            {"document": "doc:five-year-forward-view", "effect": "sets out",
             "object": "id:challenge/health-and-wellbeing-gap", "source": IO},
            {"document": "doc:nhs-long-term-plan", "effect": "sets out",
             "object": "id:requirement/every-stp-to-become-ics", "source": FAQ},
        ],
    ),
    "document-citations": Case(
        params={"document": "doc:bdj-lewney-2017"},
        # The paper's numbered reference list, 1 to 7.
        distinct=("cited", {"doc:nhse-stps-web-page", "doc:nhse-vanguards-web-page",
                            "doc:alderwick-et-al-2016", "doc:developing-stps-to-2020-21",
                            "doc:kings-fund-acos-explained-2017", "doc:five-year-forward-view",
                            "doc:next-steps-on-the-fyfv"}),
        contains=[{"cited": "doc:alderwick-et-al-2016", "citedIssued": "2016", "source": BDJ}],
    ),
    # --- structure ------------------------------------------------------------------------
    "expected-members": Case(
        contains=[
            {"form": "form:stp-plan", "member": "form:ccg", "source": KF},
            {"form": "form:stp-plan", "member": "form:nhs-foundation-trust", "source": KF},
            {"form": "form:stp", "member": "form:local-dental-network", "source": BDJ},
            {"form": "form:stp", "member": "agent:nhs-england", "source": BDJ},
            {"form": "form:stp", "member": "id:group/health-leaders", "source": IO},
            {"form": "form:ics", "member": "form:voluntary-sector-organisation", "source": BMA},
            {"form": "form:ics", "member": "form:pcn", "source": FAQ},
        ],
    ),
    "partnership-members": Case(
        params={"partnership": "stpbody:E54000048"},
        contains=[
            {"member": "trust:RXN", "form": "NHS foundation trust", "source": "graph:stps-2017"},
            {"member": "ccg:00Q", "form": "clinical commissioning group", "end": "2022-06-30"},
        ],
    ),
    "partnership-leaders": Case(
        contains=[
            {"form": "form:stp-plan", "role": "id:role/stp-lead", "roleSource": KF},
            {"form": "form:stp", "role": "id:role/stp-lead", "eligible": "id:role/ccg-chief-officer",
             "eligibleSource": BDJ},
            {"form": "form:stp", "role": "id:role/stp-lead",
             "eligible": "id:role/nhs-trust-chief-executive", "eligibleSource": FAQ},
            {"form": "form:ics", "role": "id:role/ics-lead", "eligible": "id:group/clinicians",
             "eligibleSource": FAQ},
            {"form": "form:pcn", "role": "id:role/pcn-clinical-director", "roleSource": FAQ},
        ],
    ),
    "requirements-and-deadlines": Case(
        contains=[
            # Financial balance: "by 2020" (King's Fund) and "by 2021" (BMA), both kept.
            {"requirement": "id:requirement/financial-balance", "deadline": "2020", "source": KF},
            {"requirement": "id:requirement/financial-balance", "deadline": "2021", "source": BMA},
            {"requirement": "id:requirement/every-stp-to-become-ics", "deadline": "2021-04",
             "status": "planned", "appliesTo": "form:stp", "source": FAQ},
            {"requirement": "id:requirement/stp-boundary-proposals", "deadline": "2016-01",
             "status": "carried out", "source": BDJ},
            {"requirement": "id:requirement/dementia-diagnosis-rate", "kind": "target", "from": "2017",
             "until": "2019", "source": IO},
            {"requirement": "id:requirement/develop-stp-plans", "from": "2015-12",
             "appliesTo": "form:stp-plan"},
        ],
    ),
    "aims": Case(
        contains=[
            {"aim": f"id:aim/stp-headline-{area}", "kind": "headline area", "appliesTo": "form:stp-plan",
             "setOutBy": "doc:stp-plans-2016", "source": KF}
            for area in ("quality-and-new-care-models", "health-and-wellbeing", "efficiency")
        ] + [
            {"aim": "id:aim/ics-coverage-of-england", "deadline": "2021", "appliesTo": "form:ics",
             "setOutBy": "doc:nhs-long-term-plan", "source": FAQ},
            {"aim": "id:aim/pm-dementia-challenge-2020", "deadline": "2020",
             "attributedTo": "the Prime Minister (office)", "source": IO},
        ],
    ),
    "challenges": Case(
        contains=[
            {"challenge": f"id:challenge/{gap}-gap", "setOutBy": "doc:five-year-forward-view", "source": IO}
            for gap in ("health-and-wellbeing", "care-and-quality", "funding-and-efficiency")
        ] + [
            {"challenge": "id:challenge/rising-demand-for-care", "appliesTo": "form:ics",
             "setOutBy": "doc:nhse-stp-faq", "source": FAQ},
            {"challenge": "id:challenge/stp-footprints-large-and-complex", "attributedTo": "The King's Fund"},
        ],
    ),
    "funding": Case(
        contains=[
            {"funding": "id:funding/nhs-transformation-funding",
             "statement": "id:requirement/stp-single-route-to-transformation-funding",
             "kind": "requirement", "date": "2017-04", "source": KF},
            {"funding": "id:funding/nhs-transformation-funding",
             "statement": "finding:stps-main-gateway-to-funding", "kind": "claim", "source": KF},
            {"statement": "finding:stp-spending-managers-consultants", "value": "10000000", "unit": "GBP",
             "date": "2017", "source": BMA},
            {"funding": "id:funding/capital-funding-settlements", "source": BMA},
        ],
    ),
    "stakeholder-engagement": Case(
        contains=[
            {"form": "form:stp", "engaged": "agent:medical-royal-colleges", "source": FAQ},
            {"form": "form:stp", "engaged": "id:group/trade-unions", "source": FAQ},
            {"form": "form:ics", "engaged": "id:group/frontline-staff", "source": FAQ},
        ],
    ),
    # --- claims and figures ----------------------------------------------------------------
    "claims-by-source": Case(
        contains=[
            {"attributedTo": "agent:bma", "finding": "finding:bma-concern-governance",
             "findingKind": "concern", "evidence": "STPs are not statutory bodies", "locator": "BMA view",
             "source": BMA},
            {"attributedTo": "agent:kings-fund", "finding": "finding:stp-population-average",
             "findingKind": "population figure", "source": KF},
            {"attributedTo": "agent:nhs-england", "finding": "finding:stps-main-vehicle-for-integration",
             "findingKind": "claim", "source": IO},
            {"attributedTo": "id:person/jonathan-lewney", "finding": "finding:count-stp-footprints",
             "source": BDJ},
            {"attributedTo": "id:group/media", "finding": "finding:media-portray-stps-as-cuts",
             "findingKind": "concern"},
        ],
    ),
    "survey-results": Case(
        # The BMA page's six survey figures, all from doctors in its all-member survey.
        distinct=("value", {"78", "80", "51", "15", "9", "5"}),
        contains=[
            {"result": "finding:bma-survey-not-engaged", "value": "78", "unit": "percent",
             "respondents": "doctors", "survey": "id:survey/bma-all-member-survey",
             "conductedBy": "British Medical Association", "source": BMA},
        ],
    ),
    "counts": Case(
        contains=[
            {"count": "finding:count-stp-footprints", "value": "44", "countOf": "form:stp", "source": src}
            for src in (IO, KF, BMA, BDJ)
        ] + [
            {"count": "finding:count-stp-footprints", "period": "2016-03", "source": BMA},
            {"count": "finding:count-vanguard-sites", "value": "50", "countOf": "form:vanguard"},
            {"count": "finding:bma-count-icss", "value": "14", "countOf": "form:ics"},
            {"count": "finding:bma-count-icps", "value": "0", "countOf": "form:integrated-care-provider"},
            {"count": "finding:count-must-dos-2017-19", "value": "9", "countOf": "stp:Requirement",
             "linked": "2"},
        ],
    ),
    # --- provenance ------------------------------------------------------------------------
    "statements-by-source": Case(
        params={"thing": "doc:five-year-forward-view"},
        contains=[
            {"source": IO, "direction": "→", "property": "dct:issued", "value": "2014"},
            {"source": BDJ, "direction": "→", "property": "dct:issued", "value": "2014-10"},
            {"source": IO, "direction": "→", "property": "stp:periodStart", "value": "2016"},
            {"source": BDJ, "direction": "←", "property": "stp:refreshes",
             "value": "doc:next-steps-on-the-fyfv"},
        ],
        absent=[{"source": KF, "property": "dct:issued"}],
    ),
    "documents-disagree": Case(
        contains=[
            {"thing": "id:requirement/financial-balance", "property": "stp:deadline",
             "value1": "2021", "source1": BMA, "value2": "2020", "source2": KF},
            {"thing": "doc:five-year-forward-view", "property": "dct:issued",
             "value1": "2014-10", "source1": BDJ, "value2": "2014", "source2": IO},
        ],
        # Both sources give 2017-03 for Next Steps: no disagreement.
        absent=[{"thing": "doc:next-steps-on-the-fyfv", "property": "dct:issued"}],
    ),
    "sources": Case(
        contains=[
            {"graph": f"graph:{name}", "source": f"doc:{name}", "kind": "source document"}
            for name in ("integration-overview", "kings-fund-stps-explained", "nhse-stp-faq", "bma-stps",
                         "bdj-lewney-2017")
        ],
    ),
    "forms-of-body": Case(
        contains=[
            {"form": "form:stp", "label": "sustainability and transformation partnership",
             "abbreviation": "STP", "class": "stp:SustainabilityAndTransformationPartnership"},
            {"form": "form:icb", "abbreviation": "ICB", "class": "stp:IntegratedCareBoard"},
            {"form": "form:stp-plan", "abbreviation": "STP (plan)"},
        ],
    ),
    "name-history": Case(
        params={"body": "stpbody:E54000005"},
        # "E54000005 West Yorkshire and Harrogate became E54000054" in April 2020 (ONS lookup).
        contains=[
            {"what": "ONS code", "value": "E54000005"},
            {"what": "ONS code", "value": "E54000054"},
            {"what": "ODS code", "value": "QWO"},
            {"what": "dated name", "value": "West Yorkshire"},
            {"what": "change of name or code", "from": "2020-04"},
        ],
    ),
}


# --- helpers ---------------------------------------------------------------------------------


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    return "" if term is None else term.value


def _rows(results: Results) -> list[dict[str, str]]:
    return [{v: _cell(t) for v, t in zip(results.variables, row, strict=True)} for row in results.rows]


def _want(row: dict[str, str]) -> dict[str, str]:
    """Expected values with ``prefix:local`` IRIs expanded (other text is left alone)."""
    return {key: expand(value) for key, value in row.items()}


def _matches(row: dict[str, str], want: dict[str, str]) -> bool:
    return all(row.get(k) == v for k, v in want.items())


def _show(rows: list[dict[str, str]]) -> str:
    return "\n".join(str({k: compact_iri(v) if "://" in v else v for k, v in r.items()}) for r in rows[:15])


_CONCAT = re.compile(r'GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*;\s*separator\s*=\s*"([^"]*)"', re.I)


def _same(query: SavedQuery, a: Results, b: Results) -> bool:
    """Equal results, ignoring row order and the two ways engines may legitimately differ on
    GROUP_CONCAT: the order of the joined values (SPARQL leaves it open), and the result's
    language tag (pyoxigraph keeps a tag all the values share; rdflib returns a plain string).
    In a query with GROUP_CONCAT each literal is therefore compared as the sorted list of its
    parts, without tag or datatype.
    """
    separators = _CONCAT.findall(query.text)

    def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None):
        if not (separators and isinstance(term, ox.Literal)):
            return term
        parts = [term.value]
        for sep in separators:
            parts = [piece for part in parts for piece in part.split(sep)]
        return ox.Literal("\u0000".join(sorted(parts)))

    def unordered(results: Results) -> list[tuple[str, ...]]:
        if results.kind != "select":
            return results.canonical()
        rows = [tuple(cell(t) for t in row) for row in results.rows]
        return Results("select", results.variables, rows).canonical()

    return a.variables == b.variables and unordered(a) == unordered(b)


def _params(name: str) -> dict[str, str]:
    """The parameters a test runs ``name`` with: the case's own, else its help texts' examples."""
    return CASES[name].params if name in CASES and CASES[name].params else CATALOGUE[name].example_values()


def _text(query: SavedQuery) -> str:
    return query.bind(_params(query.name))


# --- the catalogue ---------------------------------------------------------------------------


def test_catalogue_has_at_least_25_questions_and_each_is_described() -> None:
    questions = [q for q in CATALOGUE.values() if not q.is_check]
    assert len(questions) >= 25
    for query in CATALOGUE.values():
        assert query.title and query.description, query.name
        for param in query.params:
            assert param.help, f"{query.name}: parameter {param.name} has no help text"


def test_every_case_names_a_saved_query_and_every_required_parameter_has_an_example() -> None:
    assert set(CASES) <= set(CATALOGUE)
    for query in CATALOGUE.values():
        for param in query.params:
            if param.required:
                assert param.name in _params(query.name), f"{query.name} needs an example {param.name}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_saved_query_returns_expected_rows(name: str, engine: LocalEngine) -> None:
    case = CASES[name]
    rows = _rows(engine.query(CATALOGUE[name].bind(case.params), label=name))
    for want in case.contains:
        assert any(_matches(r, _want(want)) for r in rows), f"{name}: no row like {want}\n{_show(rows)}"
    for unwanted in case.absent:
        hits = [r for r in rows if _matches(r, _want(unwanted))]
        assert not hits, f"{name}: unexpected rows like {unwanted}:\n{_show(hits)}"
    if case.distinct:
        column, values = case.distinct
        assert {r[column] for r in rows} == {_want({"v": v})["v"] for v in values}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_saved_query_runs_and_names_its_columns(name: str, engine: LocalEngine) -> None:
    results = engine.query(_text(CATALOGUE[name]), label=name)
    assert results.kind == "select"
    assert results.variables and len(set(results.variables)) == len(results.variables)
    assert CATALOGUE[name].is_check or len(results) > 0, f"{name} answers nothing on the shipped graph"


def test_sources_count_the_triples_the_build_wrote(engine: LocalEngine, built: Path) -> None:
    manifest = json.loads((built.parent / "manifest.json").read_text())["graphs"]
    rows = _rows(engine.query(CATALOGUE["sources"].text, label="sources"))
    assert rows
    for row in rows:
        assert int(row["triples"]) == manifest[row["graph"]], row["graph"]


# --- parameters change the answer, never the query's structure ------------------------------


def test_optional_parameter_narrows_the_answer(engine: LocalEngine) -> None:
    query = CATALOGUE["form-succession"]
    everything = _rows(engine.query(query.bind({}), label="all"))
    ics = expand("form:ics")
    only_ics = _rows(engine.query(query.bind({"form": "form:ics"}), label="ics"))
    assert 0 < len(only_ics) < len(everything)
    assert all(ics in (r["from"], r["to"]) for r in only_ics)
    assert {tuple(r.items()) for r in only_ics} == {
        tuple(r.items()) for r in everything if ics in (r["from"], r["to"])}


def test_several_parameters_combine(engine: LocalEngine) -> None:
    rows = _rows(engine.query(CATALOGUE["claims-by-source"].bind(
        {"by": "agent:bma", "kind": "stp:SurveyResult", "about": "form:stp"}), label="claims"))
    # Of the BMA's six survey figures only the 78% one is about STPs themselves (the rest are
    # about the 2016 plans).
    assert {r["finding"] for r in rows} == {expand("finding:bma-survey-not-engaged")}


def test_date_parameter_compares_at_the_precision_given(engine: LocalEngine) -> None:
    rows = _rows(engine.query(CATALOGUE["policy-timeline"].bind({"after": "2017-03"}), label="t"))
    dates = {r["date"] for r in rows}
    assert "2017-03" in dates and "2017-06" in dates
    assert not {d for d in dates if d < "2017-03"}, "earlier items leaked through"


@pytest.mark.parametrize(("name", "param", "hostile"), [
    ("form-succession", "form", 'x> } } SELECT * WHERE { ?s ?p ?o } #'),
    ("form-succession", "form", "form:stp> . ?s ?p ?o . <x"),
    ("policy-timeline", "after", '2017" || true || "'),
])
def test_a_value_cannot_change_the_query(name: str, param: str, hostile: str) -> None:
    with pytest.raises(UsageError, match=f"parameter '{param}' must be"):
        CATALOGUE[name].bind({param: hostile})


def test_a_bound_value_is_one_term(engine: LocalEngine) -> None:
    # A legal IRI that looks like SPARQL is still just one IRI that matches nothing.
    text = CATALOGUE["form-succession"].bind({"form": "urn:x:%7D%20UNION%20%7B"})
    assert "VALUES (?form) { (<urn:x:%7D%20UNION%20%7B>) }" in text
    assert engine.query(text, label="odd").rows == []


# --- checks ---------------------------------------------------------------------------------


def test_there_are_checks() -> None:
    assert {"undescribed-thing-violation", "undeclared-property-violation", "self-succession-violation",
            "denied-replacement-violation", "succession-event-incomplete-violation",
            "date-datatype-violation", "interval-order-violation"} <= set(CHECKS)


@pytest.mark.parametrize("name", CHECKS)
def test_check_passes_on_the_shipped_graph(name: str, engine: LocalEngine) -> None:
    results = engine.query(CATALOGUE[name].text, label=name)
    assert results.rows == [], f"{name} found problems:\n{_show(_rows(results))}"


PLANTED = {
    "undescribed-thing-violation": ("thing", {"agent:nobody", "agent:unseen"}),
    "undeclared-property-violation": ("property", {"stp:startdate"}),
    "self-succession-violation": ("thing", {"ccg:self", "ccg:loop-a", "ccg:loop-b", "ccg:merger-self"}),
    "denied-replacement-violation": ("subject", {"form:old"}),
    "succession-event-incomplete-violation": ("change", {"event:half-merger", "form-change:no-status"}),
    "date-datatype-violation": ("thing", {"doc:bad-dates"}),
    "interval-order-violation": ("thing", {"id:membership/backwards", "doc:backwards-plan"}),
}


@pytest.fixture(scope="module")
def faulty() -> LocalEngine:
    """The planted faults of tests/fixtures/queries/violations.trig, beside the real ontology."""
    store = load_store(item for item in collect_inputs(ROOT) if item.is_ontology)
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return LocalEngine(store)


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_check_finds_exactly_the_planted_faults(name: str, faulty: LocalEngine) -> None:
    column, planted = PLANTED[name]
    found = {r[column] for r in _rows(faulty.query(CATALOGUE[name].text, label=name))}
    assert found == {expand(x) for x in planted}


def test_every_check_has_a_planted_fault() -> None:
    assert set(CHECKS) <= set(PLANTED), "add a fault for the new check to violations.trig"


# --- the same answers from rdflib -----------------------------------------------------------


@pytest.fixture(scope="module")
def rdflib_engine(built: Path) -> RdflibEngine:
    """The shipped graph in rdflib's SPARQL engine."""
    return RdflibEngine(built)


RDFLIB_LIMIT = 120  # seconds; the slowest saved query takes about 20 s in rdflib on a busy machine


class _TooSlow(Exception):
    pass


@contextmanager
def _within(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) when the block runs longer than ``seconds``."""

    def alarm(*_: object) -> None:
        raise _TooSlow

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_rdflib_gives_the_same_answer(name: str, engine: LocalEngine, rdflib_engine: RdflibEngine) -> None:
    text = _text(CATALOGUE[name])
    local = engine.query(text, label=name)
    try:
        with _within(RDFLIB_LIMIT):
            other = rdflib_engine.query(text, label=name)
    except _TooSlow:
        pytest.fail(f"{name}: rdflib gave no answer within {RDFLIB_LIMIT} s; rdflib evaluates a group "
                    "of three or more parts (or a VALUES block before other patterns) as unbound "
                    "cross products, so keep each group's required patterns in one block")
    assert other.variables == local.variables
    assert _same(CATALOGUE[name], other, local), f"{name}: rdflib differs"


# --- a real SPARQL endpoint on 127.0.0.1 -----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _oxigraph() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    assert found, "the oxigraph server (PyPI package 'oxigraph') is needed for the endpoint tests"
    return found


@pytest.fixture(scope="module")
def endpoint(built: Path) -> Iterator[str]:
    """``oxigraph serve-read-only`` over the shipped graph, union default graph, on a free port."""
    with tempfile.TemporaryDirectory(prefix="stpgraph-endpoint-") as tmp:
        location = Path(tmp) / "db"
        subprocess.run([_oxigraph(), "load", "--location", str(location), "--file", str(built)],
                       check=True, capture_output=True, timeout=120)
        port = _free_port()
        log = Path(tmp) / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(
                [_oxigraph(), "serve-read-only", "--location", str(location), "--bind",
                 f"127.0.0.1:{port}", "--union-default-graph"], stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/query"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, f"oxigraph server died:\n{log.read_text()}"
                try:
                    with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline, f"oxigraph server never answered:\n{log.read_text()}"
                    time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_remote_endpoint_gives_the_same_answer(name: str, engine: LocalEngine, endpoint: str) -> None:
    text = _text(CATALOGUE[name])
    local = engine.query(text, label=name)
    remote = RemoteEngine(endpoint, timeout=60).query(text, label=name)
    assert remote.variables == local.variables
    assert _same(CATALOGUE[name], remote, local), f"{name}: the endpoint differs"


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "stpgraph"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def _cli_args(name: str) -> list[str]:
    return [a for k, v in _params(name).items() for a in ("--param", f"{k}={v}")]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_cli_output_is_the_same_remotely(name: str, fmt: str, endpoint: str) -> None:
    local = _cli("query", name, *_cli_args(name), "--format", fmt)
    remote = _cli("query", name, *_cli_args(name), "--format", fmt, "--endpoint", endpoint)
    assert local.returncode == 0, local.stderr
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout


# --- the command line, through the real console entry point -----------------------------------


def test_cli_lists_the_catalogue() -> None:
    done = _cli("queries")
    assert done.returncode == 0, done.stderr
    names = [line.split()[0] for line in done.stdout.splitlines() if line and not line.startswith("(")]
    assert len(names) >= 25 and set(CASES) <= set(names)
    assert "succession-chain" in done.stdout and "from=IRI" in done.stdout
    listed = json.loads(_cli("queries", "--format", "json").stdout)
    assert {q["name"] for q in listed} == set(CATALOGUE)


def test_cli_runs_a_query_with_a_parameter() -> None:
    done = _cli("query", "succession-chain", "--param", "from=form:stp-plan", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    first = next(r for r in rows if r["step"] == expand("form:stp-plan"))
    assert {"next": expand("form:stp"), "kind": "form renaming", "date": "2017-03"}.items() <= first.items()
    assert any(r["next"] == expand("form:ics") and r["date"] == "2021-04" for r in rows)


def test_cli_formats() -> None:
    def run(fmt: str) -> str:
        done = _cli("query", "survey-results", "--format", fmt)
        assert done.returncode == 0, done.stderr
        return done.stdout

    table = run("table")
    assert "finding:bma-survey-not-engaged" in table and "(6 rows)" in table
    assert len(list(csv.DictReader(io.StringIO(run("csv"))))) == 6
    tsv = run("tsv").splitlines()
    assert tsv[0].startswith("?result\t") and len(tsv) == 7
    bindings = json.loads(run("json"))["results"]["bindings"]
    assert {b["value"]["value"] for b in bindings} == {"78", "80", "51", "15", "9", "5"}
    for fmt, rdf in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                     ("jsonld", ox.RdfFormat.JSON_LD)):
        triples = list(ox.parse(run(fmt).encode(), format=rdf))
        assert any(t.object == ox.Literal("78", datatype=ox.NamedNode(expand("xsd:integer")))
                   for t in triples), fmt


def test_cli_describes_an_entity_by_label() -> None:
    done = _cli("describe", "Five Year Forward View")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.splitlines()[0] == "Five Year Forward View"
    assert "according to integration-overview:" in out and "according to bdj-lewney-2017:" in out
    assert "2014-10" in out and "referred to by:" in out


def _one_line_error(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def test_cli_unknown_query_suggests_near_names() -> None:
    line = _one_line_error(_cli("query", "form-sucession"), 2)
    assert "'form-sucession'" in line and "form-succession" in line


def test_cli_missing_required_parameter() -> None:
    line = _one_line_error(_cli("query", "succession-chain"), 2)
    assert "'from'" in line and "IRI" in line


def test_cli_ill_typed_parameter() -> None:
    line = _one_line_error(_cli("query", "policy-timeline", "--param", "after=last year"), 2)
    assert "'after'" in line and "date" in line


def test_cli_unknown_parameter() -> None:
    line = _one_line_error(_cli("query", "counts", "--param", "off=form:stp"), 2)
    assert "'off'" in line and "its parameters: of" in line


def test_cli_sparql_syntax_error_gives_the_position() -> None:
    line = _one_line_error(_cli("sparql", "SELECT ?x WHERE { ?x ?y }"), 3)
    assert "syntax error" in line and "1:26" in line


def test_cli_unreachable_endpoint() -> None:
    port = _free_port()  # nothing listens there once the probe socket is closed
    line = _one_line_error(_cli("query", "counts", "--endpoint", f"http://127.0.0.1:{port}/query",
                                "--timeout", "5", timeout=60), 6)
    assert f"127.0.0.1:{port}" in line and "cannot reach" in line


def test_a_current_build_is_opened_without_the_build_machinery(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, project / part)
    env = {**os.environ, "STPGRAPH_HOME": str(project)}
    env.pop("STPGRAPH_BUILD", None)

    def imports_build() -> bool:
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "stpgraph.cli", "query", "counts",
                               "--format", "csv"], capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "finding:" not in done.stdout and expand("finding:count-stp-footprints") in done.stdout
        return any(line.rstrip().endswith(" stpgraph.build") for line in done.stderr.splitlines())

    assert imports_build()  # first call: builds, then stamps the check
    assert (project / "build" / ".checked").is_file()
    assert not imports_build()  # nothing changed: the fast path
    seed = project / "data" / "seeds" / "bma-stps.ttl"
    os.utime(seed)  # touched, not changed
    assert imports_build()  # an input looks newer: the full digest check runs (and finds it current)
    assert not imports_build()
