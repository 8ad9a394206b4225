"""Reading a Markdown fact file: sections, pipe tables and the keyed source list, with line numbers.

The reader knows Markdown's shape, not what the facts mean (that is ``markdown_waves``). It keeps
the line of every table row and source entry so that a bad one is reported as ``file:line``.

>>> doc = parse_markdown(Path("x.md"), "## 1. Things\\n| a | b |\\n|---|---|\\n| 1 | 2 |\\n")
>>> doc.section("1").tables[0].rows[0].cells
('1', '2')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ._base import ReferenceTableError

_HEADING = re.compile(r"^##\s+(?:(?P<num>[0-9]+[a-z]?)\.\s+)?(?P<title>.+?)\s*$")
_SEPARATOR = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+\s*$")
#: Source keys as the file uses them: a letter for the kind of fact and a number (V5b, I17, B13).
KEY = re.compile(r"\b[VPICB][0-9]{1,2}[a-z]?\b")
_SOURCE_TOKEN = re.compile(
    r"(?P<base>[a-z0-9-]+(?:\.[a-z0-9-]+)+/)\ \+\ "
    r"|(?P<other>\bOther:)"
    r"|(?P<code>\bCode\.)"
    r"|(?<![\w/.=?&-])(?P<key>[VPICB][0-9]{1,2}[a-z]?)(?:\ \(=(?P<alias>[VPICB][0-9]{1,2}[a-z]?)\))?"
    r"\ (?P<addr>this\ folder's\ `[^`]+`|`[^`]+`|[^\s`·]+)",
    re.X,
)
_REPO_FILE = re.compile(r"^`(?P<repo>[\w.-]+/[\w.-]+):(?P<path>[^@`]+)@(?P<commit>[0-9a-f]{40})`$")


@dataclass(frozen=True)
class MdRow:
    """One row of a pipe table: its cells (stripped) and where it is."""

    path: Path
    line: int
    cells: tuple[str, ...]

    def error(self, message: str) -> ReferenceTableError:
        """An error naming this row's file and line."""
        return ReferenceTableError(self.path, self.line, message)


@dataclass(frozen=True)
class MdTable:
    """A pipe table: its header cells and body rows."""

    header: tuple[str, ...]
    rows: tuple[MdRow, ...]


@dataclass
class MdSection:
    """A ``## `` section: its number (``1a``, ``2``; empty if none), title, text lines, tables."""

    path: Path
    number: str
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    tables: list[MdTable] = field(default_factory=list)

    @property
    def prose(self) -> list[tuple[int, str]]:
        """The section's lines that are not table rows, with their line numbers."""
        return [(n, t) for n, t in self.lines if not t.lstrip().startswith("|")]

    def find(self, pattern: re.Pattern[str], what: str) -> tuple[re.Match[str], int]:
        """The first match of ``pattern`` in the section's prose and its line; raise if none."""
        text = "\n".join(t for _n, t in self.prose)
        m = pattern.search(text)
        if m is None:
            raise ReferenceTableError(self.path, self.line,
                                      f"section {self.number or self.title!r} does not state {what}")
        first = self.prose[0][0] if self.prose else self.line
        return m, first + text[: m.start()].count("\n")

    def error(self, message: str) -> ReferenceTableError:
        """An error naming the section's heading line."""
        return ReferenceTableError(self.path, self.line, message)


@dataclass(frozen=True)
class SourceEntry:
    """A keyed source of the fact file: a web page or a file in a public repository."""

    key: str
    iri: str
    address: str
    kind: str  # "page" or "repository-file"
    line: int


@dataclass
class MdDocument:
    """A parsed fact file."""

    path: Path
    title: str
    sections: list[MdSection]

    def section(self, number: str) -> MdSection:
        """The section numbered ``number``; raise naming the file if it is missing."""
        for s in self.sections:
            if s.number == number:
                return s
        raise ReferenceTableError(self.path, None, f"no section numbered {number!r}")

    def section_titled(self, title: str) -> MdSection:
        """The section whose title is ``title``."""
        for s in self.sections:
            if s.title == title:
                return s
        raise ReferenceTableError(self.path, None, f"no section titled {title!r}")


def _cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    if not body.endswith("|"):
        raise ValueError("a table row must end with '|'")
    return tuple(c.strip() for c in body[1:-1].split("|"))


def parse_markdown(path: Path, text: str) -> MdDocument:
    """Split ``text`` into sections and pipe tables; a row whose cells do not match its header
    raises :class:`ReferenceTableError` naming the file and line."""
    title = ""
    sections: list[MdSection] = []
    current: MdSection | None = None
    table_header: tuple[str, ...] | None = None
    table_rows: list[MdRow] = []
    pending_header: tuple[int, tuple[str, ...]] | None = None

    def close_table() -> None:
        nonlocal table_header, table_rows, pending_header
        if pending_header is not None:
            raise ReferenceTableError(path, pending_header[0],
                                      "a table header must be followed by a '|---|' separator row")
        if current is not None and table_header is not None:
            current.tables.append(MdTable(table_header, tuple(table_rows)))
        table_header, table_rows = None, []

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if line.startswith("# ") and not title:
            title = line[2:].strip()
            continue
        heading = _HEADING.match(line)
        if heading:
            close_table()
            current = MdSection(path, heading["num"] or "", heading["title"], number)
            sections.append(current)
            continue
        if current is None:
            continue
        current.lines.append((number, line))
        if not line.lstrip().startswith("|"):
            close_table()
            continue
        if pending_header is not None:
            if not _SEPARATOR.match(line.strip()):
                raise ReferenceTableError(path, number, "expected the '|---|' separator row "
                                          "under the table header")
            table_header, pending_header = pending_header[1], None
            continue
        try:
            cells = _cells(line)
        except ValueError as exc:
            raise ReferenceTableError(path, number, str(exc)) from None
        if table_header is None:
            pending_header = (number, cells)
            continue
        if len(cells) != len(table_header):
            raise ReferenceTableError(
                path, number, f"this row has {len(cells)} cells but the table's header has "
                f"{len(table_header)} ({' | '.join(table_header)})")
        if any(not c for c in cells):
            empty = table_header[cells.index("")]
            raise ReferenceTableError(path, number, f"the {empty!r} cell is empty")
        table_rows.append(MdRow(path, number, cells))
    close_table()
    return MdDocument(path, title, sections)


def keys_in(text: str) -> list[str]:
    """The source keys cited in ``text``, in order, without repeats.

    >>> keys_in("P3,P6 (date); P4,P7 (list)")
    ['P3', 'P6', 'P4', 'P7']
    """
    seen: list[str] = []
    for k in KEY.findall(text):
        if k not in seen:
            seen.append(k)
    return seen


def parse_sources(section: MdSection, local_files: dict[str, str]) -> dict[str, SourceEntry]:
    """Read the keyed source list: ``host/ + KEY path · KEY path …``, ``Other: KEY host/path``,
    and ``Code. KEY `owner/repo:path@commit```. ``local_files`` maps a file named as "this
    folder's" copy to the address of the public file it was copied from."""
    text = "\n".join(t for _n, t in section.lines)
    first_line = section.lines[0][0] if section.lines else section.line
    base: str | None = None
    code_mode = False
    found: dict[str, SourceEntry] = {}
    for m in _SOURCE_TOKEN.finditer(text):
        line = first_line + text[: m.start()].count("\n")
        if m["base"]:
            base, code_mode = m["base"], False
            continue
        if m["other"]:
            base, code_mode = "", False
            continue
        if m["code"]:
            base, code_mode = None, True
            continue
        addr = m["addr"]
        if code_mode or addr.startswith("`") or addr.startswith("this folder's"):
            iri, kind, address = _repository_file(addr, local_files, section.path, line)
        else:
            if base is None:
                raise ReferenceTableError(section.path, line,
                                          f"source {m['key']} has no site (expected 'host/ + …')")
            address = (base + addr).rstrip(".")
            iri, kind = "https://" + address, "page"
        for key in filter(None, (m["key"], m["alias"])):
            if key in found:
                raise ReferenceTableError(section.path, line, f"source key {key} is defined "
                                          f"twice (first on line {found[key].line})")
            found[key] = SourceEntry(key, iri, address, kind, line)
    if not found:
        raise section.error("the source list defines no keys")
    return found


def _repository_file(addr: str, local_files: dict[str, str], path: Path,
                     line: int) -> tuple[str, str, str]:
    if addr.startswith("this folder's"):
        name = addr.split("`")[1]
        if name not in local_files:
            raise ReferenceTableError(path, line, f"local file {name!r} is not a known copy of a "
                                      "public file")
        return local_files[name], "repository-file", name
    m = _REPO_FILE.match(addr)
    if m is None:
        raise ReferenceTableError(path, line, f"expected `owner/repo:path@commit`, found {addr}")
    iri = f"https://github.com/{m['repo']}/blob/{m['commit']}/{m['path']}"
    return iri, "repository-file", addr.strip("`")
