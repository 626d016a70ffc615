"""One gate for every read of a case, and one place that logs it (docs/decisions/0007).

A page, PDF or export that shows what a case says (the school's answers, the panel's
reasons, an assessment, a plan or one of its actions, a document about the case) gets the
case, or a record of it, from a read gate: referrals.selectors.visible_case, the plan,
action and risk lookups, the School Assessment and self-assessment gates, the panel's
agenda and minutes. Each gate reads through `visible_to` and calls `opened(case)`. The
`CaseReadLog` middleware then appends one CaseAccessLog row per distinct case opened (to
the log's hash chain, audit.chain), once
the view has shown its page (200, or 400/409 with the reason a change was refused), with
the view's URL name as the page. A new page that reads
through a gate is logged without a line of its own, and no view writes the log itself.

Pages that list many cases (the referral list, the front door's queue, the School
Assessment list, the caseload, actions and deadlines lists, the inbox) do not call
`opened()`: a row there says which case (reference, school, state, a deadline), not what
it says, and logging every row of every list would bury the reads that matter. A page
about one case that also lists others (the agenda's school history) opens only its own.
Only pages that show one case or the cases of one meeting call it.

Outside a request (commands, tasks, the digest) nothing is collected and nothing logged.
This module names no case app: the log's model is looked up by label when it is written."""

from collections.abc import Iterable
from contextvars import ContextVar

from django.apps import apps
from django.utils.cache import patch_cache_control

from audit.chain import append

# The cases opened while the current request runs; None outside a request. The middleware
# sets a fresh list and gates append to it (the same list object, so a view run in another
# thread with a copy of this context still adds to it).
_opened: ContextVar[list | None] = ContextVar("cases_opened", default=None)


def opened(case) -> None:
    """A read gate hands `case` (a SchoolReferral) to a view: log it if the page shows."""
    cases = _opened.get()
    if cases is not None:
        cases.append(case)


def opened_many(cases: Iterable) -> None:
    for case in cases:
        opened(case)


# Responses that show the page: a 200, and a page shown again with the reason a change was
# refused (400 bad input, 409 changed under you), which still shows the case. A redirect, a
# 403 or 404 (our error pages say nothing of the case) or a failure writes nothing.
SHOWN = {200, 400, 409}


class CaseReadLog:
    """Collect the cases the gates open during a request; when the page is shown, write one
    log row per distinct case and keep the response out of every cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _opened.set([])
        try:
            response = self.get_response(request)
            # Distinct, in the order first opened.
            cases = list({case.pk: case for case in _opened.get()}.values())
        finally:
            _opened.reset(token)
        if response.status_code in SHOWN and cases:
            _write(request, cases)
            # Case content must not stay in a browser's or a proxy's cache.
            patch_cache_control(response, no_store=True, private=True)
        return response


def _write(request, cases: list) -> None:
    log = apps.get_model("referrals", "CaseAccessLog")
    width = log._meta.get_field("page").max_length
    match = request.resolver_match
    page = (match.view_name if match else request.path)[:width]
    # Each row keeps its case's reference and authority: the log outlives the case. The
    # school is usually loaded already (the page shows it); the rest cost one query.
    model = log._meta.get_field("referral").related_model
    school = model._meta.get_field("school")
    authority = {case.pk: case.school.authority_id for case in cases if school.is_cached(case)}
    missing = [case.pk for case in cases if case.pk not in authority]
    if missing:
        authority.update(
            model.objects.filter(pk__in=missing).values_list("pk", "school__authority")
        )
    append(
        [
            log(
                referral_id=case.pk,
                reference=case.reference or "",
                authority_id=authority.get(case.pk),
                user=request.user,
                page=page,
            )
            for case in cases
        ]
    )
