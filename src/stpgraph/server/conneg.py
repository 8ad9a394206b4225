"""Content negotiation: parse ``Accept`` and pick a representation; the media types we speak."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Format:
    """One representation: a short name (also the URL extension), its media type and aliases."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    extension: str = ""

    @property
    def types(self) -> tuple[str, ...]:
        """Every media type that selects this format, the canonical one first."""
        return (self.media_type, *self.aliases)


JSON = Format("json", "application/sparql-results+json",
              ("application/json", "text/javascript", "application/javascript"), "json")
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), "xml")
CSV = Format("csv", "text/csv", (), "csv")
TSV = Format("tsv", "text/tab-separated-values", (), "tsv")
TURTLE = Format("turtle", "text/turtle", ("application/turtle", "application/x-turtle", "text/n3",
                                          "text/rdf+n3"), "ttl")
NTRIPLES = Format("ntriples", "application/n-triples", ("text/plain",), "nt")
JSONLD = Format("jsonld", "application/ld+json", ("application/json", "application/x-json+ld"),
                "jsonld")
RDFXML = Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), "rdf")
HTML = Format("html", "text/html", ("application/xhtml+xml",), "html")

#: For SELECT and ASK results, in order of preference.
RESULT_FORMATS = (JSON, XML, CSV, TSV)
#: For CONSTRUCT / DESCRIBE results and linked-data documents, in order of preference.
GRAPH_FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)

#: ``?format=`` short names (also extensions) → format, per kind of result.
_SHORT = {
    "json": (JSON, JSONLD), "srj": (JSON, JSONLD), "xml": (XML, RDFXML), "srx": (XML, RDFXML),
    "csv": (CSV, None), "tsv": (TSV, None), "turtle": (None, TURTLE), "ttl": (None, TURTLE),
    "ntriples": (None, NTRIPLES), "nt": (None, NTRIPLES), "jsonld": (None, JSONLD),
    "json-ld": (None, JSONLD), "rdfxml": (None, RDFXML), "rdf": (None, RDFXML),
    "rdf+xml": (None, RDFXML), "n3": (None, TURTLE), "text": (TSV, NTRIPLES),
}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs in the order given; malformed parts are skipped."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """The q of the most specific range matching ``media_type`` (and how specific it was)."""
    major = media_type.split("/")[0]
    best = (-1.0, -1)
    for media, q in ranges:
        if media == media_type:
            specificity = 2
        elif media == f"{major}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (q, specificity)
    return best


@lru_cache(maxsize=512)  # clients send the same few Accept headers again and again
def choose(accept: str | None, offered: tuple[Format, ...]) -> Format | None:
    """The offered format the client prefers; the first offered one when ``Accept`` is absent.

    Returns None when the client accepts none of them (the caller answers 406).
    """
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for rank, fmt in enumerate(offered):
        for media_type in fmt.types:
            q, specificity = _quality(media_type, ranges)
            if q <= 0:
                continue
            key = (q, specificity, -rank)
            if best is None or key > best:
                best, chosen = key, fmt
    return chosen


def by_short_name(name: str, *, graph: bool) -> Format | None:
    """The format a ``?format=`` value (short name or media type) names, for this kind of result."""
    name = name.strip().lower()
    if name in _SHORT:
        return _SHORT[name][1 if graph else 0]
    for fmt in GRAPH_FORMATS if graph else RESULT_FORMATS:
        if name in fmt.types:
            return fmt
    return None


def by_extension(ext: str, offered: tuple[Format, ...]) -> Format | None:
    """The offered format whose extension is ``ext`` (without the dot)."""
    return next((f for f in offered if f.extension == ext), None)


def prefers_html(accept: str | None) -> bool:
    """True when a client (a browser) ranks HTML above JSON and RDF."""
    if not accept:
        return False
    return choose(accept, (HTML, JSON, TURTLE)) is HTML and "html" in accept.lower()
