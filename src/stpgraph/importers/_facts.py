"""Facts the tables imply but do not tabulate, each with where it is documented.

Everything here is quoted or summarised from ``../shared/reference/SOURCES.md`` (which cites the
repositories' READMEs and ONS documentation). No code here is invented: every code also occurs in
the tables themselves.
"""

from __future__ import annotations

#: April 2020: ONS re-coded five STP footprints after CCG mergers (SOURCES.md §4, the ONS "CCG to
#: STP to NHS England (Region) (April 2020)" lookup). Old code -> new code; the partnership stays
#: the same body, keyed by its first code.
RECODES_2020: dict[str, str] = {
    "E54000005": "E54000054",
    "E54000006": "E54000051",
    "E54000033": "E54000053",
    "E54000035": "E54000052",
    "E54000049": "E54000050",
}
RECODE_MONTH = "2020-04"

#: August 2018: "three STPs in the north of England (E54000045, E54000046, E54000047) merged in
#: August 2018 to form Cumbria and North East STP (E54000049)" (HFAnalyticsLab/Winter_pressures
#: README change log, SOURCES.md §1).
MERGED_2018: tuple[str, ...] = ("E54000045", "E54000046", "E54000047")
MERGED_INTO_2018 = "E54000049"
MERGED_INTO_2018_NAME = "Cumbria and North East"
MERGER_MONTH_2018 = "2018-08"
MERGER_EVIDENCE_2018 = "merged in August 2018 to form Cumbria and North East STP (E54000049)"

#: Trust changes listed in the same README change log (SOURCES.md §1): old code, new code, month.
TRUST_CHANGES_2018: tuple[tuple[str, str, str], ...] = (
    ("RR1", "RRK", "2018-06"),
    ("RGQ", "RDE", "2018-07"),
    ("RJF", "RTG", "2018-07"),
)

#: 1 July 2022: integrated care boards established and CCGs abolished (Health and Care Act 2022).
ICB_START = "2022-07-01"
LAST_DAY_BEFORE_ICBS = "2022-06-30"

#: The CCGs of mid-2018 that made up each of the three northern footprints merged in August 2018,
#: to rebuild their populations from the CCG rows keyed to E54000049 (SOURCES.md §9). The split
#: follows the footprints' names in the 2017/18 table and ONS's note that North Durham CCG moved
#: to E54000046 in December 2016 (SOURCES.md, note A): E54000045 "Durham, Darlington, Teesside,
#: Hambleton, Richmondshire and Whitby"; E54000046 "Northumberland, Tyne and Wear and North
#: Durham"; E54000047 "West, North and East Cumbria" (North Cumbria CCG). It is used only when the
#: CCGs keyed to E54000049 are exactly these twelve.
NORTHERN_FOOTPRINT_CCGS_2016: dict[str, tuple[str, ...]] = {
    "E54000045": ("00C", "00D", "00K", "00M", "03D"),
    "E54000046": ("00J", "00L", "00N", "00P", "13T", "99C"),
    "E54000047": ("01H",),
}


def body_code(code: str) -> str:
    """The first E54 code of the partnership that had ``code`` (the key of its IRI).

    >>> body_code("E54000050"), body_code("E54000008")
    ('E54000049', 'E54000008')
    """
    for old, new in RECODES_2020.items():
        if new == code:
            return old
    return code
