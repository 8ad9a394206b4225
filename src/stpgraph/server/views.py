"""Template helpers: local links for graph IRIs, compact names, readable terms, body reading."""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
from jinja2 import Environment
from markupsafe import Markup, escape
from starlette.requests import Request

from ..namespace import compact_iri
from .errors import HTTPProblem
from .settings import Settings


def local_path(iri: str, base: str) -> str | None:
    """The site path serving ``iri`` (``/id/x`` for ``{base}id/x``), or None if it is not ours."""
    if iri.startswith(base):
        rest = iri[len(base):]
        if rest.split("/", 1)[0] in ("id", "def", "graph"):
            return "/" + urllib.parse.quote(rest, safe="/:@!$&'()*+,;=-._~#")
    return None


def iri_of(path: str, base: str) -> str:
    """The IRI a site path stands for (inverse of :func:`local_path`)."""
    return base + path.lstrip("/")


def install_filters(env: Environment, settings: Settings) -> None:
    """Register the filters the templates use."""
    base = settings.base

    def href(iri: str) -> str:
        return local_path(iri, base) or iri

    def term_html(term, label: str | None = None) -> Markup:
        """A term as HTML: IRIs as links with their label, literals with language or datatype."""
        if term is None:
            return Markup("")
        if isinstance(term, ox.NamedNode):
            text = label or compact_iri(term.value)
            local = local_path(term.value, base)
            if local:
                return Markup('<a href="{}" title="{}">{}</a>').format(local, term.value, text)
            return Markup('<a class="external" href="{}" title="{}" rel="noopener">{}</a>').format(
                term.value, term.value, text)
        if isinstance(term, ox.BlankNode):
            return Markup('<span class="bnode">[{}]</span>').format(label or "unnamed node")
        note = ""
        if term.language:
            note = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            note = compact_iri(term.datatype.value).replace("xsd:", "")
        tag = Markup(' <span class="dt">{}</span>').format(note) if note else ""
        return Markup('<span class="literal">{}</span>{}').format(term.value, tag)

    env.filters["href"] = href
    env.filters["compact"] = compact_iri
    env.filters["term"] = term_html
    env.filters["graph_name"] = lambda iri: iri.rsplit("/", 1)[-1]
    env.filters["urlencode_q"] = lambda s: urllib.parse.quote(s, safe="")
    env.globals["escape"] = escape


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) as soon as it grows past ``limit`` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPProblem(413, "too_large", f"the request body is larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode(data: bytes, what: str) -> str:
    """Bytes as UTF-8 text, or a 400 naming what could not be read."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPProblem(400, "bad_request", f"{what} is not valid UTF-8 (byte {exc.start})") from None
