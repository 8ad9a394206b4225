"""Write query results in the SPARQL 1.1 result formats and RDF syntaxes, from capped row lists.

Rows are read from pyoxigraph one at a time so the row cap is exact; serialisation of SELECT
results is done here (pyoxigraph can only serialise a whole, uncapped iterator), graphs are
written by pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..namespace import PREFIXES
from ..results import XSD_STRING, json_term
from .conneg import CSV, JSON, JSONLD, NTRIPLES, RDFXML, TSV, TURTLE, XML, Format

Term = ox.NamedNode | ox.BlankNode | ox.Literal
_SRX = "http://www.w3.org/2005/sparql-results#"
_RDF_FORMATS = {TURTLE: ox.RdfFormat.TURTLE, NTRIPLES: ox.RdfFormat.N_TRIPLES,
                JSONLD: ox.RdfFormat.JSON_LD, RDFXML: ox.RdfFormat.RDF_XML}


def select_body(fmt: Format, variables: list[str], rows: list[tuple[Term | None, ...]]) -> bytes:
    """SELECT results in ``fmt`` (JSON, XML, CSV or TSV)."""
    if fmt is JSON:
        return select_json(variables, rows)
    if fmt is XML:
        return _select_xml(variables, rows)
    if fmt is CSV:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return buf.getvalue().encode()
    if fmt is TSV:
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"not a results format: {fmt.name}")


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: JSON of recently written terms: lookups repeat predicates, classes and labels a lot.
_TERM_JSON: dict[Term, str] = {}
_TERM_JSON_MAX = 50_000  # entries; the cache is emptied when it grows past this
_TERM_JSON_LONGEST = 300  # characters of value; longer literals are not cached


def term_json(term: Term) -> str:
    """A term as compact SPARQL JSON text, exactly as ``json.dumps(json_term(term))`` would write it."""
    text = _TERM_JSON.get(term)
    if text is None:
        text = _dumps(json_term(term))
        if len(term.value) <= _TERM_JSON_LONGEST:
            if len(_TERM_JSON) >= _TERM_JSON_MAX:
                _TERM_JSON.clear()
            _TERM_JSON[term] = text
    return text


def select_json(variables: list[str], rows: list[tuple[Term | None, ...]]) -> bytes:
    """SPARQL 1.1 JSON results, compact, written from cached term texts (byte for byte what
    ``json.dumps`` of the whole document with ``separators=(",", ":")`` gives)."""
    keys = [_dumps(v) + ":" for v in variables]
    bindings = ",".join(
        "{" + ",".join(key + term_json(t) for key, t in zip(keys, row, strict=True) if t is not None) + "}"
        for row in rows)
    head = _dumps({"vars": variables})
    return f'{{"head":{head},"results":{{"bindings":[{bindings}]}}}}'.encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_STRING:
        attrs = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


def _select_xml(variables: list[str], rows: list[tuple[Term | None, ...]]) -> bytes:
    out = ['<?xml version="1.0"?>\n', f'<sparql xmlns="{_SRX}">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def ask_body(fmt: Format, value: bool) -> bytes:
    """An ASK answer in ``fmt``."""
    text = "true" if value else "false"
    if fmt is JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt is XML:
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{_SRX}"><head/>'
                f"<boolean>{text}</boolean></sparql>\n").encode()
    if fmt is CSV:
        return f"_askResult\r\n{text}\r\n".encode()
    return f"?_askResult\n{text}\n".encode()


def graph_body(fmt: Format, triples: list[ox.Triple]) -> bytes:
    """Triples in an RDF syntax (Turtle and JSON-LD with the stpgraph prefixes)."""
    rdf_format = _RDF_FORMATS[fmt]
    prefixes = used_prefixes(triples) if fmt in (TURTLE, RDFXML) else None
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The known prefixes whose namespace some IRI in ``triples`` falls under."""
    iris = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    namespaces = {iri.rsplit("#", 1)[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/" for iri in iris}
    return {p: ns for p, ns in PREFIXES.items()
            if ns in namespaces or any(n.startswith(ns) for n in namespaces)}
