from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.roles import Roles
from notifications import health
from notifications.models import Notification
from notifications.selectors import my_deadlines, team_deadlines, undelivered_for
from notifications.services import email_try_again


@login_required
def inbox(request):
    messages = Notification.objects.filter(user=request.user)[:200]
    return render(request, "notifications/inbox.html", {"messages_list": messages})


@login_required
@require_POST
def mark_read(request, pk):
    message = get_object_or_404(Notification, pk=pk, user=request.user)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    if request.POST.get("open") and url_has_allowed_host_and_scheme(message.url, None):
        return redirect(message.url)
    return redirect("inbox")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("inbox")


def _deadline_page(request, deadlines, title, intro):
    now = timezone.now()
    rows = [(d, d.rag(now)) for d in deadlines]
    return render(
        request,
        "notifications/deadlines.html",
        {"rows": rows, "title": title, "intro": intro},
    )


@login_required
def mine(request):
    return _deadline_page(
        request,
        my_deadlines(request.user),
        "My deadlines",
        "Deadlines you own, yourself or through your role, most urgent first.",
    )


@login_required
def team(request):
    return _deadline_page(
        request,
        team_deadlines(request.user),
        "My team's deadlines",
        "Deadlines of your teams, most urgent first.",
    )


@login_required
def undelivered(request):
    """Emails that could not be delivered to the people of the duty manager's authorities."""
    if not Roles.for_user(request.user).is_duty_manager:
        raise Http404
    page = Paginator(undelivered_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/undelivered.html", {"page": page})


@login_required
@require_POST
def undelivered_try_again(request, pk):
    message = get_object_or_404(undelivered_for(request.user), pk=pk)
    email_try_again(notification=message, by=request.user)
    flash.success(request, f"The email to {message.user.full_name} will be tried again.")
    return redirect("undelivered")


def healthz(request):
    healthy, details = health.check()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **details}, status=200 if healthy else 503
    )
