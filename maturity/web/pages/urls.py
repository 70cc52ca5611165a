"""The pages' URLs (everything that is not /api/ or /admin/)."""

from __future__ import annotations

from django.urls import path

from maturity.web.pages import form, manage, results, views

R = "rounds/<slug:code>"
U = f"{R}/units/<str:unit_id>"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.sign_in_page, name="signin"),
    path("signout/", views.sign_out_page, name="signout"),
    path(f"{U}/form/", form.form_step, name="form"),
    path(f"{U}/review/", form.review, name="review"),
    path(f"{U}/workbook/", form.workbook, name="workbook"),
    path(f"{U}/explain/", form.explain, name="explain"),
    path(f"{U}/template.xlsx", form.template, name="template"),
    path(f"{U}/verify/", manage.verify, name="verify"),
    path(f"{R}/validate/", form.validate, name="validate"),
    path(f"{R}/province/<str:unit_id>/", manage.province, name="province"),
    path(f"{R}/queue/", manage.queue, name="queue"),
    path(f"{R}/publish/", manage.publish_page, name="publish"),
    path("results/assets/<str:name>", results.asset, name="asset"),
    path("results/<slug:code>/", results.national, name="national"),
    path("results/<slug:code>/method/", results.method, name="method"),
    path("results/<slug:code>/province/<str:unit_id>/", results.province, name="results-province"),
    path("results/<slug:code>/unit/<str:unit_id>/", results.unit, name="results-unit"),
]
