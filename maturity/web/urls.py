"""URLs: the API under /api/, the Django admin under /admin/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from maturity.web.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
