"""After the summit: "you said, we did" (what was done about each thing young people raised
and when they were told), sharing the summit report, and sending the case back to its panel
when the summit shows significant concern in the case's school. Every write goes through
safety_summits.write or referrals.services.run_transition (the one runner)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import PanelMembership, School, SchoolMembership
from casework.errors import Incomplete, NotAllowed
from notifications.services import notify_people
from referrals.services import run_transition
from safety_summits.summit.choices import AFTER_STATES, SummitState
from safety_summits.summit.models import SafetySummit, YouSaidWeDid
from safety_summits.summit.services import people_who_can_open, school_ids
from safety_summits.write import check_runner, clean, edit, require_reason, transition

S = SummitState


def _check_follow_up(by, current):
    check_runner(by, current)
    if current.state not in AFTER_STATES:
        raise NotAllowed("“You said, we did” starts once the summit is held.")


def _dates(done_on, told_on, we_did, how_told) -> dict[str, list[str]]:
    today = timezone.localdate()
    problems = {}
    if done_on and done_on > today:
        problems["done_on"] = ["The date it was done must be today or in the past"]
    if told_on and told_on > today:
        problems["told_on"] = ["The date young people were told must be today or in the past"]
    if done_on and not (we_did or "").strip():
        problems["we_did"] = ["Say what was done"]
    if told_on and not (how_told or "").strip():
        problems["how_told"] = ["Say how young people were told"]
    if how_told and not told_on:
        problems["told_on"] = ["Enter when young people were told"]
    return problems


def response_save(
    *,
    summit: SafetySummit,
    by,
    you_said: str,
    we_did: str = "",
    done_on: dt.date | None = None,
    told_on: dt.date | None = None,
    how_told: str = "",
    school: School | None = None,
    response_id: int | None = None,
    expected_version: int | None = None,
) -> SafetySummit:
    """Add a "you said, we did" row, or update one (`response_id`) as the work is done and
    young people are told."""
    problems = _dates(done_on, told_on, we_did, how_told)
    if not (you_said or "").strip():
        problems["you_said"] = ["Enter what young people said"]
    if school is not None and school.pk not in school_ids(summit):
        problems["school"] = ["Choose one of the schools invited to the summit"]
    if problems:
        raise Incomplete("This cannot be saved yet", problems)

    def save(current):
        if response_id is None:
            row = YouSaidWeDid(summit=current, added_by=by)
        else:
            row = current.responses.filter(pk=response_id).first()
            if row is None:
                raise NotAllowed("That is not part of this summit's record.")
        row.school = school
        row.you_said, row.we_did = you_said.strip(), (we_did or "").strip()
        row.done_on, row.told_on, row.how_told = done_on, told_on, (how_told or "").strip()
        clean(row, exclude=["added_by"])
        row._history_user = by
        row.save()

    return edit(
        summit,
        by=by,
        change=save,
        reason="you said, we did: " + ("added" if response_id is None else "updated"),
        expected_version=expected_version,
        check=_check_follow_up,
    )


def report_readers(summit) -> list[int]:
    """Who the report goes to: the lead, the invited practitioners with accounts who came,
    and the DSLs of every invited school (each reads their own school's part); of them,
    only those who can open the summit now."""
    wanted = set(
        SchoolMembership.objects.filter(school_id__in=school_ids(summit)).values_list(
            "user_id", flat=True
        )
    )
    wanted |= set(
        summit.invitees.filter(attended=True).exclude(user=None).values_list("user_id", flat=True)
    )
    wanted.add(summit.lead_id)
    return sorted(person.pk for person in people_who_can_open(summit) if person.pk in wanted)


def report_share(*, summit: SafetySummit, by, expected_version: int | None = None) -> SafetySummit:
    """held -> report shared: the summit report (its page and PDF) goes to the schools and
    the practitioners who came."""

    def stamp(current):
        current.reported_at = timezone.now()
        current.reported_by = by

    def send(current):
        notify_people(
            user_ids=report_readers(current),
            title="The Student Safety Summit report is ready",
            body=f"The report of the summit hosted by {current.host_school.name}: who came, "
            "the safety map, what young people said and the next steps. Read it, or download "
            "the PDF, on the summit's page.",
            url=current.get_absolute_url(),
            kind="meeting",
        )

    return transition(
        summit,
        name="share_report",
        by=by,
        reason="Summit report shared",
        expected_version=expected_version,
        before=stamp,
        after=send,
    )


def refer_back(
    *, summit: SafetySummit, by, reason: str, expected_version: int | None = None
) -> SafetySummit:
    """The summit showed significant concern of extra-familial harm in the case's school
    (seed 002): the lead sends the case back to its panel recommending a School Assessment.
    The panel's members are told; the summit's record stays as it is until the panel
    decides (a step up stops what is still open)."""
    reason = require_reason(reason, message="Say what the summit showed about the school")
    referral = summit.referral
    if referral.panel_id is None:
        raise NotAllowed("This case has no panel to go back to.")

    def keep(current):
        if current.referred_back_at is not None:
            raise NotAllowed("The case has already gone back to its panel from this summit.")
        current.referred_back_at = timezone.now()
        current.referred_back_by = by
        current.referred_back_reason = reason

    with transaction.atomic():
        current = edit(
            summit,
            by=by,
            change=keep,
            reason="sent back to the panel recommending a School Assessment",
            expected_version=expected_version,
            check=_check_follow_up,
        )
        run_transition(
            referral,
            name="return_to_panel",
            action="lead_work",
            by=by,
            reason=f"The Student Safety Summit showed significant concern at "
            f"{referral.school.name}: a School Assessment is recommended. {reason}"[:300],
        )
        notify_people(
            user_ids=list(
                PanelMembership.objects.filter(panel_id=referral.panel_id).values_list(
                    "user_id", flat=True
                )
            ),
            title=f"{referral} is back for the panel: a School Assessment is recommended",
            body=f"The Student Safety Summit showed significant concern at "
            f"{referral.school.name}. The lead's reason: {reason}",
            url=referral.get_absolute_url(),
            kind="panel",
        )
    return current
