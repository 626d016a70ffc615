"""Every transition: allowed from the right states by the right people, refused otherwise
with a clear message and nothing changed."""

import pytest

from accounts.models import AuthorityRole
from casework.errors import Incomplete, NotAllowed
from referrals import services
from referrals.choices import ReferralState as S
from referrals.models import InformationRequest, SchoolReferral, TransitionRecord
from tests.accounts.factories import SchoolFactory, authority_role, dsl_of, front_door_of
from tests.referrals.factories import draft, in_state

pytestmark = pytest.mark.django_db

REACHABLE = [
    S.DRAFT,
    S.SUBMITTED,
    S.SCREENING,
    S.AWAITING_PANEL,
    S.MORE_INFORMATION_REQUESTED,
    S.REDIRECTED,
    S.WITHDRAWN,
]


def _args(name, referral):
    return {
        "submit": {},
        "withdraw": {"reason": "Sent to the wrong service."},
        "start_screening": {},
        "accept_to_panel": {"panel": referral.people["panel"], "reason": "Meets threshold."},
        "request_information": {"message": "Which year groups?"},
        "redirect": {"reason": "One child: individual referral."},
        "provide_information": {"response": "Years 9 and 10."},
    }[name]


# transition: (service, states it may start from, who does it, state it ends in)
TRANSITIONS = {
    "submit": (services.referral_submit, {S.DRAFT}, "dsl", S.SUBMITTED),
    "withdraw": (
        services.referral_withdraw,
        {S.DRAFT, S.SUBMITTED, S.SCREENING, S.AWAITING_PANEL, S.MORE_INFORMATION_REQUESTED},
        "dsl",
        S.WITHDRAWN,
    ),
    "start_screening": (
        services.referral_start_screening,
        {S.SUBMITTED},
        "front_door",
        S.SCREENING,
    ),
    "accept_to_panel": (
        services.referral_accept_to_panel,
        {S.SUBMITTED, S.SCREENING},
        "front_door",
        S.AWAITING_PANEL,
    ),
    "request_information": (
        services.referral_request_information,
        {S.SUBMITTED, S.SCREENING, S.AWAITING_PANEL},
        "front_door",
        S.MORE_INFORMATION_REQUESTED,
    ),
    "redirect": (
        services.referral_redirect,
        {S.SUBMITTED, S.SCREENING},
        "front_door",
        S.REDIRECTED,
    ),
    "provide_information": (
        services.referral_provide_information,
        {S.MORE_INFORMATION_REQUESTED},
        "dsl",
        S.SCREENING,
    ),
}

CASES = [(name, state) for name in TRANSITIONS for state in REACHABLE]


@pytest.mark.parametrize(("name", "state"), CASES, ids=[f"{n}-from-{s}" for n, s in CASES])
def test_transition_allowed_only_from_its_states(name, state):
    service, sources, actor, target = TRANSITIONS[name]
    referral = in_state(state)
    by = referral.people[actor]
    records_before = TransitionRecord.objects.count()
    if state in sources:
        result = service(referral=referral, by=by, **_args(name, referral))
        assert result.state == target
        record = TransitionRecord.objects.latest("pk")
        assert (record.from_state, record.to_state, record.by) == (state, target, by)
        assert record.case == result
        reason = next(iter(_args(name, referral).values()), None)
        if isinstance(reason, str):
            assert record.reason == reason
    else:
        with pytest.raises(NotAllowed) as refused:
            service(referral=referral, by=by, **_args(name, referral))
        assert "cannot do that now" in refused.value.message
        assert SchoolReferral.objects.get(pk=referral.pk).state == state
        assert TransitionRecord.objects.count() == records_before


def _stranger(kind, referral):
    authority = referral.school.authority
    return {
        "other_school_dsl": lambda: dsl_of(SchoolFactory(authority=authority)),
        "front_door_elsewhere": lambda: front_door_of(SchoolFactory().authority),
        "administrator": lambda: authority_role(authority, AuthorityRole.ADMINISTRATOR),
        "partner": lambda: authority_role(authority, AuthorityRole.PARTNER, agency="police"),
        "panel_member": lambda: referral.people["panel_member"],
    }[kind]()


WRONG_PEOPLE = ["other_school_dsl", "front_door_elsewhere", "administrator", "partner"]


@pytest.mark.parametrize("name", list(TRANSITIONS))
@pytest.mark.parametrize("kind", [*WRONG_PEOPLE, "wrong_role"])
def test_transition_refused_to_the_wrong_people(name, kind):
    service, sources, actor, _target = TRANSITIONS[name]
    state = sorted(sources)[0]
    referral = in_state(state)
    if kind == "wrong_role":  # the DSL doing the front door's job, and the other way round
        by = referral.people["front_door" if actor == "dsl" else "dsl"]
    else:
        by = _stranger(kind, referral)
    with pytest.raises(NotAllowed) as refused:
        service(referral=referral, by=by, **_args(name, referral))
    assert "permission" in refused.value.message
    assert SchoolReferral.objects.get(pk=referral.pk).state == state


def test_panel_member_may_ask_the_school_for_more_while_awaiting_panel():
    referral = in_state(S.AWAITING_PANEL)
    member = referral.people["panel_member"]
    result = services.referral_request_information(
        referral=referral, by=member, message="Send the behaviour policy."
    )
    assert result.state == S.MORE_INFORMATION_REQUESTED
    # The school's answer goes back to the panel, not to the front door.
    answered = services.referral_provide_information(
        referral=result, by=referral.people["dsl"], response="Attached to the panel pack."
    )
    assert answered.state == S.AWAITING_PANEL


def test_answer_to_the_front_door_returns_to_screening_and_is_kept():
    referral = in_state(S.MORE_INFORMATION_REQUESTED)
    dsl = referral.people["dsl"]
    result = services.referral_provide_information(
        referral=referral, by=dsl, response="Routes 41 and 56."
    )
    assert result.state == S.SCREENING
    request = InformationRequest.objects.get(referral=referral)
    assert (request.response, request.responded_by) == ("Routes 41 and 56.", dsl)


def test_information_request_tells_each_of_the_schools_dsls_in_their_inbox_and_by_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    referral = in_state(S.SUBMITTED)
    deputy = dsl_of(referral.school, role="deputy_dsl")
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_request_information(
            referral=referral, by=referral.people["front_door"], message="Which routes?"
        )
    # One email per person, never a shared To: line.
    assert sorted(m.to for m in mailoutbox) == sorted(
        [[referral.people["dsl"].email], [deputy.email]]
    )
    assert all("Which routes?" in m.body for m in mailoutbox)
    inbox = Notification.objects.filter(stage="information_request")
    assert sorted(inbox.values_list("user_id", flat=True)) == sorted(
        [referral.people["dsl"].pk, deputy.pk]
    )
    assert {n.url for n in inbox} == {f"/referrals/{referral.pk}/"}


@pytest.mark.parametrize("name", ["withdraw", "accept_to_panel", "request_information", "redirect"])
def test_a_reason_is_required(name):
    service, sources, actor, _target = TRANSITIONS[name]
    referral = in_state(sorted(sources)[-1])
    arguments = {k: "   " if isinstance(v, str) else v for k, v in _args(name, referral).items()}
    with pytest.raises(Incomplete) as refused:
        service(referral=referral, by=referral.people[actor], **arguments)
    assert refused.value.message.startswith("Enter")
    assert SchoolReferral.objects.get(pk=referral.pk).state == referral.state


def test_accepting_to_another_authoritys_panel_is_refused():
    referral = in_state(S.SUBMITTED)
    elsewhere = in_state(S.SUBMITTED).people["panel"]
    with pytest.raises(NotAllowed, match="another local authority"):
        services.referral_accept_to_panel(
            referral=referral, by=referral.people["front_door"], panel=elsewhere, reason="x"
        )
    assert SchoolReferral.objects.get(pk=referral.pk).panel is None


def test_an_incomplete_draft_cannot_be_submitted():
    school = SchoolFactory()
    dsl = dsl_of(school)
    referral = draft(school, dsl, complete=False)
    with pytest.raises(Incomplete) as refused:
        services.referral_submit(referral=referral, by=dsl)
    assert "incident_description" in refused.value.problems
    referral.refresh_from_db()
    assert (referral.state, referral.reference) == (S.DRAFT, None)


def test_the_state_field_cannot_be_assigned_directly():
    referral = in_state(S.SUBMITTED)
    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        referral.state = S.CLOSED


def test_history_records_who_acted_and_why():
    referral = in_state(S.SUBMITTED)
    fd = referral.people["front_door"]
    services.referral_redirect(referral=referral, by=fd, reason="Individual child concern.")
    latest = SchoolReferral.history.filter(id=referral.pk).latest("history_date")
    assert latest.state == S.REDIRECTED
    assert latest.history_user == fd
    assert latest.history_change_reason == "Individual child concern."
