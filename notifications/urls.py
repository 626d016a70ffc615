from django.urls import path

from notifications import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="notification_read"),
    path("inbox/read-all/", views.mark_all_read, name="notifications_read_all"),
    path("inbox/undelivered/", views.undelivered, name="undelivered"),
    path(
        "inbox/undelivered/<int:pk>/try-again/",
        views.undelivered_try_again,
        name="undelivered_try_again",
    ),
    path("deadlines/mine/", views.mine, name="my_deadlines"),
    path("deadlines/team/", views.team, name="team_deadlines"),
    path("deadlines/mine/export.<slug:extension>", views.mine_export, name="my_deadlines_export"),
    path("deadlines/team/export.<slug:extension>", views.team_export, name="team_deadlines_export"),
    path("healthz", views.healthz, name="healthz"),
]
