"""Plan URLs under /cases/<case_id>/plan/. `download`: a version's documents (views.download)."""

from django.urls import path

from keiei_web.plans import reading, views

app_name = "plans"
urlpatterns = [
    path("<int:case_id>/plan/", views.overview, name="overview"),
    path("<int:case_id>/plan/json/", views.edit_json, name="edit_json"),
    path("<int:case_id>/plan/versions/<int:number>/", views.version_detail, name="version"),
    # A version read as a plan (key figures, the bank's own share and loans, criteria, diff).
    path("<int:case_id>/plan/versions/<int:number>/read/", reading.read_version, name="read"),
    path("<int:case_id>/plan/diff/<int:old>/<int:new>/", views.version_diff, name="diff"),
    path("<int:case_id>/plan/edit/", views.editor, name="editor"),
    path("<int:case_id>/plan/edit/<slug:step>/", views.editor_step, name="editor_step"),
    path("<int:case_id>/plan/panel/", views.live_panel, name="panel"),
    path("<int:case_id>/plan/import/", views.plan_import, name="import"),
    path("<int:case_id>/plan/export/", views.plan_export, name="export"),
    # A version's documents: xlsx, pdf, forms (ZIP of every form) or one form's key (form-1-application…).
    path("<int:case_id>/plan/versions/<int:number>/download/<slug:fmt>/", views.download, name="download"),
    # Its build's progress as JSON (the document is built by a worker: keiei_web.jobs).
    path(
        "<int:case_id>/plan/versions/<int:number>/download/<slug:fmt>/status/",
        views.download_status,
        name="download_status",
    ),
]
