"""Risk assessment pages. Included at the top of referrals/urls.py, before its catch-all
referrals/<pk>/<action>/."""

from django.urls import path

from referrals.risks import views as risk_views

urlpatterns = [
    path(
        "referrals/<int:pk>/risk-assessments/",
        risk_views.risk_assessment_list,
        name="risk_assessment_list",
    ),
    path(
        "referrals/<int:pk>/risk-assessments/consider/",
        risk_views.risk_assessment_consider,
        name="risk_assessment_consider",
    ),
    path(
        "referrals/<int:pk>/risk-assessments/<int:ra>/",
        risk_views.risk_assessment_detail,
        name="risk_assessment_detail",
    ),
    path(
        "referrals/<int:pk>/risk-assessments/<int:ra>/review/",
        risk_views.risk_assessment_review,
        name="risk_assessment_review",
    ),
    path(
        "referrals/<int:pk>/risk-assessments/<int:ra>/close/",
        risk_views.risk_assessment_close,
        name="risk_assessment_close",
    ),
]
