"""Messages in two languages: the current language, the message catalogue, and how numbers
are shown in each language.

Texts about the framework itself (indicator names, remediation, check messages) live in the
rule files; this module holds only the engine's own sentences. The CLI chooses the language
with :func:`set_language`; the library renders messages with :func:`t`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from maturity.i18n.catalogue import MESSAGES

LANGUAGES = ("vi", "en")


_lang: ContextVar[str] = ContextVar("maturity_lang", default="en")


def set_language(lang: str) -> None:
    """Choose the language of messages rendered from now on (``vi`` or ``en``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    _lang.set(lang)


def language() -> str:
    """The current message language."""
    return _lang.get()


def pick(text: dict[str, str] | Any, lang: str | None = None) -> str:
    """Pick one language from a bilingual text mapping (or model with ``vi``/``en``)."""
    lang = lang or language()
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("en") or "")
    return str(getattr(text, lang, "") or getattr(text, "en", ""))


class Plain(float):
    """A number shown without grouping, with the language's decimal mark (``105,481`` in
    Vietnamese, ``105.481`` in English): how a message names one reading of an ambiguous
    value, where a grouped form would be ambiguous again.

    >>> t("value.ambiguous_taken", lang="vi", value="1.5", reading=Plain(1.5), other=Plain(15))
    "'1.5' được hiểu là 1,5: đây là cách hiểu duy nhất hợp lệ cho chỉ tiêu này (không phải 15)."
    """

    def render(self, lang: str | None = None) -> str:
        x = float(self)
        text = str(int(x)) if x == int(x) and abs(x) < 1e16 else repr(x)
        return text.replace(".", ",") if (lang or language()) == "vi" else text

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)


@dataclass(frozen=True)
class Number:
    """A number inside a message, shown by the one number policy
    (:func:`maturity.i18n.numbers.number`) in the language of the moment it is shown: a
    message made while scoring reads ``2.141`` in Vietnamese and ``2,141`` in English.

    >>> Number(2141.0).render("vi"), Number(49.53573, 4).render("en")
    ('2.141', '49.5357')
    """

    value: float
    digits: int = 4

    def render(self, lang: str | None = None) -> str:
        from maturity.i18n.numbers import number

        return number(self.value, self.digits, lang)

    def __str__(self) -> str:
        return self.render()

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)


@dataclass(frozen=True)
class Message:
    """A catalogue message not yet rendered: its ``code`` and ``args``. It renders in the
    current language whenever it is shown (``str()``, or as an argument of another message),
    so a message made while scoring can be shown later in either language.

    >>> m = Message("shape.did_you_mean", {"name": "SVC-01"})
    >>> str(m), m.render("vi")
    (" Did you mean 'SVC-01'?", " Có phải ý bạn là 'SVC-01'?")
    """

    code: str
    args: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def render(self, lang: str | None = None) -> str:
        return t(self.code, lang, **self.args)

    def __str__(self) -> str:
        return self.render()

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)


@dataclass(frozen=True)
class Bilingual:
    """A text a rule file gives in both languages (a check's message, an indicator's name),
    shown in the current language when it is shown."""

    en: str
    vi: str

    @classmethod
    def of(cls, text: Any) -> Bilingual:
        """From a rule file's ``{vi: ..., en: ...}`` text."""
        return cls(str(getattr(text, "en", "")), str(getattr(text, "vi", "")))

    def render(self, lang: str | None = None) -> str:
        return (self.vi if (lang or language()) == "vi" else self.en) or self.en

    def __str__(self) -> str:
        return self.render()

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)


@dataclass(frozen=True)
class Joined:
    """Texts joined by ``sep``, each shown in the current language when the whole is (``sep``
    may be a message too: ``; `` in Vietnamese, where a comma marks decimals)."""

    parts: tuple[Any, ...] | list[Any] = field(hash=False)
    sep: str | Message = ", "

    def render(self, lang: str | None = None) -> str:
        chosen = lang or language()
        return str(_arg(self.sep, chosen)).join(_arg(p, chosen) for p in self.parts)

    def __str__(self) -> str:
        return self.render()

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)


Text = Message | Bilingual | Joined | str
"""Something to show a person: a message not yet rendered, or text."""


def msg(code: str, **args: Any) -> Message:
    """The message ``code`` with its arguments, rendered only when shown."""
    return Message(code, args)


def closest(name: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known name closest to ``name`` (difflib ratio at least ``cutoff``), or None.
    Very long names are not compared (bounded work on hostile input).

    >>> closest("SVC-10", ["SVC-01", "DOC-01"])
    'SVC-01'
    """
    if len(name) > 100:
        return None
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(name: str, known: Iterable[str], cutoff: float = 0.6) -> Text:
    """The hint "did you mean X?" for an unknown ``name``, or "" when nothing is close: the
    one place that suggests a name, so every message words it alike.

    >>> did_you_mean("SVC-10", ["SVC-01"]).render("en")
    " Did you mean 'SVC-01'?"
    """
    close = closest(name, known, cutoff)
    return msg("shape.did_you_mean", name=close) if close else ""


def t(code: str, lang: str | None = None, **kw: Any) -> str:
    """Render message ``code`` in the current (or given) language. Arguments that are
    messages or :class:`Plain` numbers are rendered in the same language.

    >>> t("yaml.empty", lang="vi")
    'tệp rỗng'
    """
    en, vi = MESSAGES[code]
    chosen = lang or language()
    template = vi if chosen == "vi" else en
    args = {k: _arg(v, chosen) for k, v in kw.items()}
    return template.format(**args)


def _arg(value: Any, lang: str) -> Any:
    if isinstance(value, Plain | Number | Message | Bilingual | Joined):
        return value.render(lang)
    return value
