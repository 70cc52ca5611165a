"""Uncertainty analysis of ranks and levels, in the manner of the JRC/OECD handbook on
composite indicators: perturb the assumptions (pillar and indicator weights, band edges, the
missing-data policy) at random, re-score, and report how far each unit's rank and level move.

The analysis is vectorised. The indicator scores ``s`` do not depend on weights, bands or the
policy, so they are taken once from the engine's nominal result; a run only recomputes the
shares down the pillar tree. For a leaf pillar ``p`` and a run with indicator weights ``w``::

    points_p = share_p × (Σ_{j∈p} c_j w_j s_j) / (Σ_{j∈p} c_j w_j)

where ``c`` is the 0/1 "counts" matrix of the policy (applicable, weight > 0 and, under
``exclude``, scored): both sums are matrix products ``(runs × k) @ (k × n)``, done for a batch
of runs at once. Pillar shares renormalise over the pillars that have something counting for
the unit (derived from the status matrix, exactly as the engine does), so a unit's result under
nominal assumptions is the engine's result; :func:`analyse` checks that before it reports.

Method and choices are written down in ``docs/policy-tools.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maturity.errors import MaturityError, UsageError
from maturity.framework import formula as fx
from maturity.framework.compiled import RESULT_NAMES, Framework
from maturity.i18n import Bilingual, t
from maturity.scoring.kernel import BatchedTier, all_arithmetic, competition_ranks, tier_rankable
from maturity.scoring.results import Results, TierResult

F64 = NDArray[np.float64]


I32 = NDArray[np.int32]


Mask = NDArray[np.bool_]


SOURCES = ("pillar_weights", "indicator_weights", "bands", "missing_policy")


_CELL_BUDGET = 150_000  # runs × units per batch: small arrays stay in the CPU cache


_QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class SensitivityOptions:
    """The assumptions to perturb and how much.

    ``weight_noise`` a: every pillar weight (per tier) and indicator weight is multiplied by
    an independent U(1 − a, 1 + a). ``band_noise`` b: every band edge but the first (kept at 0)
    is shifted by U(−b, +b), then the edges are clipped to [0, 1] and sorted. With
    ``missing_policy_flip`` each run picks ``zero`` or ``exclude`` with probability ½.
    """

    runs: int = 1000
    seed: int = 0
    weight_noise: float = 0.2
    band_noise: float = 0.02
    missing_policy_flip: bool = False
    batch_size: int | None = None  # runs per matrix batch; None: chosen from the batch size

    def validate(self) -> None:
        if self.runs < 1:
            raise UsageError(t("sens.bad_option", option="--runs", why=t("sens.why_runs")))
        if self.seed < 0:
            raise UsageError(t("sens.bad_option", option="--seed", why=t("sens.why_seed")))
        if not 0 <= self.weight_noise < 1 or not math.isfinite(self.weight_noise):
            raise UsageError(
                t("sens.bad_option", option="--weight-noise", why=t("sens.why_weight"))
            )
        if not 0 <= self.band_noise <= 0.5 or not math.isfinite(self.band_noise):
            raise UsageError(t("sens.bad_option", option="--band-noise", why=t("sens.why_band")))
        if self.batch_size is not None and self.batch_size < 1:
            raise UsageError(t("sens.bad_option", option="batch_size", why=t("sens.why_runs")))

    def sources(self) -> tuple[str, ...]:
        """The sources of uncertainty switched on, in a fixed order."""
        on = {
            "pillar_weights": self.weight_noise > 0,
            "indicator_weights": self.weight_noise > 0,
            "bands": self.band_noise > 0,
            "missing_policy": self.missing_policy_flip,
        }
        return tuple(s for s in SOURCES if on[s])


@dataclass(frozen=True)
class UnitSensitivity:
    """How one unit's rank and level vary over the runs with every source switched on."""

    id: str
    name: str
    tier: str
    parent: str | None
    nominal_score: float | None
    nominal_rank: int | None
    nominal_level: int | None
    median_rank: int | None
    rank_p5: int | None
    rank_p95: int | None
    score_p5: float | None
    score_p95: float | None
    level_probability: tuple[float, ...]  # P(level = 1), P(level = 2), ...
    not_scored: float  # share of runs in which the unit could not be scored
    mean_abs_rank_shift: float | None


@dataclass(frozen=True)
class SourceEffect:
    """What one source of uncertainty (or all of them: ``all``) does to one tier."""

    source: str
    tier: str
    runs: int
    mean_abs_rank_shift: float  # over runs and nominally ranked units
    max_abs_rank_shift: int
    level_change_share: float  # share of (run, unit) pairs whose level differs from nominal
    mean_abs_score_shift: float  # points


@dataclass
class SensitivityReport:
    framework: dict[str, str]
    options: SensitivityOptions
    policy: str
    levels: list[tuple[int, str, str]]  # level, name vi, name en
    units: list[UnitSensitivity]
    sources: list[SourceEffect]
    notes: list[str] = field(default_factory=list)
    tier_labels: dict[str, Bilingual] = field(default_factory=dict)
    """Each tier's short name in both languages (reports show it, not the tier id)."""

    def tier_label(self, tier: str) -> str:
        """The tier's short name in the current language, else its id."""
        label = self.tier_labels.get(tier)
        return label.render() if label is not None else tier


def _quantiles(values: F64, qs: tuple[float, ...]) -> F64:
    """Empirical quantiles (the inverse of the empirical distribution function, so every
    quantile is an observed value) of each column, ignoring NaN; NaN for an all-NaN column.

    >>> x = np.array([[1.0, np.nan], [3.0, np.nan], [2.0, 5.0], [4.0, np.nan]])
    >>> _quantiles(x, (0.5, 0.95)).tolist()
    [[2.0, 5.0], [4.0, 5.0]]
    """
    ordered = np.sort(values, axis=0)  # NaN last
    count = (~np.isnan(values)).sum(axis=0)
    out = np.full((len(qs), values.shape[1]), np.nan)
    cols = np.arange(values.shape[1])
    for a, q in enumerate(qs):
        idx = np.clip(np.ceil(q * count - 1e-9).astype(np.int64) - 1, 0, np.maximum(count - 1, 0))
        out[a] = np.where(count > 0, ordered[idx, cols], np.nan)
    return out


def _draws(
    rng: np.random.Generator, runs: int, model: BatchedTier, options: SensitivityOptions
) -> tuple[F64, F64, F64, Mask]:
    a, b = options.weight_noise, options.band_noise
    wp = rng.uniform(1 - a, 1 + a, size=(runs, model.m))
    wi = rng.uniform(1 - a, 1 + a, size=(runs, model.k))
    shift = rng.uniform(-b, b, size=(runs, model.mins.size))
    flip = rng.random(runs) < 0.5
    return wp, wi, shift, flip


def _edges(mins: F64, shift: F64) -> F64:
    edges = mins[None, :] + shift
    edges[:, 0] = mins[0]
    return np.sort(np.clip(edges, 0.0, 1.0), axis=1)


def _result_dependent(fw: Framework, tier: str) -> list[str]:
    """Indicators and derived values of ``tier`` whose formulas aggregate child results
    (score, index, level): those change with the weights, but are held at nominal here."""
    found: list[str] = []
    for key in [*fw.derived, *(ind.id for ind in fw.indicators_for(tier))]:
        if key in fw.derived and tier not in fw.derived[key].tiers:
            continue
        expr = fw.formulas.get(key)
        if expr is not None and fx.names_used(expr)[1] & set(RESULT_NAMES):
            found.append(key)
    return sorted(found)


def analyse(results: Results, options: SensitivityOptions | None = None) -> SensitivityReport:
    """Run the uncertainty analysis around the nominal ``results`` (the engine's output)."""
    options = options or SensitivityOptions()
    options.validate()
    fw = results.framework
    policy = results.policy
    if not all_arithmetic(fw):  # the batched matrices are the arithmetic mean's
        raise UsageError(t("sens.geometric", framework=fw.id))
    sources = options.sources()
    scenarios: list[tuple[str, frozenset[str]]] = [("all", frozenset(sources))]
    scenarios += [(src, frozenset({src})) for src in sources]
    units: list[UnitSensitivity] = []
    effects: list[SourceEffect] = []
    notes: list[str] = []
    n_levels = len(fw.manifest.levels)
    for tier_index, (tier, result) in enumerate(results.tiers.items()):
        if result.size == 0:
            continue
        dependent = _result_dependent(fw, tier)
        if dependent and options.weight_noise > 0:
            notes.append(
                t("sens.note_results", tier=fw.tier_label(tier), items=", ".join(dependent))
            )
        model = BatchedTier(fw, result)
        _check_nominal(model, result, policy)
        rng = np.random.default_rng([options.seed, tier_index])
        wp_all, wi_all, shift_all, flip_all = _draws(rng, options.runs, model, options)
        nominal_total = result.total
        nominal_rank = result.rank
        nominal_level = result.level
        ranked = nominal_rank > 0
        # the publication rules of the nominal result: flagged units stay out of every run's
        # ranking, and a ranking of fewer than min_ranked units gives none
        rankable = (tier_rankable(fw, result), fw.manifest.publication.min_ranked)
        for name, on in scenarios:
            wp = model.pillar_weights * (wp_all if "pillar_weights" in on else np.ones_like(wp_all))
            wi = model.weights * (wi_all if "indicator_weights" in on else np.ones_like(wi_all))
            edges = _edges(model.mins, shift_all if "bands" in on else np.zeros_like(shift_all))
            if "missing_policy" in on:
                policies = np.where(flip_all, "exclude", "zero")
            else:
                policies = np.full(options.runs, policy)
            same_scores = not on & {"pillar_weights", "indicator_weights", "missing_policy"}
            totals, ranks, levels = _run(
                model, options, wp, wi, edges, policies, same_scores, rankable
            )
            shift_sum, shift_max, level_changes, score_sum, pairs = ranks_summary(
                totals, ranks, levels, nominal_total, nominal_rank, nominal_level
            )
            effects.append(
                SourceEffect(
                    source=name,
                    tier=tier,
                    runs=options.runs,
                    mean_abs_rank_shift=float(shift_sum.sum() / max(int(pairs.sum()), 1)),
                    max_abs_rank_shift=int(shift_max.max(initial=0)),
                    level_change_share=float(level_changes.sum() / max(int(pairs.sum()), 1)),
                    mean_abs_score_shift=float(score_sum.sum() / max(int(pairs.sum()), 1)),
                )
            )
            if name == "all":
                units.extend(
                    _unit_rows(result, totals, ranks, levels, shift_sum, pairs, ranked, n_levels)
                )
    return SensitivityReport(
        framework={"id": fw.id, "version": fw.version, "digest": fw.digest},
        options=options,
        policy=policy,
        levels=[(lv.level, lv.name.vi, lv.name.en) for lv in fw.manifest.levels],
        units=units,
        sources=effects,
        notes=notes,
        tier_labels={tier: fw.tier_text(tier) for tier in results.tiers},
    )


def _run(
    model: BatchedTier,
    options: SensitivityOptions,
    wp: F64,
    wi: F64,
    edges: F64,
    policies: NDArray[Any],
    same_scores: bool,
    rankable: tuple[NDArray[np.bool_], int],
) -> tuple[F64, I32, NDArray[np.int8]]:
    """Every run of a scenario, in batches. ``same_scores``: only the bands vary, so every
    run has the nominal scores and ranks, and only the levels need the batch. ``rankable``:
    the units a ranking may hold and the fewest it needs."""
    keep, least = rankable
    runs = wp.shape[0]
    batch = options.batch_size or max(8, _CELL_BUDGET // max(1, model.n))
    totals = np.empty((runs, model.n))
    ranks = np.empty((runs, model.n), dtype=np.int32)
    levels = np.empty((runs, model.n), dtype=np.int8)
    for start in range(0, runs, batch):
        stop = min(runs, start + batch)
        for pol in ("zero", "exclude"):
            rows = np.flatnonzero(policies[start:stop] == pol) + start
            if rows.size == 0:
                continue
            tot, lev = model.evaluate(pol, wi[rows], wp[rows], edges[rows])
            totals[rows] = tot
            levels[rows] = lev
            ranked = np.where(keep[None, :], tot, np.nan)
            if same_scores:
                ranked = ranked[:1]
            run_ranks = competition_ranks(ranked)
            run_ranks[(~np.isnan(ranked)).sum(axis=1) < least] = 0
            ranks[rows] = run_ranks
    return totals, ranks, levels


def ranks_summary(
    totals: F64,
    ranks: I32,
    levels: NDArray[np.int8],
    nominal_total: F64,
    nominal_rank: NDArray[np.int64],
    nominal_level: NDArray[np.int8],
) -> tuple[F64, NDArray[np.int64], F64, F64, NDArray[np.int64]]:
    """Per unit over the runs: Σ|rank shift|, max |rank shift|, number of level changes,
    Σ|score shift| and the number of runs in which the unit was ranked both nominally and
    in the run (the pairs the sums are over)."""
    both = (ranks > 0) & (nominal_rank > 0)[None, :]
    shift = np.abs(ranks - nominal_rank.astype(np.int32)[None, :])
    shift[~both] = 0
    changed = (levels != nominal_level[None, :]) & both
    dscore = np.abs(totals - np.nan_to_num(nominal_total)[None, :])
    dscore[~both] = 0.0
    return (
        shift.sum(axis=0, dtype=np.float64),
        shift.max(axis=0, initial=0).astype(np.int64),
        changed.sum(axis=0, dtype=np.float64),
        dscore.sum(axis=0),
        both.sum(axis=0, dtype=np.int64),
    )


def _unit_rows(
    result: TierResult,
    totals: F64,
    ranks: I32,
    levels: NDArray[np.int8],
    shift_sum: F64,
    pairs: NDArray[np.int64],
    ranked: Mask,
    n_levels: int,
) -> list[UnitSensitivity]:
    runs = ranks.shape[0]
    rank_q = _quantiles(np.where(ranks > 0, ranks, np.nan).astype(np.float64), _QUANTILES)
    score_q = _quantiles(totals, (0.05, 0.95))
    counts = np.stack([(levels == lv).sum(axis=0) for lv in range(1, n_levels + 1)], axis=1)
    not_scored = (levels == 0).sum(axis=0)
    out: list[UnitSensitivity] = []
    for i, unit in enumerate(result.units):
        nominal = bool(ranked[i])

        def q(a: int, i: int = i) -> int | None:
            v = rank_q[a, i]
            return None if math.isnan(v) else int(v)

        def sq(a: int, i: int = i) -> float | None:
            v = score_q[a, i]
            return None if math.isnan(v) else float(v)

        out.append(
            UnitSensitivity(
                id=unit.id,
                name=unit.name,
                tier=result.tier,
                parent=unit.parent,
                nominal_score=float(result.total[i]) if nominal else None,
                nominal_rank=int(result.rank[i]) if nominal else None,
                nominal_level=int(result.level[i]) or None,
                median_rank=q(1),
                rank_p5=q(0),
                rank_p95=q(2),
                score_p5=sq(0),
                score_p95=sq(1),
                level_probability=tuple(float(c) / runs for c in counts[i]),
                not_scored=float(not_scored[i]) / runs,
                mean_abs_rank_shift=float(shift_sum[i] / pairs[i]) if pairs[i] else None,
            )
        )
    return out


def _check_nominal(model: BatchedTier, result: TierResult, policy: str) -> None:
    """The matrix model must reproduce the engine under nominal assumptions: it would report
    nonsense otherwise (e.g. if the engine learnt an aggregation the model does not know)."""
    total, level = model.evaluate(
        policy, model.weights[None, :], model.pillar_weights[None, :], model.mins[None, :]
    )
    engine_total = np.where(result.score_level > 0, result.total, np.nan)
    same_scored = np.array_equal(np.isnan(total[0]), np.isnan(engine_total))
    diff = np.nan_to_num(np.abs(total[0] - engine_total))
    if (
        not same_scored
        or diff.max(initial=0.0) > 1e-6 * model.scale
        or not np.array_equal(level[0], result.level)
    ):
        bad = np.flatnonzero(
            (np.isnan(total[0]) != np.isnan(engine_total))
            | (diff > 1e-6 * model.scale)
            | (level[0] != result.level)
        )
        unit = result.units[int(bad[0])].id if bad.size else "?"
        raise MaturityError(
            t("sens.model_mismatch", tier=model.fw.tier_label(result.tier), unit=unit)
        )
