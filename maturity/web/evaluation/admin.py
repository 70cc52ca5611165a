"""The Django admin over rounds and submissions: mostly for looking; changes go through the
API's services (which check, lock and audit), so most fields here are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from maturity.web.evaluation.models import (
    Evidence,
    Framework,
    Publication,
    Round,
    Submission,
    Unit,
    UnitResult,
    Verification,
)


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnly):
    list_display = ("id", "name", "tier", "parent", "type")
    list_filter = ("tier",)
    search_fields = ("id", "name")


@admin.register(Framework)
class FrameworkAdmin(ReadOnly):
    list_display = ("framework_id", "version", "digest", "registered_at")
    exclude = ("files",)


@admin.register(Round)
class RoundAdmin(ReadOnly):
    list_display = ("code", "period", "status", "opens_at", "deadline", "published_at")
    list_filter = ("status",)


@admin.register(Publication)
class PublicationAdmin(ReadOnly):
    list_display = ("round", "export_name")
    exclude = ("export", "results_en", "results_vi")


@admin.register(Submission)
class SubmissionAdmin(ReadOnly):
    list_display = ("round", "unit", "status", "version", "errors", "warnings", "updated_at")
    list_filter = ("round", "status")
    search_fields = ("unit__id", "unit__name")


@admin.register(Verification)
class VerificationAdmin(ReadOnly):
    list_display = ("submission", "input", "written", "self_assessed", "verifier", "at")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnly):
    list_display = ("submission", "input", "name", "size", "content_type", "at")


@admin.register(UnitResult)
class UnitResultAdmin(ReadOnly):
    list_display = ("round", "unit", "tier", "score", "level", "rank")
    list_filter = ("round", "tier", "level")
