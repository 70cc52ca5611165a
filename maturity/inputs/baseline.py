"""A baseline round: a result JSON saved earlier (``maturity score --format json``), read so
that the pages can show what changed since, without re-scoring the old round under new rules.

Only what a comparison needs is kept: per unit its score, level, ranks, pillar scores and
levels, and each indicator's points (``maturity compare`` and ``explain --baseline`` show
their change; the pages take the score, level, ranks and pillar scores). A saved result may
hold several periods: a unit is one per period (:attr:`Baseline.rounds`), and
:attr:`Baseline.units` are those of the latest period.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maturity.errors import InputError, Location, Problem
from maturity.i18n import t

MAX_BASELINE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class BaselineIndicator:
    """One indicator of a unit in the saved round."""

    points: float | None
    status: str = ""
    level: int | None = None
    value: float | None = None


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
    parent: str | None = None
    max_score: float | None = None
    pillar_levels: Mapping[str, int | None] = field(default_factory=dict)
    pillar_max: Mapping[str, float | None] = field(default_factory=dict)
    indicators: Mapping[str, BaselineIndicator] = field(default_factory=dict)


@dataclass(frozen=True)
class Baseline:
    """The saved round: its framework identity and its units by id (of the latest period;
    ``rounds`` holds every period's)."""

    file: str
    framework_id: str
    framework_version: str
    digest: str
    units: Mapping[str, BaselineUnit]
    rounds: Mapping[str, Mapping[str, BaselineUnit]] = field(default_factory=dict)

    @property
    def periods(self) -> list[str]:
        from maturity.inputs.periods import sort_key

        found = {p for p in self.rounds if p} or {u.period for u in self.units.values()}
        return sorted((p for p in found if p), key=sort_key)

    def of_period(self, period: str) -> Mapping[str, BaselineUnit]:
        """The units of one period (empty when the round has none of it)."""
        return self.rounds.get(period, {}) if self.rounds else self.units


def read_baseline(path: Path, display: str | None = None) -> Baseline:
    """Read a saved result JSON; every problem is reported, located, in one error."""
    name = display or str(path)
    return baseline_from_document(read_result_document(path, name), name)


def is_result_document(doc: Any) -> bool:
    """A saved result (``maturity score --format json``), not a submission: an object with
    the framework it was scored with and a list of units."""
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("framework"), dict)
        and isinstance(doc.get("units"), list)
    )


def read_result_document(path: Path, name: str) -> Any:
    """The parsed JSON of a saved result file (size, encoding and syntax checked)."""
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
    return doc


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
    rounds: dict[str, dict[str, BaselineUnit]] = {}
    for i, item in enumerate(units_doc):
        where = f"units[{i}]"
        if not isinstance(item, dict):
            bad(where, "report.baseline.shape", what=t("report.baseline.kind.object"))
            continue
        unit_id = item.get("id")
        if not isinstance(unit_id, str) or not unit_id:
            bad(f"{where}.id", "report.baseline.missing", key="id")
            continue
        period = str(item.get("period") or "")
        units = rounds.setdefault(period, {})
        if unit_id in units:
            bad(f"{where}.id", "report.baseline.duplicate", id=unit_id)
            continue
        score = _number(item.get("score"), f"{where}.score", bad)
        level = _whole(item.get("level"), f"{where}.level", bad)
        rank = _whole(item.get("rank"), f"{where}.rank", bad)
        in_parent = _whole(item.get("rank_in_parent"), f"{where}.rank_in_parent", bad)
        pillars: dict[str, float | None] = {}
        pillar_levels: dict[str, int | None] = {}
        pillar_max: dict[str, float | None] = {}
        for p, pillar in enumerate(_list(item.get("pillars"))):
            if isinstance(pillar, dict) and isinstance(pillar.get("id"), str):
                at = f"{where}.pillars[{p}]"
                pid = pillar["id"]
                pillars[pid] = _number(pillar.get("score"), f"{at}.score", bad)
                pillar_levels[pid] = _whole(pillar.get("level"), f"{at}.level", bad)
                pillar_max[pid] = _number(pillar.get("max_score"), f"{at}.max_score", bad)
        indicators: dict[str, BaselineIndicator] = {}
        for j, ind in enumerate(_list(item.get("indicators"))):
            if isinstance(ind, dict) and isinstance(ind.get("id"), str):
                at = f"{where}.indicators[{j}]"
                indicators[ind["id"]] = BaselineIndicator(
                    _number(ind.get("points"), f"{at}.points", bad),
                    str(ind.get("status") or ""),
                    _whole(ind.get("level"), f"{at}.level", bad),
                    _number(ind.get("value"), f"{at}.value", bad),
                )
        parent = item.get("parent")
        units[unit_id] = BaselineUnit(
            unit_id,
            str(item.get("name") or ""),
            str(item.get("tier") or ""),
            period,
            score,
            level,
            rank,
            in_parent,
            pillars,
            parent=str(parent) if parent else None,
            max_score=_number(item.get("max_score"), f"{where}.max_score", bad),
            pillar_levels=pillar_levels,
            pillar_max=pillar_max,
            indicators=indicators,
        )
    if problems:
        raise InputError(problems)
    return make_baseline(
        name,
        str(framework.get("id") or ""),
        str(framework.get("version") or ""),
        str(framework.get("digest") or ""),
        rounds,
    )


def make_baseline(
    name: str,
    framework_id: str,
    framework_version: str,
    digest: str,
    rounds: Mapping[str, Mapping[str, BaselineUnit]],
) -> Baseline:
    """A baseline of the rounds given (period -> units by id); its ``units`` are the latest
    period's."""
    from maturity.inputs.periods import sort_key

    latest = max(rounds, key=sort_key) if rounds else None
    units = rounds[latest] if latest is not None else {}
    return Baseline(name, framework_id, framework_version, digest, units, rounds)


def _list(raw: Any) -> list[Any]:
    return raw if isinstance(raw, list) else []


def _number(raw: Any, path: str, bad: Any) -> float | None:
    if type(raw) is float and raw - raw == 0.0:  # finite: the common case, quickly
        return raw
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        bad(path, "report.baseline.type", expected=t("report.baseline.kind.number"), got=raw)
        return None
    return float(raw)


def _whole(raw: Any, path: str, bad: Any) -> int | None:
    if type(raw) is int:
        return raw
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        bad(path, "report.baseline.type", expected=t("report.baseline.kind.integer"), got=raw)
        return None
    return int(raw)


def _error(name: str, code: str, **kw: Any) -> InputError:
    return InputError([Problem.at(Location(name), code, **kw)])
