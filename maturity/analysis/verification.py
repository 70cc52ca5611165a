"""Verified values: an evaluator's corrections to a unit's self-assessed values, each with a
reason, and the comparison of the self-assessed and verified results.

A verification file (YAML) is about one unit::

    unit: "86"
    verified_by: "Đoàn công tác Bộ KH&CN số 5"
    date: "2025-08-28"
    values:
      dossiers_online: {value: 76000, reason: "1,352 records were duplicates"}
      uses_ai: {value: null, reason: "no evidence was shown"}   # not accepted: missing

:func:`load_verifications` reads and checks the files (every problem located, unknown units
and inputs with a "did you mean"); :func:`apply_verifications` returns a new batch with the
verified values in place of the submitted ones; :func:`compare` lists, per verified unit, the
self-assessed and verified score and level and every indicator that differs, with the reasons;
:func:`render_verification` renders that as text, JSON or Markdown.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from maturity.errors import Location, Problem
from maturity.framework import formula as fx
from maturity.framework.needs import indicator_dependencies
from maturity.i18n import pick, t
from maturity.i18n.numbers import number as _n
from maturity.inputs.submissions import Batch, Submission
from maturity.inputs.verification import Verifications
from maturity.scoring.results import STATUS_NAMES, Results, TierResult


def apply_verifications(batch: Batch, verifications: Verifications) -> Batch:
    """A new batch in which every verified value replaces the submitted one (the batch given
    is not changed). Each replacement is an info diagnostic naming the verification file, so
    every submitted value stays accounted for; a unit verified without a submission gets one
    made of its verified values, with a warning."""
    subs = list(batch.submissions)  # unverified submissions are shared: nothing changes them
    position = {s.unit: i for i, s in enumerate(subs)}
    diagnostics = list(batch.diagnostics)
    for unit_id, ver in sorted(verifications.items.items()):
        values: dict[str, float] = {}
        if unit_id in position:
            old = subs[position[unit_id]]
            values = dict(old.values)
            sub = dataclasses.replace(
                old,
                values=values,
                invalid=dict(old.invalid),
                not_applicable=dict(old.not_applicable),
                evidence=dict(old.evidence),
            )
            subs[position[unit_id]] = sub
        else:
            sub = Submission(unit_id, ver.period, values, file=ver.file, line=ver.line)
            position[unit_id] = len(subs)
            subs.append(sub)
            diagnostics.append(
                Problem.at(
                    Location(ver.file or "", ver.line or 0),
                    "verify.no_submission",
                    severity="warning",
                    unit=unit_id,
                    indicator=None,
                )
            )
        for name, vv in sorted(ver.values.items()):
            before = sub.values.get(name)
            rejected = before is None and name in sub.invalid
            shown = t("verify.rejected") if rejected else _n(before)
            sub.invalid.pop(name, None)
            if vv.value is None:
                values.pop(name, None)
            else:
                values[name] = vv.value
            code = (
                "verify.confirmed"
                if before is not None and before == vv.value
                else "verify.replaced"
            )
            diagnostics.append(
                Problem.at(
                    Location(vv.file or "", vv.line or 0),
                    code,
                    severity="info",
                    unit=unit_id,
                    indicator=None,
                    input=name,
                    old=shown,
                    new=_n(vv.value),
                    by=ver.verified_by,
                    reason=vv.reason,
                )
            )
    diagnostics.sort(key=Problem.diagnostic_key)
    return Batch(subs, diagnostics, {**batch.files, **verifications.files})


@dataclass(frozen=True)
class ValueCheck:
    input: str
    label: str
    self_value: float | None
    self_status: str  # ok | missing | invalid
    verified_value: float | None
    reason: str
    evidence: str
    boolean: bool = False  # a yes/no input: shown as yes/no

    @property
    def changed(self) -> bool:
        return self.self_status != "ok" or self.self_value != self.verified_value


@dataclass(frozen=True)
class IndicatorDifference:
    id: str
    name: str
    self_value: float | None
    verified_value: float | None
    self_status: str
    verified_status: str
    self_points: float
    verified_points: float
    self_level: int | None
    verified_level: int | None
    reasons: tuple[str, ...]

    @property
    def delta(self) -> float:
        return self.verified_points - self.self_points


@dataclass(frozen=True)
class UnitOutcome:
    """A unit's result before and after verification."""

    id: str
    name: str
    tier: str
    self_score: float | None
    verified_score: float | None
    self_level: int | None
    verified_level: int | None
    self_rank: int | None
    verified_rank: int | None

    @property
    def delta(self) -> float | None:
        if self.self_score is None or self.verified_score is None:
            return None
        return self.verified_score - self.self_score


@dataclass(frozen=True)
class UnitVerification:
    outcome: UnitOutcome
    verified_by: str
    date: str
    file: str
    notes: str
    values: list[ValueCheck]
    indicators: list[IndicatorDifference]


@dataclass
class VerificationReport:
    framework: dict[str, str]
    level_names: dict[int, str]
    units: list[UnitVerification]
    affected: list[UnitOutcome]  # units not verified whose score or level changed
    tier_labels: dict[str, str] = field(default_factory=dict)  # tier id -> short name


def _outcome(
    unit_id: str, before: tuple[TierResult, int] | None, after: tuple[TierResult, int] | None
) -> UnitOutcome:
    ref = after or before
    assert ref is not None
    unit = ref[0].units[ref[1]]

    def pick_result(
        found: tuple[TierResult, int] | None,
    ) -> tuple[float | None, int | None, int | None]:
        if found is None:
            return None, None, None
        r, i = found
        if r.level[i] <= 0:
            return None, None, None
        return float(r.total[i]), int(r.level[i]), int(r.rank[i]) or None

    s_score, s_level, s_rank = pick_result(before)
    v_score, v_level, v_rank = pick_result(after)
    return UnitOutcome(
        unit_id, unit.name, unit.tier, s_score, v_score, s_level, v_level, s_rank, v_rank
    )


def _float(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


# complex on purpose: one walk over verified units, their values, indicators and the units they move
def compare(  # noqa: C901
    self_results: Results, verified_results: Results, verifications: Verifications
) -> VerificationReport:
    """Self-assessed against verified results: per verified unit its score, level and rank
    both ways, each verified value against the submitted one, and every indicator whose
    value, status or points differ (with the reasons of the values behind it); then every
    other unit whose score or level changed (a province aggregating a verified commune)."""
    fw = verified_results.framework
    deps = indicator_dependencies(fw)
    units: list[UnitVerification] = []
    tier_order = fw.tier_ids()

    def order(unit_id: str) -> tuple[int, str]:
        found = verified_results.find(unit_id) or self_results.find(unit_id)
        tier = found[0].tier if found else ""
        return (tier_order.index(tier) if tier in tier_order else len(tier_order), unit_id)

    for unit_id in sorted(verifications.items, key=order):
        ver = verifications.items[unit_id]
        before = self_results.find(unit_id)
        after = verified_results.find(unit_id)
        if after is None and before is None:
            continue
        outcome = _outcome(unit_id, before, after)
        values = []
        for name, vv in sorted(ver.values.items()):
            s_value: float | None = None
            s_status = "missing"
            if before is not None:
                col = before[0].columns.get(name)
                if col is not None:
                    code = int(col.status[before[1]])
                    s_status = {fx.OK: "ok", fx.INVALID: "invalid"}.get(code, "missing")
                    s_value = float(col.values[before[1]]) if code == fx.OK else None
            inp = fw.inputs.get(name)
            values.append(
                ValueCheck(
                    name,
                    pick(inp.label) if inp else name,
                    s_value,
                    s_status,
                    vv.value,
                    vv.reason,
                    vv.evidence,
                    inp is not None and inp.type == "boolean",
                )
            )
        indicators: list[IndicatorDifference] = []
        if after is not None:
            r_after, i_after = after
            r_before = before[0] if before is not None else None
            for j, ind in enumerate(r_after.indicators):
                jb = _column(r_before, ind.id) if r_before is not None else None
                v_val = _float(r_after.value[i_after, j])
                v_status = STATUS_NAMES[r_after.status[i_after, j]]
                v_pts = float(r_after.points[i_after, j])
                v_lvl = int(r_after.ind_level[i_after, j]) or None
                if r_before is not None and before is not None and jb is not None:
                    ib = before[1]
                    s_val = _float(r_before.value[ib, jb])
                    s_stat = STATUS_NAMES[r_before.status[ib, jb]]
                    s_pts = float(r_before.points[ib, jb])
                    s_lvl = int(r_before.ind_level[ib, jb]) or None
                else:
                    s_val, s_stat, s_pts, s_lvl = None, "missing", 0.0, None
                if (
                    s_val == v_val
                    and s_stat == v_status
                    and math.isclose(s_pts, v_pts, abs_tol=1e-9)
                ):
                    continue
                reasons = tuple(
                    f"{n}: {ver.values[n].reason}"
                    for n in sorted(deps.get(ind.id, set()) & set(ver.values))
                )
                indicators.append(
                    IndicatorDifference(
                        ind.id,
                        pick(ind.name),
                        s_val,
                        v_val,
                        s_stat,
                        v_status,
                        s_pts,
                        v_pts,
                        s_lvl,
                        v_lvl,
                        reasons,
                    )
                )
        units.append(
            UnitVerification(
                outcome, ver.verified_by, ver.date, ver.file, ver.notes, values, indicators
            )
        )
    affected: list[UnitOutcome] = []
    for tier, r_after in verified_results.tiers.items():
        r_before = self_results.tiers.get(tier)
        if r_before is None:
            continue
        rows = {u.id: i for i, u in enumerate(r_before.units)}
        for i, unit in enumerate(r_after.units):
            if unit.id in verifications.items or unit.id not in rows:
                continue
            o = _outcome(unit.id, (r_before, rows[unit.id]), (r_after, i))
            score_moved = (o.self_score is None) != (o.verified_score is None) or (
                o.delta is not None and abs(o.delta) > 1e-9
            )
            if score_moved or o.self_level != o.verified_level:
                affected.append(o)
    return VerificationReport(
        framework={"id": fw.id, "version": fw.version, "digest": fw.digest},
        level_names={lv.level: pick(lv.name) for lv in fw.manifest.levels},
        units=units,
        affected=affected,
        tier_labels={tier: fw.tier_label(tier) for tier in fw.tier_ids()},
    )


def _column(result: TierResult, indicator_id: str) -> int | None:
    for j, ind in enumerate(result.indicators):
        if ind.id == indicator_id:
            return j
    return None


def for_unit(report: VerificationReport, unit_id: str) -> VerificationReport:
    """The part of a report about one unit: its verification, or its outcome when it was not
    verified itself but its result changed (a province aggregating a verified commune)."""
    return VerificationReport(
        report.framework,
        report.level_names,
        [u for u in report.units if u.outcome.id == unit_id],
        [o for o in report.affected if o.id == unit_id],
        report.tier_labels,
    )
