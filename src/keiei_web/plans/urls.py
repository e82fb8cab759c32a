"""Plan URLs under /cases/<case_id>/plan/. Names marked LATER are reserved for the next phase."""

from django.urls import path

from keiei_web.plans import views

app_name = "plans"
urlpatterns = [
    path("<int:case_id>/plan/", views.overview, name="overview"),
    path("<int:case_id>/plan/json/", views.edit_json, name="edit_json"),
    path("<int:case_id>/plan/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:case_id>/plan/diff/<int:old>/<int:new>/", views.version_diff, name="diff"),
    # LATER: step-by-step editor with live findings, import/export of the plan file, downloads.
    path("<int:case_id>/plan/edit/", views.later_editor, name="editor"),
    path("<int:case_id>/plan/edit/<slug:step>/", views.later_editor, name="editor_step"),
    path("<int:case_id>/plan/import/", views.later_import, name="import"),
    path("<int:case_id>/plan/export/", views.later_export, name="export"),
    path("<int:case_id>/plan/versions/<int:number>/download/<slug:fmt>/", views.later_download, name="download"),
]
