"""Pathways as plug-ins (casework.pathways): a pathway registered the way an app registers
itself is offered to the panel, starts on its decision, stops when the pathway changes or the
case ends, and shows its card and navigation entry; a pathway whose app is not installed is
not offered and not shown. And a case that ends leaves no open record anywhere."""

import pytest
from django.test import modify_settings

from casework import pathways
from notifications.models import Deadline, DeadlineStatus
from panels import services as panel_services
from panels.forms import DecisionForm
from referrals.choices import ReferralState
from referrals.models import PlanAction, SchoolReferral, TransitionRecord
from referrals.plans.models import ActionState, PlanState
from referrals.risks import services as risk_services
from referrals.risks.models import RiskState
from school_assessments.models import SchoolAssessment
from self_assessments.models import SelfAssessment
from tests.casework.pathways import registered
from tests.panels.factories import awaiting_panel, decision_args
from tests.referrals.plan_factories import plan_with_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_templates(settings):
    from pathlib import Path

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent.parent / "templates"],
        }
    ]


def test_a_registered_pathway_is_offered_started_shown_and_stopped(client, test_templates):
    card_calls = []

    def card(referral, user):
        card_calls.append(user.pk)
        return {"note": "Summit on 3 March at Northfield"}

    with registered(
        key="test_summit",
        label="Test summit",
        card=card,
        card_template="tests/_pathway_card.html",
        nav=pathways.NavEntry(label="Test summits", url_name="home", shown=lambda r: True),
    ) as calls:
        referral = awaiting_panel()
        member = referral.people["panel_member"]
        form = DecisionForm(referral=referral)
        assert ("test_summit", "Test summit") in form.fields["pathway"].choices
        # Offered beside the installed Early Help pathways, in their order.
        assert (
            "Universal / early help: Student Safety Summit or School Partnership Meeting or "
            "Test summit." in form.fields["pathway"].help_text
        )

        decision = panel_services.decision_record(
            referral=referral,
            by=member,
            **decision_args(referral, level="early_help", pathway="test_summit"),
        )
        assert calls.started == [(referral.pk, decision.pk, member.pk)]
        assert calls.stopped == []
        assert decision.get_pathway_display() == "Test summit"

        lead = referral.people["practitioner"]
        client.force_login(lead)
        page = client.get(f"/referrals/{referral.pk}/").content.decode()
        assert "Summit on 3 March at Northfield" in page
        assert card_calls == [lead.pk]
        assert ">Test summits</a>" in page

        panel_services.decision_step(
            previous=decision,
            by=member,
            change_reason="Sexual violence now reported.",
            **decision_args(referral, level="child_protection", pathway="school_assessment"),
        )
        assert calls.stopped == [
            (
                referral.pk,
                "The panel's new decision changes the pathway to School Assessment by "
                "Children's Social Care: Sexual violence now reported.",
            )
        ]
    assert "test_summit" not in dict(pathways.choices())


def test_every_pathway_stops_when_the_case_ends(early_help_pathway):
    case, plan, actions = plan_with_actions()
    early_help_pathway.stopped.clear()  # the decision itself stopped nothing under way
    panel_services.decision_step(
        previous=case.decisions.get(),
        by=case.people["panel_member"],
        change_reason="The operator fixed it.",
        level="below_threshold",
        pathway="manage_internally",
        rationale="Resolved with the operator.",
        advice="Keep the rota for a term.",
    )
    reasons = [reason for _pk, reason in early_help_pathway.stopped]
    # Once for the change of pathway, once for the end of the case.
    assert reasons[0].startswith(
        "The panel's new decision changes the pathway to School manages internally"
    )
    assert reasons[1].startswith("The case ended:")


def open_records(case) -> dict:
    """Everything of a case that could still be open, by kind."""
    return {
        "school assessments": SchoolAssessment.objects.filter(referral=case).open().count(),
        "self-assessments": SelfAssessment.objects.filter(
            case=case, state__in=["in_progress", "submitted"]
        ).count(),
        "plans": case.plans.exclude(state=PlanState.CLOSED).count(),
        "actions": PlanAction.objects.filter(plan__case=case, state=ActionState.OPEN).count(),
        "risk assessments": case.risk_assessments.filter(
            state__in=[RiskState.REQUIRED, RiskState.COMPLETED]
        ).count(),
        "clocks": Deadline.objects.filter(case_id=case.pk, status=DeadlineStatus.RUNNING).count(),
    }


def test_a_step_down_below_threshold_leaves_no_open_record():
    case, plan, actions = plan_with_actions(owners=("dsl", "practitioner"))
    by = case.people["practitioner"]
    risk = risk_services.risk_consider(
        case=case, by=by, needed=True, reason="Pupils still share the bus."
    )
    before = open_records(case)
    assert before["plans"] == 1 and before["actions"] == 2 and before["risk assessments"] == 1

    panel_services.decision_step(
        previous=case.decisions.get(),
        by=case.people["panel_member"],
        change_reason="The bus operator has fixed it; the school can manage.",
        level="below_threshold",
        pathway="manage_internally",
        rationale="Resolved with the operator.",
        advice="Keep the rota for a term.",
    )

    assert SchoolReferral.objects.get(pk=case.pk).state == ReferralState.CLOSED
    assert all(count == 0 for count in open_records(case).values()), open_records(case)
    risk.refresh_from_db()
    assert risk.closed_reason.startswith("The case ended:")
    assert all(
        a.closed_reason.startswith("The case ended:") for a in PlanAction.objects.filter(plan=plan)
    )
    # Each stop is a transition of its own, by the person who ended the case, with the reason.
    stops = TransitionRecord.objects.filter(case=case, reason__startswith="The case ended:")
    assert sorted(stops.values_list("transition", flat=True)) == [
        "close",
        "close",
        "close_undone",
        "close_undone",
    ]
    assert set(stops.values_list("by", flat=True)) == {case.people["panel_member"].pk}


@modify_settings(INSTALLED_APPS={"remove": ["self_assessments"]})
def test_a_pathway_whose_app_is_removed_is_neither_offered_nor_shown(client):
    """Removing the app from settings is the only edit: the registry no longer lists it."""
    assert "beyond_referrals" not in dict(pathways.choices())
    assert [p.key for p in pathways.for_level("child_in_need")] == ["school_assessment"]
    # A decision recorded before it was removed still reads sensibly.
    assert pathways.label("beyond_referrals") == "Beyond Referrals self-assessment, supported"
    assert pathways.label("gone_pathway") == "Gone pathway"
    referral = awaiting_panel()
    client.force_login(referral.people["panel_member"])
    page = client.get("/", follow=True).content.decode()
    assert "Self-assessments</a>" not in page


def test_with_every_app_installed_the_navigation_has_both_pathway_entries(client):
    referral = awaiting_panel()
    client.force_login(referral.people["practitioner"])
    page = client.get("/", follow=True).content.decode()
    assert "School Assessments</a>" in page and "Self-assessments</a>" in page


@pytest.mark.parametrize("ending", ["redirect", "withdraw"])
def test_a_referral_that_ends_at_the_front_door_closes_its_risk_assessments_unless_redirected(
    ending,
):
    from referrals import services
    from tests.referrals.risk_factories import SEXUAL_VIOLENCE, immediate_of, referral_with

    referral = referral_with(SEXUAL_VIOLENCE)
    immediate = immediate_of(referral)
    assert immediate.state == RiskState.REQUIRED
    if ending == "redirect":
        by = referral.people["front_door"]
        services.referral_start_screening(referral=referral, by=by)
        services.referral_redirect(
            referral=SchoolReferral.objects.get(pk=referral.pk), by=by, reason="Individual child."
        )
    else:
        by = referral.people["dsl"]
        services.referral_withdraw(referral=referral, by=by, reason="Sent in error.")
    immediate.refresh_from_db()
    if ending == "redirect":
        # A redirect ends the context referral, not the school's duty of care: the open
        # risk assessment stays, with the DSLs (tests/referrals/test_endings.py).
        assert immediate.state == RiskState.REQUIRED
        return
    assert immediate.state == RiskState.CLOSED
    assert immediate.closed_reason.startswith("The case ended: ")
    assert all(count == 0 for count in open_records(referral).values())
