"""The Student Safety Summit as a pathway (casework.pathways): a decision for it opens one,
led by the decision's lead (or the case's), in the decision's transaction; a decision for
another pathway, or the case ending, stops one still open; the case page shows it."""

from casework import pathways
from safety_summits.chronicle import reschedules
from safety_summits.summit import services
from safety_summits.summit.models import SafetySummit, SummitDateChange
from safety_summits.summit.selectors import summit_for_case


def start(*, referral, decision, by) -> None:
    services.summit_open(
        referral=referral,
        lead=decision.lead_practitioner or referral.lead_practitioner,
        by=by,
        reason=f"Panel decision: {decision.get_level_display()}, {decision.get_pathway_display()}",
    )


def stop(*, referral, by, reason: str) -> None:
    services.summit_stop(referral=referral, by=by, reason=reason)


def chronicle(referral) -> list:
    """A summit's reschedules, for the case's chronology."""
    return reschedules(
        SafetySummit,
        SummitDateChange.objects.filter(summit__referral=referral).select_related("by"),
        title="Student Safety Summit: Rescheduled",
        record_of=lambda change: change.summit_id,
    )


def card(referral, user) -> dict | None:
    summit = summit_for_case(user, referral)
    return {"summit": summit} if summit else None


SAFETY_SUMMIT = pathways.Pathway(
    app="safety_summits",
    key="safety_summit",
    label="Student Safety Summit",
    levels=("early_help",),
    start=start,
    stop=stop,
    card_template="safety_summits/summit/_case_card.html",
    card=card,
    chronicle=chronicle,
    nav=pathways.NavEntry(
        label="Safety summits",
        url_name="safety_summit_list",
        shown=lambda roles: roles.is_practitioner or roles.is_team_manager or roles.is_dsl,
    ),
    urls="safety_summits.summit.urls",
    order=25,
)
