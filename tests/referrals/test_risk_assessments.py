"""Risk assessments (issue 5): which referrals need one, their clocks, completing, reviewing
and closing them through the pages, and who may not. Time is pinned; people log in inside
the pinned time (sessions last 8 hours)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from casework.errors import ChangedUnderYou, Incomplete, NotAllowed
from notifications.models import Deadline
from notifications.selectors import my_deadlines
from referrals.models import CaseAccessLog, TransitionRecord
from referrals.risks import services as risk_services
from referrals.risks.models import RiskAssessment, RiskKind, RiskReview
from tests.referrals.risk_factories import (
    EXPLOITATION,
    OTHER_HARM,
    SEXUAL_VIOLENCE,
    allocated,
    answers,
    completed,
    form_data,
    immediate_of,
    referral_with,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def deadlines_of(assessment, **filters):
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(RiskAssessment),
        subject_id=assessment.pk,
        **filters,
    )


def deadline_of(assessment, **filters):
    return deadlines_of(assessment, **filters).get()


def records_of(assessment):
    return TransitionRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(RiskAssessment), object_id=assessment.pk
    )


def clocks(assessment):
    """{timescale key: [(status, due_at, on_time), ...]} for one assessment, oldest first."""
    found = {}
    for d in Deadline.objects.filter(
        subject_id=assessment.pk, timescale__model="referrals.riskassessment"
    ).order_by("started_at", "pk"):
        found.setdefault(d.timescale.key, []).append((d.status, d.due_at, d.on_time))
    return found


def snapshot(assessment):
    """What must not change when something is refused."""
    assessment.refresh_from_db()
    return (
        assessment.state,
        assessment.version,
        assessment.risk_level,
        RiskReview.objects.filter(assessment=assessment).count(),
        records_of(assessment).count(),
        sorted(deadlines_of(assessment).values_list("status", flat=True)),
    )


def detail_url(assessment):
    return reverse("risk_assessment_detail", args=[assessment.case_id, assessment.pk])


def review_data(version, **changes):
    next_review = changes.pop("next_review_on", dt.date(2026, 12, 23))
    data = {
        "version": str(version),
        "what_changed": "The alleged perpetrator has moved bus route; no further incidents.",
        "young_people_say": "She says the corridor feels safer with staff there.",
        "risk_level": "medium",
        "measures": ["separate_classes", "trusted_adult"],
        "next_review_on_day": str(next_review.day),
        "next_review_on_month": str(next_review.month),
        "next_review_on_year": str(next_review.year),
    }
    data.update(changes)
    return data


# Which referrals need which assessment, and when it falls due.


@pytest.mark.time_machine(london(2026, 11, 20, 10, 0), tick=False)  # a Friday
def test_sexual_violence_submitted_on_a_friday_is_due_at_the_end_of_monday():
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = immediate_of(referral)
    assert assessment.state == "required"
    assert assessment.created_by == referral.people["dsl"]
    deadline = deadline_of(assessment, timescale__key="immediate_risk_assessment")
    assert deadline.status == "running"
    assert deadline.due_at == london(2026, 11, 23, 17, 0)  # Monday, end of the working day
    # Owned by the school's DSLs: in their "My deadlines", in nobody else's.
    assert deadline.owner_role == "dsl" and deadline.school_id == referral.school_id
    assert deadline in my_deadlines(referral.people["dsl"])
    assert deadline not in my_deadlines(referral.people["other_dsl"])
    record = records_of(assessment).get(transition="require")
    assert "sexual violence" in record.reason


@pytest.mark.time_machine(london(2026, 8, 28, 11, 30), tick=False)
def test_the_immediate_assessment_skips_a_bank_holiday():
    # Friday 28 August 2026; Monday 31 August is the summer bank holiday in England.
    referral = referral_with(SEXUAL_VIOLENCE)
    deadline = deadline_of(immediate_of(referral), status="running")
    assert deadline.due_at == london(2026, 9, 1, 17, 0)


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)  # a Monday
def test_exploitation_referral_starts_the_five_working_day_clock_and_the_lead_takes_it():
    referral = referral_with(EXPLOITATION)
    assessment = RiskAssessment.objects.get(case=referral)
    assert assessment.kind == RiskKind.EXPLOITATION
    assert clocks(assessment) == {
        "exploitation_risk_assessment": [("running", london(2026, 11, 30, 17, 0), None)]
    }
    referral = allocated(referral)
    deadline = deadline_of(assessment, status="running")
    assert deadline.owner == referral.people["practitioner"]
    assert deadline.team == referral.people["team"]


def test_other_harm_starts_no_risk_assessment():
    referral = referral_with(OTHER_HARM)
    assert not RiskAssessment.objects.filter(case=referral).exists()


def test_sexual_violence_and_exploitation_start_both():
    referral = referral_with(SEXUAL_VIOLENCE + EXPLOITATION)
    kinds = sorted(RiskAssessment.objects.filter(case=referral).values_list("kind", flat=True))
    assert kinds == ["exploitation", "immediate"]


# Completing, reviewing and closing through the pages.


@pytest.mark.time_machine(london(2026, 11, 20, 10, 0), tick=False)
def test_the_dsl_completes_reviews_and_closes_it_and_the_clocks_follow(time_machine, client):
    referral = referral_with(SEXUAL_VIOLENCE)
    dsl = referral.people["dsl"]
    assessment = immediate_of(referral)

    time_machine.move_to(london(2026, 11, 23, 10, 0))  # Monday, on time
    client.force_login(dsl)
    page = client.get(detail_url(assessment))
    assert page.status_code == 200
    assert "Complete the risk and needs assessment" in page.content.decode()
    response = client.post(detail_url(assessment), form_data(version=assessment.version))
    assert response.status_code == 302 and response.url == detail_url(assessment)
    assessment.refresh_from_db()
    assert assessment.state == "completed"
    assert assessment.completed_by == dsl and assessment.completed_by_role == "school"
    assert assessment.measures == ["separate_classes", "transport", "trusted_adult"]
    assert assessment.risk_level == "high"
    assert assessment.review_on == dt.date(2026, 12, 21)
    assert assessment.victim.startswith("Wants to stay")
    assert clocks(assessment) == {
        "immediate_risk_assessment": [("met", london(2026, 11, 23, 17, 0), True)],
        "risk_assessment_review": [("running", london(2026, 12, 21, 17, 0), None)],
    }
    page = client.get(detail_url(assessment)).content.decode()
    assert "Completed, under review" in page
    assert "Review this risk assessment" in page
    assert "Complete the risk and needs assessment" not in page

    # A review is kept and restarts the review clock; the old one is met.
    time_machine.move_to(london(2026, 12, 2, 10, 0))
    client.force_login(dsl)
    url = reverse("risk_assessment_review", args=[referral.pk, assessment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, review_data(assessment.version))
    assert response.status_code == 302
    review = RiskReview.objects.get(assessment=assessment)
    assert review.reviewed_by == dsl and review.risk_level == "medium"
    assert review.young_people_say.startswith("She says")
    assert review.next_review_on == dt.date(2026, 12, 23)
    assessment.refresh_from_db()
    assert assessment.state == "completed" and assessment.risk_level == "medium"
    assert assessment.measures == ["separate_classes", "trusted_adult"]
    assert clocks(assessment)["risk_assessment_review"] == [
        ("met", london(2026, 12, 21, 17, 0), True),
        # 20 working days over Christmas and New Year's Day.
        ("running", london(2027, 1, 4, 17, 0), None),
    ]
    page = client.get(detail_url(assessment)).content.decode()
    assert "Review of 2 Dec 2026" in page and "moved bus route" in page

    # Closing stops the review clock.
    time_machine.move_to(london(2026, 12, 10, 10, 0))
    client.force_login(dsl)
    url = reverse("risk_assessment_close", args=[referral.pk, assessment.pk])
    response = client.post(
        url,
        {"version": assessment.version, "reason": "Risk reduced; measures kept informally."},
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == "closed"
    assert assessment.closed_reason.startswith("Risk reduced")
    assert [c[0] for c in clocks(assessment)["risk_assessment_review"]] == ["met", "met"]
    assert not deadlines_of(assessment, status="running").exists()
    transitions = list(records_of(assessment).order_by("at", "pk").values_list("transition", "by"))
    assert transitions == [
        ("require", dsl.pk),
        ("complete", dsl.pk),
        ("review", dsl.pk),
        ("close", dsl.pk),
    ]


@pytest.mark.time_machine(london(2026, 11, 20, 10, 0), tick=False)
def test_a_late_completion_is_met_late(time_machine):
    referral = referral_with(SEXUAL_VIOLENCE)
    time_machine.move_to(london(2026, 11, 24, 9, 0))  # Tuesday: overdue
    assessment = completed(referral)
    assert clocks(assessment)["immediate_risk_assessment"] == [
        ("met", london(2026, 11, 23, 17, 0), False)
    ]


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_the_lead_practitioner_completes_the_exploitation_assessment(client):
    referral = allocated(referral_with(EXPLOITATION))
    practitioner = referral.people["practitioner"]
    assessment = RiskAssessment.objects.get(case=referral)
    client.force_login(practitioner)
    response = client.post(detail_url(assessment), form_data(version=assessment.version))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.completed_by == practitioner
    assert assessment.completed_by_role == "practitioner"
    assert clocks(assessment)["exploitation_risk_assessment"][0][0] == "met"
    assert clocks(assessment)["risk_assessment_review"][0][0] == "running"


# Case by case.


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_considering_case_by_case_records_not_needed_with_its_reason_and_no_clock(client):
    referral = referral_with(OTHER_HARM)
    client.force_login(referral.people["dsl"])
    url = reverse("risk_assessment_consider", args=[referral.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"needed": "no", "reason": "Name-calling, addressed in class; no one at risk."}
    )
    assert response.status_code == 302
    assert response.url == reverse("risk_assessment_list", args=[referral.pk])
    assessment = RiskAssessment.objects.get(case=referral)
    assert assessment.kind == "case_by_case" and assessment.state == "not_required"
    assert assessment.reason.startswith("Name-calling")
    record = records_of(assessment).get(transition="find_not_required")
    assert record.by == referral.people["dsl"] and record.reason.startswith("Name-calling")
    assert not deadlines_of(assessment).exists()
    page = client.get(reverse("risk_assessment_list", args=[referral.pk])).content.decode()
    assert "Considered: not required" in page


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_considering_case_by_case_as_needed_starts_one_to_complete(client):
    referral = referral_with(OTHER_HARM)
    client.force_login(referral.people["dsl"])
    response = client.post(
        reverse("risk_assessment_consider", args=[referral.pk]),
        {"needed": "yes", "reason": "Harassment on the bus is repeated and escalating."},
    )
    assessment = RiskAssessment.objects.get(case=referral)
    assert response.status_code == 302 and response.url == detail_url(assessment)
    assert assessment.state == "required"
    assert not deadlines_of(assessment).exists()
    client.post(detail_url(assessment), form_data(version=assessment.version))
    assessment.refresh_from_db()
    assert assessment.state == "completed"
    assert list(clocks(assessment)) == ["risk_assessment_review"]


def test_considering_needs_a_decision_and_a_reason(client):
    referral = referral_with(OTHER_HARM)
    client.force_login(referral.people["dsl"])
    url = reverse("risk_assessment_consider", args=[referral.pk])
    page = client.post(url, {"reason": ""}).content.decode()
    assert "There is a problem" in page and "Select whether a risk assessment is needed" in page
    page = client.post(url, {"needed": "no", "reason": "  "}).content.decode()
    assert "Say why a risk assessment is or is not needed" in page
    assert not RiskAssessment.objects.filter(case=referral).exists()


# Refusals: incomplete, not allowed, stale.


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"risk_level": "", "risk_reasons": "", "victim": "", "measures": [], "review_on": None},
            [
                "Choose the risk level",
                "Give the reasons for the risk level",
                "Say what the victim needs and wants",
                "Choose at least one measure",
                "Enter the next review date",
            ],
        ),
        ({"review_on": dt.date(2026, 11, 1)}, ["The next review date must be in the future"]),
        ({"risk_level": "extreme"}, ["Choose a risk level from the list"]),
        ({"measures": ["curfew"]}, ["Choose measures from the list"]),
        ({"victim": "<script>alert(1)</script>"}, ["Remove the markup"]),
    ],
)
@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_incomplete_answers_are_refused_with_messages_and_change_nothing(client, changes, messages):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = immediate_of(referral)
    before = snapshot(assessment)
    client.force_login(referral.people["dsl"])
    response = client.post(detail_url(assessment), form_data(answers(**changes), version=0))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    for message in messages:
        assert message in page
    assert snapshot(assessment) == before


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2027", "Next review date must be a real date"),
        ("12", "", "2027", "Next review date must include a month"),
        ("x", "1", "2027", "Next review date must be a real date"),
    ],
)
def test_a_date_that_is_not_real_is_refused(client, day, month, year, message):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = immediate_of(referral)
    before = snapshot(assessment)
    client.force_login(referral.people["dsl"])
    data = form_data(version=0)
    data.update(review_on_day=day, review_on_month=month, review_on_year=year)
    page = client.post(detail_url(assessment), data).content.decode()
    assert message in page
    assert 'href="#id_review_on"' in page and 'id="id_review_on"' in page  # the summary's link
    assert snapshot(assessment) == before


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_an_incomplete_review_is_refused_and_changes_nothing(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = completed(referral)
    before = snapshot(assessment)
    client.force_login(referral.people["dsl"])
    url = reverse("risk_assessment_review", args=[referral.pk, assessment.pk])
    data = review_data(assessment.version, what_changed="", risk_level="")
    data.update(next_review_on_day="", next_review_on_month="", next_review_on_year="")
    page = client.post(url, data).content.decode()
    assert "Choose the risk level now" in page
    assert "Say what has changed since the last review" in page
    assert "Enter a next review date in the future" in page
    assert snapshot(assessment) == before


def test_closing_needs_a_reason_and_an_immediate_assessment_completed_first(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = immediate_of(referral)
    before = snapshot(assessment)
    client.force_login(referral.people["dsl"])
    url = reverse("risk_assessment_close", args=[referral.pk, assessment.pk])
    page = client.post(url, {"version": 0, "reason": ""}).content.decode()
    assert "Say why the risk assessment can close" in page
    page = client.post(url, {"version": 0, "reason": "Pupil has left."}).content.decode()
    assert "must be completed before it can close" in page
    assert snapshot(assessment) == before
    # And the detail page does not offer it.
    assert "Close this risk assessment" not in client.get(detail_url(assessment)).content.decode()


def test_an_exploitation_assessment_still_required_can_close_with_a_reason():
    referral = referral_with(EXPLOITATION)
    assessment = RiskAssessment.objects.get(case=referral)
    risk_services.risk_close(
        assessment=assessment, by=referral.people["dsl"], reason="Police lead the response."
    )
    assert clocks(assessment)["exploitation_risk_assessment"][0][0] == "cancelled"


def _urls(referral, assessment):
    args = [referral.pk, assessment.pk]
    return [
        reverse("risk_assessment_list", args=[referral.pk]),
        reverse("risk_assessment_consider", args=[referral.pk]),
        reverse("risk_assessment_detail", args=args),
        reverse("risk_assessment_review", args=args),
        reverse("risk_assessment_close", args=args),
    ]


def test_another_schools_dsl_gets_404_everywhere(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = completed(referral)
    before = snapshot(assessment)
    client.force_login(referral.people["other_dsl"])
    for url in _urls(referral, assessment):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"version": assessment.version}).status_code == 404, url
    assert snapshot(assessment) == before
    assert not CaseAccessLog.objects.filter(user=referral.people["other_dsl"]).exists()


def test_an_assessment_of_another_case_is_404(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    other = immediate_of(referral_with(SEXUAL_VIOLENCE, school=referral.school))
    client.force_login(referral.people["dsl"])
    url = reverse("risk_assessment_detail", args=[referral.pk, other.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["front_door", "panel_member"])
def test_front_door_and_panel_members_read_but_may_not_act(client, who):
    referral = referral_with(SEXUAL_VIOLENCE)
    people = referral.people
    from referrals import services

    services.referral_accept_to_panel(
        referral=referral, by=people["front_door"], panel=people["panel"], reason="Meets it."
    )
    required = immediate_of(referral)
    before = snapshot(required)
    client.force_login(people[who])
    page = client.get(detail_url(required))
    assert page.status_code == 200
    assert "Complete the risk and needs assessment" not in page.content.decode()
    listing = client.get(reverse("risk_assessment_list", args=[referral.pk])).content.decode()
    assert "Consider whether a risk assessment is needed" not in listing
    assert client.post(detail_url(required), form_data(version=0)).status_code == 403
    for url in _urls(referral, required)[1:]:
        assert client.post(url, {"version": 0, "reason": "x", "needed": "no"}).status_code == 403
    assert snapshot(required) == before
    assert not RiskAssessment.objects.filter(case=referral, kind="case_by_case").exists()
    with pytest.raises(NotAllowed):
        risk_services.risk_complete(assessment=required, by=people[who], values=answers())


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)
def test_a_stale_version_is_refused_and_changes_nothing(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = completed(referral)
    loaded = assessment.version
    # Someone else reviews it after this person loaded the review page.
    risk_services.risk_review(
        assessment=assessment,
        by=referral.people["dsl"],
        risk_level="low",
        measures=["trusted_adult"],
        what_changed="Things are calmer.",
        young_people_say="",
        next_review_on=timezone.localdate() + dt.timedelta(days=14),
    )
    before = snapshot(assessment)
    client.force_login(referral.people["dsl"])
    url = reverse("risk_assessment_review", args=[referral.pk, assessment.pk])
    page = client.post(url, review_data(loaded)).content.decode()
    assert "changed while you were working on it" in page
    assert snapshot(assessment) == before
    page = client.post(
        reverse("risk_assessment_close", args=[referral.pk, assessment.pk]),
        {"version": loaded, "reason": "Done."},
    ).content.decode()
    assert "changed while you were working on it" in page
    assert snapshot(assessment) == before
    with pytest.raises(ChangedUnderYou):
        risk_services.risk_close(
            assessment=assessment,
            by=referral.people["dsl"],
            reason="x",
            expected_version=loaded,
        )


def test_completing_twice_is_refused(client):
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = completed(referral)
    before = snapshot(assessment)
    client.force_login(referral.people["dsl"])
    page = client.post(detail_url(assessment), form_data(version=assessment.version))
    assert page.status_code == 200
    assert "cannot do that now" in page.content.decode()
    assert snapshot(assessment) == before


def test_the_services_refuse_incomplete_answers():
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = immediate_of(referral)
    with pytest.raises(Incomplete) as refused:
        risk_services.risk_complete(
            assessment=assessment, by=referral.people["dsl"], values=answers(risk_reasons=" ")
        )
    assert set(refused.value.problems) == {"risk_reasons"}


@pytest.mark.time_machine(london(2026, 11, 23, 10, 0), tick=False)  # Monday
def test_a_review_date_later_than_the_review_clock_is_refused_and_changes_nothing():
    referral = referral_with(SEXUAL_VIOLENCE)
    assessment = immediate_of(referral)
    values = {**answers(), "review_on": dt.date(2026, 12, 22)}  # clock: 21 December
    with pytest.raises(Incomplete) as refused:
        risk_services.risk_complete(assessment=assessment, by=referral.people["dsl"], values=values)
    assert "Review it by 21 December 2026 at the latest" in refused.value.problems["review_on"]
    assessment.refresh_from_db()
    assert assessment.state == "required" and assessment.review_on is None
    assert not Deadline.objects.filter(timescale__key="risk_assessment_review").exists()
