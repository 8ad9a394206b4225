"""Reading reference tables row by row, with the file and line of every value kept for errors.

Both readers decode UTF-8 with or without a byte-order mark and accept CRLF line ends, as the
public copies have them. Nothing here knows what a table means; the format modules check that.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._base import ReferenceTableError


def _ons(prefix: str, what: str) -> tuple[re.Pattern[str], str]:
    """The scheme of ONS codes of one kind: ``prefix`` and six digits."""
    return re.compile(rf"^{prefix}[0-9]{{6}}$"), f"an ONS {what} code ({prefix} and six digits)"


#: Code schemes a column may hold: a pattern and how to describe it in an error.
CODES: dict[str, tuple[re.Pattern[str], str]] = {
    "stp-ons": _ons("E54", "STP/ICB footprint"),
    "ccg-ons": _ons("E38", "CCG or sub-ICB location"),
    "region-ons": _ons("E40", "NHS England region"),
    "alliance-ons": _ons("E56", "cancer alliance"),
    "ccg-ods": (re.compile(r"^[0-9A-Z]{3,5}$"),
                "an ODS CCG code (three to five capitals or digits)"),
    "stp-ods": (re.compile(r"^Q[0-9A-Z]{2}$"),
                "an ODS STP/ICB code (Q and two capitals or digits)"),
    "trust-ods": (re.compile(r"^[RT][0-9A-Z]{2,4}$"),
                  "an ODS trust code (R or T, then two to four capitals or digits)"),
}
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Trim a value and collapse runs of white space (non-breaking spaces included) to one space."""
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Row:
    """One record of a table: its values by column, and where it is."""

    path: Path
    line: int
    values: dict[str, Any]

    def error(self, message: str) -> ReferenceTableError:
        """An error naming this row's file and line."""
        return ReferenceTableError(self.path, self.line, message)

    def text(self, column: str) -> str:
        """The value of ``column``, cleaned; an empty value is an error."""
        value = self.values.get(column)
        if not isinstance(value, str):
            raise self.error(f"{column!r} must be text, found {value!r}")
        value = clean(value)
        if not value:
            raise self.error(f"{column!r} is empty")
        return value

    def code(self, column: str, scheme: str) -> str:
        """The value of ``column``, checked against a code scheme of :data:`CODES`."""
        return self.check_code(self.text(column), scheme, repr(column))

    def check_code(self, value: str, scheme: str, what: str) -> str:
        """``value`` checked against a code scheme of :data:`CODES`; an error calls it ``what``."""
        pattern, description = CODES[scheme]
        if not pattern.match(value):
            raise self.error(f"{what} should be {description}, found {value!r}")
        return value

    def count(self, column: str) -> int:
        """The value of ``column`` as a whole number of zero or more."""
        value = self.text(column)
        if not re.fullmatch(r"[0-9]+", value):
            raise self.error(f"{column!r} should be a whole number, found {value!r}")
        return int(value)

    def value(self, column: str, kind: str) -> str | int:
        """The value of ``column`` read as ``kind``: "text", "count" or a code scheme of :data:`CODES`."""
        if kind == "text":
            return self.text(column)
        if kind == "count":
            return self.count(column)
        return self.code(column, kind)


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReferenceTableError(path, None, "file not found") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReferenceTableError(path, line, f"not UTF-8: {exc.reason}") from None


def read_csv(path: Path, columns: Sequence[str]) -> list[Row]:
    """Read a CSV table whose header must be exactly ``columns`` (spaces around names ignored).

    Blank lines are skipped. A row with the wrong number of fields is an error naming its line.
    """
    reader = csv.reader(io.StringIO(_decode(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ReferenceTableError(path, 1, "the file is empty") from None
    except csv.Error as exc:
        raise ReferenceTableError(path, 1, f"not valid CSV: {exc}") from None
    found = [clean(h) for h in header]
    if found != list(columns):
        raise ReferenceTableError(path, 1, f"expected the columns {', '.join(columns)}; "
                                           f"found {', '.join(found)}")
    rows = []
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ReferenceTableError(path, reader.line_num, f"not valid CSV: {exc}") from None
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(columns):
            raise ReferenceTableError(path, reader.line_num,
                                      f"expected {len(columns)} fields, found {len(record)}")
        rows.append(Row(path, reader.line_num, dict(zip(columns, record, strict=True))))
    return rows


_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:')


def read_json_object(path: Path) -> list[Row]:
    """Read a JSON object of ``key: value`` pairs as rows ``{"key": key, "value": value}``.

    The line of each row is the line where its key is written. Duplicate keys are an error.
    """
    text = _decode(path)
    lines: dict[str, list[int]] = defaultdict(list)  # key -> the lines it is written on
    for number, line in enumerate(text.splitlines(), 1):
        if match := _KEY.match(line):
            lines[match.group(1)].append(number)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise ValueError(f"duplicate key {key!r}")
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise ReferenceTableError(path, exc.lineno, f"not valid JSON: {exc.msg}") from None
    except ValueError as exc:
        key = str(exc).split("'")[1] if "'" in str(exc) else ""
        raise ReferenceTableError(path, lines[key][-1] if lines[key] else None, str(exc)) from None
    if not isinstance(data, dict):
        raise ReferenceTableError(path, 1, "expected a JSON object of code: value pairs")
    return [Row(path, lines[key][0] if lines[key] else 0, {"key": key, "value": value})
            for key, value in data.items()]
