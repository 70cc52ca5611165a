"""Reading one submitted value: the one acceptance rule every source goes through.

A value arrives as text typed by a person or saved by a spreadsheet (a CSV cell, a YAML or
JSON scalar judged from its source text), or as a typed number or yes/no (a spreadsheet's
numeric cell, a caller's data). :func:`read_value` either accepts it, as a number the engine
can use (with a note when the reading needed a choice the author should see), or rejects it
with a reason (a message code and its arguments). It never guesses silently.

Number conventions. ``1.000`` is one thousand to a Vietnamese spreadsheet and one to an
English one. A submission may state its convention (``decimal_mark`` ``","`` or ``"."``, or
``locale`` ``vi``/``en``); with one, every value is read by it. Without one, a value whose
reading depends on the convention, an integer part of 1-3 digits without a leading zero, one
``.`` or ``,``, then exactly three digits, is ambiguous: rejected, unless only one of its two
readings is allowed for the input (then taken, with a warning naming the reading). Every other
form has one reading (``94,5``, ``0.125``, ``1.234.567``, ``1,234.5``). The rule and a table of
examples are in ``docs/numbers.md``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from maturity.framework.model import Input
from maturity.framework.vocabulary import FALSE_WORDS, TRUE_WORDS
from maturity.i18n import Message, Plain

MAX_ABS_VALUE = 1e15  # no count or rate in this domain comes near; bigger is a typing error


MAX_VALUE_CHARS = 64  # a number is never longer; longer text is quoted shortened


DECIMAL_MARKS = (",", ".")


# what a submission may write to state its convention, and the decimal mark each means
LOCALES = {
    "vi": ",",
    "vi-vn": ",",
    "vi_vn": ",",
    ",": ",",
    "en": ".",
    "en-us": ".",
    "en_us": ".",
    "en-gb": ".",
    "en_gb": ".",
    ".": ".",
}


_SPACES = str.maketrans(
    {" ": None, "\u00a0": None, "\u202f": None, "\u2009": None, "\t": None, "\u2212": "-"}
)


_INT = re.compile(r"[+-]?\d+")


_ONE_SEP = re.compile(r"([+-]?)(\d*)([.,])(\d+)")


_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")


# 1.234.567  1,234,567  1.234,5  1,234.5  (groups of three after a 1-3 digit head)
_GROUPED = re.compile(r"([+-]?)(\d{1,3}(?:([.,])\d{3})+)(?:([.,])(\d+))?")


_EXPONENT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+")


# the plain forms a table column may take in bulk: no convention is needed to read them
PLAIN = re.compile(r"-?\d{1,15}(\.\d{1,15})?")


def convention_of(text: Any) -> str | None:
    """The decimal mark a stated convention means, or None when the text states none we know.

    >>> convention_of("vi"), convention_of(" EN-US "), convention_of(","), convention_of("fr")
    (',', '.', ',', None)
    """
    if not isinstance(text, str):
        return None
    return LOCALES.get(text.strip().lower())


@dataclass(frozen=True)
class Reading:
    """The outcome of reading one value: ``value`` when accepted, else ``rejected``; ``note``
    is a warning the author should see even when the value is accepted."""

    value: float | None = None
    rejected: Message | None = None
    note: Message | None = None

    @property
    def ok(self) -> bool:
        return self.rejected is None


def quote(raw: Any) -> str:
    """A submitted value as the author wrote it, shortened for a message.

    >>> quote("1.000"), quote(True), quote("x" * 100)[-2:]
    ('1.000', 'true', 'x…')
    """
    if isinstance(raw, bool):
        return "true" if raw else "false"
    text = raw if isinstance(raw, str) else repr(raw) if isinstance(raw, float) else str(raw)
    text = text.strip()
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def is_percent_input(inp: Input) -> bool:
    """An input measured in percent (its unit is ``%``) on a 0-100 scale."""
    return inp.unit is not None and inp.unit.en.strip() == "%" and (inp.max is None or inp.max > 1)


# complex on purpose: the one acceptance rule, over every input type and decimal convention
def read_value(raw: Any, inp: Input, convention: str | None = None) -> Reading:  # noqa: C901
    """Read one submitted value for ``inp``.

    ``raw`` is text as written (a cell, a YAML/JSON scalar's source), a typed number or a
    bool; blank values are the caller's business (they are data gaps, not values).
    ``convention`` is the decimal mark the submission states (``","`` or ``"."``), if any.

    >>> from maturity.framework.model import Input
    >>> count = Input.model_validate({"id": "n", "label": {"vi": "n", "en": "n"},
    ...     "type": "integer", "min": 0, "max": 10**7, "tiers": ["t"]})
    >>> read_value("2.540", count).value     # 2.54 is not a whole number: only one reading
    2540.0
    >>> read_value("617.000", count).rejected.code    # 617 or 617,000: both are counts
    'value.ambiguous'
    >>> read_value("617.000", count, ",").value
    617000.0
    >>> read_value("yes", count).rejected.code
    'value.word_for_number'
    """
    if isinstance(raw, bool):
        if inp.type == "boolean":
            return Reading(1.0 if raw else 0.0)
        return _reject("value.word_for_number", raw, inp)
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value):
            return _reject("value.not_number", raw, inp)
        return _check(value, raw, inp)
    if not isinstance(raw, str):
        return _reject("value.not_scalar", raw, inp)
    text = raw.strip()
    low = text.lower()
    if inp.type == "boolean":
        if low in TRUE_WORDS:
            return Reading(1.0)
        if low in FALSE_WORDS:
            return Reading(0.0)
    elif low in TRUE_WORDS - {"1"} or low in FALSE_WORDS - {"0"}:
        return _reject("value.word_for_number", raw, inp)
    body = text.translate(_SPACES)
    if body.endswith("%"):
        if not is_percent_input(inp):
            return _reject("value.percent", raw, inp)
        body = body[:-1]
    if not body:
        return _reject("value.not_number", raw, inp)
    readings = _readings(body, convention)
    if isinstance(readings, Message):
        return Reading(rejected=_with_value(readings, raw, inp))
    if len(readings) == 1:
        return _check(readings[0], raw, inp)
    # two readings: take the only one the input allows, else ask
    thousands, decimal = readings
    checked = [(x, _check(x, raw, inp)) for x in readings]
    allowed = [(x, r) for x, r in checked if r.ok]
    if len(allowed) == 1:
        taken, reading = allowed[0]
        other = decimal if taken == thousands else thousands
        note = Message(
            "value.ambiguous_taken",
            {"value": quote(raw), "reading": Plain(taken), "other": Plain(other)},
        )
        return Reading(reading.value, note=note)
    return _reject(
        "value.ambiguous",
        raw,
        inp,
        thousands=Plain(thousands),
        decimal=Plain(decimal),
    )


def _readings(body: str, convention: str | None) -> list[float] | Message:
    """The numbers ``body`` can mean: one, or two (thousands reading first) when ambiguous."""
    if _INT.fullmatch(body):
        return [float(body)]
    if m := _ONE_SEP.fullmatch(body):
        sign, whole, sep, frac = m.groups()
        if convention is None and _AMBIGUOUS.fullmatch(body):
            return [float(sign + whole + frac), float(f"{sign}{whole}.{frac}")]
        if convention is None or sep == convention:
            return [float(f"{sign}{whole or '0'}.{frac}")]
        # a separator other than the stated decimal mark: a thousands group, if it is one
        if len(frac) == 3 and whole and len(whole) <= 3 and not whole.startswith("0"):
            return [float(sign + whole + frac)]
        return Message("value.convention", {"mark": convention})
    if m := _GROUPED.fullmatch(body):
        sign, grouped, group, decimal_sep, frac = m.groups()
        if decimal_sep == group:
            return Message("value.ambiguous_groups", {})
        if convention is not None and group == convention:
            return Message("value.convention", {"mark": convention})
        if convention is not None and decimal_sep is not None and decimal_sep != convention:
            return Message("value.convention", {"mark": convention})
        number = grouped.replace(group, "") + (f".{frac}" if frac else "")
        return [float(sign + number)]
    if _EXPONENT.fullmatch(body) and convention != ",":
        value = float(body)
        if math.isfinite(value):
            return [value]
    return Message("value.not_number", {})


def _with_value(reason: Message, raw: Any, inp: Input) -> Message:
    return Message(reason.code, {"value": quote(raw), **_advice(inp), **reason.args})


def _advice(inp: Input) -> dict[str, Any]:
    return {"unit": inp.unit.en if inp.unit is not None else ""}


def _reject(code: str, raw: Any, inp: Input, **args: Any) -> Reading:
    return Reading(rejected=Message(code, {"value": quote(raw), **_advice(inp), **args}))


def _check(value: float, raw: Any, inp: Input) -> Reading:
    """Type and range checks of a number read from ``raw``."""
    if abs(value) > MAX_ABS_VALUE:
        return _reject("value.huge", raw, inp)
    if inp.type == "boolean" and value not in (0.0, 1.0):
        return _reject("value.boolean", raw, inp)
    if inp.type in ("integer", "ordinal") and value != int(value):
        return _reject("value.integer", raw, inp)
    if inp.type == "ordinal" and inp.choices is not None and str(int(value)) not in inp.choices:
        allowed = ", ".join(sorted(inp.choices, key=lambda c: (len(c), c)))
        return _reject("value.choice", raw, inp, allowed=allowed)
    if inp.min is not None and value < inp.min:
        return _reject("value.below", raw, inp, limit=Plain(inp.min))
    if inp.max is not None and value > inp.max:
        return _reject("value.above", raw, inp, limit=Plain(inp.max))
    return Reading(value + 0.0)  # -0.0 reads as 0


def read_number(raw: str, convention: str | None = None) -> Reading:
    """Read a number typed for no particular input (an indicator value in ``whatif --set``):
    the same forms as :func:`read_value`, no type or range; ambiguous forms are rejected.

    >>> read_number("94,5").value, read_number("1.000").rejected.code
    (94.5, 'value.ambiguous')
    """
    body = raw.strip().translate(_SPACES)
    readings = _readings(body, convention) if body else Message("value.not_number", {})
    if isinstance(readings, Message):
        return Reading(rejected=Message(readings.code, {"value": quote(raw), **readings.args}))
    if len(readings) == 2:
        thousands, decimal = (Plain(x) for x in readings)
        args = {"value": quote(raw), "thousands": thousands, "decimal": decimal}
        return Reading(rejected=Message("value.ambiguous", args))
    if abs(readings[0]) > MAX_ABS_VALUE:
        return Reading(rejected=Message("value.huge", {"value": quote(raw)}))
    return Reading(readings[0] + 0.0)
