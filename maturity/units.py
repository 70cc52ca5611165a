"""The unit registry: which administrative units exist, their tier and parent."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from maturity._i18n import t
from maturity._yaml import read_text
from maturity.errors import InputError, Location, Problem

# The national list as published keeps provinces and communes on one row each commune.
_NATIONAL = ("province_code", "province_name", "commune_code", "commune_name")
_STANDARD = ("id", "name", "tier", "parent")


@dataclass(frozen=True)
class Unit:
    """An administrative unit."""

    id: str
    name: str
    tier: str
    parent: str | None = None
    type: str = ""


@dataclass(frozen=True)
class Registry:
    """All known units, by id."""

    units: dict[str, Unit]
    source: str = ""

    def get(self, unit_id: str) -> Unit | None:
        return self.units.get(unit_id)

    def children(self, parent: str) -> list[Unit]:
        return [u for u in self.units.values() if u.parent == parent]

    def __len__(self) -> int:
        return len(self.units)


def load_registry(path: str | Path, display: str | None = None) -> Registry:
    """Read a unit registry CSV.

    Two layouts are understood: the standard ``id,name,tier,parent,type`` and the national
    list ``province_code,province_name,province_type,merged_from,commune_code,commune_name,
    commune_type`` (one row per commune; provinces are taken from their communes' rows).
    """
    path = Path(path)
    name = display or str(path)
    text = read_text(path, name, max_bytes=50 * 1024 * 1024)
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(h.strip() for h in (reader.fieldnames or ()))
    units: dict[str, Unit] = {}
    problems: list[Problem] = []
    if all(col in header for col in _NATIONAL):
        for row_no, row in enumerate(reader, start=2):
            pid = (row.get("province_code") or "").strip()
            cid = (row.get("commune_code") or "").strip()
            if not pid or not cid:
                problems.append(Problem(Location(name, row_no, 1), t("reg.national_row")))
                continue
            if pid not in units:
                units[pid] = Unit(
                    pid,
                    (row.get("province_name") or "").strip(),
                    "province",
                    None,
                    (row.get("province_type") or "").strip(),
                )
            if cid in units:
                problems.append(Problem(Location(name, row_no, 1), t("reg.duplicate", id=cid)))
                continue
            units[cid] = Unit(
                cid,
                (row.get("commune_name") or "").strip(),
                "commune",
                pid,
                (row.get("commune_type") or "").strip(),
            )
    elif all(col in header for col in _STANDARD):
        for row_no, row in enumerate(reader, start=2):
            uid = (row.get("id") or "").strip()
            if not uid:
                problems.append(Problem(Location(name, row_no, 1), t("reg.no_id")))
                continue
            if uid in units:
                problems.append(Problem(Location(name, row_no, 1), t("reg.duplicate", id=uid)))
                continue
            parent = (row.get("parent") or "").strip() or None
            units[uid] = Unit(
                uid,
                (row.get("name") or "").strip(),
                (row.get("tier") or "").strip(),
                parent,
                (row.get("type") or "").strip(),
            )
    else:
        problems.append(
            Problem(
                Location(name, 1, 1),
                t("reg.layout"),
            )
        )
    if problems:
        raise InputError(problems)
    return Registry(units, name)
