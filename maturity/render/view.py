"""What part of a result a person asked to see: a tier, a province and its communes, the
diagnostics from a severity up, the top N of each ranking, the summary alone (``--quiet``) or
everything (``--verbose``). Commands build a :class:`View`; the result documents apply it."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from maturity.errors import Problem, UsageError
from maturity.i18n import t
from maturity.inputs.baseline import Baseline
from maturity.scoring.results import Results

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class View:
    """The filters of a result document.

    Attributes:
        tier: only this tier's units (and their diagnostics).
        province: only this province (a top-tier unit id) and its communes.
        severity: the lowest severity of the diagnostics shown (``info`` shows all);
            ``None`` is ``warning``, or ``info`` with ``verbose``.
        top: at most this many units of each ranking (tier and period).
        quiet: the summary only, for people (no ranking, no diagnostics).
        verbose: ``info`` diagnostics too.
        baseline: a saved round whose score, level and rank are shown beside each unit's.
    """

    tier: str | None = None
    province: str | None = None
    severity: str | None = None
    top: int | None = None
    quiet: bool = False
    verbose: bool = False
    baseline: Baseline | None = None

    def lowest(self) -> str:
        """The lowest severity shown."""
        if self.severity is not None:
            return self.severity
        return "info" if self.verbose else "warning"

    def shows(self, severity: str) -> bool:
        """Whether a diagnostic of ``severity`` passes the severity filter.

        >>> View().shows("info"), View(verbose=True).shows("info")
        (False, True)
        >>> View(severity="error").shows("warning")
        False
        """
        order = SEVERITIES.index
        return order(severity) <= order(self.lowest()) if severity in SEVERITIES else True


def province_of(results: Results) -> dict[str, str]:
    """Each unit's province, for the units of the batch: a top-tier unit is its own, a unit
    below it its parent's (walked up while the batch holds the parent)."""
    parent_of = {u.id: u.parent for r in results.tiers.values() for u in r.units}
    out: dict[str, str] = {}
    for unit_id in parent_of:
        current, seen = unit_id, {unit_id}
        while (up := parent_of.get(current)) is not None and up not in seen:
            current = up
            seen.add(up)
        out[unit_id] = current
    return out


def fold(text: str) -> str:
    """A name without diacritics or case, to match what a person types (``đ`` as ``d``).

    >>> fold("Vĩnh Long"), fold("Đắk Lắk")
    ('vinh long', 'dak lak')
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold().strip()


def provinces(results: Results) -> dict[str, str]:
    """The provinces of a batch (top-tier units, and the parents its communes name): id ->
    name (the id where the batch does not hold the province itself)."""
    fw = results.framework
    top = [tt.id for tt in fw.manifest.tiers if tt.parent is None]
    found: dict[str, str] = {}
    for tier in top:
        if tier in results.tiers:
            found.update({u.id: u.name for u in results.tiers[tier].units})
    for province in province_of(results).values():
        found.setdefault(province, province)
    return dict(sorted(found.items()))


def _named(pid: str, name: str) -> str:
    """``86 Vĩnh Long``; the id alone where the batch knows no name for it."""
    return pid if name == pid else f"{pid} {name}"


def find_province(results: Results, given: str) -> str:
    """The id of the province ``given`` names: its id (leading zeros and case optional: ``1``
    is ``01``) or its name (diacritics and case ignored). Anything else is a usage error with
    the closest names.

    Raises:
        UsageError: no province of the batch is ``given``.
    """
    known = provinces(results)
    text = given.strip()
    if text in known:
        return text
    bare = text.lstrip("0").casefold()
    by_number = [pid for pid in known if bare and pid.lstrip("0").casefold() == bare]
    if len(by_number) == 1:
        return by_number[0]
    folded = fold(text)
    by_name = [pid for pid, name in known.items() if fold(name) == folded]
    if len(by_name) == 1:
        return by_name[0]
    names = {fold(name): pid for pid, name in known.items()}
    close = difflib.get_close_matches(folded, list(names), n=3, cutoff=0.6)
    hint = (
        t(
            "view.province_did_you_mean",
            names=", ".join(_named(names[c], known[names[c]]) for c in close),
        )
        if close
        else ""
    )
    raise UsageError(t("view.unknown_province", province=given, count=len(known), hint=hint))


def diagnostic_shown(
    d: Problem, view: View, tier_of: dict[str, str], province: dict[str, str]
) -> bool:
    """Whether ``view`` shows diagnostic ``d``: its severity, its unit's tier and province."""
    if not view.shows(d.severity):
        return False
    unit_tier = tier_of.get(d.unit) if d.unit is not None else None
    if view.tier is not None and unit_tier not in (view.tier, None):
        return False
    if view.province is not None:
        return d.unit is not None and province.get(d.unit) == view.province
    return True
