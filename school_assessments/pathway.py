"""The School Assessment as a pathway (casework.pathways): a decision for it opens one, led
by the decision's lead (or the case's); a decision for another pathway, or the case ending,
stops one under way; the case page shows it to those who may see it."""

from casework import pathways
from school_assessments import services
from school_assessments.selectors import open_assessment_for_case


def start(*, referral, decision, by) -> None:
    """Inside the decision's transaction. A case that already has an open assessment keeps it
    (a step up or down that keeps the pathway keeps the work under way)."""
    services.assessment_open(
        referral=referral,
        lead=decision.lead_practitioner or referral.lead_practitioner,
        by=by,
        reason=f"Panel decision: {decision.get_level_display()}, {decision.get_pathway_display()}",
    )


def stop(*, referral, by, reason: str) -> None:
    services.assessment_stop(referral=referral, by=by, reason=reason)


def card(referral, user) -> dict | None:
    assessment = open_assessment_for_case(user, referral)
    return {"assessment": assessment} if assessment else None


SCHOOL_ASSESSMENT = pathways.Pathway(
    app="school_assessments",
    key="school_assessment",
    label="School Assessment by Children's Social Care",
    levels=("child_in_need", "child_protection"),
    start=start,
    stop=stop,
    card_template="school_assessments/_case_card.html",
    card=card,
    nav=pathways.NavEntry(
        label="School Assessments",
        url_name="school_assessment_list",
        shown=lambda roles: roles.is_practitioner or roles.is_team_manager or roles.is_dsl,
    ),
    urls="school_assessments.urls",
    order=50,
)
