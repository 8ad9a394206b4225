"""Dates at the precision a source gives them: a year, a month, or a day.

The graph stores ``"2014"^^xsd:gYear``, ``"2017-03"^^xsd:gYearMonth`` and ``"2022-07-01"^^xsd:date``
and never pads a month to the 1st. These three Python types keep that distinction when results leave
the graph, and share one small interface: ``precision``, ``start``, ``end`` (as :class:`datetime.date`)
and ``str()`` giving the XSD lexical form back.

>>> Year(2014).end, YearMonth(2017, 3).end, Day(2022, 7, 1).precision
(datetime.date(2014, 12, 31), datetime.date(2017, 3, 31), 'day')
>>> sorted([Day(2017, 3, 5), Year(2016), YearMonth(2017, 3)], key=sort_key)
[Year(2016), YearMonth(2017, 3), Day(2017, 3, 5)]
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import ClassVar

__all__ = ["Day", "PartialDate", "Year", "YearMonth", "parse_partial", "sort_key"]


class Year(int):
    """A calendar year (``xsd:gYear``); an ``int``, so ``Year(2014) == 2014``.

    >>> y = Year(2014)
    >>> y + 1, str(y), y.start, y.precision
    (2015, '2014', datetime.date(2014, 1, 1), 'year')
    """

    precision = "year"

    @property
    def start(self) -> dt.date:
        """1 January of the year."""
        return dt.date(int(self), 1, 1)

    @property
    def end(self) -> dt.date:
        """31 December of the year."""
        return dt.date(int(self), 12, 31)

    def isoformat(self) -> str:
        """The ``xsd:gYear`` lexical form, e.g. ``2014``."""
        return f"{int(self):04d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"Year({int(self)})"


@dataclass(frozen=True, order=True, slots=True)
class YearMonth:
    """A month of a year (``xsd:gYearMonth``); orders and hashes by ``(year, month)``.

    >>> m = YearMonth(2017, 3)
    >>> m.year, m.month, str(m), m.start, m.end
    (2017, 3, '2017-03', datetime.date(2017, 3, 1), datetime.date(2017, 3, 31))
    >>> YearMonth(2018, 13)
    Traceback (most recent call last):
    ...
    ValueError: month must be in 1..12, got 13
    """

    year: int
    month: int
    precision: ClassVar[str] = "month"

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be in 1..12, got {self.month}")

    @property
    def start(self) -> dt.date:
        """The first day of the month."""
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the month."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def isoformat(self) -> str:
        """The ``xsd:gYearMonth`` lexical form, e.g. ``2017-03``."""
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"YearMonth({self.year}, {self.month})"


class Day(dt.date):
    """A calendar day (``xsd:date``); a :class:`datetime.date` with the same interface as the others.

    >>> d = Day(2022, 7, 1)
    >>> d == dt.date(2022, 7, 1), str(d), d.start == d.end
    (True, '2022-07-01', True)
    """

    precision = "day"

    @property
    def start(self) -> dt.date:
        """The day itself, as a plain date."""
        return dt.date(self.year, self.month, self.day)

    end = start

    def __repr__(self) -> str:
        return f"Day({self.year}, {self.month}, {self.day})"


#: Any of the three; usable in ``isinstance`` checks and type hints.
PartialDate = Year | YearMonth | Day
_PATTERNS = (
    (re.compile(r"^(-?\d{4,})(?:Z|[+-]\d{2}:\d{2})?$"), "year"),
    (re.compile(r"^(-?\d{4,})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$"), "month"),
    (re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$"), "day"),
)


def parse_partial(text: str) -> Year | YearMonth | Day:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time-zone suffix is ignored).

    >>> parse_partial("2017-03"), parse_partial("2014"), parse_partial("2022-07-01")
    (YearMonth(2017, 3), Year(2014), Day(2022, 7, 1))
    >>> parse_partial("March 2017")
    Traceback (most recent call last):
    ...
    ValueError: not a date at year, month or day precision: 'March 2017'
    """
    for pattern, precision in _PATTERNS:
        match = pattern.match(text.strip())
        if match:
            parts = [int(p) for p in match.groups()]
            if precision == "year":
                return Year(parts[0])
            if precision == "month":
                return YearMonth(*parts)
            return Day(*parts)
    raise ValueError(f"not a date at year, month or day precision: {text!r}")


def sort_key(value: Year | YearMonth | Day | dt.date) -> tuple[dt.date, int]:
    """Order dates of mixed precision: by start, then the coarser (longer) one first."""
    if isinstance(value, Year | YearMonth | Day):
        return (value.start, -value.end.toordinal())
    return (value, -value.toordinal())
