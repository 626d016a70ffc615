from django.urls import path

from referrals.plans import views

urlpatterns = [
    path("referrals/<int:pk>/plan/", views.case_plan, name="case_plan"),
    path("referrals/<int:pk>/plan/start/", views.plan_start, name="plan_start"),
    path("referrals/<int:pk>/plan/aims/", views.plan_aims, name="plan_aims"),
    path("referrals/<int:pk>/plan/actions/new/", views.plan_action_new, name="plan_action_new"),
    path("referrals/<int:pk>/plan/agree/", views.plan_agree, name="plan_agree"),
    path("referrals/<int:pk>/plan/review/", views.plan_review, name="plan_review"),
    path("referrals/<int:pk>/plan/close-case/", views.case_close, name="case_close"),
    path("actions/", views.my_actions_page, name="my_actions"),
    path("actions/<int:action_pk>/", views.plan_action, name="plan_action"),
    path("caseload/", views.caseload_page, name="caseload"),
]
