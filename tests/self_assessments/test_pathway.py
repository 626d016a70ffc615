"""The school's pathway: a panel's Beyond Referrals decision starts the school's
self-assessment and its 30-working-day clock; the DSL completes it in the browser's pages;
another school's DSL cannot see it; the practitioner reviews it and turns two red themes into
actions on the case plan."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from casework.errors import NotAllowed
from notifications.models import Deadline
from panels import services as panel_services
from referrals.models import SchoolReferral, TransitionRecord
from self_assessments import gaps, services
from self_assessments.models import GapAction, Item, SelfAssessment
from tests.accounts.factories import SchoolFactory, dsl_of
from tests.dates import date_parts
from tests.panels.factories import awaiting_panel, decision_args
from tests.self_assessments.factories import answer_all, pathway_audit

pytestmark = pytest.mark.django_db


def deadline(audit, key="self_assessment"):
    return Deadline.objects.get(
        subject_type=ContentType.objects.get_for_model(SelfAssessment),
        subject_id=audit.pk,
        timescale__key=key,
    )


def test_beyond_referrals_decision_starts_the_school_self_assessment_and_its_clock():
    audit = pathway_audit()
    referral = audit.case
    assert audit.state == "in_progress"
    assert audit.school == referral.school and audit.authority == referral.school.authority
    assert audit.instrument.key == "beyond-referrals-multi-agency"
    record = TransitionRecord.objects.get(
        content_type=ContentType.objects.get_for_model(SelfAssessment), object_id=audit.pk
    )
    assert (record.case, record.from_state, record.to_state) == (referral, "", "in_progress")
    clock = deadline(audit)
    assert clock.status == "running" and clock.owner_role == "dsl"
    assert clock.timescale.period == 30
    assert SchoolReferral.objects.get(pk=referral.pk).state == "decided"


def test_other_pathways_start_no_self_assessment():
    referral = awaiting_panel()
    panel_services.decision_record(
        referral=referral, by=referral.people["panel_member"], **decision_args(referral)
    )
    assert not SelfAssessment.objects.exists()


def test_a_step_that_keeps_the_pathway_keeps_the_open_audit():
    audit = pathway_audit()
    case = audit.case
    case.people = audit.people
    panel_services.decision_step(
        previous=case.decisions.get(),
        by=audit.people["panel_member"],
        change_reason="More incidents reported",
        **decision_args(case, level="child_protection", pathway="beyond_referrals"),
    )
    assert SelfAssessment.objects.filter(case=audit.case).count() == 1


def form_data(audit, section_position, choices, version):
    items = Item.objects.filter(instrument=audit.instrument, section__position=section_position)
    data = {"version": version, "continue": "1"}
    for item in items:
        data[f"item-{item.pk}-choice"] = choices.get(item.number, "green")
        data[f"item-{item.pk}-evidence"] = ["behaviour_logs", "policy_review"]
        data[f"item-{item.pk}-note"] = f"Evidence for {item.number}"
    return data


def test_dsl_completes_it_another_school_cannot_see_it_and_the_practitioner_plans(client):
    audit = pathway_audit()
    people = audit.people
    dsl, practitioner = people["dsl"], people["practitioner"]
    client.force_login(dsl)
    url = f"/self-assessments/{audit.pk}/"

    # The DSL finds it in their list and answers the first lever, saving part-way.
    listing = client.get("/self-assessments/")
    assert audit.title in listing.content.decode()
    page = client.get(f"{url}sections/1/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "GREEN" in body and "AMBER" in body and "RED" in body
    assert "Contextual Safeguarding Network" in body  # attribution wherever it appears
    response = client.post(
        f"{url}sections/1/", {**form_data(audit, 1, {"1.3": "red"}, 0), "continue": ""}
    )
    assert response.status_code == 302
    assert SchoolReferral.objects.get(pk=audit.case_id).state == "in_progress"  # work started

    # Submitting too early is refused, listing what is missing.
    response = client.post(f"{url}submit/", {"version": 1})
    assert response.status_code == 200
    assert "14 items are not answered yet" in response.content.decode()

    # The other three levers; theme 4.2 is red too.
    for position, version in ((2, 1), (3, 2), (4, 3)):
        response = client.post(
            f"{url}sections/{position}/", form_data(audit, position, {"4.2": "red"}, version)
        )
        assert response.status_code == 302
    response = client.post(f"{url}submit/", {"version": 4})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.state == "submitted" and audit.submitted_by == dsl
    assert deadline(audit).status == "met" and deadline(audit).on_time

    # Another school's DSL cannot see it, nor download it.
    stranger = dsl_of(SchoolFactory(authority=audit.authority))
    client.force_login(stranger)
    for page in ("", "sections/1/", "submit/", "print/", "export.csv", "export.xlsx"):
        assert client.get(url + page).status_code == 404, page
    assert audit.title not in client.get("/self-assessments/").content.decode()

    # The DSL cannot review their own self-assessment.
    client.force_login(dsl)
    assert client.get(f"{url}review/").status_code == 403

    # The practitioner reviews it and turns the two red themes into case plan actions.
    client.force_login(practitioner)
    page = client.get(f"{url}review/")
    assert page.status_code == 200
    red = {
        i.number: i
        for i in Item.objects.filter(instrument=audit.instrument, number__in=["1.3", "4.2"])
    }
    due = timezone.localdate() + dt.timedelta(days=30)
    data = {"version": audit.version, "note": "Agreed with the DSL on 3 March."}
    for item in red.values():
        data |= {
            f"gap-{item.pk}-add": "on",
            f"gap-{item.pk}-what": f"Close the gap on {item.title}",
            f"gap-{item.pk}-owner": str(dsl.pk),
            **date_parts(f"gap-{item.pk}-due_on", due),
        }
    response = client.post(f"{url}review/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    audit.refresh_from_db()
    assert audit.state == "reviewed" and audit.reviewed_by == practitioner
    plan = audit.case.plans.get()
    actions = list(plan.actions.order_by("what"))
    assert [a.what for a in actions] == sorted(
        [f"Close the gap on {red['1.3'].title}", f"Close the gap on {red['4.2'].title}"]
    )
    assert all(a.owner == dsl for a in actions)
    assert all("rated RED" in a.why for a in actions)
    assert any(red["1.3"].title in a.why for a in actions)
    assert GapAction.objects.filter(assessment=audit).count() == 2
    detail = client.get(url).content.decode()
    assert detail.count("On the case plan") == 2

    # A gap becomes an action once only.
    with pytest.raises(NotAllowed, match="already been turned into a plan action"):
        gaps.gap_action_add(
            assessment=audit,
            item=red["1.3"],
            by=practitioner,
            what="Again",
            due_on=timezone.localdate(),
            owner=dsl,
        )


def test_review_with_an_incomplete_action_records_nothing(client):
    audit = pathway_audit()
    people = audit.people
    audit = answer_all(audit, people["dsl"], overrides={"2.1": "red"})
    audit = services.self_assessment_submit(assessment=audit, by=people["dsl"])
    item = Item.objects.get(instrument=audit.instrument, number="2.1")
    client.force_login(people["practitioner"])
    response = client.post(
        f"/self-assessments/{audit.pk}/review/",
        {"version": audit.version, "note": "Reviewed.", f"gap-{item.pk}-add": "on"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter what will be done" in body and "Enter the date it is due" in body
    audit.refresh_from_db()
    assert audit.state == "submitted"
    assert not audit.case.plans.exists()


def test_only_case_workers_review_and_only_gaps_become_actions():
    audit = pathway_audit()
    people = audit.people
    audit = answer_all(audit, people["dsl"], overrides={"1.1": "amber"})
    audit = services.self_assessment_submit(assessment=audit, by=people["dsl"])
    with pytest.raises(NotAllowed):
        services.self_assessment_review(assessment=audit, by=people["dsl"], note="Fine.")
    green = Item.objects.get(instrument=audit.instrument, number="1.2")
    audit = services.self_assessment_review(
        assessment=audit, by=people["practitioner"], note="Agreed."
    )
    with pytest.raises(NotAllowed, match="not a gap"):
        gaps.gap_action_add(
            assessment=audit,
            item=green,
            by=people["practitioner"],
            what="Nothing",
            due_on=timezone.localdate(),
            owner=people["dsl"],
        )
    amber = Item.objects.get(instrument=audit.instrument, number="1.1")
    action = gaps.gap_action_add(
        assessment=audit,
        item=amber,
        by=people["practitioner"],
        what="Promote the referral pathway to schools",
        due_on=timezone.localdate() + dt.timedelta(days=14),
        owner_contact="Jo Bloggs, education safeguarding lead",
    )
    assert action.plan.case_id == audit.case_id and "rated AMBER" in action.why


def test_a_step_down_below_threshold_closes_the_case_and_stops_the_audit():
    audit = pathway_audit()
    case = audit.case
    case.people = audit.people
    panel_services.decision_step(
        previous=case.decisions.get(),
        by=audit.people["panel_member"],
        change_reason="The school's own measures have worked; it can manage this now.",
        **decision_args(case, level="below_threshold", pathway="manage_internally"),
    )
    assert SchoolReferral.objects.get(pk=case.pk).state == "closed"
    audit.refresh_from_db()
    assert audit.state == "closed"  # an unfinished audit stops as closed
    record = TransitionRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(SelfAssessment), object_id=audit.pk
    ).latest("at")
    # The step down stops it with the panel's reason, before the case closes.
    assert record.transition == "stop" and record.reason == (
        "The panel's new decision changes the pathway to School manages internally, with "
        "advice: The school's own measures have worked; it can manage this now."
    )
    assert deadline(audit).status == "cancelled"
    # The DSLs can no longer answer it.
    with pytest.raises(NotAllowed):
        services.answers_save(
            assessment=audit, by=audit.people["dsl"], answers={}, expected_version=audit.version
        )


def test_the_migration_corrects_old_rows_and_clocks_a_stop_had_marked_met():
    import importlib

    from django.apps import apps

    from notifications.models import Timescale

    migration = importlib.import_module(
        "notifications.migrations.0006_self_assessment_stop_is_not_met"
    )
    audit = pathway_audit()
    case = audit.case
    case.people = audit.people
    # As an authority seeded before the fix: a stop marked the clock met.
    Timescale.objects.filter(key="self_assessment").update(met_states=migration.OLD)
    panel_services.decision_step(
        previous=case.decisions.get(),
        by=audit.people["panel_member"],
        change_reason="Children's Social Care will assess instead.",
        **decision_args(case, pathway="school_assessment"),
    )
    assert deadline(audit).status == "met"
    migration.forwards(apps, None)
    assert all(
        t.met_states == ["submitted"] for t in Timescale.objects.filter(key="self_assessment")
    )
    clock = deadline(audit)
    assert clock.status == "cancelled" and clock.on_time is None


def test_a_submitted_school_self_assessment_closes_only_after_its_review():
    audit = pathway_audit()
    people = audit.people
    answer_all(audit, people["dsl"])
    audit = services.self_assessment_submit(
        assessment=SelfAssessment.objects.get(pk=audit.pk), by=people["dsl"]
    )
    audit.people = people
    with pytest.raises(NotAllowed, match="Review the school's self-assessment first"):
        services.self_assessment_close(
            assessment=audit, by=audit.people["practitioner"], reason="Done with it."
        )
    assert SelfAssessment.objects.get(pk=audit.pk).state == "submitted"


def test_an_audit_stopped_before_it_was_submitted_is_never_the_one_compared_with():
    """The next audit of a school compares with its last submitted one: an audit the panel
    stopped before the school submitted it (closed, never submitted) has nothing to compare."""
    first = pathway_audit()
    dsl = first.people["dsl"]
    first = services.self_assessment_submit(assessment=answer_all(first, dsl), by=dsl)
    # Another case of the same school whose audit stopped unsubmitted, started later.
    stopped = pathway_audit()
    SelfAssessment.objects.filter(pk=stopped.pk).update(
        school=first.school, state="closed", submitted_at=None
    )
    assert services._previous(instrument=first.instrument, school=first.school) == first
