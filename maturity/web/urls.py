"""URLs: the API under /api/, the Django admin under /admin/, the pages everywhere else."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from maturity.web.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("maturity.web.pages.urls")),
]

handler403 = "maturity.web.pages.views.forbidden_page"
handler404 = "maturity.web.pages.views.not_found_page"
handler500 = "maturity.web.pages.views.server_error_page"
