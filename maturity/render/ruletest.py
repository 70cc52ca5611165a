"""Rule-test reports as documents: each case passed or failed with the trace that shows why,
and the coverage of indicators, branches and levels."""

from __future__ import annotations

import difflib
import math
from typing import Any

from maturity.analysis.ruletest.collect import REPORT_VERSION, _short
from maturity.analysis.ruletest.run import Coverage, Report
from maturity.analysis.ruletest.update import UpdatePlan
from maturity.i18n import t
from maturity.render.document import Document, Preformatted
from maturity.render.writers import write


def _trace_lines(trace: dict[str, Any]) -> list[str]:
    kind = trace.get("kind")
    lines: list[str] = []
    if kind == "indicator":
        lines.append(t("rt.tr.indicator", id=trace["id"], unit=trace["unit"]))
        lines.extend(_input_lines(trace))
        lines.append(f"  {t('rt.tr.formula')}: {trace['formula']}")
        cut = ", ".join(_short(c) for c in trace["cutoffs"])
        lines.append(
            f"  {t('rt.tr.value')}: {_short(trace['value'])} ({trace['status']}; "
            + t(
                "rt.tr.level",
                level=trace["level"] or "-",
                cutoffs=cut,
                direction=trace["direction"],
            )
            + ")"
        )
        params = ", ".join(f"{k} {_params(v)}" for k, v in trace["params"].items())
        method = trace["method"] + (" " + params if params else "")
        lines.append(f"  {t('rt.tr.method')}: {method} → s = {_short(trace['s'])}")
        max_points, points = _short(trace["max_points"]), _short(trace["points"])
        weight = f"{t('rt.tr.weight')} {_short(trace['weight'])}"
        lines.append(f"  {t('rt.tr.points')}: s × max_points {max_points} = {points} ({weight})")
    elif kind == "column":
        lines.append(t("rt.tr.column", name=trace["name"]))
        if "formula" in trace:
            lines.extend(_input_lines(trace))
            lines.append(f"  {t('rt.tr.formula')}: {trace['formula']}")
        lines.append(f"  {t('rt.tr.value')}: {_short(trace['value'])} ({trace['status']})")
    elif kind == "pillar":
        lines.append(t("rt.tr.pillar", id=trace["id"], unit=trace["unit"]))
        for m in trace["members"]:
            status = f" ({m['status']})" if "status" in m else ""
            lines.append(f"  {m['id']}: {_short(m['points'])} / {_short(m['max_points'])}{status}")
        lines.append(
            f"  = {_short(trace['score'])} / {_short(trace['max_score'])}, "
            + t("rt.tr.pillar_level", level=trace["level"] or "-")
        )
    elif kind == "unit":
        lines.append(t("rt.tr.unit", unit=trace["unit"]))
        parts = ", ".join(
            f"{p['id']} {_short(p['points'])}/{_short(p['max_points'])}" for p in trace["pillars"]
        )
        lines.append(f"  {t('rt.tr.pillars')}: {parts}")
        total = f"{_short(trace['score'])} / {_short(trace['max_score'])}"
        index, cov = _short(trace["index"]), _short(trace["coverage"])
        lines.append(
            f"  {t('rt.tr.total')}: " + t("rt.tr.totals", total=total, index=index, coverage=cov)
        )
        bands = ", ".join(f"{b['level']}≥{_short(b['min'])}" for b in trace["bands"])
        score_level = trace["score_level"] or "-"
        lines.append(f"  {t('rt.tr.bands')}: " + t("rt.tr.banded", bands=bands, level=score_level))
        levels = ", ".join(f"{p['id']} {p['level'] or '-'}" for p in trace["pillars"])
        lines.append(f"  {t('rt.tr.pillar_levels')}: {levels}")
        if trace["critical"]:
            crit = ", ".join(f"{c['id']} {c['level'] or c['status']}" for c in trace["critical"])
            lines.append(f"  {t('rt.tr.critical')}: {crit}")
        capped = ", ".join(trace["capped_by"]) or "-"
        level, rank = trace["level"] or "-", trace["rank"] or "-"
        lines.append("  capped_by: " + t("rt.tr.capped", gates=capped, level=level, rank=rank))
        if len(trace["peers"]) > 1:
            peers = ", ".join(
                f"{p['unit']} {_short(p['score'])} (#{p['rank'] or '-'})" for p in trace["peers"]
            )
            lines.append(f"  {t('rt.tr.peers')}: {peers}")
    elif kind == "diagnostics":
        label = "rt.tr.matching" if trace.get("matching") else "rt.tr.diagnostics"
        lines.append(t(label, count=len(trace["diagnostics"])))
        for d in trace["diagnostics"][:20]:
            where = "/".join(x for x in (d["unit"], d["indicator"]) if x)
            lines.append(
                f"  {d['severity']} {d['code']}{(' ' + where) if where else ''}: {d['message']}"
            )
        if len(trace["diagnostics"]) > 20:
            lines.append(f"  … (+{len(trace['diagnostics']) - 20})")
    return lines


def _params(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(f"{_short(s['at'])}→{_short(s['score'])}" for s in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    return _short(value)


def _input_lines(trace: dict[str, Any], indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for inp in trace.get("inputs", []):
        text = f"{indent}{t('rt.tr.input')} {inp['name']} = {_short(inp['value'])}"
        if inp["status"] != "ok":
            text += f" ({inp['status']})"
        if "formula" in inp:
            text += f" ← {inp['formula']}"
        lines.append(text)
        if "formula" in inp:
            lines.extend(_input_lines(inp, indent + "    "))
    for agg in trace.get("aggregates", []):
        text = f"{indent}{t('rt.tr.aggregate')} {agg['expr']} = {_short(agg['value'])}"
        if agg["status"] != "ok":
            text += f" ({agg['status']})"
        lines.append(text)
    return lines


def _listing(label: str, ids: list[str], limit: int = 12) -> str:
    """``  label: a, b, c`` with at most ``limit`` ids (all of them are in the JSON report)."""
    if not ids:
        return ""
    shown = ", ".join(ids[:limit]) + (f", … (+{len(ids) - limit})" if len(ids) > limit else "")
    return f"  {t(label)}: {shown}"


def _coverage_lines(cov: Coverage) -> list[str]:
    s = cov.summary()
    title = t(
        "rt.cov.title",
        framework=s["framework"],
        version=s["version"],
        path=s["path"],
        tests=s["tests"],
    )
    lines = [title]

    def row(label: str, part: dict[str, Any], extra: str = "") -> str:
        counts = f"{part['covered']:>4}/{part['total']:<4} {part['percent']:6.2f}%"
        return f"  {t(label):<18} {counts}{extra}"

    ind = s["indicators"]
    never_g = [g for g, v in s["gates"]["by_id"].items() if not v["triggered"]]
    never_c = [c for c, v in s["checks"]["by_id"].items() if not v["failed"]]
    lines.append(
        row("rt.cov.indicators", ind, _listing("rt.cov.not_exercised", ind["not_exercised"]))
    )
    lines.append(row("rt.cov.levels", s["levels"]))
    lines.append(row("rt.cov.gates", s["gates"], _listing("rt.cov.never_triggered", never_g)))
    lines.append(row("rt.cov.checks", s["checks"], _listing("rt.cov.never_failed", never_c)))
    lines.append(f"  {t('rt.cov.by_indicator')}:")
    label = t("rt.cov.levels_seen")
    for ind_id, v in ind["by_id"].items():
        seen = " ".join(str(lv) for lv in v["levels"]) or "-"
        reach = " ".join(str(lv) for lv in v["reachable"])
        mark = t("rt.cov.asserted") if v["asserted"] else ""
        text = f"    {ind_id:<10} {v['scored']:>3}×  {label} {seen:<10} / {reach:<10} {mark}"
        lines.append(text.rstrip())
    return lines


def ruletest_doc(report: Report, *, coverage: bool = False) -> Document:
    """The report: for people one line per case, the failures in detail with their traces,
    the coverage, a summary; for JSON, every case with its failures."""
    return Document(
        lambda: [Preformatted(_report_lines(report, coverage))],
        data=lambda: _report_data(report, coverage),
    )


def render_text(report: Report, *, coverage: bool = False) -> str:
    """The readable report: one line per case, the failures in detail, a summary."""
    return write(ruletest_doc(report, coverage=coverage), "table")


def render_json(report: Report, *, coverage: bool = False) -> str:
    """The report as JSON (stable key order, UTF-8)."""
    return write(ruletest_doc(report, coverage=coverage), "json")


def _report_lines(report: Report, coverage: bool) -> list[str]:
    lines: list[str] = []
    for outcome in report.outcomes:
        case = outcome.case
        status = t("rt.pass") if outcome.passed else t("rt.fail")
        lines.append(f"{status} {case.where}: {case.name}")
        if outcome.passed:
            continue
        lines.append(
            "    "
            + t(
                "rt.unit_line",
                unit=case.unit,
                tier=case.framework.tier_label(case.tier),
                framework=case.framework.id,
                version=case.framework.version,
                policy=t(f"lbl.policy.{outcome.policy}"),
            )
        )
        for failure in outcome.failures:
            lines.append(f"    {failure.message}")
            if failure.trace:
                lines.extend("      " + ln for ln in _trace_lines(failure.trace))
    if coverage:
        for cov in report.coverage:
            lines.append("")
            lines.extend(_coverage_lines(cov))
    lines.append("")
    lines.append(
        t(
            "rt.summary",
            passed=report.passed,
            failed=report.failed,
            total=len(report.outcomes),
            files=len(report.files),
        )
    )
    return lines


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _report_data(report: Report, coverage: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "report": "maturity-rule-tests",
        "version": REPORT_VERSION,
        "summary": {
            "files": len(report.files),
            "tests": len(report.outcomes),
            "passed": report.passed,
            "failed": report.failed,
        },
        "tests": [
            {
                "file": o.case.file,
                "line": o.case.line,
                "name": o.case.name,
                "framework": o.case.framework.id,
                "unit": o.case.unit,
                "tier": o.case.tier,
                "missing_policy": o.policy,
                "passed": o.passed,
                "failures": [
                    {
                        "path": f.path,
                        "expected": _json_value(f.expected),
                        "actual": _json_value(f.actual),
                        "tolerance": f.tolerance,
                        "message": f.message,
                        "trace": f.trace,
                    }
                    for f in o.failures
                ],
            }
            for o in report.outcomes
        ],
    }
    if coverage:
        doc["coverage"] = [cov.summary() for cov in report.coverage]
    return doc


def update_lines(plan: UpdatePlan, context: int = 1) -> list[str]:
    """What ``--update`` rewrote, as a unified diff of each file (as ``git diff`` shows it),
    then what it left alone and why."""
    lines: list[str] = []
    if not plan.files and not plan.skipped:
        return [t("rt.update.nothing")]
    if plan.files:
        lines.append(t("rt.update.done", count=plan.edits, files=len(plan.files)))
    for update in plan.files:
        diff = difflib.unified_diff(
            update.before.lstrip("\ufeff").splitlines(),
            update.after.lstrip("\ufeff").splitlines(),
            f"a/{update.display}",
            f"b/{update.display}",
            n=context,
            lineterm="",
        )
        lines.extend(diff)
    if plan.skipped:
        lines.append(t("rt.update.skipped", count=len(plan.skipped)))
        for s in plan.skipped:
            name = f" {s.name}" if s.name else ""
            lines.append(f"  {s.case}{name}: {s.path}: {t(s.reason)}")
    return lines


def update_doc(plan: UpdatePlan) -> Document:
    """The printed diff of ``maturity test --update`` (JSON: the edits, one per value)."""
    return Document(
        lambda: [Preformatted(update_lines(plan))],
        data=lambda: {
            "files": [
                {
                    "file": u.display,
                    "edits": [
                        {"case": e.case, "path": e.path, "old": _json_value(e.old),
                         "new": _json_value(e.new)}
                        for e in u.edits
                    ],
                }
                for u in plan.files
            ],
            "not_updated": [
                {"case": s.case, "name": s.name, "path": s.path, "reason": s.reason}
                for s in plan.skipped
            ],
        },
    )  # fmt: skip
