"""Load a framework (manifest + rule files) into a validated, compiled :class:`Framework`.

Two stages, as the style guide asks: safe YAML with positions -> shape check against the
JSON Schema generated from the models -> frozen models -> meaning checks (ids resolve,
formulas parse, no cycles, cut-offs monotone, ...). Every problem of every file is collected
and raised at once as one :class:`~maturity.errors.InputError`.
"""

from __future__ import annotations

import copy
import glob
import hashlib
import itertools
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from maturity.errors import FormulaError, InputError, Location, Problem, display_path
from maturity.framework import formula as fx
from maturity.framework.compiled import RESULT_NAMES, Framework, PillarNode
from maturity.framework.methods import method_problems, zeros_floor
from maturity.framework.model import Derived, FrameworkManifest, Indicator, Input, Pillar, RuleFile
from maturity.framework.shape import model_schema, shape_problems
from maturity.framework.yaml_loader import Document, PathKey, load_yaml_file
from maturity.i18n import closest, did_you_mean, msg


@cache
def _framework_schema() -> dict[str, Any]:
    return model_schema(
        FrameworkManifest,
        "maturity framework manifest",
        "https://maturity.dev/schema/framework.json",
    )


@cache
def _rules_schema() -> dict[str, Any]:
    return model_schema(RuleFile, "maturity rule file", "https://maturity.dev/schema/rules.json")


def framework_schema() -> dict[str, Any]:
    """JSON Schema of a framework manifest (a fresh copy the caller may change)."""
    return copy.deepcopy(_framework_schema())


def rules_schema() -> dict[str, Any]:
    """JSON Schema of a rule file (a fresh copy the caller may change)."""
    return copy.deepcopy(_rules_schema())


def _load_model(
    doc: Document, model: type[BaseModel], schema: dict[str, Any], problems: list[Problem]
) -> Any:
    try:  # fast path: a well-formed file passes pydantic's strict validation directly
        return model.model_validate(doc.data, strict=True)
    except PydanticValidationError:
        pass  # the JSON Schema check below locates and words every problem
    found = shape_problems(doc, schema)
    if found:
        problems.extend(found)
        return None
    try:
        return model.model_validate(doc.data)
    except PydanticValidationError as exc:  # the schema should have caught it; locate anyway
        for err in exc.errors():
            problems.append(
                Problem.at(doc.locate(tuple(err["loc"])), "shape.other", what=err["msg"])
            )
        return None


# complex on purpose: the loading stages in order, each collecting its problems and going on
def load_framework(path: str | Path, *, as_of: str | None = None) -> Framework:  # noqa: C901
    """Load and validate the framework whose manifest is ``path``.

    ``as_of`` (ISO date) keeps only the rules in force on that date.
    Raises :class:`InputError` with every problem found.
    """
    path = Path(path)
    problems: list[Problem] = []
    display = display_path(path)
    if not path.is_file():
        raise InputError([Problem.at(Location(display), "file.not_found")])
    try:
        doc = load_yaml_file(path, display)
    except InputError as exc:
        raise InputError(exc.problems) from None
    manifest: FrameworkManifest | None = _load_model(
        doc, FrameworkManifest, _framework_schema(), problems
    )
    if manifest is None:
        raise InputError(problems)
    rule_docs: list[tuple[Path, Document, RuleFile]] = []
    files: list[Path] = [path]
    roots = _roots(path, manifest, doc, problems)
    for index, pattern in enumerate(manifest.include):
        where = doc.locate(("include", index))
        matches = sorted(Path(p) for p in glob.glob(str(path.parent / pattern), recursive=True))
        matches = [m for m in matches if m.is_file()]
        if not matches:
            problems.append(Problem.at(where, "rule.include_none", pattern=pattern))
        for match in matches:
            resolved = match.resolve()
            if resolved == path.resolve():
                problems.append(Problem.at(where, "rule.include_self", pattern=pattern))
                continue
            if not any(resolved.is_relative_to(root) for root in roots):
                shown = ", ".join(display_path(r) for r in roots)
                problems.append(
                    Problem.at(
                        where,
                        "rule.include_outside",
                        pattern=pattern,
                        file=display_path(match),
                        roots=shown,
                    )
                )
                continue
            if match.suffix.lower() not in (".yaml", ".yml"):
                problems.append(
                    Problem.at(
                        where, "rule.include_kind", pattern=pattern, file=display_path(match)
                    )
                )
                continue
            if resolved in {f.resolve() for f in files}:
                continue
            files.append(match)
            try:
                rdoc = load_yaml_file(match, display_path(match))
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            rules = _load_model(rdoc, RuleFile, _rules_schema(), problems)
            if rules is not None:
                rule_docs.append((match, rdoc, rules))
    if manifest.units is not None:
        units = (path.parent / manifest.units).resolve()
        where = doc.locate(("units",))
        if not any(units.is_relative_to(root) for root in roots):
            shown = ", ".join(display_path(r) for r in roots)
            problems.append(
                Problem.at(where, "rule.units_outside", file=manifest.units, roots=shown)
            )
        elif not units.is_file():
            problems.append(Problem.at(where, "rule.units_missing", file=manifest.units))
    if problems:
        # A file that does not load or has the wrong shape makes every cross-file check
        # (references, pillar coverage) report its consequences as defects of their own;
        # report the cause alone and check meaning once the files load.
        raise InputError(problems)
    builder = _Builder(manifest, doc, rule_docs, problems, as_of)
    framework = builder.build(path, files)
    if problems:
        raise InputError(problems)
    assert framework is not None
    return framework


def _roots(
    path: Path, manifest: FrameworkManifest, doc: Document, problems: list[Problem]
) -> list[Path]:
    """The folders a framework's files may come from: the manifest's own folder, and the
    ones it lists in ``include_roots`` (relative to it). Nothing outside them is ever read,
    so a framework cannot make the tool open (and quote) an arbitrary file."""
    base = path.parent.resolve()
    roots = [base]
    for i, root in enumerate(manifest.include_roots):
        folder = (path.parent / root).resolve()
        if not folder.is_dir():
            problems.append(
                Problem.at(doc.locate(("include_roots", i)), "rule.root_missing", root=root)
            )
            continue
        roots.append(folder)
    return roots


def _in_force(item: Any, as_of: str | None) -> bool:
    if as_of is None:
        return True
    since = getattr(item, "effective_from", None)
    until = getattr(item, "effective_until", None)
    return (since is None or since <= as_of) and (until is None or as_of <= until)


def _known(items: list[str], limit: int = 12) -> str:
    shown = ", ".join(items[:limit])
    return shown + (", …" if len(items) > limit else "")


class _Builder:
    def __init__(
        self,
        manifest: FrameworkManifest,
        doc: Document,
        rule_docs: list[tuple[Path, Document, RuleFile]],
        problems: list[Problem],
        as_of: str | None,
    ) -> None:
        self.m = manifest
        self.doc = doc
        self.rule_docs = rule_docs
        self.problems = problems
        self.as_of = as_of
        self.tiers = [tier.id for tier in manifest.tiers]
        self.formulas: dict[str, fx.Expr] = {}
        self.locations: dict[str, Location] = {}

    def add(
        self,
        doc: Document,
        path: PathKey,
        code: str,
        *,
        at_key: bool = False,
        detail: str = "",
        **kw: Any,
    ) -> None:
        self.problems.append(Problem.at(doc.locate(path, key=at_key), code, detail=detail, **kw))

    # -- manifest -----------------------------------------------------------------
    def check_dates(self, doc: Document, path: PathKey, item: Any) -> None:
        for key in ("effective_from", "effective_until"):
            value = getattr(item, key, None)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    self.add(doc, (*path, key), "rule.date", value=value)
        since, until = getattr(item, "effective_from", None), getattr(item, "effective_until", None)
        if since and until and until < since:
            self.add(doc, (*path, "effective_until"), "rule.dates_order", since=since, until=until)

    def check_tiers_ref(self, doc: Document, path: PathKey, tiers: list[str]) -> None:
        for i, tier in enumerate(tiers):
            if tier not in self.tiers:
                self.add(
                    doc,
                    (*path, i),
                    "rule.unknown_ref",
                    kind=msg("rt.kind.tier"),
                    id=tier,
                    hint=did_you_mean(tier, self.tiers),
                    known=_known(self.tiers),
                )

    # complex on purpose: a validator over every section of the manifest
    def check_manifest(self) -> None:  # noqa: C901
        doc, m = self.doc, self.m
        self.check_dates(doc, (), m)
        seen: dict[str, int] = {}
        for i, tier in enumerate(m.tiers):
            if tier.id in seen:
                self.add(
                    doc,
                    ("tiers", i, "id"),
                    "rule.duplicate_id",
                    kind=msg("rt.kind.tier"),
                    id=tier.id,
                    first=f"tiers[{seen[tier.id]}]",
                )
            seen.setdefault(tier.id, i)
            if tier.parent is not None and tier.parent not in self.tiers:
                self.add(
                    doc, ("tiers", i, "parent"), "rule.tier_parent", id=tier.id, parent=tier.parent
                )
        self.check_aggregation((), m.aggregation, m.zeros)
        numbers = [lv.level for lv in m.levels]
        if numbers != list(range(1, len(numbers) + 1)):
            self.add(doc, ("levels",), "rule.bands_numbers", got=numbers)
        for i, lv in enumerate(m.levels):
            if not 0 <= lv.min <= 1:
                self.add(doc, ("levels", i, "min"), "rule.bands_range", min=lv.min)
            elif i == 0 and lv.min != 0:
                self.add(doc, ("levels", 0, "min"), "rule.bands_start", min=lv.min)
            elif i > 0 and lv.min <= m.levels[i - 1].min:
                self.add(
                    doc,
                    ("levels", i, "min"),
                    "rule.bands_order",
                    level=lv.level,
                    min=lv.min,
                    prev=m.levels[i - 1].min,
                )
        max_level = len(m.levels)
        for i, gate in enumerate(m.gates):
            self.check_dates(doc, ("gates", i), gate)
            if gate.kind == "critical_indicators":
                for key in ("from_level", "min_indicator_level"):
                    if getattr(gate, key) is None:
                        self.add(doc, ("gates", i), "shape.required", key=key)
                if gate.from_level is not None and gate.from_level > max_level:
                    self.add(
                        doc,
                        ("gates", i, "from_level"),
                        "rule.gate_level",
                        level=gate.from_level,
                        max=max_level,
                    )
            elif gate.max_gap is None:
                self.add(doc, ("gates", i), "shape.required", key="max_gap")
        gate_ids: dict[str, int] = {}
        for i, gate in enumerate(m.gates):
            if gate.id in gate_ids:
                self.add(
                    doc,
                    ("gates", i, "id"),
                    "rule.duplicate_id",
                    kind=msg("rt.kind.gate"),
                    id=gate.id,
                    first=f"gates[{gate_ids[gate.id]}]",
                )
            gate_ids.setdefault(gate.id, i)

    def check_indices(self, pillars: set[str], indicators: set[str]) -> None:
        """Sub-indices: unique ids, every weight naming a pillar or an indicator, and weights
        with a positive sum (they are normalised by it)."""
        seen: dict[str, int] = {}
        known = sorted(pillars | indicators)
        for i, sub in enumerate(self.m.indices):
            if sub.id in seen or sub.id in pillars:
                first = f"indices[{seen[sub.id]}]" if sub.id in seen else "pillars"
                self.add(
                    self.doc,
                    ("indices", i, "id"),
                    "rule.duplicate_id",
                    kind=msg("rt.kind.index"),
                    id=sub.id,
                    first=first,
                )
            seen.setdefault(sub.id, i)
            for part in sub.weights:
                if part not in pillars and part not in indicators:
                    self.add(
                        self.doc,
                        ("indices", i, "weights", part),
                        "rule.unknown_ref",
                        at_key=True,
                        kind=msg("rt.kind.index_part"),
                        id=part,
                        hint=did_you_mean(part, known),
                        known=_known(known),
                    )
            if sum(sub.weights.values()) <= 0:
                self.add(self.doc, ("indices", i, "weights"), "rule.index_weights", id=sub.id)

    def check_aggregation(self, path: PathKey, aggregation: str, zeros: str | None) -> None:
        """A geometric mean needs its treatment of zeros declared; only it takes one."""
        if aggregation == "geometric" and zeros is None:
            self.add(self.doc, (*path, "aggregation"), "rule.zeros_needed")
        elif aggregation != "geometric" and zeros is not None:
            self.add(self.doc, (*path, "zeros"), "rule.zeros_arithmetic", zeros=zeros)
        elif zeros is not None and zeros_floor(zeros) is None:
            self.add(self.doc, (*path, "zeros"), "rule.zeros_floor", zeros=zeros)

    def flatten_pillars(self) -> dict[str, PillarNode]:
        nodes: dict[str, PillarNode] = {}
        where: dict[str, PathKey] = {}

        def walk(pillars: list[Pillar], parent: str | None, depth: int, path: PathKey) -> None:
            for i, pillar in enumerate(pillars):
                ppath = (*path, i)
                if pillar.id in nodes:
                    self.add(
                        self.doc,
                        (*ppath, "id"),
                        "rule.duplicate_id",
                        kind=msg("rt.kind.pillar"),
                        id=pillar.id,
                        first=str(self.doc.locate(where[pillar.id])),
                    )
                    continue
                nodes[pillar.id] = PillarNode(
                    pillar, parent, depth, tuple(c.id for c in pillar.children)
                )
                self.check_aggregation(ppath, pillar.aggregation, pillar.zeros)
                where[pillar.id] = ppath
                self.locations[f"pillar:{pillar.id}"] = self.doc.locate(ppath)
                for tier in pillar.weights:
                    if tier not in self.tiers:
                        self.add(
                            self.doc,
                            (*ppath, "weights", tier),
                            "rule.unknown_ref",
                            at_key=True,
                            kind=msg("rt.kind.tier"),
                            id=tier,
                            hint=did_you_mean(tier, self.tiers),
                            known=_known(self.tiers),
                        )
                for tier in self.tiers:
                    if tier not in pillar.weights:
                        self.add(
                            self.doc,
                            (*ppath, "weights"),
                            "rule.pillar_weight_missing",
                            id=pillar.id,
                            tier=tier,
                        )
                walk(pillar.children, pillar.id, depth + 1, (*ppath, "children"))

        walk(self.m.pillars, None, 0, ("pillars",))
        self.pillar_paths = where
        return nodes

    # -- rule files ---------------------------------------------------------------
    def parse(self, doc: Document, path: PathKey, source: str, key: str) -> fx.Expr | None:
        try:
            expr = fx.parse(source)
        except FormulaError as exc:
            self.formula_problem(doc, path, exc)
            return None
        self.formulas[key] = expr
        return expr

    def formula_problem(self, doc: Document, path: PathKey, exc: FormulaError) -> None:
        loc = doc.locate(path)
        col = loc.col
        lines = doc.text.splitlines()
        if 0 < loc.line <= len(lines):
            line_text = lines[loc.line - 1]
            if col - 1 < len(line_text) and line_text[col - 1] in "\"'":
                col += 1
            if line_text[col - 1 :].startswith(exc.source[:10]):
                col += exc.start
        self.problems.append(
            Problem.at(
                Location(loc.file, loc.line, col, loc.path),
                "rule.formula",
                detail=exc.caret(),
                message=exc.message,
            )
        )

    def check_formula(
        self,
        doc: Document,
        path: PathKey,
        expr: fx.Expr,
        source: str,
        own: set[str],
        child: set[str] | None,
    ) -> None:
        known = sorted(own)
        errors = fx.check(
            expr,
            source,
            names=lambda n: n in own,
            child_names=(lambda n: n in child) if child is not None else None,
            suggest=lambda n: [c] if (c := closest(n, known + sorted(child or ()))) else [],
        )
        for err in errors:
            self.formula_problem(doc, path, err)

    # complex on purpose: resolves inputs, derived values and indicators across files in one pass
    def build(self, path: Path, files: list[Path]) -> Framework | None:  # noqa: C901
        self.check_manifest()
        pillars = self.flatten_pillars()
        inputs: dict[str, Input] = {}
        derived: dict[str, Derived] = {}
        where: dict[str, Location] = {}
        indicators: list[tuple[Document, PathKey, Indicator]] = []
        derived_src: list[tuple[Document, PathKey, Derived]] = []

        for _file, doc, rules in self.rule_docs:
            for i, inp in enumerate(rules.inputs):
                ipath: PathKey = ("inputs", i)
                if inp.id in inputs or inp.id in derived:
                    self.add(
                        doc,
                        (*ipath, "id"),
                        "rule.duplicate_id",
                        kind=msg("rt.kind.input"),
                        id=inp.id,
                        first=str(where[inp.id]),
                    )
                    continue
                where[inp.id] = doc.locate(ipath)
                self.check_dates(doc, ipath, inp)
                self.check_tiers_ref(doc, (*ipath, "tiers"), inp.tiers)
                if inp.min is not None and inp.max is not None and inp.min > inp.max:
                    self.add(doc, (*ipath, "min"), "rule.range", min=inp.min, max=inp.max)
                if inp.type == "ordinal":
                    keys = sorted(inp.choices or {})
                    if not keys or keys != [str(k) for k in range(len(keys))]:
                        self.add(doc, ipath, "rule.ordinal_choices")
                if _in_force(inp, self.as_of):
                    inputs[inp.id] = inp
                self.locations[f"input:{inp.id}"] = where[inp.id]
            for i, der in enumerate(rules.derived):
                dpath: PathKey = ("derived", i)
                if der.id in inputs or der.id in derived:
                    self.add(
                        doc,
                        (*dpath, "id"),
                        "rule.duplicate_id",
                        kind=msg("rt.kind.input"),
                        id=der.id,
                        first=str(where[der.id]),
                    )
                    continue
                where[der.id] = doc.locate(dpath)
                self.check_tiers_ref(doc, (*dpath, "tiers"), der.tiers)
                derived[der.id] = der
                derived_src.append((doc, dpath, der))
                self.locations[f"derived:{der.id}"] = where[der.id]
            for i, ind in enumerate(rules.indicators):
                indicators.append((doc, ("indicators", i), ind))

        # derived values: parse, resolve, order (cycles are errors)
        deps: dict[str, set[str]] = {}
        for doc, dpath, der in derived_src:
            expr = self.parse(doc, (*dpath, "formula"), der.formula, der.id)
            if expr is None:
                continue
            own_names, _child_names = fx.names_used(expr)
            for tier in der.tiers:
                self.check_formula(
                    doc,
                    (*dpath, "formula"),
                    expr,
                    der.formula,
                    self.names_for(tier, inputs, derived),
                    self.child_names_for(tier, inputs),
                )
            deps[der.id] = {n for n in own_names if n in derived}
        order = self.topo_order(deps, derived_src)

        # indicators
        seen: dict[str, Location] = {}
        kept: list[Indicator] = []
        leaf_ids = [pid for pid, node in pillars.items() if node.leaf]
        self.result_refs = {  # per tier, the results of the same unit a formula may read
            tier: {f"indicator.{ind.id}" for _, _, ind in indicators if tier in ind.tiers}
            | {f"pillar.{pid}" for pid in pillars}
            for tier in self.tiers
        }
        for doc, ipath, ind in indicators:
            loc = doc.locate(ipath)
            if ind.id in seen:
                self.add(
                    doc,
                    (*ipath, "id"),
                    "rule.duplicate_id",
                    kind=msg("rt.kind.indicator"),
                    id=ind.id,
                    first=str(seen[ind.id]),
                )
                continue
            seen[ind.id] = loc
            self.locations[ind.id] = loc
            self.check_indicator(doc, ipath, ind, pillars, leaf_ids, inputs, derived)
            if _in_force(ind, self.as_of):
                kept.append(ind)

        if not kept and not self.problems:
            self.add(self.doc, ("include",), "rule.no_indicators")
        indicator_order = self.indicator_order(indicators, pillars)

        # checks
        check_ids: dict[str, int] = {}
        for i, check in enumerate(self.m.checks):
            cpath: PathKey = ("checks", i)
            if check.id in check_ids:
                self.add(
                    self.doc,
                    (*cpath, "id"),
                    "rule.duplicate_id",
                    kind=msg("rt.kind.check"),
                    id=check.id,
                    first=f"checks[{check_ids[check.id]}]",
                )
            check_ids.setdefault(check.id, i)
            self.check_dates(self.doc, cpath, check)
            self.check_tiers_ref(self.doc, (*cpath, "tiers"), check.tiers)
            expr = self.parse(self.doc, (*cpath, "assert"), check.assert_, f"check:{check.id}")
            if expr is not None:
                for tier in check.tiers:
                    if tier in self.tiers:
                        self.check_formula(
                            self.doc,
                            (*cpath, "assert"),
                            expr,
                            check.assert_,
                            self.names_for(tier, inputs, derived),
                            self.child_names_for(tier, inputs),
                        )
            self.locations[f"check:{check.id}"] = self.doc.locate(cpath)

        in_force = [ind for _, _, ind in indicators if _in_force(ind, self.as_of)]
        self.check_pillar_coverage(pillars, in_force)
        self.check_indices(set(pillars), {ind.id for ind in in_force})

        if self.problems:
            return None
        digest = hashlib.sha256()
        for f in sorted(files, key=lambda p: p.as_posix()):
            digest.update(f.name.encode())
            digest.update(f.read_bytes())
        return Framework(
            manifest=self.m,
            path=path,
            digest="sha256:" + digest.hexdigest(),
            files=tuple(files),
            inputs=inputs,
            derived=derived,
            derived_order=tuple(order),
            indicators=tuple(kept),
            indicator_order=tuple(i for i in indicator_order if i in {k.id for k in kept}),
            pillars=pillars,
            formulas=self.formulas,
            locations=self.locations,
        )

    def names_for(
        self, tier: str, inputs: dict[str, Input], derived: dict[str, Derived]
    ) -> set[str]:
        return {i.id for i in inputs.values() if tier in i.tiers} | {
            d.id for d in derived.values() if tier in d.tiers
        }

    def child_names_for(self, tier: str, inputs: dict[str, Input]) -> set[str] | None:
        child = next((tt.id for tt in self.m.tiers if tt.parent == tier), None)
        if child is None:
            return None
        return {i.id for i in inputs.values() if child in i.tiers} | set(RESULT_NAMES)

    def indicator_order(
        self,
        indicators: list[tuple[Document, PathKey, Indicator]],
        pillars: dict[str, PillarNode],
    ) -> list[str]:
        """Indicators in an order where every result a formula reads comes first; a cycle
        (an indicator reading itself, or a pillar it belongs to, through any chain) is an
        error naming the whole cycle."""

        def leaves(pid: str) -> list[str]:
            node = pillars[pid]
            return [pid] if node.leaf else [x for c in node.children for x in leaves(c)]

        members: dict[str, list[str]] = {}
        for _, _, ind in indicators:
            members.setdefault(ind.pillar, []).append(ind.id)
        deps: dict[str, set[str]] = {}
        src: dict[str, tuple[Document, PathKey]] = {}
        for doc, ipath, ind in indicators:
            expr = self.formulas.get(ind.id)
            src.setdefault(ind.id, (doc, (*ipath, "formula")))
            names = fx.names_used(expr)[0] if expr is not None else set()
            deps[ind.id] = set()
            for name in names:
                ref = fx.result_ref(name)
                if ref is None:
                    continue
                kind, ident = ref
                if kind == "indicator":
                    deps[ind.id].add(ident)
                elif ident in pillars:
                    deps[ind.id].add(name)
                    deps[name] = {i for leaf in leaves(ident) for i in members.get(leaf, [])}
        return [n for n in self.topo_order(deps, src) if fx.result_ref(n) is None]

    def topo_order(
        self,
        deps: dict[str, set[str]],
        derived_src: list[tuple[Document, PathKey, Derived]] | dict[str, tuple[Document, PathKey]],
    ) -> list[str]:
        order: list[str] = []
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()
        src = (
            derived_src
            if isinstance(derived_src, dict)
            else {der.id: (doc, (*dpath, "formula")) for doc, dpath, der in derived_src}
        )

        def visit(node: str, stack: list[str]) -> None:
            if state.get(node) == 2:
                return
            if state.get(node) == 1:
                cycle = [*stack[stack.index(node) :], node]
                key = frozenset(cycle)
                at = next((n for n in cycle if n in src), None)
                if key not in reported and at is not None:
                    reported.add(key)
                    doc, fpath = src[at]
                    self.add(doc, fpath, "rule.cycle", cycle=" → ".join(cycle))
                return
            state[node] = 1
            for dep in sorted(deps.get(node, ())):
                visit(dep, [*stack, node])
            state[node] = 2
            order.append(node)

        for node in sorted(deps):
            visit(node, [])
        return order

    # complex on purpose: a validator over the many keys of an indicator
    def check_indicator(  # noqa: C901
        self,
        doc: Document,
        ipath: PathKey,
        ind: Indicator,
        pillars: dict[str, PillarNode],
        leaf_ids: list[str],
        inputs: dict[str, Input],
        derived: dict[str, Derived],
    ) -> None:
        self.check_dates(doc, ipath, ind)
        self.check_tiers_ref(doc, (*ipath, "tiers"), ind.tiers)
        if ind.pillar not in pillars:
            self.add(
                doc,
                (*ipath, "pillar"),
                "rule.unknown_ref",
                kind=msg("rt.kind.pillar"),
                id=ind.pillar,
                hint=did_you_mean(ind.pillar, leaf_ids),
                known=_known(leaf_ids),
            )
        elif not pillars[ind.pillar].leaf:
            self.add(
                doc,
                (*ipath, "pillar"),
                "rule.not_leaf",
                id=ind.pillar,
                children=", ".join(pillars[ind.pillar].children),
            )
        if ind.weight == 0 and not ind.context:
            self.add(doc, (*ipath, "weight"), "rule.weight")
        known_names = sorted(set(inputs) | set(derived))
        for i, name in enumerate(ind.inputs):
            if name not in inputs and name not in derived:
                self.add(
                    doc,
                    (*ipath, "inputs", i),
                    "rule.unknown_ref",
                    kind=msg("rt.kind.input"),
                    id=name,
                    hint=did_you_mean(name, known_names),
                    known=_known(known_names),
                )
        # formula
        if ind.formula is None:
            if len(ind.inputs) != 1:
                self.add(doc, (*ipath, "inputs"), "rule.no_formula_inputs", count=len(ind.inputs))
            else:
                self.formulas[ind.id] = fx.Name(ind.inputs[0])
                self.check_input_tiers(
                    doc, (*ipath, "inputs", 0), ind.inputs[0], ind.tiers, inputs, derived
                )
        else:
            expr = self.parse(doc, (*ipath, "formula"), ind.formula, ind.id)
            if expr is not None:
                own, inside = fx.names_used(expr)
                listed = set(ind.inputs)
                for name in sorted((own | inside) - listed - set(RESULT_NAMES)):
                    if name in inputs or name in derived:
                        self.add(
                            doc,
                            (*ipath, "formula"),
                            "rule.formula_input_unlisted",
                            name=name,
                            inputs=ind.inputs,
                        )
                refs = {n for n in own if fx.result_ref(n) is not None}
                unresolved = (own | inside) - set(inputs) - set(derived) - set(RESULT_NAMES) - refs
                for i, name in enumerate(ind.inputs):
                    if not unresolved and name not in own and name not in inside:
                        self.add(doc, (*ipath, "inputs", i), "rule.input_unused", name=name)
                for tier in ind.tiers:
                    if tier not in self.tiers:
                        continue
                    child = self.child_names_for(tier, inputs)
                    own_names = self.names_for(tier, inputs, derived) | (
                        listed - set(inputs) - set(derived)
                    )
                    # an input of the wrong tier gets its own message below, not "unknown name"
                    own_names |= {n for n in own if n in inputs or n in derived}
                    own_names |= self.result_refs.get(tier, set())
                    child_names = (
                        None if child is None else child | {n for n in inside if n in inputs}
                    )
                    self.check_formula(
                        doc, (*ipath, "formula"), expr, ind.formula, own_names, child_names
                    )
                for name in sorted(own):
                    self.check_input_tiers(
                        doc, (*ipath, "formula"), name, ind.tiers, inputs, derived
                    )
                for tier in ind.tiers:
                    child_tier = next((tt.id for tt in self.m.tiers if tt.parent == tier), None)
                    if child_tier is None:
                        continue
                    for name in sorted(inside):
                        if name in inputs and child_tier not in inputs[name].tiers:
                            self.add(
                                doc,
                                (*ipath, "formula"),
                                "rule.child_input_tier",
                                name=name,
                                tier=child_tier,
                            )
        if ind.lever is not None:
            for key in ("input", "transfer_from"):
                name = getattr(ind.lever, key)
                if name is not None and name not in ind.inputs:
                    self.add(
                        doc, (*ipath, "lever", key), "rule.lever", name=name, inputs=ind.inputs
                    )
        self.check_method(doc, ipath, ind, inputs)

    def check_input_tiers(
        self,
        doc: Document,
        path: PathKey,
        name: str,
        tiers: list[str],
        inputs: dict[str, Input],
        derived: dict[str, Derived],
    ) -> None:
        source: Input | Derived | None = inputs.get(name) or derived.get(name)
        if source is None or any(tier not in self.tiers for tier in source.tiers):
            return  # an unknown tier on the input is reported there
        for tier in tiers:
            if tier in self.tiers and tier not in source.tiers:
                self.add(
                    doc,
                    path,
                    "rule.input_tier",
                    name=name,
                    tier=tier,
                    kind=msg("rt.kind.indicator"),
                )

    def check_method(
        self, doc: Document, ipath: PathKey, ind: Indicator, inputs: dict[str, Input]
    ) -> None:
        source = inputs.get(ind.inputs[0]) if ind.formula is None and ind.inputs else None
        if (
            source is not None
            and ind.method == "ordinal"
            and source.type == "ordinal"
            and ind.max is not None
        ):
            top = max((int(k) for k in source.choices or {}), default=None)
            if top is not None and top != ind.max:
                self.add(
                    doc, (*ipath, "max"), "rule.ordinal_max", max=ind.max, input=source.id, top=top
                )
        if source is not None and ind.method == "binary" and source.type != "boolean":
            self.add(
                doc, (*ipath, "method"), "rule.binary_input", input=source.id, type=source.type
            )
        for path, code, args in method_problems(ind):
            self.add(doc, (*ipath, *path), code, at_key=code == "rule.method_extra", **args)
        higher = ind.direction == "higher"
        cuts = ind.cutoffs.values()
        monotone = all((b >= a) if higher else (b <= a) for a, b in itertools.pairwise(cuts))
        if not monotone:
            order = t_order(higher)
            self.add(
                doc,
                (*ipath, "cutoffs"),
                "rule.cutoffs_monotone",
                order=order,
                direction=ind.direction,
                values=list(cuts),
            )

    def check_pillar_coverage(
        self, pillars: dict[str, PillarNode], indicators: list[Indicator]
    ) -> None:
        scored: dict[tuple[str, str], int] = {}
        for ind in indicators:
            if ind.weight > 0 or not ind.context:  # a weight of 0 without context is its own error
                for tier in ind.tiers:
                    scored[(ind.pillar, tier)] = scored.get((ind.pillar, tier), 0) + 1

        def has(pid: str, tier: str) -> bool:
            node = pillars[pid]
            if node.leaf:
                return scored.get((pid, tier), 0) > 0
            return any(
                pillars[c].model.weights.get(tier, 0) > 0 and has(c, tier) for c in node.children
            )

        for tier in self.tiers:
            top = [p for p in pillars.values() if p.parent is None]
            if not any(p.model.weights.get(tier, 0) > 0 for p in top):
                self.add(self.doc, ("pillars",), "rule.tier_weights", tier=tier)
            for pid, node in pillars.items():
                if node.model.weights.get(tier, 0) > 0 and not has(pid, tier):
                    self.add(
                        self.doc,
                        (*self.pillar_paths[pid], "weights", tier),
                        "rule.pillar_empty",
                        id=pid,
                        tier=tier,
                    )


def t_order(higher: bool) -> str:
    from maturity.i18n import language

    if language() == "vi":
        return "không giảm" if higher else "không tăng"
    return "non-decreasing" if higher else "non-increasing"
