"""The ``stpgraph`` command line (built with Click).

Exit codes are listed in :mod:`stpgraph.errors` and the README.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import ReasoningError, StpgraphError, UsageError, ValidationError
from .results import FORMATS

ENDPOINT_HELP = "Run against this SPARQL 1.1 endpoint instead of the local graph."
FORMAT_HELP = "Output: table for people; csv, tsv, json for tools; jsonld, turtle, ntriples as RDF."


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _root() -> Path:
    from .paths import project_root

    try:
        return project_root()
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None


def _engine(endpoint: str | None, engine: str, timeout: float):
    from .engines import open_engine

    return open_engine(endpoint=endpoint, engine=engine, timeout=timeout, root=_root())


def engine_options(func):
    """Options shared by every command that runs a query."""
    func = click.option("--timeout", type=float, default=30.0, show_default=True,
                        help="Seconds to wait for a remote endpoint.")(func)
    func = click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
                        show_default=True, help="Local query engine (rdflib is for cross-checks).")(func)
    func = click.option("--endpoint", metavar="URL", help=ENDPOINT_HELP)(func)
    return func


#: Commands that live in their own modules, imported only when used (keeps start-up fast).
LAZY_COMMANDS = {
    "serve": "stpgraph.server.cli:serve",
    "export": "stpgraph.export:cli",
    "publish": "stpgraph.publish:cli",
    "dataset": "stpgraph.dataset:cli",
    "import-reference": "stpgraph.importers.cli:cli",
    "plot": "stpgraph.plot:cli",
}


class LazyGroup(click.Group):
    """A Click group whose commands in :data:`LAZY_COMMANDS` are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """All command names, the lazy ones included when their module is installed."""
        lazy = [name for name in LAZY_COMMANDS if self.get_command(ctx, name) is not None]
        return sorted({*super().list_commands(ctx), *lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """Return a command, importing its module if it is a lazy one."""
        if name in self.commands or name not in LAZY_COMMANDS:
            return super().get_command(ctx, name)
        import importlib

        module, _, attr = LAZY_COMMANDS[name].partition(":")
        try:
            command = getattr(importlib.import_module(module), attr)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                return None
            raise
        self.commands[name] = command
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stpgraph")
def app() -> None:
    """A knowledge graph of NHS England's local partnerships (STPs, ICSs, ICBs), their history
    and the policies behind them.

    Start with `stpgraph demo`, list questions with `stpgraph queries`, and run one with
    `stpgraph query NAME`.
    """


@app.command()
@click.option("--force", is_flag=True, help="Rebuild even if the graph is current.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option("--reasoner", type=click.Choice(["auto", "owlrl", "fast"]), default="auto",
              show_default=True,
              help="owlrl (reference), fast (compiled OWL-RL rules) or auto (fast above 10,000 triples).")
@click.option("--validator", type=click.Choice(["auto", "pyshacl", "fast"]), default="auto",
              show_default=True,
              help="pyshacl (reference), fast (shapes compiled to SPARQL, pySHACL on suspects) or auto.")
def build(force: bool, quiet: bool, reasoner: str, validator: str) -> None:
    """Parse, validate and reason over ontology/ and data/; write build/graph.nq atomically."""
    from .build import build as run_build

    report = run_build(_root(), force=force, reasoner=reasoner, validator=validator,
                       echo=(lambda m: None) if quiet else _echo_err)
    if quiet:
        return
    width = max(len(n.rsplit("/", 1)[-1]) for n in report.graphs)
    state = " (unchanged)" if report.skipped else ""
    click.echo(f"{'named graph':<{width}}  {'triples':>8}{state}")
    for name, count in report.graphs.items():
        click.echo(f"{name.rsplit('/', 1)[-1]:<{width}}  {count:>8,}")
    click.echo(f"{'total':<{width}}  {report.total:>8,}")
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items())
    click.echo(f"inferred {report.inferred:,} triples ({report.reasoner} reasoner, "
               f"{report.validator} validator); {steps}; total {sum(report.seconds.values()):.2f}s")


@app.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def list_queries(fmt: str) -> None:
    """List the saved queries: name, title and parameters."""
    import json

    from .catalogue import load_catalogue

    catalogue = load_catalogue(_root() / "queries")
    if fmt == "json":
        click.echo(json.dumps([{
            "name": q.name, "title": q.title, "description": q.description,
            "params": [vars(p) for p in q.params]} for q in catalogue.values()], indent=1))
        return
    width = max(len(n) for n in catalogue)
    for q in catalogue.values():
        params = " ".join(
            f"{p.name}={p.type}" + ("" if p.required else "?") for p in q.params)
        click.echo(f"{q.name:<{width}}  {q.title}" + (f"  [{params}]" if params else ""))
    click.echo(f"({len(catalogue)} queries; `stpgraph query NAME --help-query` explains one)")


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--param takes name=value, got {pair!r}")
        values[key.strip()] = value
    return values


@app.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help=FORMAT_HELP)
@click.option("--help-query", is_flag=True, help="Describe the query and its parameters, then stop.")
@engine_options
def query(name: str, params: tuple[str, ...], fmt: str, help_query: bool, endpoint: str | None,
          engine: str, timeout: float) -> None:
    """Run the saved query NAME (see `stpgraph queries`)."""
    from .catalogue import get
    from .results import render

    saved = get(_root() / "queries", name)
    if help_query:
        click.echo(f"{saved.name}: {saved.title}\n{saved.description}")
        for p in saved.params:
            need = "required" if p.required else (f"default {p.default}" if p.default else "optional")
            click.echo(f"  --param {p.name}=<{p.type}>  ({need}) {p.help}")
        return
    text = saved.bind(_parse_params(params))
    results = _engine(endpoint, engine, timeout).query(text, label=f"queries/{name}.rq")
    click.echo(render(results, fmt), nl=False)


@app.command()
@click.argument("text", required=False)
@click.option("--file", "-f", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a file ('-' for standard input).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help=FORMAT_HELP)
@engine_options
def sparql(text: str | None, file: Path | None, fmt: str, endpoint: str | None, engine: str,
           timeout: float) -> None:
    """Run an ad-hoc SPARQL query given as TEXT, with --file, or on standard input.

    Common prefixes (stp:, org:, prov:, dct:, skos:, form:, doc: …) are predeclared.
    """
    from .prefixes import PREFIXES
    from .results import render

    if file is not None:
        label, body = str(file), file.read_text()
    elif text and text != "-":
        label, body = "query", text
    else:
        if sys.stdin.isatty():
            raise UsageError("give a query as TEXT, with --file, or on standard input")
        label, body = "<stdin>", sys.stdin.read()
    results = _engine(endpoint, engine, timeout).query(body, label=label, prefixes=PREFIXES)
    click.echo(render(results, fmt), nl=False)


@app.command()
@click.argument("thing")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "jsonld"]), default="text",
              show_default=True, help="text for people, or the statements as RDF.")
@engine_options
def describe(thing: str, fmt: str, endpoint: str | None, engine: str, timeout: float) -> None:
    """Show everything known about THING (an IRI, prefix:name or a label), grouped by source."""
    from .describe import describe as run_describe

    click.echo(run_describe(_engine(endpoint, engine, timeout), thing, fmt=fmt), nl=False)


@app.command()
@engine_options
def demo(endpoint: str | None, engine: str, timeout: float) -> None:
    """Answer a few headline questions from the graph."""
    from .catalogue import get
    from .results import render

    eng = _engine(endpoint, engine, timeout)
    folder = _root() / "queries"
    for name, params in DEMO_QUERIES:
        saved = get(folder, name)
        shown = " ".join(f"-p {k}={v}" for k, v in params.items())
        click.secho(f"\n{saved.title}", bold=True)
        click.echo(f"  {saved.description}\n  (stpgraph query {name}{' ' + shown if shown else ''})")
        click.echo(render(eng.query(saved.bind(params), label=name), "table"), nl=False)


#: The headline questions `stpgraph demo` answers, with the parameters it passes.
DEMO_QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("form-succession", {}),
    ("succession-chain", {"from": "stpbody:E54000045"}),
    ("not-replaced", {}),
    ("footprint-to-2026-icb", {"footprint": "stpbody:E54000034"}),
    ("icbs-on-date", {"date": "2026-04-02"}),
    ("claims-vs-data", {}),
)


def _report(exc: StpgraphError) -> None:
    _echo_err(f"error: {exc}")
    if isinstance(exc, ValidationError | ReasoningError):
        for line in exc.problems[:50]:
            _echo_err(f"  {line}")
        if len(exc.problems) > 50:
            _echo_err(f"  … and {len(exc.problems) - 50} more")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI, turning stpgraph errors into one clear message and a documented exit code."""
    try:
        app.main(args=argv, prog_name="stpgraph", standalone_mode=True)
    except StpgraphError as exc:
        _report(exc)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
