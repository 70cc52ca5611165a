"""Where formulas find their names while a tier is scored: the tier's own columns, and its
child units (padded with registry units that submitted nothing)."""

from __future__ import annotations

import numpy as np

from maturity.framework import formula as fx


class _Scope:
    def __init__(self, size: int, columns: dict[str, fx.Column], group: fx.Group | None) -> None:
        self.size = size
        self.columns = columns
        self.group = group

    def lookup(self, name: str) -> fx.Column:
        col = self.columns.get(name)
        if col is None:
            return _missing(self.size)
        return col

    def children(self) -> fx.Group | None:
        return self.group


class _PaddedScope:
    """A child scope plus rows for registry units that submitted nothing (all missing)."""

    def __init__(self, base: _Scope, extra: int) -> None:
        self.base = base
        self.extra = extra
        self.size = base.size + extra

    def lookup(self, name: str) -> fx.Column:
        col = self.base.lookup(name)
        if not self.extra:
            return col
        return fx.Column(
            np.concatenate([col.values, np.zeros(self.extra)]),
            np.concatenate([col.status, np.full(self.extra, fx.MISSING, dtype=np.uint8)]),
            tuple(
                (np.concatenate([m, np.zeros(self.extra, dtype=bool)]), msg) for m, msg in col.notes
            ),
        )

    def children(self) -> fx.Group | None:
        return None


def _missing(n: int) -> fx.Column:
    return fx.Column(np.zeros(n), np.full(n, fx.MISSING, dtype=np.uint8))
