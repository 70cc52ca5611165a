"""The unit registry: which administrative units exist, their tier and parent."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from maturity.errors import InputError, Location, Problem
from maturity.framework.yaml_loader import read_text
from maturity.i18n import closest

# The national list as published keeps provinces and communes on one row each commune.
_NATIONAL = ("province_code", "province_name", "commune_code", "commune_name")


_STANDARD = ("id", "name", "tier", "parent")


_SUGGEST_POOL = 5000  # a "did you mean" compares with at most this many codes


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

    @cached_property
    def _digit_widths(self) -> tuple[int, ...]:
        """The widths of the registry's all-digit codes (2 for provinces, 5 for communes)."""
        return tuple(sorted({len(uid) for uid in self.units if uid.isdigit()}))

    def padded(self, code: str) -> list[Unit]:
        """The units ``code`` may be once its leading zeros are put back, as a spreadsheet
        strips them (``1`` for ``01``, ``70`` for ``00070``): one lookup per code width.

        >>> reg = Registry({"01": Unit("01", "Hà Nội", "province"),
        ...                 "00070": Unit("00070", "Hoàn Kiếm", "commune", "01")})
        >>> [u.id for u in reg.padded("70")], [u.id for u in reg.padded("1")]
        (['00070'], ['01'])
        """
        if not code.isdigit():
            return []
        found = []
        for width in self._digit_widths:
            if width > len(code):
                unit = self.units.get(code.zfill(width))
                if unit is not None:
                    found.append(unit)
        return found

    def suggest(self, code: str) -> str | None:
        """A close registry code for an unknown one, or None; bounded work, whatever the size
        of the registry (only codes of the same length are compared)."""
        if len(code) > 20:
            return None
        candidates: list[str] = []
        for width in (len(code), len(code) - 1, len(code) + 1):
            candidates += self._by_length.get(width, [])[:_SUGGEST_POOL]
        return closest(code, candidates, 0.8)

    @cached_property
    def _by_length(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for uid in self.units:
            out.setdefault(len(uid), []).append(uid)
        return out


# complex on purpose: two registry layouts, every row checked
def load_registry(path: str | Path, display: str | None = None) -> Registry:  # noqa: C901
    """Read a unit registry CSV; every bad row is reported, located, at once.

    Two layouts are understood: the standard ``id,name,tier,parent,type`` and the national
    list ``province_code,province_name,province_type,merged_from,commune_code,commune_name,
    commune_type`` (one row per commune; provinces are taken from their communes' rows).
    """
    path = Path(path)
    name = display or str(path)
    if path.is_dir():
        raise InputError([Problem.at(Location(name), "file.is_folder_registry")])
    text = read_text(path, name, max_bytes=50 * 1024 * 1024)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = tuple(h.strip().lstrip("\ufeff") for h in rows[0]) if rows else ()
    units: dict[str, Unit] = {}
    problems: list[Problem] = []

    def bad(line: int, code: str, **kw: Any) -> None:
        problems.append(Problem.at(Location(name, line, 1), code, **kw))

    if all(col in header for col in _NATIONAL):
        layout = _NATIONAL
    elif all(col in header for col in _STANDARD):
        layout = _STANDARD
    else:
        raise InputError([Problem.at(Location(name, 1, 1), "reg.layout")])
    col = {h: i for i, h in enumerate(header)}
    for line, raw in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            bad(line, "reg.row_width", got=len(raw), expected=len(header))
            continue
        row = {h: raw[i].strip() for h, i in col.items()}
        if layout is _NATIONAL:
            pid, cid = row["province_code"], row["commune_code"]
            if not pid or not cid:
                bad(line, "reg.national_row")
                continue
            known = units.get(pid)
            if known is None:
                units[pid] = Unit(
                    pid, row["province_name"], "province", None, row.get("province_type", "")
                )
            elif known.tier != "province":
                bad(line, "reg.duplicate", id=pid)
                continue
            if cid in units:
                bad(line, "reg.duplicate", id=cid)
                continue
            units[cid] = Unit(cid, row["commune_name"], "commune", pid, row.get("commune_type", ""))
        else:
            uid = row["id"]
            if not uid:
                bad(line, "reg.no_id")
                continue
            if uid in units:
                bad(line, "reg.duplicate", id=uid)
                continue
            if not row["tier"]:
                bad(line, "reg.no_tier", id=uid)
                continue
            units[uid] = Unit(
                uid, row["name"], row["tier"], row["parent"] or None, row.get("type", "")
            )
    if layout is _STANDARD:
        for line, raw in enumerate(rows[1:], start=2):
            if len(raw) == len(header):
                uid, parent = raw[col["id"]].strip(), raw[col["parent"]].strip()
                if parent and parent not in units and uid in units:
                    bad(line, "reg.unknown_parent", id=uid, parent=parent)
    if not units and not problems:
        problems.append(Problem.at(Location(name, 1, 1), "reg.empty"))
    if problems:
        raise InputError(problems)
    return Registry(units, name)
