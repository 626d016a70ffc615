"""The School Partnership Meeting as a pathway (casework.pathways): a decision for it opens
one, led by the decision's lead (or the case's), in the decision's transaction; a decision
for another pathway, or the case ending, stops one still open; the case page shows it to
those who may see it. (The Student Safety Summit is safety_summits.summit.pathway.)"""

from casework import pathways
from safety_summits import services
from safety_summits.chronicle import reschedules
from safety_summits.models import DateChange, SchoolPartnershipMeeting
from safety_summits.selectors import meeting_for_case


def start(*, referral, decision, by) -> None:
    """A case that already has an open meeting keeps it (a new decision that keeps the
    pathway keeps the work under way)."""
    services.meeting_open(
        referral=referral,
        lead=decision.lead_practitioner or referral.lead_practitioner,
        by=by,
        reason=f"Panel decision: {decision.get_level_display()}, {decision.get_pathway_display()}",
    )


def stop(*, referral, by, reason: str) -> None:
    services.meeting_stop(referral=referral, by=by, reason=reason)


def card(referral, user) -> dict | None:
    meeting = meeting_for_case(user, referral)
    return {"meeting": meeting} if meeting else None


def chronicle(referral) -> list:
    """A meeting's reschedules, for the case's chronology."""
    return reschedules(
        SchoolPartnershipMeeting,
        DateChange.objects.filter(meeting__referral=referral).select_related("by"),
        title="School partnership meeting: Rescheduled",
        record_of=lambda change: change.meeting_id,
    )


PARTNERSHIP_MEETING = pathways.Pathway(
    app="safety_summits",
    key="partnership_meeting",
    label="School Partnership Meeting",
    levels=("early_help",),
    start=start,
    stop=stop,
    card_template="safety_summits/_case_card.html",
    card=card,
    chronicle=chronicle,
    nav=pathways.NavEntry(
        label="Partnership meetings",
        url_name="partnership_meeting_list",
        shown=lambda roles: roles.is_practitioner or roles.is_team_manager or roles.is_dsl,
    ),
    urls="safety_summits.urls",
    order=30,
)
