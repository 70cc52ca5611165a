"""People and their roles in the admin (the same accounts ``maturity users`` manages)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from maturity.web.accounts.models import ApiToken, LoginAttempt, Profile
from maturity.web.evaluation.admin import ReadOnly


class ProfileInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Profile
    can_delete = False
    autocomplete_fields = ("unit",)


class PlatformUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = (ProfileInline,)
    list_display = ("username", "is_active", "is_staff", "last_login")


admin.site.unregister(User)
admin.site.register(User, PlatformUserAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "prefix", "user", "scope", "created_at", "revoked_at")
    readonly_fields = ("key_sha256", "prefix", "kind", "user", "scope", "created_at")


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnly):
    list_display = ("at", "username", "address", "succeeded")
