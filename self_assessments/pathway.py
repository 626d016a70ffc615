"""The supported Beyond Referrals self-assessment as a pathway (casework.pathways): a
decision for it starts the school's self-assessment (inside the decision's transaction, so
the audit and its clock start with the decision or not at all); a decision for another
pathway, or the case ending, stops one under way."""

from casework import pathways
from self_assessments import services
from self_assessments.selectors import case_audits


def start(*, referral, decision, by) -> None:
    services.self_assessment_start_for_pathway(referral=referral, decision=decision, by=by)


def stop(*, referral, by, reason: str) -> None:
    services.self_assessment_stop(referral=referral, by=by, reason=reason)


def card(referral, user) -> dict | None:
    audits = case_audits(user, referral)
    return {"audits": audits} if audits else None


BEYOND_REFERRALS = pathways.Pathway(
    app="self_assessments",
    key="beyond_referrals",
    label="Beyond Referrals self-assessment, supported",
    levels=("child_in_need", "child_protection"),
    start=start,
    stop=stop,
    card_template="self_assessments/_case_card.html",
    card=card,
    # Partnership audits live here too, so partners and administrators have the entry.
    nav=pathways.NavEntry(
        label="Self-assessments",
        url_name="self_assessment_list",
        shown=lambda roles: roles.holds_case_role or roles.is_partner or roles.is_administrator,
    ),
    urls="self_assessments.urls",
    order=40,
)
