"""A baseline round: a result JSON saved earlier (``maturity score --format json``), read so
that the pages can show what changed since, without re-scoring the old round under new rules.

Only what the pages compare is kept: per unit its score, level, ranks and pillar scores. The
round comparison of issue 11 (``maturity compare``) will give a richer one; the pages take
whatever :class:`Baseline` holds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maturity.errors import InputError, Location, Problem
from maturity.i18n import t

MAX_BASELINE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class BaselineUnit:
    id: str
    name: str
    tier: str
    period: str
    score: float | None
    level: int | None
    rank: int | None
    rank_in_parent: int | None
    pillars: Mapping[str, float | None]  # pillar id -> score


@dataclass(frozen=True)
class Baseline:
    """The saved round: its framework identity and its units by id."""

    file: str
    framework_id: str
    framework_version: str
    digest: str
    units: Mapping[str, BaselineUnit]

    @property
    def periods(self) -> list[str]:
        return sorted({u.period for u in self.units.values() if u.period})


def read_baseline(path: Path, display: str | None = None) -> Baseline:
    """Read a saved result JSON; every problem is reported, located, in one error."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BASELINE_BYTES:
            raise _error(name, "report.baseline.too_big", size=size, limit=MAX_BASELINE_BYTES)
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _error(name, "report.baseline.encoding") from None
    except OSError as exc:
        raise _error(name, "report.baseline.unreadable", why=exc.strerror or exc) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [
                Problem.at(
                    Location(name, exc.lineno, exc.colno), "report.baseline.json", what=exc.msg
                )
            ]
        ) from None
    return baseline_from_document(doc, name)


def baseline_from_document(doc: Any, name: str = "") -> Baseline:
    """A baseline from a result document already in memory (the platform's stored rounds)."""
    problems: list[Problem] = []

    def bad(path: str, code: str, **kw: Any) -> None:
        problems.append(Problem.at(Location(name, 0, 0, path), code, **kw))

    if not isinstance(doc, dict):
        bad("", "report.baseline.shape", what=t("report.baseline.kind.object"))
        raise InputError(problems)
    framework = doc.get("framework")
    if not isinstance(framework, dict) or not isinstance(framework.get("digest"), str):
        bad("framework", "report.baseline.missing", key="framework.digest")
        framework = {}
    units_doc = doc.get("units")
    if not isinstance(units_doc, list):
        bad("units", "report.baseline.missing", key="units")
        units_doc = []
    units: dict[str, BaselineUnit] = {}
    for i, item in enumerate(units_doc):
        where = f"units[{i}]"
        if not isinstance(item, dict):
            bad(where, "report.baseline.shape", what=t("report.baseline.kind.object"))
            continue
        unit_id = item.get("id")
        if not isinstance(unit_id, str) or not unit_id:
            bad(f"{where}.id", "report.baseline.missing", key="id")
            continue
        if unit_id in units:
            bad(f"{where}.id", "report.baseline.duplicate", id=unit_id)
            continue
        score = _number(item.get("score"), f"{where}.score", bad)
        level = _whole(item.get("level"), f"{where}.level", bad)
        rank = _whole(item.get("rank"), f"{where}.rank", bad)
        in_parent = _whole(item.get("rank_in_parent"), f"{where}.rank_in_parent", bad)
        pillars: dict[str, float | None] = {}
        for p, pillar in enumerate(item.get("pillars") or []):
            if isinstance(pillar, dict) and isinstance(pillar.get("id"), str):
                pillars[pillar["id"]] = _number(
                    pillar.get("score"), f"{where}.pillars[{p}].score", bad
                )
        units[unit_id] = BaselineUnit(
            unit_id,
            str(item.get("name") or ""),
            str(item.get("tier") or ""),
            str(item.get("period") or ""),
            score,
            level,
            rank,
            in_parent,
            pillars,
        )
    if problems:
        raise InputError(problems)
    return Baseline(
        name,
        str(framework.get("id") or ""),
        str(framework.get("version") or ""),
        str(framework.get("digest") or ""),
        units,
    )


def _number(raw: Any, path: str, bad: Any) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        bad(path, "report.baseline.type", expected=t("report.baseline.kind.number"), got=raw)
        return None
    return float(raw)


def _whole(raw: Any, path: str, bad: Any) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        bad(path, "report.baseline.type", expected=t("report.baseline.kind.integer"), got=raw)
        return None
    return int(raw)


def _error(name: str, code: str, **kw: Any) -> InputError:
    return InputError([Problem.at(Location(name), code, **kw)])
