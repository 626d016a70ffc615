"""The referral list as CSV and Excel: the same form and selector as the list page
(ReferralFilterForm(...).filters() -> filtered_referrals), so every filter the list has
carries over, and every row is one visible_to lets this person see. Logged once per export
(casework.exports)."""

import datetime as dt
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import School
from casework import exports
from notifications.selectors import running_deadlines_for_cases
from referrals.forms import ReferralFilterForm
from referrals.models import SchoolReferral
from referrals.selectors import ListFilters, filtered_referrals, school_choices

HEADER = [
    "Reference",
    "School",
    "URN",
    "Status",
    "Submitted",
    "Panel",
    "Lead practitioner",
    "Next deadline",
    "Next due",
    "RAG",
]
WIDTHS = [16, 40, 10, 30, 18, 30, 26, 36, 18, 18]
# Rows whose running deadlines are fetched in one query.
CHUNK = 500


def referral_rows(user, filters: ListFilters, now: dt.datetime) -> Iterator[list]:
    """The rows of the export, most urgent first as on the list, each with the case's
    soonest running deadline and its RAG in words."""
    referrals = filtered_referrals(user, filters, now).select_related(
        "school", "panel", "lead_practitioner"
    )
    for chunk in exports.chunks(referrals.iterator(chunk_size=CHUNK), CHUNK):
        deadlines = running_deadlines_for_cases(SchoolReferral, [r.pk for r in chunk])
        for referral in chunk:
            running = deadlines.get(referral.pk)
            first = running[0] if running else None
            yield [
                referral.reference or "Draft",
                referral.school.name,
                referral.school.urn,
                referral.get_state_display(),
                referral.submitted_at,
                referral.panel.name if referral.panel else "",
                str(referral.lead_practitioner) if referral.lead_practitioner else "",
                first.timescale.name if first else "No running deadline",
                first.due_at if first else None,
                exports.RAG_WORDS[first.rag(now)] if first else "",
            ]


@login_required
@require_safe
@never_cache
def referral_list_export(request, extension):
    if extension not in exports.FORMATS:
        raise Http404
    school_id = _int(request.GET.get("school"))
    chosen = School.objects.filter(pk=school_id).first() if school_id > 0 else None
    form = ReferralFilterForm(
        request.GET, schools=school_choices(request.user), chosen_school=chosen
    )
    filters = form.filters()
    if form.errors:
        # Not a file of something other than what was asked: the list, with the messages.
        return redirect(f"{reverse('referral_list')}?{request.GET.urlencode()}")
    now = timezone.now()
    filename = f"referrals-{timezone.localdate(now).isoformat()}.{extension}"
    rows = referral_rows(request.user, filters, now)
    if extension == "csv":
        count = filtered_referrals(request.user, filters, now).count()
        exports.log_export(request, "referral_list", extension, count)
        return exports.csv_response(filename, HEADER, rows)
    counted = exports.Counted(rows)
    response = exports.xlsx_response(filename, HEADER, counted, title="Referrals", widths=WIDTHS)
    exports.log_export(request, "referral_list", extension, counted.count)
    return response


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
