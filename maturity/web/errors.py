"""The platform's one error type: a status, and located problems as code + arguments (or a
message the library already rendered), turned into the request's language at the edge."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """One problem: the field it is about (``values.dossiers_online``, ``file``…), its code,
    and either the arguments of the code's message or the library's rendered message."""

    code: str
    field: str | None = None
    args: dict[str, Any] = dataclasses.field(default_factory=dict)
    message: str | None = None


class PlatformError(Exception):
    """Raised by services and selectors; the API renders it as ``{"errors": [...]}``."""

    def __init__(
        self,
        code: str,
        *,
        status: int = 400,
        field: str | None = None,
        problems: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
        **args: Any,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.problems = problems or [FieldProblem(code, field, args)]
        self.headers = headers or {}


def not_found() -> PlatformError:
    """The same answer for what does not exist and what the actor may not see."""
    return PlatformError("request.not_found", status=404)
