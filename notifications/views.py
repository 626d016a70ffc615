from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import Roles
from casework import exports
from casework.lists import capped_page_of, keep_filters, without
from notifications import health
from notifications.forms import DeadlineFilterForm, InboxFilterForm
from notifications.inbox import KIND_CHOICES, inbox_page, mark_everything_read
from notifications.models import DeadlineStatus, Notification
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


# The deadlines lists: my own and my team's, each a page at a time with its filters, and as
# CSV and Excel with the same filters (casework.exports), logged once per export.
DEADLINE_LISTS = {
    "my_deadlines": (
        my_deadlines,
        "My deadlines",
        "Deadlines you own, yourself or through your role.",
    ),
    "team_deadlines": (
        team_deadlines,
        "My team's deadlines",
        "Deadlines of your teams.",
    ),
}
DEADLINE_HEADER = ["RAG", "Deadline", "Case", "Owner", "Team", "Started", "Due", "Stopped"]
DEADLINE_WIDTHS = [18, 40, 16, 30, 30, 18, 18, 18]


def _deadline_page(request, name):
    select, title, intro = DEADLINE_LISTS[name]
    form = DeadlineFilterForm(request.GET)
    filters = form.filters()
    now = timezone.now()
    page = capped_page_of(select(request.user, filters, now), request.GET.get("page"))
    page.object_list = [(d, d.rag(now)) for d in page.object_list]
    return render(
        request,
        "notifications/deadlines.html",
        {
            "page": keep_filters(page, request.GET),
            "form": form,
            "filters": filters,
            "selected": _deadline_tags(request.GET, form, filters),
            "title": title,
            "intro": intro,
            "list_name": name,
        },
    )


def _deadline_tags(query, form, filters):
    """The MOJ filter's selected tags: (label, the query string that removes it)."""
    tags = []
    if filters.show != "running":
        tags.append((dict(form.SHOW)[filters.show], without(query, "show")))
    for rag in filters.rags:
        tags.append((dict(form.RAG)[rag], without(query, "rag", rag)))
    if filters.clock:
        tags.append((dict(form.fields["clock"].choices)[filters.clock], without(query, "clock")))
    return tags


def _status_words(deadline, now):
    """What the page's tag says: the RAG of a running clock, else Met or Stopped."""
    if deadline.status == DeadlineStatus.MET:
        return "Met"
    return exports.RAG_WORDS[deadline.rag(now)]


def _deadline_rows(deadlines, now):
    for d in deadlines.iterator(chunk_size=2000):
        yield [
            _status_words(d, now),
            d.timescale.name,
            d.case_label,
            str(d.owner) if d.owner else d.get_owner_role_display(),
            d.team.name if d.team else "",
            d.started_at,
            d.due_at,
            d.stopped_at,
        ]


def _deadline_export(request, name, extension):
    if extension not in exports.FORMATS:
        raise Http404
    select, title, _ = DEADLINE_LISTS[name]
    form = DeadlineFilterForm(request.GET)
    filters = form.filters()
    if form.errors:
        # Not a file of something other than what was asked: the list, with the messages.
        return redirect(f"{reverse(name)}?{request.GET.urlencode()}")
    now = timezone.now()
    deadlines = select(request.user, filters, now)
    filename = f"{name.replace('_', '-')}-{timezone.localdate(now).isoformat()}.{extension}"
    rows = _deadline_rows(deadlines, now)
    if extension == "csv":
        exports.log_export(request, name, extension, deadlines.count())
        return exports.csv_response(filename, DEADLINE_HEADER, rows)
    counted = exports.Counted(rows)
    response = exports.xlsx_response(
        filename, DEADLINE_HEADER, counted, title=title, widths=DEADLINE_WIDTHS
    )
    exports.log_export(request, name, extension, counted.count)
    return response


@login_required
@never_cache
def mine(request):
    return _deadline_page(request, "my_deadlines")


@login_required
@never_cache
def team(request):
    return _deadline_page(request, "team_deadlines")


@login_required
@require_safe
@never_cache
def mine_export(request, extension):
    return _deadline_export(request, "my_deadlines", extension)


@login_required
@require_safe
@never_cache
def team_export(request, extension):
    return _deadline_export(request, "team_deadlines", extension)


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
