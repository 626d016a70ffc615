"""Demo School Assessments, one at each stage after the panel's decision:

- in progress, its three domains and methods written, survey results in, and overdue (the
  referral came in more than 45 working days ago): red on the lists;
- shared with the school, with the school's response in its own words (the DSL sees it);
- completed, its report ready and the case plan being agreed.

The past North panel meeting's decision for a School Assessment (made by the demo command)
leaves a fourth one planned. All are led by the demo practitioner, in the demo team."""

import datetime as dt

from django.utils import timezone

from panels import services as panel_services
from referrals import services
from school_assessments import evidence
from school_assessments import services as assessment_services
from school_assessments.choices import Domain, Judgement
from school_assessments.models import SchoolAssessment

DOMAINS = {
    Domain.PUPIL_DEVELOPMENT: {
        "strengths": "Year 9 pupils look out for each other; peer mentors are trusted and "
        "the school council is active.",
        "concerns": "Sexualised comments between boys and girls have become normal in one "
        "friendship group, and pupils say reporting them is 'grassing'.",
        "evidence": "Focus groups with Year 9 girls and boys; pupil survey (212 responses).",
        "judgement": Judgement.SOME_CHANGE,
    },
    Domain.GUARDIANSHIP: {
        "strengths": "Pastoral staff know pupils well and respond quickly when told; the DSL "
        "is visible and trusted.",
        "concerns": "No adult on the top-floor corridor at lunchtime; staff respond to "
        "comments inconsistently, and some see them as banter.",
        "evidence": "Observation at lunchtime; staff focus group; behaviour log review.",
        "judgement": Judgement.SOME_CHANGE,
    },
    Domain.ENVIRONMENT_AND_FAMILY: {
        "strengths": "Parents are engaged through the parents' forum; the behaviour policy "
        "was reviewed this year.",
        "concerns": "The 4.10pm bus and the leisure-centre stop are unsupervised; the policy "
        "says little about online harm between pupils.",
        "evidence": "Policy review; parents' focus group; bus route observation.",
        "judgement": Judgement.SIGNIFICANT_CHANGE,
    },
}

METHODS = [
    (
        "focus_group_students",
        "8 Year 9 girls and a learning mentor",
        "Girls avoid the top corridor at lunchtime and the 4.10pm bus; they trust two staff.",
    ),
    (
        "focus_group_staff",
        "6 teachers, 2 teaching assistants and the head of year",
        "Staff agree on the corridor; some describe the comments as banter.",
    ),
    (
        "focus_group_parents",
        "5 parents and carers at the parents' forum",
        "Parents worry about the bus and group chats; want clear ways to raise concerns.",
    ),
    (
        "policy_review",
        "Lead practitioner and the DSL",
        "Behaviour policy reviewed in September; online harm between pupils not covered.",
    ),
    (
        "records_review",
        "Lead practitioner and the DSL",
        "Behaviour log September to December: 14 incidents, 9 on the top corridor.",
    ),
    (
        "survey",
        "212 pupils in Years 8 to 10 (68% response)",
        "Where pupils feel safe and unsafe in and around school.",
    ),
    (
        "observation",
        "Lead practitioner, with the deputy head",
        "Lunchtime and home time: no adult on the top corridor or at the bus stop.",
    ),
]

SURVEY = [
    ("Top-floor toilets", "unsafe", 42),
    ("4.10pm bus", "unsafe", 35),
    ("Top-floor corridor", "unsafe", 31),
    ("Leisure-centre bus stop", "unsafe", 24),
    ("Library", "safe", 81),
    ("Form rooms", "safe", 74),
    ("Canteen", "safe", 58),
]

VOICE = (
    "'The kids know where is bad. If adults listen they can do something about it' (Year 9 "
    "pupil). Pupils said the top corridor and the bus feel unsafe because no adults are "
    "there, and that they would tell the two pastoral staff they trust."
)
INVOLVEMENT = (
    "Pupils took part in focus groups and the survey; the school council helped word the "
    "survey and heard the results first. Parents and carers joined a focus group at the "
    "parents' forum and will hear the outcome by letter and at parents' evening."
)
FINDINGS = (
    "The school's strengths are its pastoral relationships and a trusted DSL. Harm "
    "concentrates where adults are absent: the top-floor corridor at lunchtime, the 4.10pm "
    "bus and the stop. Staff responses to sexualised comments vary, and the behaviour "
    "policy does not cover online harm between pupils."
)
RECOMMENDATIONS = (
    "1. Staff the top corridor at lunchtime and agree bus duty with the operator.\n"
    "2. Whole-staff training on responding to sexual harassment consistently.\n"
    "3. Add online harm between pupils to the behaviour policy, with the school council.\n"
    "4. Repeat the pupil safety survey in six weeks."
)


def build(p, *, then, at, answers):
    """Make three more decided School Assessment cases at the North panel and move each to
    its stage. `p` is the demo command's people and places; `then(days_ago, service,
    **kwargs)` runs a service as if that many working days ago."""
    dsl, fd, chair, lead = p["dsl"], p["frontdoor"], p["chair"], p["practitioner"]
    north0, north1 = p["north"][0], p["north"][1]
    north = p["panels"]["North"]

    def decided(school, submitted_ago, decided_ago):
        draft = then(submitted_ago, services.referral_start, school=school, by=dsl)
        draft = then(
            submitted_ago,
            services.referral_update_draft,
            referral=draft,
            by=dsl,
            data=answers,
            indicators=[],
            linked_children=[],
        )
        r = then(submitted_ago, services.referral_submit, referral=draft, by=dsl)
        r = then(
            submitted_ago - 1,
            services.referral_accept_to_panel,
            referral=r,
            by=fd,
            panel=north,
            reason="Harassment across a year group, in school and on transport: a school "
            "context concern for the panel.",
        )
        then(
            decided_ago,
            panel_services.decision_record,
            referral=r,
            by=chair,
            level="child_in_need",
            pathway="school_assessment",
            rationale="A pattern of harassment where adults are absent and respond "
            "inconsistently: a School Assessment with the school.",
            advice="Put an adult on the top corridor at lunchtime now.",
            lead_practitioner=lead,
            lead_team=p["team"],
            start_by=timezone.localdate() - dt.timedelta(days=1),
        )
        return SchoolAssessment.objects.get(referral=r)

    def step(days_ago, service, assessment, **kwargs):
        return then(days_ago, service, assessment=assessment, by=lead, **kwargs)

    def work(assessment, started_ago):
        """Start it and record what it found, in the days after the start."""
        a = step(started_ago, assessment_services.assessment_start, assessment)
        day = max(started_ago - 1, 1)
        for kind, participants, summary in METHODS:
            a = step(
                day,
                evidence.assessment_add_method,
                a,
                kind=kind,
                held_on=timezone.localdate(at(day)),
                participants=participants,
                summary=summary,
            )
        for place, feeling, percent in SURVEY:
            a = step(
                day,
                evidence.assessment_add_survey_result,
                a,
                place=place,
                feeling=feeling,
                percent=percent,
            )
        for domain, values in DOMAINS.items():
            a = step(day, assessment_services.assessment_save_domain, a, domain=domain, **values)
        return step(
            day,
            assessment_services.assessment_update,
            a,
            data={"young_people_said": VOICE, "involvement": INVOLVEMENT},
        )

    def findings(assessment, days_ago):
        a = step(
            days_ago,
            assessment_services.assessment_update,
            assessment,
            data={"findings": FINDINGS, "recommendations": RECOMMENDATIONS},
        )
        return step(days_ago, assessment_services.assessment_draft_findings, a)

    # In progress and overdue: the referral came in 48 working days ago.
    work(decided(north0, 48, 44), 30)

    # Shared with the school, which has responded in its own words.
    a = findings(work(decided(north1, 38, 34), 30), 6)
    a = step(5, assessment_services.assessment_share, a)
    then(
        3,
        assessment_services.assessment_school_response,
        assessment=a,
        by=dsl,
        response="We recognise the corridor and the bus. From Monday a member of staff is on "
        "the top corridor every lunchtime, and we have asked the bus company for a seating "
        "plan. We see the 'banter' finding a little differently: most staff do challenge it, "
        "but we will make our response consistent through training this term.",
    )

    # Completed: the case plan is being agreed with the school.
    a = findings(work(decided(north0, 40, 36), 32), 10)
    a = step(8, assessment_services.assessment_share, a)
    a = then(
        6,
        assessment_services.assessment_school_response,
        assessment=a,
        by=dsl,
        response="We agree with the findings and want to start with the corridor and the policy.",
    )
    step(4, assessment_services.assessment_complete, a)
