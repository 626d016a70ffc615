from django.urls import path

from self_assessments import views

urlpatterns = [
    path("self-assessments/", views.audit_list, name="self_assessment_list"),
    path("self-assessments/new/", views.partnership_start, name="partnership_audit_start"),
    path("self-assessments/instruments/", views.instrument_list, name="instrument_list"),
    path(
        "self-assessments/instruments/<int:pk>/",
        views.instrument_detail,
        name="instrument_detail",
    ),
    path("self-assessments/improvement-plan/", views.improvement_plan, name="improvement_plan"),
    path(
        "self-assessments/improvement-plan/actions/<int:pk>/done/",
        views.improvement_action_done,
        name="improvement_action_done",
    ),
    path("self-assessments/<int:pk>/", views.audit_detail, name="self_assessment_detail"),
    path(
        "self-assessments/<int:pk>/sections/<int:position>/",
        views.audit_section,
        name="self_assessment_section",
    ),
    path("self-assessments/<int:pk>/submit/", views.audit_submit, name="self_assessment_submit"),
    path("self-assessments/<int:pk>/review/", views.audit_review, name="self_assessment_review"),
    path("self-assessments/<int:pk>/close/", views.audit_close, name="self_assessment_close"),
    path(
        "self-assessments/<int:pk>/gaps/<int:item_pk>/",
        views.gap_action,
        name="self_assessment_gap_action",
    ),
    path("self-assessments/<int:pk>/print/", views.audit_print, name="self_assessment_print"),
    path(
        "self-assessments/<int:pk>/export.<slug:extension>",
        views.audit_export,
        name="self_assessment_export",
    ),
]
