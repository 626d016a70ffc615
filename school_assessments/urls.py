"""School Assessment pages. Included from config/urls.py before referrals.urls, whose
referrals/<pk>/<action>/ pattern would otherwise shadow referrals/<pk>/school-assessment/."""

from django.urls import path

from school_assessments import documents, views

urlpatterns = [
    path("school-assessments/", views.assessment_list, name="school_assessment_list"),
    path(
        "referrals/<int:referral_pk>/school-assessment/",
        views.assessment_for_case,
        name="school_assessment_for_case",
    ),
    path("school-assessments/<int:pk>/", views.assessment_detail, name="school_assessment_detail"),
    path(
        "school-assessments/<int:pk>/domains/<slug:domain>/",
        views.assessment_domain,
        name="school_assessment_domain",
    ),
    path(
        "school-assessments/<int:pk>/sections/<slug:section>/",
        views.assessment_section,
        name="school_assessment_section",
    ),
    path(
        "school-assessments/<int:pk>/methods/",
        views.assessment_methods,
        name="school_assessment_methods",
    ),
    path(
        "school-assessments/<int:pk>/survey/",
        views.assessment_survey,
        name="school_assessment_survey",
    ),
    path(
        "school-assessments/<int:pk>/<slug:kind>/<int:item_pk>/remove/",
        views.assessment_remove,
        name="school_assessment_remove",
    ),
    path(
        "school-assessments/<int:pk>/school-response/",
        views.assessment_school_response,
        name="school_assessment_response",
    ),
    path(
        "school-assessments/<int:pk>/report/",
        documents.assessment_report,
        name="school_assessment_report",
    ),
    path(
        "school-assessments/<int:pk>/report.pdf",
        documents.assessment_report_pdf,
        name="school_assessment_report_pdf",
    ),
    # Last: the buttons that move the assessment on (start, draft-findings, share, complete).
    path(
        "school-assessments/<int:pk>/<slug:action>/",
        views.assessment_act,
        name="school_assessment_act",
    ),
]
