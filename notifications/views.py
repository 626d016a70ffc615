from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.roles import Roles
from casework.lists import keep_filters, without
from notifications import health
from notifications.forms import InboxFilterForm
from notifications.inbox import KIND_CHOICES, inbox_page, mark_everything_read
from notifications.models import Notification
from notifications.selectors import my_deadlines, team_deadlines, undelivered_for
from notifications.services import email_try_again


@login_required
def inbox(request):
    form = InboxFilterForm(request.GET)
    filters = form.filters()
    page = inbox_page(request.user, request.GET.get("page"), **filters)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": keep_filters(page, request.GET),
            "form": form,
            "filters": filters,
            "selected": _selected(request.GET, filters),
            "back": _inbox_query(request.GET),
        },
    )


def _selected(query, filters) -> list[tuple[str, str]]:
    """The MOJ filter's selected tags: (label, the query string that removes it)."""
    tags = []
    if filters["unread_only"]:
        tags.append(("Unread only", without(query, "show")))
    if filters["kind"]:
        tags.append((dict(KIND_CHOICES)[filters["kind"]], without(query, "kind")))
    return tags


def _inbox_query(query) -> str:
    """The inbox's own parameters of a query string, to come back to the same page."""
    kept = QueryDict(mutable=True)
    for name in ("show", "kind", "page"):
        if query.get(name):
            kept[name] = query[name][:100]
    return kept.urlencode()


def _back_to_inbox(request):
    back = _inbox_query(QueryDict(request.POST.get("back", "")))
    return redirect(reverse("inbox") + (f"?{back}" if back else ""))


@login_required
@require_POST
def mark_read(request, pk):
    message = get_object_or_404(Notification, pk=pk, user=request.user)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    if request.POST.get("open") and url_has_allowed_host_and_scheme(message.url, None):
        return redirect(message.url)
    return _back_to_inbox(request)


@login_required
@require_POST
def mark_all_read(request):
    count = mark_everything_read(request.user, timezone.now())
    if count:
        flash.success(
            request,
            f"{count} unread message{pluralize(count)} marked as read: all your messages "
            "are now read.",
        )
    else:
        flash.info(request, "You have no unread messages.")
    return _back_to_inbox(request)


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
