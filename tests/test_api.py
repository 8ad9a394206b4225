"""The Python API (stpgraph.open): same answers as the CLI, Python values, pandas frames."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

import stpgraph
from stpgraph.api import IRI, KnowledgeGraph, Table, to_python
from stpgraph.catalogue import load_catalogue
from stpgraph.dates import Day, Year, YearMonth
from stpgraph.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
XSD = "http://www.w3.org/2001/XMLSchema#"
SAVED = sorted(load_catalogue(ROOT / "queries"))


@pytest.fixture(scope="module")
def kg(built: Path) -> KnowledgeGraph:
    """The API over the shipped graph (built by the session fixture)."""
    return stpgraph.open(root=ROOT)


def _example_params(name: str) -> dict[str, str]:
    """Values for required parameters, taken from the ``e.g.`` in their help text."""
    saved = load_catalogue(ROOT / "queries")[name]
    values = {}
    for p in saved.params:
        if p.required:
            match = re.search(r"e\.g\.\s*([^\s),;]+)", p.help)
            assert match, f"queries/{name}.rq: required parameter {p.name} has no 'e.g.' example"
            values[p.name] = match.group(1)
    return values


def _canonical(doc: dict) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in doc["results"]["bindings"])


@pytest.mark.parametrize("name", SAVED)
def test_every_saved_query_matches_the_cli(kg: KnowledgeGraph, name: str) -> None:
    params = _example_params(name)
    args = [a for k, v in params.items() for a in ("--param", f"{k}={v}")]
    cli = subprocess.run([sys.executable, "-m", "stpgraph.cli", "query", name, "--format", "json", *args],
                         cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "STPGRAPH_HOME": str(ROOT)})
    assert cli.returncode == 0, cli.stderr
    table = kg.query(name, **params)
    expected, got = json.loads(cli.stdout), json.loads(table.to_json())
    assert got["head"] == expected["head"]
    assert _canonical(got) == _canonical(expected)
    assert len(table.records()) == len(expected["results"]["bindings"])
    assert table.columns == expected["head"]["vars"]


def test_open_is_exported_lazily() -> None:
    code = "import sys, stpgraph; assert 'stpgraph.api' not in sys.modules; stpgraph.open; " \
           "assert 'stpgraph.api' in sys.modules; assert 'pandas' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    assert stpgraph.open is stpgraph.api.open
    assert "open" in dir(stpgraph)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        stpgraph.nope  # noqa: B018


def test_successors_carry_kind_date_and_precision(kg: KnowledgeGraph) -> None:
    steps = kg.successors("stpbody:E54000047", transitive=True).records()
    kinds = [(s["kind"], s["to"].compact) for s in steps]
    assert ("merger", "stpbody:E54000049") in kinds and ("evolution", "icb:QHM") in kinds
    assert kinds.index(("merger", "stpbody:E54000049")) < kinds.index(("evolution", "icb:QHM"))
    merger = next(s for s in steps if s["kind"] == "merger")
    evolution = next(s for s in steps if s["kind"] == "evolution")
    assert merger["date"] == YearMonth(2018, 8) and isinstance(merger["date"], YearMonth)
    assert evolution["date"] == dt.date(2022, 7, 1) and isinstance(evolution["date"], Day)
    assert evolution["framework"].compact == "doc:health-and-care-act-2022"
    assert isinstance(evolution["to"], IRI) and evolution["to"].startswith("https://w3id.org/stpgraph/")
    direct = kg.successors("stpbody:E54000047").records()
    assert {s["to"].compact for s in direct} == {"stpbody:E54000049"}


def test_successors_of_a_form_and_latest_dates(kg: KnowledgeGraph) -> None:
    forms = kg.successors("form:stp-plan").records(compact=True)
    assert {(r["to"], r["kind"], str(r["date"])) for r in forms} == {
        ("form:stp", "form renaming", "2017-03")}
    merged = kg.successors("ccg:10H").records(compact=True)
    assert merged and merged[0]["to"] == "ccg:14Y"
    assert merged[0]["date"] is None and merged[0]["latest_date"] == YearMonth(2020, 4)


def test_history_roles_and_order(kg: KnowledgeGraph) -> None:
    rows = kg.history("Cumbria and North East").records(compact=True)
    assert [(r["kind"], r["role"]) for r in rows][-1] == ("evolution", "from")
    assert {r["other"] for r in rows if r["role"] == "to"} == {
        "stpbody:E54000045", "stpbody:E54000046", "stpbody:E54000047"}
    assert any(r["kind"] == "recoding" and r["role"] == "same body" and r["other"] is None for r in rows)


def test_describe_resolve_and_label(kg: KnowledgeGraph) -> None:
    d = kg.describe("Five Year Forward View")
    assert d.iri.compact == "doc:five-year-forward-view"
    assert d.label == "Five Year Forward View"
    assert str(d).startswith("Five Year Forward View\n")
    assert {"g", "p", "o", "olabel"} <= set(d.statements.columns) and len(d.statements) > 5
    assert kg.resolve("doc:five-year-forward-view") == d.iri
    with pytest.raises(UsageError, match="nothing is labelled"):
        kg.resolve("no such thing at all, surely")


def test_query_parameters_and_errors(kg: KnowledgeGraph) -> None:
    rows = kg.query("form-succession", form=IRI("https://w3id.org/stpgraph/id/form/aco")).records(compact=True)
    assert rows and {r["from"] for r in rows} == {"form:aco"}
    with pytest.raises(UsageError, match="has no parameter 'colour'"):
        kg.query("form-succession", colour="red")
    with pytest.raises(UsageError, match="no saved query 'form-sucession'; did you mean form-succession"):
        kg.query("form-sucession")
    assert "form-succession" in kg.catalogue


def test_sparql_ask_and_construct(kg: KnowledgeGraph) -> None:
    assert kg.sparql("ASK { form:stp stp:replacedBy form:ics }").boolean is True
    assert not kg.sparql("ASK { form:ics stp:replacedBy form:stp }")
    graph = kg.sparql("CONSTRUCT { form:stp stp:replacedBy ?x } WHERE { form:stp stp:replacedBy ?x }")
    assert graph.kind == "graph" and graph.columns == ["subject", "predicate", "object"]
    assert {r["object"].compact for r in graph.records()} == {"form:ics"}
    assert graph.to_df()["object"].tolist() == ["https://w3id.org/stpgraph/id/form/ics"]


def test_to_python_covers_the_xsd_types() -> None:
    def lit(value: str, datatype: str) -> ox.Literal:
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))

    assert to_python(lit("2014", "gYear")) == Year(2014) and isinstance(to_python(lit("2014", "gYear")), Year)
    assert to_python(lit("2017-03", "gYearMonth")) == YearMonth(2017, 3)
    assert to_python(lit("2022-07-01", "date")) == Day(2022, 7, 1)
    assert to_python(lit("2022-07-01T10:00:00Z", "dateTime")) == dt.datetime(2022, 7, 1, 10,
                                                                             tzinfo=dt.UTC)
    assert to_python(lit("42", "integer")) == 42 and to_python(lit("7", "nonNegativeInteger")) == 7
    assert to_python(lit("1.50", "decimal")) == decimal.Decimal("1.50")
    assert to_python(lit("2.5E0", "double")) == 2.5
    assert to_python(lit("true", "boolean")) is True and to_python(lit("0", "boolean")) is False
    assert to_python(lit("not a year", "gYear")) == "not a year"
    assert to_python(ox.Literal("STP", language="en")) == "STP"
    assert to_python(ox.BlankNode("b1")) == "_:b1"
    assert to_python(ox.NamedNode("http://example.org/x"), compact=True) == "http://example.org/x"
    assert to_python(None) is None


TYPED = """
SELECT ?iri ?text ?n ?x ?flag ?when ?day ?mixed WHERE {
  VALUES (?iri ?text ?n ?x ?flag ?when ?day ?mixed) {
    (form:stp "one" 1 1.5 true "2014"^^xsd:gYear "2022-07-01"^^xsd:date 1)
    (form:ics UNDEF 2 2.0E0 false "2017-03"^^xsd:gYearMonth UNDEF "two")
  }
}
"""


def test_dataframe_columns_and_dtypes(kg: KnowledgeGraph) -> None:
    table = kg.sparql(TYPED)
    df = table.to_df()
    assert list(df.columns) == ["iri", "text", "n", "x", "flag", "when", "day", "mixed"]
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        "iri": "string", "text": "string", "n": "Int64", "x": "Float64", "flag": "boolean",
        "when": "object", "day": "object", "mixed": "object"}
    assert df["iri"][0] == "https://w3id.org/stpgraph/id/form/stp"
    assert df["text"].isna().tolist() == [False, True]
    assert df["when"].tolist() == [Year(2014), YearMonth(2017, 3)]
    assert table.to_df(compact=True)["iri"].tolist() == ["form:stp", "form:ics"]
    starts = table.to_df(dates="start")
    assert str(starts["when"].dtype) == "datetime64[ns]"
    assert starts["when"].dt.strftime("%Y-%m-%d").tolist() == ["2014-01-01", "2017-03-01"]
    ends = table.to_df(dates="end")
    assert ends["when"].dt.strftime("%Y-%m-%d").tolist() == ["2014-12-31", "2017-03-31"]
    assert ends["day"].isna().tolist() == [False, True]
    with pytest.raises(ValueError, match="dates must be"):
        table.to_df(dates="middle")


def test_records_json_and_rendering(kg: KnowledgeGraph) -> None:
    table = kg.sparql(TYPED)
    first = table.records()[0]
    assert first["n"] == 1 and first["x"] == decimal.Decimal("1.5") and first["flag"] is True
    assert table[1]["text"] is None and len(table) == 2 and list(table)[1]["n"] == 2
    doc = json.loads(table.to_json())
    assert doc["head"]["vars"] == table.columns
    assert doc["results"]["bindings"][0]["when"] == {"type": "literal", "value": "2014",
                                                      "datatype": XSD + "gYear"}
    assert table.render("csv").splitlines()[0] == "iri,text,n,x,flag,when,day,mixed"
    assert "form:stp" in repr(table) and "(2 rows)" in repr(table)
    assert "<table>" in table._repr_html_() and "form:ics" in table._repr_html_()
    assert table.column("n") == [1, 2]
    with pytest.raises(KeyError, match="no column 'nope'"):
        table.column("nope")


def test_missing_pandas_names_the_extra(kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=re.escape("pip install stpgraph[pandas]")):
        kg.sparql("SELECT ?x WHERE { VALUES ?x { 1 } }").to_df()


def test_open_rejects_unknown_engine() -> None:
    with pytest.raises(UsageError, match="engine must be"):
        stpgraph.open(engine="duckdb")


def test_rdflib_engine_agrees(kg: KnowledgeGraph) -> None:
    slow = stpgraph.open(root=ROOT, engine="rdflib")
    q = "SELECT ?a ?b WHERE { ?a stp:replacedBy ?b . ?a skos:inScheme ?s }"
    assert Table(slow.engine.query(q, prefixes=stpgraph.api.PREFIXES)).raw.canonical() == \
        kg.sparql(q).raw.canonical()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(built: Path):
    """A real Oxigraph server on 127.0.0.1 holding the built graph (union default graph)."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    assert Path(binary).exists(), "the oxigraph server (pip package 'oxigraph') is a test dependency"
    folder = Path(tempfile.mkdtemp(prefix="stpgraph-oxi-"))
    subprocess.run([binary, "load", "--location", str(folder), "--file", str(built)], check=True,
                   capture_output=True)
    port = _free_port()
    process = subprocess.Popen([binary, "serve-read-only", "--location", str(folder), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read().decode(errors="replace")
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the oxigraph server did not answer within 60 s"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_remote_endpoint_gives_the_same_answers(kg: KnowledgeGraph, oxigraph_server: str) -> None:
    remote = stpgraph.open(endpoint=oxigraph_server, root=ROOT, timeout=20)
    assert remote.engine.name == "remote"
    local_steps = kg.successors("stpbody:E54000047", transitive=True).records()
    remote_steps = remote.successors("stpbody:E54000047", transitive=True).records()
    assert remote_steps == local_steps
    assert remote.query("form-succession").raw.canonical() == kg.query("form-succession").raw.canonical()
