"""The folder of reference tables, each table read and checked at most once per import.

Some sets need a second table: names (every graph gives a body the same, latest, rdfs:label),
the region names of 2020 for the 2018 regions, the STP of each CCG to find an ICB's ODS code.
:class:`Sources` reads a table when first asked and keeps the checked rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._facts import body_code

#: Table key -> file name in the reference folder (as copied; see SOURCES.md).
FILES: dict[str, str] = {
    "hf-trust-stp": "hf_trust_stp_lookup_2017-18_44stps.csv",
    "stp18": "su_eol_stps_stp18.csv",
    "stp18-region": "su_eol_stp18cd_to_nhser18cd.csv",
    "stp20-region": "su_eol_stp20cd_to_nhser20cd.csv",
    "ccg21-stp21": "ons_ccg21_stp21_cal21_lookup_apr2021.csv",
    "icb23": "postcodesio_icb_names_codes_apr2023.json",
    "sicbl23": "postcodesio_sub_icb_locations_apr2023.json",
    "list-sizes": "opensafely_stp_list_sizes.csv",
    "ccg18-population": "su_eol_ccg18_stp18_population_mid2018_syoa.csv",
    "ccg-successors": "su_eol_ccg_successors_to_ccg20.csv",
}


class Sources:
    """The reference tables in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._cache: dict[str, Any] = {}

    def path(self, key: str) -> Path:
        """The file of table ``key`` (a key of :data:`FILES`, or a file name)."""
        return self.folder / FILES.get(key, key)

    def _get(self, key: str, parse: Callable[[Path], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = parse(self.path(key))
        return self._cache[key]

    # --- the tables, checked -------------------------------------------------------------------

    @property
    def hf(self) -> list:
        """Acute trusts and their STP, 2017/18 (44 STPs)."""
        from .csv_tables import parse_hf

        return self._get("hf-trust-stp", parse_hf)

    @property
    def stp18(self) -> list:
        """The 42 STPs of 2018/19 with their short names."""
        from .csv_tables import parse_stp18

        return self._get("stp18", parse_stp18)

    @property
    def stp18_region(self) -> list:
        """STP to NHS England region, 2018/19."""
        from .csv_tables import parse_stp18_region

        return self._get("stp18-region", parse_stp18_region)

    @property
    def stp20_region(self) -> list:
        """STP to NHS England region with names, April 2020."""
        from .csv_tables import parse_stp20_region

        return self._get("stp20-region", parse_stp20_region)

    @property
    def ccg21(self) -> list:
        """CCG to STP and cancer alliance, April 2021."""
        from .csv_tables import parse_ccg21

        return self._get("ccg21-stp21", parse_ccg21)

    @property
    def icb23(self) -> list:
        """ICB ONS codes and names, April 2023."""
        from .json_tables import parse_icb23

        return self._get("icb23", parse_icb23)

    @property
    def sicbl23(self) -> list:
        """English sub-ICB locations with ODS code and parent ICB name, April 2023."""
        from .json_tables import parse_sicbl23

        return self._get("sicbl23", parse_sicbl23)

    @property
    def list_sizes(self) -> list:
        """GP registered list sizes per STP (dummy rows included, flagged)."""
        from .csv_tables import parse_list_sizes

        return self._get("list-sizes", parse_list_sizes)

    @property
    def ccg18(self) -> list:
        """The CCGs of mid-2018 with their STP and total population."""
        from .csv_tables import parse_population

        return self._get("ccg18-population", parse_population)

    @property
    def successors(self) -> list:
        """CCG predecessor to April 2020 successor (ODS codes)."""
        from .csv_tables import parse_successors

        return self._get("ccg-successors", parse_successors)

    # --- names: the latest each body had in any table --------------------------------------------

    @property
    def stp_names(self) -> dict[str, str]:
        """Latest name of each STP partnership, keyed by its first code (oldest table first)."""
        if "stp-names" not in self._cache:
            names: dict[str, str] = {}
            for r in self.hf:
                names[r.stp_code] = r.stp_name
            for r in self.stp18:
                names[r.code] = r.name
            for r in self.stp20_region:
                names[body_code(r.stp)] = r.stp_name
            for r in self.ccg21:
                names[body_code(r.stp)] = r.stp_name
            self._cache["stp-names"] = names
        return self._cache["stp-names"]

    def stp_name(self, body: str) -> str:
        """Latest name of the partnership keyed ``body``; its code when no table names it."""
        return self.stp_names.get(body, f"STP {body}")

    @property
    def ccg_names(self) -> dict[str, str]:
        """Latest name of each CCG by ODS code: April 2021, else mid-2018."""
        if "ccg-names" not in self._cache:
            names = {r.ods: r.name for r in self.ccg18}
            names.update({r.ods: r.name for r in self.ccg21})
            self._cache["ccg-names"] = names
        return self._cache["ccg-names"]

    @property
    def region_names(self) -> dict[str, str]:
        """NHS England region names by ONS code, from the April 2020 lookup."""
        return {r.region: r.region_name for r in self.stp20_region}
