"""Saved-query benchmark: every queries/*.rq on pyoxigraph and on rdflib, and as a whole CLI call.

For each saved query (required parameters bound to their help text's example) it measures,
in one run: the median in-process latency on pyoxigraph (the built graph loaded in memory) and on
rdflib's SPARQL engine (the same N-Quads), and the median wall time of a whole
``stpgraph query NAME --format csv`` process with a warm cache (build current, Oxigraph store
cached on disk). Prints a table and writes JSON to bench/results/queries.json. Never run as a test.

    .venv/bin/python bench/queries.py [--repeat 5] [--rdflib-repeat 3] [--cli-repeat 5] [--only NAME …]

Target (issue 4): whole-process saved query median under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from stpgraph.catalogue import load_catalogue  # noqa: E402
from stpgraph.engines import LocalEngine, RdflibEngine  # noqa: E402
from stpgraph.store import ensure_built, load_memory  # noqa: E402


class _Timeout(Exception):
    pass


def _median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _rdflib_ms(engine: RdflibEngine, text: str, repeat: int, limit: float) -> float | None:
    """Median rdflib latency, or None when one run takes longer than ``limit`` seconds."""

    def alarm(*_):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, limit)
        return _median_ms(lambda: engine.query(text), repeat)
    except _Timeout:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _cli_ms(name: str, params: dict[str, str], repeat: int) -> float:
    exe = Path(sys.executable).parent / "stpgraph"
    args = [str(exe), "query", name, "--format", "csv"]
    args += [a for k, v in params.items() for a in ("--param", f"{k}={v}")]

    def run() -> None:
        subprocess.run(args, check=True, capture_output=True, cwd=ROOT)

    run()  # warm: builds if stale, refreshes the store cache and the freshness stamp
    return _median_ms(run, repeat)


def main() -> None:
    """Run the benchmark, print the table and write bench/results/queries.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="pyoxigraph runs per query")
    parser.add_argument("--rdflib-repeat", type=int, default=3, help="rdflib runs per query")
    parser.add_argument("--cli-repeat", type=int, default=5, help="whole-process runs per query")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0,
                        help="seconds allowed for all of one query's rdflib runs")
    parser.add_argument("--only", nargs="*", help="only these queries")
    args = parser.parse_args()

    out = ensure_built(ROOT)
    nquads = out / "graph.nq"
    oxi = LocalEngine(load_memory(nquads))
    t0 = time.perf_counter()
    rdf = RdflibEngine(nquads)
    rdflib_load = time.perf_counter() - t0
    catalogue = load_catalogue(ROOT / "queries")
    names = args.only or list(catalogue)

    rows = []
    head = f"{'query':<40} {'rows':>5} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>7} {'CLI ms':>8}"
    print(head)
    print("─" * len(head))
    for name in names:
        saved = catalogue[name]
        params = saved.example_values()  # required parameters get their help text's example
        text = saved.bind(params)
        n_rows = len(oxi.query(text))
        ox_ms = _median_ms(lambda text=text: oxi.query(text), args.repeat)
        rdf_ms = _rdflib_ms(rdf, text, args.rdflib_repeat, args.rdflib_timeout)
        cli_ms = _cli_ms(name, params, args.cli_repeat)
        ratio = rdf_ms / ox_ms if rdf_ms is not None and ox_ms > 0 else None
        rows.append({"query": name, "rows": n_rows, "oxigraph_ms": round(ox_ms, 2),
                     "rdflib_ms": None if rdf_ms is None else round(rdf_ms, 1),
                     "rdflib_over_oxigraph": None if ratio is None else round(ratio, 1),
                     "cli_ms": round(cli_ms, 1)})
        rdf_text = "timeout" if rdf_ms is None else f"{rdf_ms:10.1f}"
        ratio_text = "" if ratio is None else f"{ratio:6.0f}×"
        print(f"{name:<40} {n_rows:>5} {ox_ms:>12.2f} {rdf_text:>10} {ratio_text:>7} {cli_ms:>8.0f}")

    cli = [r["cli_ms"] for r in rows]
    summary = {
        "median_cli_ms": round(statistics.median(cli), 1),
        "max_cli_ms": max(cli),
        "target_cli_ms": 300,
        "median_oxigraph_ms": round(statistics.median(r["oxigraph_ms"] for r in rows), 2),
        "median_rdflib_ms": round(statistics.median(r["rdflib_ms"] for r in rows
                                                    if r["rdflib_ms"] is not None), 1),
        "rdflib_load_s": round(rdflib_load, 2),
    }
    print("─" * len(head))
    print(f"whole-process median {summary['median_cli_ms']:.0f} ms (target {summary['target_cli_ms']} ms); "
          f"oxigraph median {summary['median_oxigraph_ms']:.2f} ms, rdflib median "
          f"{summary['median_rdflib_ms']:.0f} ms (rdflib load {summary['rdflib_load_s']:.1f} s)")
    machine = {"python": platform.python_version(), "platform": platform.platform(),
               "cpus": os.cpu_count(), "load_average": list(os.getloadavg())}
    doc = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine,
           "repeat": args.repeat, "rdflib_repeat": args.rdflib_repeat, "cli_repeat": args.cli_repeat,
           "summary": summary, "queries": rows}
    (HERE / "results").mkdir(exist_ok=True)
    target = HERE / "results" / "queries.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    tmp.replace(target)
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
