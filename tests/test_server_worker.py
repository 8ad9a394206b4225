"""The query worker's fast paths: SPARQL JSON writing, prefix selection, reply encoding, pipe framing."""

from __future__ import annotations

import asyncio
import json
import pickle
import struct

import pyoxigraph as ox
import pytest

from stpgraph.namespace import PREFIXES
from stpgraph.results import json_term
from stpgraph.server.serialize import select_json
from stpgraph.server.worker import (
    Job,
    Reply,
    _Channel,
    dataset_graphs,
    decode_reply,
    encode_reply,
    prefixes_in,
    run_job,
)


def run_on_own_loop(coro):
    """Run ``coro`` on a private event loop and close it, leaving the thread's current loop alone:
    ``asyncio.run`` replaces it, and a loop that a library made earlier with ``get_event_loop()``
    would then be collected unclosed (a ResourceWarning) in whichever test runs next."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def reference_json(variables: list[str], rows: list[tuple]) -> bytes:
    """SPARQL JSON as the straightforward ``json.dumps`` of the whole document writes it."""
    bindings = [{v: json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                for row in rows]
    doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


ODD_QUERIES = [
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?s ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?missing } } LIMIT 40",
    "SELECT ?nothing WHERE { }",
    'SELECT * WHERE { VALUES (?a ?b) { ("é\\"\\n\\u0001<>&" 1) (UNDEF "x"@en-GB) (<http://x/é> 2.5) '
    '("\\\\" "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) } }',
    "SELECT (BNODE() AS ?b) (\"\\u2028\" AS ?c) WHERE { }",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_select_json_is_byte_for_byte_json_dumps(store: ox.Store, query: str) -> None:
    result = store.query(query, use_default_graph_as_union=True)
    variables = [v.value for v in result.variables]
    rows = [tuple(solution) for solution in result]
    assert select_json(variables, rows) == reference_json(variables, rows)
    # and again, now that the terms are cached
    assert select_json(variables, rows) == reference_json(variables, rows)
    assert json.loads(select_json(variables, rows))["head"]["vars"] == variables


def test_prefixes_in_keeps_every_prefix_the_query_spells() -> None:
    assert prefixes_in("SELECT ?p ?o WHERE { <https://w3id.org/stpgraph/id/form/stp> ?p ?o }") == {}
    chosen = prefixes_in("ASK { form:stp stp:replacedBy ?x . ?x rdfs:label ?l }")
    assert {"form", "stp", "rdfs"} <= set(chosen)
    assert all(chosen[name] == PREFIXES[name] for name in chosen)
    # a superset is harmless: prefixes named only inside strings or IRIs are passed too
    assert "rdfs" in prefixes_in('SELECT * WHERE { ?s ?p "rdfs:label" }')


def test_run_job_resolves_predeclared_prefixes(store: ox.Store) -> None:
    graphs = dataset_graphs(store)
    reply = run_job(store, graphs, Job("ASK { form:stp stp:replacedBy form:ics }", format="json"))
    assert reply.error is None and json.loads(reply.body)["boolean"] is True
    text = "SELECT ?p ?o WHERE { <https://w3id.org/stpgraph/id/form/stp> ?p ?o }"
    lookup = run_job(store, graphs, Job(text, format="json"))
    assert lookup.error is None and lookup.rows > 0
    undeclared = run_job(store, graphs, Job("SELECT * WHERE { ?s nope:p ?o }", format="json"))
    assert undeclared.status == 400 and undeclared.error and undeclared.error[0] == "malformed_query"


@pytest.mark.parametrize("reply", [
    Reply(200, "application/sparql-results+json", b'{"boolean":true}', rows=1),
    Reply(400, error=("malformed_query", "SPARQL syntax error: é")),
    Reply(200, "text/turtle", b"x" * 100_000, rows=7, headers={"X-Extra": "1"}),
])
def test_reply_round_trip(reply: Reply) -> None:
    assert decode_reply(encode_reply(reply)) == reply


def test_channel_reassembles_replies_from_any_chunking() -> None:
    """A reply arrives in arbitrary pieces; the long (-1, 8-byte size) header form is understood.

    (A worker answers one job at a time, so one reply is in flight per pipe.)"""
    payloads = [b"", b"a", b"x" * 70_000, pickle.dumps(("ok", 1))]
    frames = [struct.pack("!i", len(p)) + p for p in payloads[:3]]
    frames.append(struct.pack("!iQ", -1, len(payloads[3])) + payloads[3])

    async def scenario(step: int) -> list[bytes]:
        loop = asyncio.get_running_loop()
        channel = _Channel()
        got = []
        for frame in frames:
            channel.waiter = loop.create_future()
            for start in range(0, len(frame), step):
                assert not channel.waiter.done()
                channel.data_received(frame[start:start + step])
            got.append(channel.waiter.result())
        return got

    for step in (1, 3, 4096, 1 << 20):
        assert run_on_own_loop(scenario(step)) == payloads


def test_channel_reports_a_closed_pipe() -> None:
    async def scenario() -> None:
        channel = _Channel()
        channel.waiter = asyncio.get_running_loop().create_future()
        channel.connection_lost(None)
        with pytest.raises(EOFError):
            await channel.waiter
        with pytest.raises(EOFError):
            channel.send(b"job")

    run_on_own_loop(scenario())
