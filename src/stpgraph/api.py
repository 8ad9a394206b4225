"""stpgraph as a Python library: open the graph, ask it questions, get Python values back.

>>> import stpgraph
>>> kg = stpgraph.open()
>>> fyfv = kg.sparql('SELECT ?issued WHERE { doc:five-year-forward-view dct:issued ?issued } '
...                  'ORDER BY ?issued')
>>> fyfv.column("issued")
[Year(2014), YearMonth(2014, 10)]
>>> [(r["kind"], str(r["to_label"])) for r in kg.successors("form:stp-plan").records()]
[('form renaming', 'sustainability and transformation partnership')]

Results are :class:`Table` objects: ``records()`` gives dictionaries of Python values,
``to_df()`` a pandas DataFrame (``pip install stpgraph[pandas]``), ``to_json()`` the W3C SPARQL
JSON results document. Literals become Python types; dates keep their precision as
:class:`~stpgraph.dates.Year`, :class:`~stpgraph.dates.YearMonth` or :class:`~stpgraph.dates.Day`;
IRIs become :class:`IRI` strings, or prefixed names with ``compact=True``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .catalogue import SavedQuery, bind_values, load_catalogue
from .dates import Day, Year, YearMonth, parse_partial
from .engines import Engine, open_engine
from .errors import UsageError
from .namespace import PREFIXES, compact_iri, sparql_prologue
from .results import Results, render

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .plot import Picture

__all__ = ["IRI", "Description", "KnowledgeGraph", "Table", "open", "to_python"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte")}
_FLOAT_TYPES = {XSD + "double", XSD + "float"}
PANDAS_HINT = "the pandas extra is not installed: pip install stpgraph[pandas]"


class IRI(str):
    """An IRI from the graph: a ``str`` (the full IRI) that knows its prefixed name.

    >>> iri = IRI("https://w3id.org/stpgraph/id/form/ics")
    >>> iri.compact, iri == "https://w3id.org/stpgraph/id/form/ics"
    ('form:ics', True)
    """

    __slots__ = ()

    @property
    def compact(self) -> str:
        """``prefix:local`` when a known prefix fits, else the full IRI."""
        short = compact_iri(str(self))
        return str(self) if short.startswith("<") else short

    def __repr__(self) -> str:
        return f"IRI({str(self)!r})"


def to_python(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, *, compact: bool = False) -> Any:
    """Convert one RDF term to a Python value.

    IRIs → :class:`IRI` (or a prefixed-name ``str`` with ``compact=True``); blank nodes → ``"_:id"``;
    ``xsd:gYear``/``gYearMonth``/``date`` → :class:`Year`/:class:`YearMonth`/:class:`Day`;
    ``xsd:dateTime`` → :class:`datetime.datetime`; integers → ``int``; ``xsd:decimal`` →
    :class:`decimal.Decimal`; ``xsd:double``/``float`` → ``float``; ``xsd:boolean`` → ``bool``;
    every other literal (strings, language-tagged text, unknown or ill-formed values) → its text.

    >>> to_python(ox.Literal("2017-03", datatype=ox.NamedNode(XSD + "gYearMonth")))
    YearMonth(2017, 3)
    >>> to_python(ox.Literal("1.2", datatype=ox.NamedNode(XSD + "decimal")))
    Decimal('1.2')
    >>> to_python(ox.NamedNode("https://w3id.org/stpgraph/id/icb/QE1"), compact=True)
    'icb:QE1'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        iri = IRI(term.value)
        return iri.compact if compact else iri
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    datatype, text = term.datatype.value, term.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(text)
        if datatype == XSD + "decimal":
            return decimal.Decimal(text)
        if datatype in _FLOAT_TYPES:
            return float(text.replace("INF", "inf"))
        if datatype == XSD + "boolean":
            return text.strip() in ("true", "1")
        if datatype in (XSD + "gYear", XSD + "gYearMonth", XSD + "date"):
            return parse_partial(text)
        if datatype == XSD + "dateTime":
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, decimal.InvalidOperation):
        return text
    return text


class Table:
    """The result of a query, wrapping :class:`stpgraph.results.Results`.

    SELECT results have ``columns`` and rows; ASK results have ``boolean`` (and ``bool(table)``);
    CONSTRUCT/DESCRIBE results have ``triples`` and are tabulated as subject, predicate, object.
    """

    def __init__(self, results: Results) -> None:
        self.raw = results

    @property
    def kind(self) -> str:
        """``"select"``, ``"ask"`` or ``"graph"``."""
        return self.raw.kind

    @property
    def columns(self) -> list[str]:
        """Column names, in the query's order."""
        return ["subject", "predicate", "object"] if self.kind == "graph" else list(self.raw.variables)

    @property
    def boolean(self) -> bool | None:
        """The answer of an ASK query (``None`` for other kinds)."""
        return self.raw.boolean

    def _rows(self) -> list[tuple]:
        if self.kind == "graph":
            return [(t.subject, t.predicate, t.object) for t in self.raw.triples]
        return self.raw.rows

    def __len__(self) -> int:
        return len(self._rows())

    def __bool__(self) -> bool:
        return bool(self.raw.boolean) if self.kind == "ask" else len(self) > 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records())

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.records()[index]

    def records(self, *, compact: bool = False) -> list[dict[str, Any]]:
        """Rows as dictionaries of Python values (see :func:`to_python`); unbound cells are ``None``.

        >>> kg = open()
        >>> kg.sparql("SELECT ?n WHERE { VALUES ?n { 42 } }").records()
        [{'n': 42}]
        """
        cols = self.columns
        return [{c: to_python(t, compact=compact) for c, t in zip(cols, row, strict=True)}
                for row in self._rows()]

    def column(self, name: str, *, compact: bool = False) -> list[Any]:
        """One column's values, in row order."""
        if name not in self.columns:
            raise KeyError(f"no column {name!r}; columns are {', '.join(self.columns)}")
        i = self.columns.index(name)
        return [to_python(row[i], compact=compact) for row in self._rows()]

    def to_df(self, *, compact: bool = False, dates: str = "keep") -> pandas.DataFrame:
        """A pandas DataFrame, one column per variable, with these dtypes:

        ==================================  =====================================================
        values in the column                dtype
        ==================================  =====================================================
        IRIs and text (and mixtures)        ``string`` (IRIs in full, or prefixed with compact)
        integers                            ``Int64`` (nullable)
        decimals, doubles, floats           ``Float64`` (nullable)
        booleans                            ``boolean`` (nullable)
        dates, any precision                ``object`` holding Year / YearMonth / Day, so no
                                            precision is lost; with ``dates="start"`` or
                                            ``dates="end"``: ``datetime64[ns]`` at the start or
                                            end of each period
        anything else, or mixed kinds       ``object``
        ==================================  =====================================================

        Unbound cells are missing values (``pd.NA`` / ``NaT``). Needs pandas
        (``pip install stpgraph[pandas]``).

        >>> df = open().successors("stpbody:E54000047", transitive=True).to_df(compact=True)
        >>> print(df.loc[df["kind"] != "acquisition", ["to", "kind", "date"]].to_string(index=False))
                       to      kind       date
        stpbody:E54000049    merger    2018-08
                  icb:QHM evolution 2022-07-01
        >>> df.dtypes[["to", "date", "latest_date"]].astype(str).to_dict()
        {'to': 'string', 'date': 'object', 'latest_date': 'object'}
        """
        if dates not in ("keep", "start", "end"):
            raise ValueError(f"dates must be 'keep', 'start' or 'end', got {dates!r}")
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - exercised by monkeypatching in tests
            raise ImportError(PANDAS_HINT) from None
        columns = {c: _typed_column(pd, self.column(c, compact=compact), dates) for c in self.columns}
        return pd.DataFrame(columns, columns=self.columns)

    def to_json(self) -> str:
        """The W3C SPARQL 1.1 JSON results document (what ``stpgraph query --format json`` prints).

        CONSTRUCT/DESCRIBE results come back as JSON-LD.
        """
        return render(self.raw, "json")

    def render(self, fmt: str = "table") -> str:
        """Render as the CLI does: table, csv, tsv, json, jsonld, turtle or ntriples."""
        return render(self.raw, fmt)

    def __repr__(self) -> str:
        if self.kind == "ask":
            return f"<Table ASK {self.boolean}>"
        rows = self._rows()
        text = render(Results("select", self.columns, rows[:20]), "table").rstrip("\n")
        if len(rows) > 20:
            text = text.rsplit("\n", 1)[0] + f"\n({len(rows)} rows, first 20 shown)"
        return text

    def _repr_html_(self) -> str:
        """A plain HTML table for Jupyter (first 50 rows)."""
        from html import escape

        if self.kind == "ask":
            return f"<p>ASK → <b>{self.boolean}</b></p>"
        head = "".join(f"<th>{escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in r.values()) + "</tr>"
            for r in self.records(compact=True)[:50])
        note = f"<p>{len(self)} rows{' (first 50 shown)' if len(self) > 50 else ''}</p>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _typed_column(pd: Any, cells: list[Any], dates: str) -> Any:
    """A pandas array of the documented dtype for one column of Python values."""
    values = [v for v in cells if v is not None]
    kinds = {_kind(v) for v in values}
    if kinds == {"date"} and dates != "keep":
        stamps = [None if v is None else getattr(v, dates) for v in cells]
        return pd.array(pd.to_datetime(stamps)).astype("datetime64[ns]")
    if kinds == {"int"}:
        return pd.array(cells, dtype="Int64")
    if kinds and kinds <= {"int", "float"}:
        return pd.array([None if v is None else float(v) for v in cells], dtype="Float64")
    if kinds == {"bool"}:
        return pd.array(cells, dtype="boolean")
    if kinds == {"str"}:
        return pd.array([None if v is None else str(v) for v in cells], dtype="string")
    out = pd.array([None] * len(cells), dtype="object")
    out[:] = cells  # element-wise, so tuples or dates are never unpacked or converted
    return out


def _kind(value: Any) -> str:
    if isinstance(value, Year | YearMonth | Day):
        return "date"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float | decimal.Decimal):
        return "float"
    if isinstance(value, str):
        return "str"
    return "other"


@dataclass(frozen=True)
class Description:
    """Everything the graph says about one thing: ``statements`` by source, and its ``history``.

    ``str(description)`` is the text ``stpgraph describe`` prints.
    """

    iri: IRI
    label: str
    statements: Table
    history: Table
    text: str

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<Description {self.label!r} {self.iri}: {len(self.statements)} statements>"


_SUCCESSION_TYPES = ("stp:Merger", "stp:Acquisition", "stp:Split", "stp:Evolution",
                     "stp:Replacement", "stp:FormRenaming", "stp:FormEvolution", "stp:FormReplacement")
_SAME_BODY_TYPES = ("stp:Renaming", "stp:Recoding", "stp:Designation")

#: One step from ?from to ?to: by a body event, a form change, or a direct replacedBy (documents).
_STEP = f"""
  {{
    ?event org:originalOrganization ?from ; org:resultingOrganization ?to ; a ?type .
  }} UNION {{
    ?event stp:priorForm ?from ; stp:nextForm ?to ; a ?type .
  }}
  FILTER(?type IN ({", ".join(_SUCCESSION_TYPES)}))
  ?type rdfs:label ?kind_l . BIND(STR(?kind_l) AS ?kind)
  OPTIONAL {{ ?event dct:date ?date }}
  OPTIONAL {{ ?event stp:latestDate ?latest_date }}
  OPTIONAL {{ ?event stp:status/skos:prefLabel ?status_l }} BIND(STR(?status_l) AS ?status)
  OPTIONAL {{ ?event stp:hasFormalFramework ?framework }}
  OPTIONAL {{ ?from rdfs:label|skos:prefLabel ?from_l }} BIND(STR(?from_l) AS ?from_label)
  OPTIONAL {{ ?to rdfs:label|skos:prefLabel ?to_l }} BIND(STR(?to_l) AS ?to_label)
"""

_SUCCESSORS = sparql_prologue() + """
SELECT DISTINCT ?from ?from_label ?to ?to_label ?kind ?date ?latest_date ?status ?framework ?event
WHERE {
""" + _STEP + """
} ORDER BY ?date ?latest_date ?from ?to
"""

_SUCCESSORS_TRANSITIVE = sparql_prologue() + """
SELECT DISTINCT ?from ?from_label ?to ?to_label ?kind ?date ?latest_date ?status ?framework ?event
WHERE {
  ?body stp:replacedBy* ?from .
""" + _STEP + """
} ORDER BY ?date ?latest_date ?from ?to
"""

_OTHER_LABEL = "OPTIONAL {{ ?other rdfs:label|skos:prefLabel ?other_l }}"
_HISTORY = sparql_prologue() + f"""
SELECT DISTINCT ?date ?latest_date ?kind ?role ?other ?other_label ?framework ?event WHERE {{
  {{
    ?event org:originalOrganization ?body . BIND("from" AS ?role)
    OPTIONAL {{ ?event org:resultingOrganization ?other {_OTHER_LABEL} }}
  }} UNION {{
    ?event org:resultingOrganization ?body . BIND("to" AS ?role)
    OPTIONAL {{ ?event org:originalOrganization ?other {_OTHER_LABEL} }}
  }} UNION {{
    ?event stp:renamedBody ?body . BIND("same body" AS ?role)
  }} UNION {{
    ?event stp:priorForm ?body . BIND("from" AS ?role)
    OPTIONAL {{ ?event stp:nextForm ?other {_OTHER_LABEL} }}
  }} UNION {{
    ?event stp:nextForm ?body . BIND("to" AS ?role)
    OPTIONAL {{ ?event stp:priorForm ?other {_OTHER_LABEL} }}
  }}
  BIND(STR(?other_l) AS ?other_label)
  ?event a ?type .
  FILTER(?type IN ({", ".join(_SUCCESSION_TYPES + _SAME_BODY_TYPES)},
                   stp:Establishment, stp:Abolition))
  ?type rdfs:label ?kind_l . BIND(STR(?kind_l) AS ?kind)
  OPTIONAL {{ ?event dct:date ?date }}
  OPTIONAL {{ ?event stp:latestDate ?latest_date }}
  OPTIONAL {{ ?event stp:hasFormalFramework ?framework }}
}} ORDER BY COALESCE(STR(?date), STR(?latest_date)) ?event ?other
"""


class KnowledgeGraph:
    """A handle on the stpgraph dataset, local or remote. Make one with :func:`open`."""

    def __init__(self, engine: Engine, *, root: Path | None = None) -> None:
        self.engine = engine
        self.root = root

    def __repr__(self) -> str:
        where = getattr(self.engine, "url", None) or "local"
        return f"<KnowledgeGraph {self.engine.name} {where}>"

    # --- queries -------------------------------------------------------------

    @property
    def catalogue(self) -> dict[str, SavedQuery]:
        """The saved queries (``queries/*.rq``) by name.

        >>> "form-succession" in open().catalogue
        True
        """
        return load_catalogue(self._root() / "queries")

    def query(self, name: str, /, **params: Any) -> Table:
        """Run the saved query ``name`` with parameters given as keywords.

        Values may be text (``"form:stp"``, ``"2018-08"``), :class:`IRI`, numbers, booleans,
        :class:`datetime.date` or :class:`Year`/:class:`YearMonth`; a parameter written with a
        hyphen in the query file takes an underscore here.

        >>> rows = open().query("form-succession", form="form:aco").records(compact=True)
        >>> {(r["from"], r["to"]) for r in rows}
        {('form:aco', 'form:integrated-care-provider')}
        """
        catalogue = self.catalogue
        if name not in catalogue:
            from .catalogue import get

            get(self._root() / "queries", name)  # raises with near names
        saved = catalogue[name]
        known = {p.name for p in saved.params}
        values = {}
        for key, value in params.items():
            if value is None:
                continue
            key = key if key in known or key.replace("_", "-") not in known else key.replace("_", "-")
            values[key] = _param_text(value)
        return Table(self.engine.query(saved.bind(values), label=f"queries/{name}.rq"))

    def sparql(self, text: str, /) -> Table:
        """Run SPARQL text; the usual prefixes (``stp:``, ``org:``, ``dct:``, ``form:``…) are predeclared.

        >>> open().sparql("ASK { form:stp stp:replacedBy form:ics }").boolean
        True
        """
        return Table(self.engine.query(text, label="query", prefixes=PREFIXES))

    # --- things ---------------------------------------------------------------

    def resolve(self, thing: str, /) -> IRI:
        """The IRI of ``thing``: an IRI, a ``prefix:name`` or a label (best match).

        >>> open().resolve("Five Year Forward View").compact
        'doc:five-year-forward-view'
        """
        from .describe import resolve

        return IRI(resolve(self.engine, str(thing)))

    def label(self, thing: str, /) -> str:
        """The label of ``thing`` (its prefixed name when it has none)."""
        iri = self.resolve(thing)
        rows = self.engine.query(bind_values(sparql_prologue() + """
            SELECT ?l WHERE { ?s rdfs:label|skos:prefLabel ?l } ORDER BY STRLEN(STR(?l)) LIMIT 1""",
                                             {"s": ox.NamedNode(iri)}), label="label")
        return rows.rows[0][0].value if rows.rows else iri.compact

    def describe(self, thing: str, /) -> Description:
        """Everything known about ``thing`` (IRI, ``prefix:name`` or label), by source.

        >>> d = open().describe("Five Year Forward View")
        >>> d.label, d.iri.compact
        ('Five Year Forward View', 'doc:five-year-forward-view')
        >>> print(str(d).splitlines()[0])
        Five Year Forward View
        """
        from .describe import _STATEMENTS, describe

        iri = self.resolve(thing)
        subject = {"s": ox.NamedNode(iri)}
        statements = Table(self.engine.query(bind_values(_STATEMENTS, subject), label="describe"))
        if not len(statements):
            raise UsageError(f"the graph says nothing about <{iri}>")
        return Description(iri=iri, label=self.label(iri), statements=statements,
                           history=self.history(iri), text=describe(self.engine, iri))

    def successors(self, body: str, /, *, transitive: bool = False) -> Table:
        """What replaced ``body`` (a body or a form of body), with kind of change and date.

        Columns: ``from``, ``from_label``, ``to``, ``to_label``, ``kind`` (merger, evolution, form
        renaming…), ``date`` (when it happened), ``latest_date`` (when a source says only that it
        had happened by then), ``status`` (for form changes: carried out, planned…), ``framework``
        (the policy or law behind it) and ``event``. With ``transitive=True`` every later step is
        included too.

        >>> steps = open().successors("stpbody:E54000047", transitive=True)
        >>> [(r["kind"], str(r["date"]), r["to"].compact) for r in steps if r["kind"] != "acquisition"]
        [('merger', '2018-08', 'stpbody:E54000049'), ('evolution', '2022-07-01', 'icb:QHM')]
        """
        query = _SUCCESSORS_TRANSITIVE if transitive else _SUCCESSORS
        var = "body" if transitive else "from"
        return Table(self.engine.query(bind_values(query, {var: ox.NamedNode(self.resolve(body))}),
                                       label="successors"))

    def history(self, body: str, /) -> Table:
        """Every change ``body`` took part in, oldest first.

        Columns: ``date``, ``latest_date``, ``kind``, ``role`` (``from``: it was a predecessor,
        ``to``: it resulted, ``same body``: renamed or re-coded), ``other``, ``other_label``,
        ``framework``, ``event``.

        >>> for r in open().history("stpbody:E54000049"):
        ...     if r["kind"] in ("merger", "recoding", "evolution"):
        ...         print(r["date"], r["kind"], r["role"], r["other"] and r["other"].compact)
        2018-08 merger to stpbody:E54000045
        2018-08 merger to stpbody:E54000046
        2018-08 merger to stpbody:E54000047
        2020-04 recoding same body None
        2022-07-01 evolution from icb:QHM
        """
        return Table(self.engine.query(
            bind_values(_HISTORY, {"body": ox.NamedNode(self.resolve(body))}), label="history"))

    # --- pictures -------------------------------------------------------------

    def plot_succession(self, *bodies: str, all: bool = False,
                        output: str | Path | None = None) -> Picture:
        """Draw who-replaced-whom with Graphviz: forms of body when no ``bodies`` are given, else the
        lineage of each body; ``all=True`` draws every body-level succession in the graph.

        Returns a :class:`~stpgraph.plot.Picture` (shown inline in Jupyter); ``output`` also writes
        it to an ``.svg`` or ``.png`` file.

        >>> "integrated care system" in open().plot_succession().svg
        True
        """
        from .plot import succession

        picture = succession(self.engine, [str(self.resolve(b)) for b in bodies], everything=all)
        if output is not None:
            picture.save(output)
        return picture

    def plot_timeline(self, *, output: str | Path | None = None, since: int | None = None,
                      until: int | None = None) -> Picture:
        """Draw policy documents, plans, laws, programmes, requirements and form changes on a time
        axis (matplotlib), coloured by kind, with created/required/replaced links between them.

        >>> "Five Year Forward View" in open().plot_timeline().svg
        True
        """
        from .plot import timeline

        picture = timeline(self.engine, since=since, until=until)
        if output is not None:
            picture.save(output)
        return picture

    def _root(self) -> Path:
        if self.root is None:
            from .paths import project_root

            self.root = project_root()
        return self.root


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        raise UsageError("a saved-query date parameter takes a date, not a date and time")
    if isinstance(value, dt.date | Year | YearMonth):
        return value.isoformat()
    if isinstance(value, IRI):
        return f"<{value}>"
    return str(value)


def open(*, endpoint: str | None = None, root: str | Path | None = None,
         engine: str = "oxigraph", timeout: float = 30.0) -> KnowledgeGraph:
    """Open the stpgraph dataset.

    Locally (the default) the graph under ``root`` (found from the current folder or
    ``STPGRAPH_HOME`` when not given) is built first if it is missing or stale. With ``endpoint``
    every query goes to that SPARQL 1.1 endpoint instead; saved queries still come from the
    project's ``queries/`` folder. ``engine="rdflib"`` evaluates locally with rdflib (slow; for
    cross-checks). ``timeout`` is in seconds, for a remote endpoint.

    >>> kg = open()
    >>> kg.engine.name
    'oxigraph'
    """
    if engine not in ("oxigraph", "rdflib"):
        raise UsageError(f"engine must be 'oxigraph' or 'rdflib', got {engine!r}")
    folder = Path(root).resolve() if root is not None else None
    if folder is None and not endpoint:
        from .paths import project_root

        try:
            folder = project_root()
        except FileNotFoundError as exc:
            raise UsageError(str(exc)) from None
    handle = open_engine(endpoint=endpoint, engine=engine, timeout=timeout, root=folder)
    return KnowledgeGraph(handle, root=folder)

