"""One gate for every read (casework.reads): every URL of the project is walked as someone
who may use it. A page that shows a case writes exactly one CaseAccessLog row per case it
shows, with the view's name as the page, and is not cacheable; a redirect, a refusal, a
list or a page about no case writes nothing. A URL added without an entry in VISITS (or a
reason in SKIPPED) fails the walk, so a new page cannot be forgotten."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from accounts.models import AuthorityRole
from casework import reads
from notifications.models import Notification
from panels import services as panel_services
from referrals import services
from referrals.models import CaseAccessLog, SchoolReferral
from referrals.risks import services as risk_services
from safety_summits.summit import follow_up as summit_follow_up
from school_assessments import services as sa_services
from school_assessments.choices import Domain
from school_assessments.models import SchoolAssessment
from self_assessments import gaps as self_gaps
from self_assessments import services as self_services
from self_assessments.models import ImprovementAction, Item, SelfAssessment
from tests.accounts.factories import (
    LocalAuthorityFactory,
    SchoolFactory,
    authority_role,
    dsl_of,
)
from tests.panels.factories import awaiting_panel, decision_args, meeting_for
from tests.panels.test_documents import approved
from tests.referrals.factories import draft, submitted
from tests.referrals.plan_factories import plan_with_actions
from tests.safety_summits import factories as pm
from tests.safety_summits import summit_factories as su
from tests.school_assessments.factories import add_method, fill_domain, write_findings
from tests.self_assessments.factories import (
    answer_all,
    nspcc,
    partnership_people,
    pathway_audit,
)

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]

# URLs the walk does not visit, each with why it shows no case content.
SKIPPED = {
    "admin": "the configuration site (schools, panels, teams, people, indicators): it "
    "registers no case record",
    "login": "signing in shows no case",
    "logout": "signing out shows no case",
    "mfa_setup": "the second step of signing in shows no case",
    "mfa_verify": "the second step of signing in shows no case",
    "keep_alive": "Stay signed in: starts the idle clock again, shows nothing",
    "admin_sign_in": "a redirect to signing in, or a page saying the configuration is not yours",
    "password_change": "changing your own password shows no case",
    "password_change_done": "changing your own password shows no case",
    "password_reset": "asking for a reset link shows no case, to nobody signed in",
    "password_reset_done": "asking for a reset link shows no case, to nobody signed in",
    "password_reset_confirm": "setting a new password from the link shows no case",
    "password_reset_complete": "setting a new password from the link shows no case",
    "healthz": "machine health for the load balancer, for nobody signed in",
}


def url_names(patterns=None, namespace=""):
    """Every URL name of the project, with whether its pattern takes arguments; a
    namespaced include (the admin) is one entry, under its namespace."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace:
                found[pattern.namespace] = True
            else:
                found.update(url_names(pattern.url_patterns, namespace))
        elif pattern.name:
            found[pattern.name] = bool(pattern.pattern.converters)
    return found


def _no_kwargs(w):
    return {}


def _nothing(w):
    return []


@dataclass(frozen=True)
class Visit:
    """One request: as `who`, to the URL with `kwargs`; the page shows the cases `shows`
    (it reads them through the gates, whatever it answers); it answers `status`."""

    who: Callable
    kwargs: Callable = _no_kwargs
    shows: Callable = _nothing
    method: str = "get"
    data: Callable = field(default=_no_kwargs)
    status: int = 200


def _version(model, pk):
    return model.objects.get(pk=pk).version


def _section_one(audit):
    return audit.instrument.sections.order_by("position").first().position


def _item(audit, number):
    return Item.objects.get(instrument=audit.instrument, number=number).pk


# --- the world -------------------------------------------------------------------------


def build_world(time_machine):
    """Cases in the states their pages need, built through the services:
    - `decided`: decided at the meeting `meeting` (in session) for a School Assessment, which
      is shared with the school; a risk assessment under way; its outcome letter;
    - `waiting`: the same school's next referral, on that meeting's agenda;
    - `draft` and `submitted` referrals of the same school;
    - `planned`: a case with an open plan and actions owned by the DSL and the police;
    - three school self-assessments (pathway audits): in progress, submitted, reviewed;
    - a partnership's submitted audit with an improvement action (no case at all);
    - two School Partnership Meetings: `meeting_pm` scheduled, prepared and with its record,
      and `held_pm` held (the clock moved past it, then back)."""
    w = SimpleNamespace()
    decided = awaiting_panel()
    people = decided.people
    w.dsl, w.chair, w.member = people["dsl"], people["panel_chair"], people["panel_member"]
    w.lead, w.front_door, w.panel = people["practitioner"], people["front_door"], people["panel"]
    w.manager, w.school = people["manager"], decided.school
    w.meeting = meeting_for(decided)
    panel_services.decision_record(
        referral=decided, by=w.member, meeting=w.meeting, **decision_args(decided)
    )
    w.decided = SchoolReferral.objects.get(pk=decided.pk)

    assessment = SchoolAssessment.objects.get(referral=w.decided)
    assessment.people = people
    assessment = sa_services.assessment_start(assessment=assessment, by=w.lead)
    assessment.people = people
    for domain in Domain.values:
        assessment = fill_domain(assessment, domain)
    assessment = add_method(assessment)
    assessment = add_method(assessment, participants="Year 10 boys")  # one is removed
    assessment = write_findings(assessment)
    assessment = sa_services.assessment_draft_findings(assessment=assessment, by=w.lead)
    w.assessment = sa_services.assessment_share(assessment=assessment, by=w.lead)
    w.method = w.assessment.methods.first()
    w.risk = risk_services.risk_consider(
        case=w.decided, by=w.dsl, needed=True, reason="Online harm: the school wants one."
    )

    waiting = submitted(w.school, w.dsl)
    w.waiting = services.referral_accept_to_panel(
        referral=waiting, by=w.front_door, panel=w.panel, reason="Meets the school threshold."
    )
    w.draft = draft(w.school, w.dsl)
    w.submitted = submitted(w.school, w.dsl)

    w.planned, w.plan, actions = plan_with_actions(owners=("dsl", "police"))
    w.plan_lead, w.police = w.planned.people["practitioner"], w.planned.people["police"]
    w.police_action = actions[1]

    w.audit_open = pathway_audit()
    w.audit_submitted = pathway_audit()
    people = w.audit_submitted.people
    answer_all(w.audit_submitted, people["dsl"], overrides={"1.1": "amber"})
    w.audit_submitted = self_services.self_assessment_submit(
        assessment=SelfAssessment.objects.get(pk=w.audit_submitted.pk), by=people["dsl"]
    )
    w.audit_submitted.people = people
    w.audit_reviewed = pathway_audit()
    people = w.audit_reviewed.people
    answer_all(w.audit_reviewed, people["dsl"])
    reviewed = self_services.self_assessment_submit(
        assessment=SelfAssessment.objects.get(pk=w.audit_reviewed.pk), by=people["dsl"]
    )
    w.audit_reviewed = self_services.self_assessment_review(
        assessment=reviewed, by=people["practitioner"], note="Reviewed with the DSL."
    )
    w.audit_reviewed.people = people

    authority = LocalAuthorityFactory()
    partners = partnership_people(authority)
    w.partnership_front_door, w.partnership_police = partners["front_door"], partners["police"]
    audit = self_services.partnership_audit_start(
        authority=authority, instrument=nspcc(), by=w.partnership_front_door
    )
    audit = answer_all(audit, w.partnership_front_door, choice="3", overrides={"2.4": "1"})
    w.partnership_audit = self_services.self_assessment_submit(
        assessment=audit, by=w.partnership_front_door
    )
    self_gaps.gap_action_add(
        assessment=w.partnership_audit,
        item=w.partnership_audit.instrument.items.get(number="2.4"),
        by=w.partnership_police,
        what="Audit PSHE provision across schools",
        due_on=timezone.localdate() + dt.timedelta(days=60),
        owner=w.partnership_police,
    )
    w.improvement_action = ImprovementAction.objects.get()

    w.duty_manager = authority_role(w.school.authority, AuthorityRole.DUTY_MANAGER)
    w.dpo = authority_role(w.school.authority, AuthorityRole.DATA_PROTECTION_OFFICER)
    w.notification = Notification.objects.filter(user=w.dsl).first()
    w.failed_email = Notification.objects.filter(user=w.lead).first()
    Notification.objects.filter(pk=w.failed_email.pk).update(
        email_status=Notification.Email.FAILED, email_error="550 No such mailbox"
    )
    w.meeting_pm = pm.recorded(pm.prepared(pm.scheduled()))
    w.held_pm = pm.held(pm.recorded(pm.prepared(pm.scheduled())), time_machine)
    time_machine.move_to(MONDAY, tick=False)
    w.planned_summit = su.planned_summit()
    w.summit = su.recorded_summit(su.scheduled_summit())
    w.held_summit = su.held_summit(su.recorded_summit(su.scheduled_summit()), time_machine)
    summit_follow_up.response_save(
        summit=w.held_summit,
        by=w.held_summit.people["practitioner"],
        you_said="The top corridor feels unsafe",
    )
    w.response = w.held_summit.responses.get()
    time_machine.move_to(MONDAY, tick=False)

    # Someone who may see none of it: a DSL of a school in another authority.
    w.stranger = dsl_of(SchoolFactory())
    return w


# --- what each URL is, as whom, and which cases it shows --------------------------------


def _decided(w):
    return [w.decided]


def _waiting(w):
    return [w.waiting]


def _planned(w):
    return [w.planned]


def _risk(w):
    return {"pk": w.decided.pk, "ra": w.risk.pk}


def _assessment(w):
    return {"pk": w.assessment.pk}


def _audit(name):
    def kwargs(w):
        return {"pk": getattr(w, name).pk}

    return kwargs


def _audit_case(name):
    def shows(w):
        return [getattr(w, name).case]

    return shows


def _audit_people(name, who):
    def person(w):
        return getattr(w, name).people[who]

    return person


MEETING = {"kwargs": lambda w: {"pk": w.meeting.pk}}


def _pm(name):
    """A School Partnership Meeting's page, as its lead (or `who`), showing its case."""

    def visit(who="practitioner", **extra):
        return Visit(
            lambda w: getattr(w, name).people[who],
            lambda w: {"pk": getattr(w, name).pk},
            lambda w: [getattr(w, name).referral],
            **extra,
        )

    return visit


PM, HELD_PM = _pm("meeting_pm"), _pm("held_pm")
# Student Safety Summits: being planned; scheduled with its record; held (a "you said, we
# did" row). A DSL of the other invited school reads the summit, and so opens its case.
PLANNED_SU, SU, HELD_SU = _pm("planned_summit"), _pm("summit"), _pm("held_summit")


def _su_post(name, kwargs, status=302):
    return Visit(
        lambda w: getattr(w, name).people["practitioner"],
        kwargs,
        method="post",
        data=lambda w: {"version": _version(type(getattr(w, name)), getattr(w, name).pk)},
        status=status,
    )


VISITS: dict[str, list[Visit]] = {
    # Lists and pages about no case: nothing is logged.
    "home": [Visit(lambda w: w.dsl, status=302)],  # to the referral list
    "inbox": [Visit(lambda w: w.dsl)],
    "notification_read": [
        Visit(lambda w: w.dsl, lambda w: {"pk": w.notification.pk}, method="post", status=302)
    ],
    "notifications_read_all": [Visit(lambda w: w.dsl, method="post", status=302)],
    "undelivered": [Visit(lambda w: w.duty_manager)],
    # The logs say which case (its reference), never what it says.
    "audit_log": [
        Visit(lambda w: w.dpo, lambda w, log=log: {"log": log})
        for log in ("reads", "exports", "security")
    ],
    "undelivered_try_again": [
        Visit(
            lambda w: w.duty_manager,
            lambda w: {"pk": w.failed_email.pk},
            method="post",
            status=302,
        )
    ],
    "my_deadlines": [Visit(lambda w: w.lead)],
    "team_deadlines": [Visit(lambda w: w.manager)],
    # Exports of lists: a list, so no case is opened; each is logged as an ExportLog.
    "my_deadlines_export": [
        Visit(lambda w: w.lead, lambda w, e=e: {"extension": e}) for e in ("csv", "xlsx")
    ],
    "team_deadlines_export": [
        Visit(lambda w: w.manager, lambda w, e=e: {"extension": e}) for e in ("csv", "xlsx")
    ],
    "referral_list_export": [
        Visit(lambda w: w.dsl, lambda w, e=e: {"extension": e}) for e in ("csv", "xlsx")
    ],
    "panels_home": [Visit(lambda w: w.chair)],
    "meeting_new": [Visit(lambda w: w.chair, lambda w: {"panel_pk": w.panel.pk})],
    # The panel's page lists the referrals waiting for it: a list, it opens none.
    "panel_detail": [Visit(lambda w: w.member, lambda w: {"panel_pk": w.panel.pk})],
    "conflict_new": [Visit(lambda w: w.member)],
    # The conflict form's school search: schools only (JSON), it opens no case.
    "conflict_school_search": [Visit(lambda w: w.member)],
    "referral_list": [Visit(lambda w: w.dsl)],
    "referral_start": [Visit(lambda w: w.dsl)],
    "front_door_queue": [Visit(lambda w: w.front_door)],
    "my_actions": [Visit(lambda w: w.police)],
    "caseload": [Visit(lambda w: w.lead)],
    "school_assessment_list": [Visit(lambda w: w.lead)],
    "self_assessment_list": [Visit(lambda w: w.dsl)],
    "partnership_audit_start": [Visit(lambda w: w.partnership_front_door)],
    "instrument_list": [Visit(lambda w: w.dsl)],
    "instrument_detail": [Visit(lambda w: w.dsl, lambda w: {"pk": w.audit_open.instrument_id})],
    "improvement_plan": [Visit(lambda w: w.partnership_police)],
    "improvement_action_done": [
        Visit(lambda w: w.partnership_police, lambda w: {"pk": w.improvement_action.pk})
    ],
    # The meeting's own forms and calendar file say nothing about any case.
    "meeting_open": [Visit(lambda w: w.chair, **MEETING)],
    "meeting_minutes_draft": [Visit(lambda w: w.chair, **MEETING)],
    "meeting_minutes_amend": [Visit(lambda w: w.chair, **MEETING)],
    "meeting_ics": [Visit(lambda w: w.member, **MEETING)],
    # The meeting is in session: it can no longer move or be cancelled, so back to its page.
    "meeting_reschedule": [Visit(lambda w: w.chair, status=302, **MEETING)],
    "meeting_cancel": [Visit(lambda w: w.chair, status=302, **MEETING)],
    # A refused approval (the meeting is still in session) goes back to the meeting page.
    "meeting_minutes_approve": [
        Visit(
            lambda w: w.chair, method="post", data=lambda w: {"version": "0"}, status=302, **MEETING
        )
    ],
    # The case and its own pages.
    "referral_detail": [Visit(lambda w: w.dsl, lambda w: {"pk": w.decided.pk}, _decided)],
    "referral_history": [Visit(lambda w: w.dsl, lambda w: {"pk": w.decided.pk}, _decided)],
    "referral_reallocate": [Visit(lambda w: w.manager, lambda w: {"pk": w.decided.pk}, _decided)],
    "referral_edit": [Visit(lambda w: w.dsl, lambda w: {"pk": w.draft.pk}, lambda w: [w.draft])],
    "referral_check": [Visit(lambda w: w.dsl, lambda w: {"pk": w.draft.pk}, lambda w: [w.draft])],
    "referral_act": [
        Visit(
            lambda w: w.front_door,
            lambda w: {"pk": w.submitted.pk, "action": "start_screening"},
            lambda w: [w.submitted],
        ),
        Visit(
            lambda w: w.dsl,
            lambda w: {"pk": w.submitted.pk, "action": "withdraw"},
            lambda w: [w.submitted],
        ),
    ],
    # The panel: the agenda shows the waiting case; the minutes the case decided there.
    "meeting_detail": [Visit(lambda w: w.chair, shows=_waiting, **MEETING)],
    "agenda_change": [
        Visit(
            lambda w: w.chair,
            lambda w: {"pk": w.meeting.pk, "referral_pk": w.waiting.pk, "kind": "urgent"},
            _waiting,
        )
    ],
    "decision_new": [
        Visit(
            lambda w: w.member,
            lambda w: {"pk": w.meeting.pk, "referral_pk": w.waiting.pk},
            _waiting,
        )
    ],
    "decision_step": [Visit(lambda w: w.member, lambda w: {"referral_pk": w.decided.pk}, _decided)],
    "meeting_minutes": [Visit(lambda w: w.member, shows=_decided, **MEETING)],
    "meeting_minutes_pdf": [Visit(lambda w: w.member, shows=_decided, **MEETING)],
    "outcome_letter": [Visit(lambda w: w.dsl, lambda w: {"pk": w.decided.pk}, _decided)],
    "outcome_letter_pdf": [Visit(lambda w: w.dsl, lambda w: {"pk": w.decided.pk}, _decided)],
    # Risk assessments.
    "risk_assessment_list": [Visit(lambda w: w.dsl, lambda w: {"pk": w.decided.pk}, _decided)],
    "risk_assessment_consider": [Visit(lambda w: w.dsl, lambda w: {"pk": w.decided.pk}, _decided)],
    "risk_assessment_detail": [Visit(lambda w: w.dsl, _risk, _decided)],
    "risk_assessment_review": [Visit(lambda w: w.dsl, _risk, _decided)],
    "risk_assessment_close": [Visit(lambda w: w.dsl, _risk, _decided)],
    # The plan and its actions; an action's owner with no access to the case is logged too.
    "case_plan": [Visit(lambda w: w.plan_lead, lambda w: {"pk": w.planned.pk}, _planned)],
    "plan_action_new": [Visit(lambda w: w.plan_lead, lambda w: {"pk": w.planned.pk}, _planned)],
    "plan_agree": [Visit(lambda w: w.plan_lead, lambda w: {"pk": w.planned.pk}, _planned)],
    "plan_review": [Visit(lambda w: w.plan_lead, lambda w: {"pk": w.planned.pk}, _planned)],
    "case_close": [Visit(lambda w: w.plan_lead, lambda w: {"pk": w.planned.pk}, _planned)],
    "plan_action": [
        Visit(lambda w: w.police, lambda w: {"action_pk": w.police_action.pk}, _planned)
    ],
    # A plan is open already: refused, and back to the plan.
    "plan_start": [
        Visit(
            lambda w: w.plan_lead,
            lambda w: {"pk": w.planned.pk},
            _planned,
            method="post",
            status=302,
        )
    ],
    "plan_aims": [
        Visit(
            lambda w: w.plan_lead,
            lambda w: {"pk": w.planned.pk},
            _planned,
            method="post",
            data=lambda w: {
                "aims": "Pupils feel safe.",
                "version": _version(type(w.plan), w.plan.pk),
            },
            status=302,
        )
    ],
    # The School Assessment (shared with the school, still editable by its lead).
    "school_assessment_for_case": [
        Visit(lambda w: w.lead, lambda w: {"referral_pk": w.decided.pk}, _decided, status=302)
    ],
    "school_assessment_detail": [Visit(lambda w: w.lead, _assessment, _decided)],
    "school_assessment_domain": [
        Visit(lambda w: w.lead, lambda w: {**_assessment(w), "domain": "guardianship"}, _decided)
    ],
    "school_assessment_section": [
        Visit(
            lambda w: w.lead,
            lambda w: {**_assessment(w), "section": "young-peoples-voice"},
            _decided,
        )
    ],
    "school_assessment_methods": [Visit(lambda w: w.lead, _assessment, _decided)],
    "school_assessment_survey": [Visit(lambda w: w.lead, _assessment, _decided)],
    "school_assessment_response": [Visit(lambda w: w.dsl, _assessment, _decided)],
    "school_assessment_report": [Visit(lambda w: w.dsl, _assessment, _decided)],
    "school_assessment_report_pdf": [Visit(lambda w: w.dsl, _assessment, _decided)],
    "school_assessment_remove": [
        Visit(
            lambda w: w.lead,
            lambda w: {**_assessment(w), "kind": "methods", "item_pk": w.method.pk},
            _decided,
            method="post",
            data=lambda w: {"version": _version(SchoolAssessment, w.assessment.pk)},
            status=302,
        )
    ],
    "school_assessment_act": [
        Visit(
            lambda w: w.lead,
            lambda w: {**_assessment(w), "action": "complete"},
            _decided,
            method="post",
            data=lambda w: {"version": _version(SchoolAssessment, w.assessment.pk)},
            status=302,
        )
    ],
    # School Partnership Meetings: scheduled (with its record), and held.
    "partnership_meeting_list": [Visit(lambda w: w.meeting_pm.people["practitioner"])],
    "partnership_meeting_detail": [PM(), PM("dsl"), HELD_PM()],
    "partnership_meeting_schedule": [PM()],
    "partnership_meeting_reschedule": [PM()],
    "partnership_meeting_agenda": [PM()],
    "partnership_meeting_cancel": [PM()],
    "partnership_meeting_pre_meeting": [PM("dsl")],
    "partnership_meeting_record": [PM()],
    "partnership_meeting_hold": [PM()],
    "partnership_meeting_ics": [PM("dsl")],
    "partnership_meeting_plan": [HELD_PM(), HELD_PM("dsl")],
    "partnership_meeting_plan_pdf": [HELD_PM("dsl")],
    "partnership_meeting_remove": [
        Visit(
            lambda w: w.meeting_pm.people["practitioner"],
            lambda w: {
                "pk": w.meeting_pm.pk,
                "kind": "discussions",
                "item_pk": w.meeting_pm.discussions.first().pk,
            },
            method="post",
            data=lambda w: {"version": _version(type(w.meeting_pm), w.meeting_pm.pk)},
            status=302,
        )
    ],
    "partnership_meeting_distribute": [
        HELD_PM(
            method="post",
            data=lambda w: {"version": _version(type(w.held_pm), w.held_pm.pk)},
            status=302,
        )
    ],
    "safety_summit_list": [Visit(lambda w: w.summit.people["practitioner"])],
    "safety_summit_detail": [SU(), SU("other_dsl"), HELD_SU(), HELD_SU("other_dsl")],
    "safety_summit_plan": [PLANNED_SU()],
    "safety_summit_schools": [PLANNED_SU()],
    "safety_summit_school_remove": [
        _su_post(
            "planned_summit",
            lambda w: {
                "pk": w.planned_summit.pk,
                "school_pk": w.planned_summit.people["other_school"].pk,
            },
        )
    ],
    "safety_summit_invitees": [PLANNED_SU()],
    "safety_summit_invitee_remove": [
        _su_post(
            "planned_summit",
            lambda w: {
                "pk": w.planned_summit.pk,
                "invitee_pk": w.planned_summit.invitees.first().pk,
            },
        )
    ],
    "safety_summit_schedule": [PLANNED_SU()],
    "safety_summit_reschedule": [SU()],
    "safety_summit_cancel": [SU()],
    "safety_summit_record": [SU()],
    "safety_summit_remove": [
        _su_post(
            "summit",
            lambda w: {"pk": w.summit.pk, "kind": "voices", "item_pk": w.summit.voices.first().pk},
        )
    ],
    "safety_summit_hold": [SU()],
    "safety_summit_response_add": [HELD_SU()],
    "safety_summit_response_edit": [
        Visit(
            lambda w: w.held_summit.people["practitioner"],
            lambda w: {"pk": w.held_summit.pk, "response_pk": w.response.pk},
            lambda w: [w.held_summit.referral],
        )
    ],
    "safety_summit_share": [_su_post("held_summit", lambda w: {"pk": w.held_summit.pk})],
    "safety_summit_refer_back": [HELD_SU()],
    "safety_summit_ics": [SU("other_dsl")],
    "safety_summit_report": [HELD_SU(), HELD_SU("other_dsl")],
    "safety_summit_report_pdf": [HELD_SU("other_dsl")],
    # School self-assessments belong to their case; a partnership's audit to none.
    "self_assessment_detail": [
        Visit(_audit_people("audit_open", "dsl"), _audit("audit_open"), _audit_case("audit_open")),
        Visit(lambda w: w.partnership_front_door, lambda w: {"pk": w.partnership_audit.pk}),
    ],
    "self_assessment_section": [
        Visit(
            _audit_people("audit_open", "dsl"),
            lambda w: {"pk": w.audit_open.pk, "position": _section_one(w.audit_open)},
            _audit_case("audit_open"),
        )
    ],
    "self_assessment_submit": [
        Visit(_audit_people("audit_open", "dsl"), _audit("audit_open"), _audit_case("audit_open"))
    ],
    "self_assessment_print": [
        Visit(_audit_people("audit_open", "dsl"), _audit("audit_open"), _audit_case("audit_open"))
    ],
    "self_assessment_export": [
        Visit(
            _audit_people("audit_open", "dsl"),
            lambda w, extension=extension: {"pk": w.audit_open.pk, "extension": extension},
            _audit_case("audit_open"),
        )
        for extension in ("csv", "xlsx")
    ],
    "self_assessment_review": [
        Visit(
            _audit_people("audit_submitted", "practitioner"),
            _audit("audit_submitted"),
            _audit_case("audit_submitted"),
        )
    ],
    "self_assessment_gap_action": [
        Visit(
            _audit_people("audit_submitted", "practitioner"),
            lambda w: {"pk": w.audit_submitted.pk, "item_pk": _item(w.audit_submitted, "1.1")},
            _audit_case("audit_submitted"),
        )
    ],
    "self_assessment_close": [
        Visit(
            _audit_people("audit_reviewed", "practitioner"),
            _audit("audit_reviewed"),
            _audit_case("audit_reviewed"),
        )
    ],
}


def _logged():
    return sorted(CaseAccessLog.objects.values_list("referral_id", "user_id", "page"))


def _request(client, visit, w, name):
    url = reverse(name, kwargs=visit.kwargs(w))
    if visit.method == "post":
        return client.post(url, visit.data(w))
    return client.get(url)


def test_every_url_is_walked_or_skipped_with_a_reason():
    names = url_names()
    assert set(SKIPPED) <= set(names), "SKIPPED names a URL that no longer exists"
    assert set(VISITS) <= set(names), "VISITS names a URL that no longer exists"
    forgotten = sorted(set(names) - set(VISITS) - set(SKIPPED))
    assert not forgotten, (
        f"Add these URLs to VISITS (who may use them, and which cases they show): {forgotten}"
    )
    assert not set(VISITS) & set(SKIPPED)


def test_each_page_that_shows_a_case_logs_one_row_per_case_and_nothing_else_does(
    client, time_machine
):
    w = build_world(time_machine)
    problems = []
    # Each GET first, on the world as built; then the POSTs, which may change it.
    walk = [(name, visit) for name, visits in VISITS.items() for visit in visits]
    walk.sort(key=lambda pair: pair[1].method == "post")
    for name, visit in walk:
        CaseAccessLog.objects.all().delete()
        user = visit.who(w)
        client.force_login(user)
        response = _request(client, visit, w, name)
        where = f"{visit.method.upper()} {name} {visit.kwargs(w)}"
        if response.status_code != visit.status:
            problems.append(f"{where}: answered {response.status_code}, not {visit.status}")
            continue
        shown = visit.shows(w) if visit.status == 200 else []
        expected = sorted((case.pk, user.pk, name) for case in shown)
        if _logged() != expected:
            problems.append(f"{where}: logged {_logged()}, not {expected}")
        if shown and "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{where}: case content without Cache-Control no-store")
        if visit.method == "get" and visit.shows(w):
            # Someone who may not see the case gets a 404, and nothing is logged.
            CaseAccessLog.objects.all().delete()
            client.force_login(w.stranger)
            refused = _request(client, visit, w, name)
            if refused.status_code != 404 or _logged():
                problems.append(f"{where}: a stranger got {refused.status_code}, {_logged()}")
    assert not problems, "\n".join(problems)


def test_the_longest_view_name_fits_the_page_field():
    width = CaseAccessLog._meta.get_field("page").max_length
    longest = max((n for n, _ in url_names().items() if n not in SKIPPED), key=len)
    assert len(longest) <= width, longest


def test_one_insert_for_every_case_on_the_agenda(client):
    first = awaiting_panel()
    meeting = meeting_for(first)
    people = first.people
    others = [
        services.referral_accept_to_panel(
            referral=submitted(first.school, people["dsl"]),
            by=people["front_door"],
            panel=people["panel"],
            reason="Meets the school threshold.",
        )
        for _ in range(2)
    ]
    client.force_login(people["panel_chair"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "referrals_caseaccesslog"')]
    assert len(inserts) == 1
    assert sorted(CaseAccessLog.objects.values_list("referral_id", flat=True)) == sorted(
        r.pk for r in [first, *others]
    )
    assert set(CaseAccessLog.objects.values_list("page", flat=True)) == {"meeting_detail"}


def _through_the_middleware(status, *cases):
    """A request through CaseReadLog to a view that opens `cases` and answers `status`."""
    user = dsl_of(SchoolFactory())
    request = RequestFactory().get("/referrals/1/")
    request.user = user
    request.resolver_match = resolve("/referrals/1/")

    def view(request):
        reads.opened_many(cases)
        return HttpResponse(status=status)

    return reads.CaseReadLog(view)(request), user


def test_a_case_opened_twice_in_one_request_is_logged_once():
    one, other = draft(), draft()
    response, user = _through_the_middleware(200, one, other, one)
    assert _logged() == sorted(
        [(one.pk, user.pk, "referral_detail"), (other.pk, user.pk, "referral_detail")]
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("status", [204, 302, 304, 403, 404, 500])
def test_a_response_that_shows_no_page_is_not_logged(status):
    response, _ = _through_the_middleware(status, draft())
    assert not CaseAccessLog.objects.exists()
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("status", [400, 409])
def test_a_page_shown_again_with_a_refusal_is_logged(status):
    """The School Assessment workspace answers 400 or 409 with the case on it."""
    case = draft()
    response, user = _through_the_middleware(status, case)
    assert _logged() == [(case.pk, user.pk, "referral_detail")]
    assert "no-store" in response["Cache-Control"]


def test_a_page_that_opens_no_case_is_neither_logged_nor_marked():
    response, _ = _through_the_middleware(200)
    assert not CaseAccessLog.objects.exists()
    assert not response.has_header("Cache-Control")


def test_approved_minutes_open_the_cases_they_name(client):
    referral = awaiting_panel()
    people = referral.people
    meeting = meeting_for(referral)
    panel_services.decision_record(
        referral=referral, by=people["panel_member"], meeting=meeting, **decision_args(referral)
    )
    approved(meeting, people["panel_chair"])
    client.force_login(people["panel_member"])
    response = client.get(reverse("meeting_minutes", args=[meeting.pk]), {"version": "1"})
    assert response.status_code == 200 and referral.reference in response.text
    assert list(CaseAccessLog.objects.values_list("referral_id", "page")) == [
        (referral.pk, "meeting_minutes")
    ]


def test_a_page_that_fails_after_opening_a_case_logs_nothing(client):
    referral = awaiting_panel()
    client.force_login(referral.people["dsl"])
    # The gate opens the case, then the view refuses: a decided case has no draft to edit.
    assert client.get(reverse("referral_edit", args=[referral.pk])).status_code == 403
    assert not CaseAccessLog.objects.exists()


def test_outside_a_request_opening_a_case_collects_nothing():
    referral = draft()
    reads.opened(referral)  # a command, a task, the digest: no request, no log
    assert reads._opened.get() is None
    assert not CaseAccessLog.objects.exists()
