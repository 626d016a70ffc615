"""The audit logs for data protection officers (docs/decisions/0015): who read which case,
who exported what, and the security log, for their authorities. Filterable by person, case
and date, paginated, and downloadable (each download is itself logged as an export)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from accounts.roles import Roles
from audit import selectors
from audit.forms import LogFilterForm
from casework import exports
from casework.lists import capped_page_of, keep_filters

LOGS = {
    "reads": {
        "title": "Case reads",
        "fields": ("person", "reference", "start", "end"),
        "rows": selectors.case_reads,
        "header": ["When", "Who", "Email", "Case reference", "Page"],
        "line": lambda r: [r.at, r.user.full_name, r.user.email, r.reference, r.page],
    },
    "exports": {
        "title": "Exports",
        "fields": ("person", "start", "end"),
        "rows": selectors.exports,
        "header": ["When", "Who", "Email", "List", "Format", "Rows", "Filters"],
        "line": lambda r: [
            r.at,
            r.user.full_name,
            r.user.email,
            r.list_name,
            r.format,
            r.rows,
            r.filters,
        ],
    },
    "security": {
        "title": "Security log",
        "fields": ("person", "kind", "start", "end"),
        "rows": selectors.security_events,
        "header": ["When", "What", "Whose access", "By", "Address", "Detail"],
        "line": lambda r: [
            r.at,
            r.get_kind_display(),
            r.subject_name,
            r.actor_name,
            r.ip_address,
            r.detail,
        ],
    },
}


@login_required
def audit_log(request, log: str):
    if log not in LOGS or not Roles.for_user(request.user).is_data_protection_officer:
        raise Http404
    spec = LOGS[log]
    form = LogFilterForm(request.GET, fields=spec["fields"])
    rows = spec["rows"](request.user, form.filters())
    if request.GET.get("format") == "csv" and not form.errors:
        exports.log_export(request, f"audit_{log}", "csv", rows.count())
        lines = (spec["line"](row) for row in rows.iterator(chunk_size=2000))
        return exports.csv_response(f"audit-{log}.csv", spec["header"], lines)
    # The read log is the service's longest table: count at most COUNT_CAP, as big lists do.
    page = keep_filters(capped_page_of(rows, request.GET.get("page")), request.GET)
    download = request.GET.copy()
    download.pop("page", None)
    download["format"] = "csv"
    context = {
        "log": log,
        "logs": {name: entry["title"] for name, entry in LOGS.items()},
        "title": spec["title"],
        "form": form,
        "page": page,
        "download": download.urlencode(),
    }
    return render(request, "audit/log.html", context)
