"""Audits in each state, built through the services (never by setting a state field)."""

from accounts.models import AuthorityRole
from notifications.catalogue import seed_timescales
from panels import services as panel_services
from self_assessments import instruments, services
from self_assessments.models import Instrument, Item, SelfAssessment
from tests.accounts.factories import authority_role, front_door_of
from tests.panels.factories import awaiting_panel, decision_args


def pathway_audit():
    """A referral decided for the Beyond Referrals pathway, and the school's self-assessment
    that the decision started. The audit carries `people` (dsl, practitioner, team, ...)."""
    referral = awaiting_panel()
    people = referral.people
    seed_timescales(referral.school.authority)
    panel_services.decision_record(
        referral=referral,
        by=people["panel_member"],
        **decision_args(referral, pathway="beyond_referrals"),
    )
    audit = SelfAssessment.objects.get(case=referral)
    audit.people = people
    return audit


def instrument(key):
    instruments.ensure_bundled()
    return Instrument.objects.filter(key=key).order_by("-loaded_at").first()


def beyond_referrals():
    return instrument(instruments.MULTI_AGENCY_BEYOND_REFERRALS)


def nspcc():
    return instrument("nspcc-hsb-framework-audit")


def partnership_people(authority):
    return {
        "front_door": front_door_of(authority),
        "police": authority_role(authority, AuthorityRole.PARTNER, agency="police"),
    }


def answer(audit, by, choices, evidence=("case_reviews",), note="Seen in case files."):
    """Answer items: `choices` maps item number to a scale key."""
    items = {i.number: i for i in Item.objects.filter(instrument=audit.instrument)}
    return services.answers_save(
        assessment=audit,
        by=by,
        answers={
            items[number]: {"choice": choice, "evidence": list(evidence), "note": note}
            for number, choice in choices.items()
        },
    )


def answer_all(audit, by, choice="green", overrides=None):
    numbers = Item.objects.filter(instrument=audit.instrument).values_list("number", flat=True)
    choices = {n: choice for n in numbers}
    choices.update(overrides or {})
    return answer(audit, by, choices)
