"""Deterministic, readable Turtle for the reference layer, written atomically.

rdflib's serialiser orders subjects and names blank nodes in ways that change from run to run,
which makes the committed files churn. This writer always produces the same text for the same
triples:

* prefixes: only those used, sorted by name;
* subjects: the named graph's own provenance first, then every other IRI subject sorted by its
  written form;
* predicates: ``a`` first, then sorted; objects sorted by their written form;
* a blank node used exactly once as an object is written inline as ``[ … ]`` (that is how the
  importers use them, for dated names and codes); any other blank node is an error.

Files are written to a temporary file in the same folder and moved into place with
:func:`os.replace`, so a reader never sees half a file and a failed import leaves the old file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..atomic import write_atomic

# Turtle PN_LOCAL restricted to the characters our slugs and codes use; a local name must not end
# with "." and must not start with "-" or ".".
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
INDENT = "    "


class TurtleWriter:
    """Render an rdflib graph as stable Turtle with the given prefixes.

    >>> from rdflib import Namespace
    >>> ex = Namespace("http://example.org/")
    >>> g = Graph()
    >>> _ = g.add((ex.b, RDF.type, ex.Thing)).add((ex.b, ex.name, Literal("B", lang="en")))
    >>> print(TurtleWriter({"ex": str(ex)}).render(g), end="")
    @prefix ex: <http://example.org/> .
    <BLANKLINE>
    ex:b a ex:Thing ;
        ex:name "B"@en .
    """

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so a more specific prefix wins.
        self.prefixes = dict(prefixes)
        self._by_length = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self._used: set[str] = set()

    # --- terms ---------------------------------------------------------------------------------

    def iri(self, term: URIRef) -> str:
        """Write an IRI as ``prefix:local`` when a prefix fits, else as ``<iri>``."""
        if term == RDF.type:
            return "a"
        text = str(term)
        for prefix, ns in self._by_length:
            if text.startswith(ns):
                local = text[len(ns):]
                if local and _LOCAL.match(local):
                    self._used.add(prefix)
                    return f"{prefix}:{local}"
        return f"<{text}>"

    def literal(self, term: Literal) -> str:
        """Write a literal: integers bare, strings quoted with a language tag or datatype."""
        lexical = str(term)
        quoted = '"' + "".join(_ESCAPES.get(ch, ch) for ch in lexical) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        datatype = term.datatype
        if datatype is None or datatype == XSD.string:
            return quoted
        if datatype == XSD.integer and _INTEGER.match(lexical):
            return lexical
        return f"{quoted}^^{self.iri(URIRef(datatype))}"

    # --- graph ---------------------------------------------------------------------------------

    def render(self, graph: Graph, *, first: Iterable[URIRef] = (), header: str = "") -> str:
        """Return the Turtle text of ``graph``; subjects in ``first`` come before all others."""
        self._used = set()
        by_subject: dict[URIRef | BNode, dict[URIRef, list]]
        by_subject = defaultdict(lambda: defaultdict(list))
        object_uses: dict[BNode, int] = defaultdict(int)
        for s, p, o in graph:
            by_subject[s][p].append(o)
            if isinstance(o, BNode):
                object_uses[o] += 1
        for node in by_subject:
            if isinstance(node, BNode) and object_uses.get(node, 0) != 1:
                raise ValueError("a blank node must be used exactly once, as an object")
        if any(uses != 1 for uses in object_uses.values()):
            raise ValueError("a blank node must be used exactly once, as an object")

        blocks: list[tuple[tuple[int, str], str]] = []
        leading = {u: i for i, u in enumerate(first)}
        for subject in by_subject:
            if isinstance(subject, BNode):
                continue
            text = self._subject_block(subject, by_subject)
            key = (leading.get(subject, len(leading)), self.iri(subject))
            blocks.append((key, text))
        blocks.sort(key=lambda kv: kv[0])
        body = "\n".join(text for _key, text in blocks)

        lines = [header.rstrip("\n") + "\n"] if header else []
        lines.extend(f"@prefix {p}: <{self.prefixes[p]}> .\n" for p in sorted(self._used))
        return "".join(lines) + "\n" + body

    def _subject_block(self, subject: URIRef, by_subject: Mapping) -> str:
        return f"{self.iri(subject)} {self._predicate_list(subject, by_subject, 1)} .\n"

    def _predicate_list(self, subject: URIRef | BNode, by_subject: Mapping, depth: int) -> str:
        pad = INDENT * depth
        parts = []
        preds = by_subject[subject]
        for predicate in sorted(preds, key=lambda p: (p != RDF.type, self.iri(p))):
            objects = sorted(self._object(o, by_subject, depth) for o in preds[predicate])
            if any(o.startswith("[") for o in objects):
                joined = ", ".join(objects)
            else:
                joined = (",\n" + pad + INDENT).join(objects)
            parts.append(f"{self.iri(predicate)} {joined}")
        return (" ;\n" + pad).join(parts)

    def _object(self, term, by_subject: Mapping, depth: int) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            return self.literal(term)
        if isinstance(term, BNode):
            inner = self._predicate_list(term, by_subject, depth + 1)
            pad = INDENT * (depth + 1)
            return "[\n" + pad + inner + "\n" + INDENT * depth + "]"
        raise TypeError(f"cannot write {term!r} as Turtle")


def write_sets(rendered: Mapping[str, tuple[str, int]], out_dir: Path) -> dict[str, int]:
    """Write each set's rendered Turtle atomically to ``out_dir/<set>.ttl``; return the triple
    counts (``rendered`` maps a set to its text and count)."""
    for name, (text, _count) in rendered.items():
        write_atomic(Path(out_dir) / f"{name}.ttl", text)
    return {name: count for name, (_text, count) in rendered.items()}


__all__ = ["TurtleWriter", "write_atomic", "write_sets"]
