"""Messages in two languages: the current language, the message catalogue, and how numbers
are shown in each language.

Texts about the framework itself (indicator names, remediation, check messages) live in the
rule files; this module holds only the engine's own sentences. The CLI chooses the language
with :func:`set_language`; the library renders messages with :func:`t`.
"""

from __future__ import annotations

from contextvars import ContextVar
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
    "'1.5' được hiểu là 1,5: đây là cách hiểu duy nhất hợp lệ cho đầu vào này (không phải 15)."
    """

    def render(self, lang: str) -> str:
        x = float(self)
        text = str(int(x)) if x == int(x) and abs(x) < 1e16 else repr(x)
        return text.replace(".", ",") if lang == "vi" else text


def t(code: str, lang: str | None = None, **kw: Any) -> str:
    """Render message ``code`` in the current (or given) language.

    >>> t("yaml.empty", lang="vi")
    'tệp rỗng'
    """
    en, vi = MESSAGES[code]
    chosen = lang or language()
    template = vi if chosen == "vi" else en
    args = {k: v.render(chosen) if isinstance(v, Plain) else v for k, v in kw.items()}
    return template.format(**args)
