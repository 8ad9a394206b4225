"""Pictures of the graph: who replaced whom (Graphviz) and the policy timeline (matplotlib).

``stpgraph plot succession [BODY…|--all] -o file.svg|png`` and ``stpgraph plot timeline -o
file.svg|png`` on the command line; :func:`succession` and :func:`timeline` (or
``kg.plot_succession()`` / ``kg.plot_timeline()``) from Python; :func:`succession_svg` for a
server's entity pages. Every picture is drawn from SPARQL answers, so it shows exactly what the
graph says: undated things are listed as undated, never placed at a guessed date.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from .atomic import write_atomic
from .catalogue import bind_values
from .dates import Day, Year, YearMonth, parse_partial, sort_key
from .engines import Engine
from .errors import UsageError
from .namespace import PREFIXES, compact_iri, sparql_prologue

FORMATS = ("svg", "png")


class Picture:
    """A drawn picture: ``.svg`` (text), ``.png`` (bytes), ``.save(path)``; shown inline by Jupyter."""

    def __init__(self, render: Callable[[str], bytes], *, title: str) -> None:
        self._render = render
        self.title = title

    @cached_property
    def svg(self) -> str:
        """The picture as SVG text (text stays text, so it is searchable and accessible)."""
        return self._render("svg").decode("utf-8")

    @cached_property
    def png(self) -> bytes:
        """The picture as PNG bytes."""
        return self._render("png")

    def save(self, path: str | Path, *, format: str | None = None) -> Path:
        """Write the picture atomically to ``path``; the format comes from the suffix unless given."""
        path = Path(path)
        fmt = format or path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise UsageError(f"{path}: cannot tell the picture format; use a .svg or .png name "
                             "or --format svg|png")
        write_atomic(path, self.svg if fmt == "svg" else self.png)
        return path

    def _repr_svg_(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<Picture {self.title!r}>"


# --- succession (Graphviz) -------------------------------------------------------------

_STEP_TYPES = ("stp:Merger", "stp:Acquisition", "stp:Split", "stp:Evolution", "stp:Replacement")
_FORM_TYPES = ("stp:FormRenaming", "stp:FormEvolution", "stp:FormReplacement")

def _change_events(link: str, types: Iterable[str], note: str, note_path: str) -> str:
    """A sub-query: each change event of one of ``types`` that links ``?from`` to ``?to`` by
    ``link``, with its kind, earliest date, earliest ``?<note>`` (read along ``note_path``) and
    formal framework."""
    return f"""
    SELECT ?from ?to ?kind ?event (MIN(STR(?d)) AS ?date) (MIN(STR(?n)) AS ?{note})
           (MIN(STR(?fw)) AS ?framework) WHERE {{
      ?event {link} ; a ?type .
      FILTER(?type IN ({", ".join(types)}))
      ?type rdfs:label ?kind_l . BIND(STR(?kind_l) AS ?kind)
      OPTIONAL {{ ?event dct:date ?d }}
      OPTIONAL {{ ?event {note_path} ?n }}
      OPTIONAL {{ ?event stp:hasFormalFramework/rdfs:label ?fw }}
    }} GROUP BY ?from ?to ?kind ?event"""


_FORM_EDGES = sparql_prologue() + f"""
SELECT ?from ?to ?kind ?date ?status ?framework ?event WHERE {{
  {{{_change_events("stp:priorForm ?from ; stp:nextForm ?to", _FORM_TYPES,
                    "status", "stp:status/skos:prefLabel")}
  }} UNION {{
    SELECT DISTINCT ?from ?to ?kind WHERE {{
      ?from stp:couldBecome ?to . BIND("could become" AS ?kind)
    }}
  }}
}} ORDER BY ?from ?to ?date ?event
"""

_BODY_EDGES = sparql_prologue() + f"""
SELECT ?from ?to ?kind ?date ?latest ?framework ?event WHERE {{
  {{{_change_events("org:originalOrganization ?from ; org:resultingOrganization ?to", _STEP_TYPES,
                    "latest", "stp:latestDate")}
  }}
}} ORDER BY ?from ?to ?event
"""

_LINEAGE = sparql_prologue() + """
SELECT DISTINCT ?x WHERE { { ?x stp:replacedBy* ?body } UNION { ?body stp:replacedBy* ?x } }
"""

_NODE_INFO = sparql_prologue() + """
SELECT ?x (MIN(STR(?l)) AS ?label) (MIN(STR(?code)) AS ?code) (MIN(STR(?fl)) AS ?form)
       (MIN(STR(?f)) AS ?form_iri) WHERE {
  ?x rdfs:label|skos:prefLabel ?l .
  OPTIONAL { ?x stp:onsCode|stp:odsCode ?code }
  OPTIONAL { ?x org:classification ?f . ?f skos:prefLabel ?fl }
} GROUP BY ?x
"""

_RECODINGS = sparql_prologue() + """
SELECT ?x (GROUP_CONCAT(DISTINCT CONCAT(?kind, " ", STR(?d)); separator="; ") AS ?notes) WHERE {
  ?e stp:renamedBody ?x ; a ?type ; dct:date ?d .
  FILTER(?type IN (stp:Renaming, stp:Recoding))
  ?type rdfs:label ?kl . BIND(IF(?type = stp:Recoding, "re-coded", STR(?kl)) AS ?kind)
} GROUP BY ?x
"""

#: Fill colours by form of body (colour-blind-safe Okabe–Ito palette, lightened).
_FORM_COLOURS = {
    "sustainability and transformation plan (form)": "#fde4b0",
    "sustainability and transformation partnership": "#cfe8f7",
    "integrated care system": "#bfe6da",
    "integrated care board": "#9fd9c4",
    "clinical commissioning group": "#f6d3c4",
    "sub-ICB location": "#ecd5e6",
    "accountable care organisation": "#f9f1b0",
    "accountable care system": "#f9f1b0",
    "integrated care provider": "#f9f1b0",
    "integrated care partnership": "#f9f1b0",
}
_EDGE_STYLES = {
    "merger": "#0072B2", "acquisition": "#56B4E9", "split": "#CC79A7", "evolution": "#009E73",
    "replacement": "#D55E00", "form renaming": "#0072B2", "form evolution": "#009E73",
    "form replacement": "#D55E00", "could become": "#999999",
}


def _value(term: ox.NamedNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value


def _lines(*lines: str | None) -> str:
    """A multi-line Graphviz label with each line's backslashes made literal."""
    return "\n".join(x.replace("\\", "\\\\") for x in lines if x)


def _short(text: str, width: int = 56) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _graph(title: str) -> Any:
    try:
        import graphviz
    except ImportError:  # pragma: no cover - graphviz is a dependency
        raise UsageError("the graphviz package is not installed: pip install graphviz") from None
    dot = graphviz.Digraph(name="succession", comment=title)
    dot.attr(rankdir="LR", fontname="Helvetica", fontsize="11", label=title, labelloc="t",
             nodesep="0.25", ranksep="0.6")
    dot.attr("node", shape="box", style="rounded,filled", fontname="Helvetica", fontsize="10",
             fillcolor="#eeeeee", color="#555555")
    dot.attr("edge", fontname="Helvetica", fontsize="9", color="#555555")
    return dot


def _render_dot(dot: Any) -> Callable[[str], bytes]:
    def render(fmt: str) -> bytes:
        import graphviz

        try:
            return dot.pipe(format=fmt)
        except graphviz.ExecutableNotFound:
            raise UsageError("Graphviz's `dot` program is not installed (Debian/Ubuntu: "
                             "apt-get install graphviz; macOS: brew install graphviz)") from None
    return render


def forms_diagram(engine: Engine) -> Picture:
    """Forms of body and how each became another (STP plan → STP → ICS; ACO → provider …)."""
    rows = engine.query(_FORM_EDGES, label="plot succession (forms)").rows
    if not rows:
        raise UsageError("the graph holds no changes of form of body to draw")
    nodes = sorted({r[0].value for r in rows} | {r[1].value for r in rows})
    info = _node_info(engine, nodes)
    dot = _graph("Forms of body: how one became another")
    for iri in nodes:
        label = info.get(iri, {}).get("label") or compact_iri(iri)
        dot.node(_node_id(iri), _lines(label), fillcolor=_FORM_COLOURS.get(label, "#eeeeee"),
                 tooltip=iri, URL=iri)
    for src, dst, kind, date, status, framework, _event in rows:
        kind_s = kind.value
        possible = kind_s == "could become"
        when = _value(date) or ("" if possible else "undated")
        status_s = _value(status)
        note = None if status_s in (None, "carried out") else f"({status_s})"
        label = _lines(kind_s, " ".join(x for x in (when, note) if x),
                       f"under {_short(_value(framework), 34)}" if framework else None)
        dot.edge(_node_id(src.value), _node_id(dst.value), label=label,
                 color=_EDGE_STYLES.get(kind_s, "#555555"), fontcolor=_EDGE_STYLES.get(kind_s, "#555555"),
                 style="dashed" if possible or note else "solid")
    return Picture(_render_dot(dot), title="forms of body")


def bodies_diagram(engine: Engine, bodies: Iterable[str] = (), *, everything: bool = False) -> Picture:
    """Individual bodies and the events that turned them into others.

    With ``bodies`` given: their lineage (every predecessor and successor, transitively) and the
    events touching it, so a merger shows all the bodies that merged. With ``everything``: all
    body-level successions in the graph.
    """
    edges = engine.query(_BODY_EDGES, label="plot succession (bodies)").rows
    bodies = list(bodies)
    if not everything:
        keep: set[str] = set()
        for body in bodies:
            found = engine.query(bind_values(_LINEAGE, {"body": ox.NamedNode(body)}), label="lineage")
            keep |= {r[0].value for r in found.rows}
        edges = [e for e in edges if e[0].value in keep or e[1].value in keep]
        if not edges:
            names = ", ".join(compact_iri(b) for b in bodies)
            raise UsageError(f"no succession events involve {names}; `stpgraph describe` shows "
                             "what the graph knows about it")
    nodes = sorted({e[0].value for e in edges} | {e[1].value for e in edges})
    info = _node_info(engine, nodes)
    notes = _notes(engine)
    title = ("Every succession of bodies in the graph" if everything else
             "Succession of " + ", ".join(_short(info.get(b, {}).get("label") or compact_iri(b), 40)
                                          for b in bodies))
    dot = _graph(title)
    for iri in nodes:
        meta = info.get(iri, {})
        form = meta.get("form")
        code = meta.get("code")
        second = " · ".join(x for x in (form and _FORM_ABBREV.get(form, form), code) if x)
        dot.node(_node_id(iri), _lines(_short(meta.get("label") or compact_iri(iri)), second,
                                       notes.get(iri)),
                 fillcolor=_FORM_COLOURS.get(form or "", "#eeeeee"), tooltip=iri, URL=iri,
                 penwidth="2" if iri in bodies else "1")
    for src, dst, kind, date, latest, framework, _event in edges:
        kind_s = kind.value
        when = _value(date) or (f"by {_value(latest)}" if latest else "undated")
        under = None if everything or not framework else f"under {_short(_value(framework), 30)}"
        colour = _EDGE_STYLES.get(kind_s, "#555555")
        dot.edge(_node_id(src.value), _node_id(dst.value), label=_lines(kind_s, when, under),
                 color=colour, fontcolor=colour)
    return Picture(_render_dot(dot), title=title)


_FORM_ABBREV = {
    "sustainability and transformation partnership": "STP",
    "integrated care board": "ICB",
    "clinical commissioning group": "CCG",
    "integrated care system": "ICS",
}


_CODED_KINDS = {"stp", "icb", "ccg", "sub-icb-location", "trust", "footprint", "region"}


def _node_id(iri: str) -> str:
    return compact_iri(iri).strip("<>").replace(":", "_").replace("/", "_").replace("-", "_")


def _node_info(engine: Engine, iris: list[str]) -> dict[str, dict[str, str]]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    text = _NODE_INFO.replace("WHERE {\n", f"WHERE {{\n  VALUES ?x {{ {values} }}\n", 1)
    out = {}
    for x, label, code, form, _form_iri in engine.query(text, label="plot labels").rows:
        kind, _, key = x.value[len(PREFIXES["id"]):].rpartition("/")
        # Bodies are keyed by their official code (ONS for STPs, ODS for ICBs, CCGs, trusts).
        official = key if x.value.startswith(PREFIXES["id"]) and kind in _CODED_KINDS else None
        out[x.value] = {"label": _value(label), "code": official or _value(code), "form": _value(form)}
    return out


def _notes(engine: Engine) -> dict[str, str]:
    return {r[0].value: r[1].value for r in engine.query(_RECODINGS, label="plot notes").rows}


def succession(engine: Engine, bodies: Iterable[str] = (), *, everything: bool = False) -> Picture:
    """The succession picture: forms of body with no ``bodies``; else those bodies' lineage.

    A body that is a form of body (``form:…``) draws the forms diagram. ``everything`` draws every
    body-level succession and may not be combined with ``bodies``.
    """
    bodies = list(bodies)
    if everything and bodies:
        raise UsageError("give bodies or --all, not both")
    if everything:
        return bodies_diagram(engine, everything=True)
    if not bodies or all(_is_form(b) for b in bodies):
        return forms_diagram(engine)
    return bodies_diagram(engine, bodies)


def _is_form(iri: str) -> bool:
    return iri.startswith(PREFIXES["form"])


def succession_svg(engine: Engine, iri: str) -> str | None:
    """SVG of one thing's succession for its entity page, or ``None`` when it has none.

    For a form of body the forms diagram; for a body its lineage.
    """
    try:
        return succession(engine, [iri]).svg
    except UsageError:
        return None


# --- timeline (matplotlib) -----------------------------------------------------------------

#: Kinds in display order, with the colour (Okabe–Ito) each is drawn in.
KINDS = {
    "law": "#000000",
    "policy document": "#0072B2",
    "planning guidance": "#56B4E9",
    "plan": "#009E73",
    "programme": "#E69F00",
    "requirement deadline": "#D55E00",
    "form change": "#CC79A7",
}
LINKS = {  # kind of link: (colour, line style)
    "created": ("#CC79A7", "-"),
    "required": ("#D55E00", "--"),
    "replaced": ("#0072B2", "-"),
    "implemented": ("#009E73", ":"),
}

_ITEMS = sparql_prologue() + """
SELECT ?item ?kind ?label ?date WHERE {
  {
    ?item a ?class .
    VALUES (?class ?kind ?rank) {
      (stp:Legislation "law" 1) (stp:PlanningGuidance "planning guidance" 2)
      (stp:PolicyDocument "policy document" 3) (stp:Plan "plan" 4) (stp:Programme "programme" 5)
    }
    FILTER NOT EXISTS {
      ?item a ?better . VALUES (?better ?r2) { (stp:Legislation 1) (stp:PlanningGuidance 2)
        (stp:PolicyDocument 3) (stp:Plan 4) (stp:Programme 5) }
      FILTER(?r2 < ?rank)
    }
    OPTIONAL { ?item dct:issued|stp:startDate ?date }
  } UNION {
    ?doc stp:setsOut ?item . ?item stp:deadline ?date . BIND("requirement deadline" AS ?kind)
  } UNION {
    ?item a stp:FormChange . BIND("form change" AS ?kind) OPTIONAL { ?item dct:date ?date }
  }
  ?item rdfs:label ?l . BIND(STR(?l) AS ?label)
} ORDER BY ?item ?date ?label
"""

_LINKS = sparql_prologue() + """
SELECT DISTINCT ?a ?b ?link WHERE {
  { ?b stp:hasFormalFramework ?a . ?b a stp:FormChange . BIND("created" AS ?link) }
  UNION { ?a stp:setsOut ?b . ?b stp:deadline ?d . BIND("required" AS ?link) }
  UNION { ?b stp:replaces|dct:replaces|stp:refreshes ?a . BIND("replaced" AS ?link) }
  UNION { ?b stp:implements|stp:supportsDeliveryOf ?a . BIND("implemented" AS ?link) }
} ORDER BY ?a ?b ?link
"""


@dataclass
class _Item:
    iri: str
    kind: str
    label: str
    dates: list[Year | YearMonth | Day] = field(default_factory=list)

    @property
    def date(self) -> Year | YearMonth | Day | None:
        """The most precise date any source gives (the earliest of those)."""
        if not self.dates:
            return None
        rank = {"year": 0, "month": 1, "day": 2}
        best = max(rank[d.precision] for d in self.dates)
        return min((d for d in self.dates if rank[d.precision] == best), key=sort_key)

    @property
    def when(self) -> str:
        """The date as text; when sources disagree at the same precision, every value."""
        chosen = self.date
        if chosen is None:
            return "undated"
        same = sorted({d for d in self.dates if d.precision == chosen.precision}, key=sort_key)
        return " or ".join(str(d) for d in same)


def timeline_items(engine: Engine) -> tuple[list[_Item], list[tuple[str, str, str]]]:
    """The things a timeline shows (with all their dates) and the links between them."""
    items: dict[str, _Item] = {}
    for item, kind, label, date in engine.query(_ITEMS, label="plot timeline").rows:
        entry = items.setdefault(item.value, _Item(item.value, kind.value, label.value))
        if date is not None:
            try:
                value = parse_partial(date.value)
            except ValueError:
                continue
            if value not in entry.dates:
                entry.dates.append(value)
    links = sorted((a.value, b.value, kind.value)
                   for a, b, kind in engine.query(_LINKS, label="plot timeline links").rows
                   if a.value in items and b.value in items)
    return list(items.values()), links


def timeline(engine: Engine, *, since: int | None = None, until: int | None = None) -> Picture:
    """Policy documents, plans, laws, programmes, requirement deadlines and form changes in time.

    One row per thing, coloured by kind. A date known to the year or month is drawn as a bar
    spanning that year or month; a date known to the day as a diamond. Arrows show what created,
    required, replaced or implemented what. Things no source dates are listed under the axis.
    ``since``/``until`` keep only years in that range.
    """
    items, links = timeline_items(engine)
    dated = [i for i in items if i.date is not None
             and (since is None or i.date.end.year >= since)
             and (until is None or i.date.start.year <= until)]
    undated = sorted(i.label for i in items if i.date is None)
    if not dated:
        raise UsageError("the graph holds no dated documents, plans, laws or programmes to draw")
    dated.sort(key=lambda i: (sort_key(i.date), list(KINDS).index(i.kind), i.label))

    def render(fmt: str) -> bytes:
        return _draw_timeline(dated, links, undated, fmt)

    return Picture(render, title="policy timeline")


def _draw_timeline(dated: list[_Item], links: list[tuple[str, str, str]], undated: list[str],
                   fmt: str) -> bytes:
    import matplotlib
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rc = {"svg.fonttype": "none", "svg.hashsalt": "stpgraph", "font.family": "DejaVu Sans",
          "font.size": 8}
    with matplotlib.rc_context(rc):
        height = 1.6 + 0.26 * len(dated) + (0.5 if undated else 0)
        fig = Figure(figsize=(11, height), layout="constrained")
        ax = fig.add_subplot()
        row = {}
        for y, item in enumerate(dated):
            row[item.iri] = y
            start, end = item.date.start, item.date.end
            colour = KINDS.get(item.kind, "#555555")
            if item.date.precision == "day":
                ax.plot([mdates.date2num(start)], [y], marker="D", color=colour, markersize=6)
            else:
                width = mdates.date2num(end) + 1 - mdates.date2num(start)
                ax.barh(y, width, left=mdates.date2num(start), height=0.6, color=colour,
                        alpha=0.35 if item.date.precision == "year" else 0.85, edgecolor=colour)
            ax.text(mdates.date2num(end) + 25, y, f"{_short(item.label, 70)} ({item.when})",
                    va="center", fontsize=7.5, color="#222222")
        for a, b, kind in links:
            if a not in row or b not in row:
                continue
            colour, style = LINKS[kind]
            ia, ib = dated[row[a]], dated[row[b]]
            xa = mdates.date2num(ia.date.start) + (mdates.date2num(ia.date.end) -
                                                    mdates.date2num(ia.date.start)) / 2
            xb = mdates.date2num(ib.date.start) + (mdates.date2num(ib.date.end) -
                                                    mdates.date2num(ib.date.start)) / 2
            ax.annotate("", xy=(xb, row[b]), xytext=(xa, row[a]),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "linestyle": style,
                                    "linewidth": 1, "shrinkA": 3, "shrinkB": 3,
                                    "connectionstyle": "arc3,rad=-0.25"})
        first = min(i.date.start for i in dated)
        last = max(i.date.end for i in dated)
        ax.set_xlim(mdates.date2num(first.replace(month=1, day=1)) - 60,
                    mdates.date2num(last.replace(month=12, day=31)) + 900)
        ax.set_ylim(len(dated) - 0.4, -0.6)
        ax.set_yticks([])
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.set_title("Policy documents, plans, laws and programmes, and what they set in motion",
                     loc="left", fontsize=10)
        kinds_seen = [k for k in KINDS if any(i.kind == k for i in dated)]
        handles = [Patch(color=KINDS[k], label=k) for k in kinds_seen]
        handles += [Patch(facecolor="#888888", alpha=0.35, label="bar: known to the year"),
                    Patch(facecolor="#888888", alpha=0.85, label="bar: known to the month"),
                    Line2D([], [], marker="D", color="#888888", linestyle="", label="◆ known to the day")]
        kinds_linked = sorted({k for a, b, k in links if a in row and b in row}, key=list(LINKS).index)
        handles += [Line2D([], [], color=LINKS[k][0], linestyle=LINKS[k][1], label=f"→ {k}")
                    for k in kinds_linked]
        ax.legend(handles=handles, loc="upper left", fontsize=7, frameon=False, ncols=1,
                  bbox_to_anchor=(1.0, 1.0))
        if undated:
            note = "Undated in the sources: " + "; ".join(_short(u, 60) for u in undated)
            ax.set_xlabel("\n".join(textwrap.wrap(note, 190)), fontsize=7, color="#555555",
                          loc="left", labelpad=8)
        buf = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=150)
        return buf.getvalue()


# --- command line ----------------------------------------------------------------------------


def _engine_options(func: Callable) -> Callable:
    from .cli import engine_options

    return engine_options(func)


def _output_options(func: Callable) -> Callable:
    func = click.option("--format", "fmt", type=click.Choice(FORMATS),
                        help="Picture format (default: from the file name).")(func)
    func = click.option("--output", "-o", required=True,
                        type=click.Path(dir_okay=False, writable=True, path_type=Path),
                        help="File to write: a .svg or .png name.")(func)
    return func


def _open(endpoint: str | None, engine: str, timeout: float) -> Engine:
    from .cli import _engine

    return _engine(endpoint, engine, timeout)


@click.group("plot")
def cli() -> None:
    """Draw pictures of the graph: who replaced whom, and the policy timeline."""


@cli.command("succession")
@click.argument("bodies", nargs=-1, metavar="[BODY]...")
@click.option("--all", "everything", is_flag=True, help="Every body-level succession in the graph.")
@_output_options
@_engine_options
def succession_command(bodies: tuple[str, ...], everything: bool, output: Path, fmt: str | None,
                       endpoint: str | None, engine: str, timeout: float) -> None:
    """Draw who replaced whom, with the kind of change and its date on each arrow.

    With no BODY: forms of body (STP plan → STP → ICS; ACO → integrated care provider). With
    BODY (an IRI, prefix:name or a label, e.g. stpbody:E54000047 or "Cumbria and North East"):
    that body's predecessors and successors. With --all: every body-level succession.
    """
    from .describe import resolve

    eng = _open(endpoint, engine, timeout)
    picture = succession(eng, [resolve(eng, b) for b in bodies], everything=everything)
    path = picture.save(output, format=fmt)
    click.echo(f"wrote {path}", err=True)


@cli.command("timeline")
@click.option("--since", type=int, metavar="YEAR", help="Leave out things that ended before YEAR.")
@click.option("--until", type=int, metavar="YEAR", help="Leave out things that start after YEAR.")
@_output_options
@_engine_options
def timeline_command(since: int | None, until: int | None, output: Path, fmt: str | None,
                     endpoint: str | None, engine: str, timeout: float) -> None:
    """Draw policy documents, plans, laws and programmes on a time axis, coloured by kind,
    with arrows for what created, required, replaced or implemented what."""
    picture = timeline(_open(endpoint, engine, timeout), since=since, until=until)
    path = picture.save(output, format=fmt)
    click.echo(f"wrote {path}", err=True)


__all__ = ["Picture", "bodies_diagram", "cli", "forms_diagram", "succession", "succession_svg",
           "timeline", "timeline_items"]
