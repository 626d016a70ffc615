import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import User
from referrals import services
from referrals.choices import ReferralState as S
from referrals.chronology import chronology
from referrals.models import SchoolReferral
from tests.referrals.factories import COMPLETE_ANSWERS, in_state

pytestmark = pytest.mark.django_db

REACHED_SO_FAR = {
    S.DRAFT,
    S.SUBMITTED,
    S.SCREENING,
    S.AWAITING_PANEL,
    S.MORE_INFORMATION_REQUESTED,
    S.REDIRECTED,
    S.WITHDRAWN,
    S.DECIDED,  # by the demo's past panel meeting
    S.CLOSED,  # below threshold, closed with advice; and closed with outcomes
    S.REVIEW,  # a plan agreed and under review
    S.IN_PROGRESS,  # a School Assessment under way
}


def test_demo_builds_every_role_and_every_state_reached_so_far(capsys, client):
    call_command("demo", password="demo-password-1")
    out = capsys.readouterr().out
    assert "password: demo-password-1" in out
    assert set(SchoolReferral.objects.values_list("state", flat=True)) == REACHED_SO_FAR
    for email in ("dsl", "frontdoor", "chair", "practitioner", "manager", "police", "admin"):
        assert f"{email}@demo.example" in out
        assert User.objects.get(email=f"{email}@demo.example").check_password("demo-password-1")
    # What the demo prints is enough to sign in: the password, then the security code
    # (through the sign-in page: axes needs the request, which client.login does not pass).
    assert "Two-step verification" in out and "./demo code" in out
    signed_in = client.post(
        "/login/", {"username": "frontdoor@demo.example", "password": "demo-password-1"}
    )
    assert signed_in.status_code == 302
    assert client.get("/front-door/")["Location"].startswith("/two-step/?next=")
    call_command("demo_code")
    code = capsys.readouterr().out.split()[0]
    assert client.post("/two-step/", {"code": code, "next": "/front-door/"}).status_code == 302
    assert client.get("/front-door/").status_code == 200
    from notifications.models import Deadline
    from panels.models import MinutesVersion, PanelMeeting

    rags = {d.rag(timezone.now()) for d in Deadline.objects.filter(status="running")}
    assert rags == {"red", "amber", "green"}
    assert PanelMeeting.objects.filter(state="scheduled").exists()
    assert MinutesVersion.objects.exists()
    from referrals.models import CaseOutcome, CasePlan, PlanAction, RiskAssessment

    assert set(RiskAssessment.objects.values_list("kind", "state")) == {
        ("immediate", "required"),
        ("immediate", "completed"),
        ("exploitation", "required"),
    }
    assert set(CasePlan.objects.values_list("state", flat=True)) == {"drafting", "agreed", "closed"}
    assert set(PlanAction.objects.values_list("state", flat=True)) == {"open", "done", "closed"}
    assert CaseOutcome.objects.count() == 1


def test_demo_refuses_to_run_twice(capsys):
    call_command("demo")
    # The password it made up passes the password rules (12 characters at least).
    password = capsys.readouterr().out.split("password: ")[1].split()[0]
    validate_password(password)
    with pytest.raises(Exception, match="already exists"):
        call_command("demo", password="demo-password-1")


def test_demo_refuses_a_password_the_rules_refuse():
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("demo", password="demo-pass-1")
    assert not User.objects.exists()


def test_chronology_lists_every_transition_and_change_with_who_and_why():
    referral = in_state(S.DRAFT)
    dsl, fd = referral.people["dsl"], referral.people["front_door"]
    services.referral_update_draft(
        referral=referral,
        by=dsl,
        data={**COMPLETE_ANSWERS, "patterns": "Now also at the bus stop."},
        indicators=[],
        linked_children=[("MOS-77", "JB")],
    )
    referral = services.referral_submit(referral=SchoolReferral.objects.get(pk=referral.pk), by=dsl)
    services.referral_redirect(referral=referral, by=fd, reason="One child: MASH referral.")
    entries = chronology(referral, dsl)
    titles = [e.title for e in entries]
    assert titles[0] == "Draft started"
    assert "Linked child added" in titles
    assert titles[-2:] == [
        "Draft → Submitted",
        "Submitted → Redirected (individual child referral)",
    ]
    changed = [e for e in entries if e.title == "Answers changed"][-1]
    assert changed.details == ["Patterns"] and changed.who == dsl
    assert entries[-1].who == fd and entries[-1].reason == "One child: MASH referral."
