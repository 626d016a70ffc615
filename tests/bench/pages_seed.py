"""The seed of bench_pages.py: one authority of `schools` schools (through import_schools),
the people of every page, and referrals in bulk (plain INSERT ... SELECT), each with the
records the services would have written for its state.

Every referral's id is its seed number `g` (so its plan, actions and rows of its records can
be computed from it); sequences are moved past the seed afterwards. A referral's state, school
and panel come from a hash of `g`, so a bigger seed is the smaller one plus more of the same.

What is written for a referral in state S (as referrals/panels/plans services do):
- the referral row (reference, submitted_at, screened_by, panel, team and lead as S needs;
  `version` = its transitions), one historical row when created and one per transition;
- one TransitionRecord per transition of the path to S (PATHS below);
- its clocks: screening_decision and panel_threshold_decision, met, cancelled or running as
  S says; the plan's clock (plan_agreed / plan_review / plan_review_next) and one clock per
  open plan action; `next_due_at` = the soonest running due time (clocks.keep_next_due);
- a ThresholdDecision once the panel decided; a CasePlan and three PlanActions once decided
  (in progress: all open, one in three owned by the partner contact);
- notifications: a reminder for half of the running clocks (the clock stamped reminded_at),
  to the person its owner role names; a "closed" message to the front door for each closed
  case; a decision message to the busy school's DSL for each of its decided cases.
Not seeded: pathway records (School Assessments, self-assessments, summits), information
requests, risk assessments, plan reviews, case outcomes and access logs.
"""

import csv
import datetime as dt
import os
import tempfile
import time

AUTHORITY_CODE = "998"
AUTHORITY_NAME = "Benchmark Shire"
PANELS = 8
LEADS = 5
AGENDA_SCHOOLS = 15  # the upcoming meeting's agenda: one item from each
AGENDA_HISTORY = 40  # earlier (closed) referrals of each agenda school
BUSY_EVERY = 100  # one referral in 100 is from the busy school (its DSL's list)
FIRST_GENERIC = 1000  # seed numbers below this are the agenda's fixed set

# State by hash bucket (0-99) of the seed number: most closed, the rest spread over the flow.
BUCKETS = [
    (2, "draft"),
    (5, "submitted"),
    (8, "screening"),
    (12, "awaiting_panel"),
    (16, "decided"),
    (23, "in_progress"),
    (26, "review"),
    (31, "withdrawn"),
    (39, "redirected"),
    (49, "below_threshold"),
    (100, "closed"),
]

# The transitions that lead to each state (FSM method names, as casework.runner records
# them), and who makes each: dsl, front_door, chair or lead.
SUBMIT = ("submit", "draft", "submitted", "dsl")
SCREEN = ("start_screening", "submitted", "screening", "front_door")
TO_PANEL = ("accept_to_panel", "screening", "awaiting_panel", "front_door")
DECIDE = ("decide", "awaiting_panel", "decided", "chair")
START = ("start_work", "decided", "in_progress", "lead")
REVIEW = ("begin_review", "in_progress", "review", "lead")
PATHS = {
    "draft": [],
    "submitted": [SUBMIT],
    "screening": [SUBMIT, SCREEN],
    "awaiting_panel": [SUBMIT, SCREEN, TO_PANEL],
    "decided": [SUBMIT, SCREEN, TO_PANEL, DECIDE],
    "in_progress": [SUBMIT, SCREEN, TO_PANEL, DECIDE, START],
    "review": [SUBMIT, SCREEN, TO_PANEL, DECIDE, START, REVIEW],
    "closed": [
        SUBMIT,
        SCREEN,
        TO_PANEL,
        DECIDE,
        START,
        REVIEW,
        ("close_with_outcomes", "review", "closed", "lead"),
    ],
    "below_threshold": [
        SUBMIT,
        SCREEN,
        TO_PANEL,
        ("decide_below_threshold", "awaiting_panel", "below_threshold", "chair"),
    ],
    "withdrawn": [SUBMIT, ("withdraw", "submitted", "withdrawn", "dsl")],
    "redirected": [SUBMIT, SCREEN, ("redirect", "screening", "redirected", "front_door")],
}
ENDED = ("closed", "below_threshold", "withdrawn", "redirected")
ALLOCATED = ("decided", "in_progress", "review", "closed")
PLAN_STATE = {"decided": "drafting", "in_progress": "agreed", "review": "reviewed"}
PLAN_CLOCK = {"decided": "plan_agreed", "in_progress": "plan_review", "review": "plan_review_next"}


def sql(statement, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if cursor.description:
            return cursor.fetchall()
    return None


def one(statement, params=None):
    return sql(statement, params)[0][0]


# ----------------------------------------------------------------------------- organisation


def write_gias_csv(path, schools):
    """A GIAS all-establishments CSV (cp1252, its column names) of `schools` open schools."""
    header = [
        "URN",
        "LA (code)",
        "LA (name)",
        "EstablishmentName",
        "TypeOfEstablishment (name)",
        "EstablishmentStatus (name)",
        "OpenDate",
        "CloseDate",
        "PhaseOfEducation (name)",
        "NumberOfPupils",
        "Street",
        "Town",
        "Postcode",
    ]
    with open(path, "w", encoding="cp1252", newline="") as file:
        out = csv.writer(file)
        out.writerow(header)
        for i in range(schools):
            phase = "Secondary" if i % 5 == 0 else "Primary"
            out.writerow(
                [
                    f"{100000 + i}",
                    AUTHORITY_CODE,
                    AUTHORITY_NAME,
                    f"Bench {phase} School {i + 1:05d}",
                    "Academy converter" if i % 3 else "Community school",
                    "Open",
                    "01-09-2012",
                    "",
                    phase,
                    str(200 + (i * 37) % 1400),
                    f"{i % 200 + 1} High Street",
                    f"Town {i % 90 + 1}",
                    f"ZZ{i % 99 + 1} {i % 9}AA",
                ]
            )


def import_schools(schools) -> float:
    """Load the schools through the real import_schools command; returns its seconds."""
    from django.core.management import call_command

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "edubasealldata_bench.csv")
        write_gias_csv(path, schools)
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("import_schools", path, stdout=quiet, stderr=quiet)
        return time.perf_counter() - started


def seed_organisation(schools) -> dict:
    """Schools, panels, teams, people and their memberships, the catalogue, and the panel's
    meetings (one upcoming, two years of past ones). Returns ids by key."""
    from accounts.models import (
        Agency,
        AuthorityMembership,
        AuthorityRole,
        ContextPanel,
        LocalAuthority,
        PanelMembership,
        PanelRole,
        School,
        SchoolMembership,
        SchoolRole,
        Team,
        TeamMembership,
        TeamRole,
        User,
    )
    from notifications.catalogue import seed_timescales
    from panels.models import ConflictOfInterest, PanelMeeting
    from referrals.indicators import seed_indicators

    timings = {"import_schools_s": import_schools(schools)}
    authority = LocalAuthority.objects.get(code=AUTHORITY_CODE)
    seed_timescales(authority)
    seed_indicators(authority)
    assert School.objects.filter(authority=authority).count() == schools
    # Panel regions are local data (never imported): school n is in region n mod PANELS.
    sql(
        "UPDATE accounts_school SET locality = 'Region ' || ((id %% %s) + 1) "
        "WHERE authority_id = %s",
        [PANELS, authority.pk],
    )
    panels = [
        ContextPanel.objects.create(
            authority=authority,
            name=f"Region {n} panel",
            region=f"Region {n}",
            cadence="fortnightly",
        )
        for n in range(1, PANELS + 1)
    ]
    front_door = Team.objects.create(authority=authority, name="Front door", is_front_door=True)
    team = Team.objects.create(authority=authority, name="Locality team")

    def person(key, name):
        return User.objects.create_user(email=f"{key}@bench.invalid", full_name=name)

    people = {
        "front_door": person("frontdoor", "Fran Door"),
        "front_door_manager": person("fdmanager", "Frank Manager"),
        "chair": person("chair", "Chris Chair"),
        "manager": person("manager", "Tess Manager"),
        "dsl": person("dsl", "Dee Lead"),
        "school_staff": person("staff", "Sam Staff"),
        "partner": person("partner", "Pat Police"),
        "duty": person("duty", "Dana Duty"),
    }
    for n in range(1, 5):
        people[f"member{n}"] = person(f"member{n}", f"Member {n}")
    for n in range(1, LEADS + 1):
        people[f"lead{n}"] = person(f"lead{n}", f"Lead Practitioner {n}")
    role = AuthorityMembership.objects.create
    role(user=people["front_door"], authority=authority, role=AuthorityRole.FRONT_DOOR)
    role(user=people["duty"], authority=authority, role=AuthorityRole.DUTY_MANAGER)
    role(
        user=people["partner"],
        authority=authority,
        role=AuthorityRole.PARTNER,
        agency=Agency.POLICE,
    )
    TeamMembership.objects.create(
        user=people["front_door_manager"], team=front_door, role=TeamRole.MANAGER
    )
    TeamMembership.objects.create(user=people["manager"], team=team, role=TeamRole.MANAGER)
    for n in range(1, LEADS + 1):
        TeamMembership.objects.create(
            user=people[f"lead{n}"], team=team, role=TeamRole.PRACTITIONER
        )
    PanelMembership.objects.create(
        user=people["chair"], panel=panels[0], role=PanelRole.CHAIR, agency=Agency.SOCIAL_CARE
    )
    for n, agency in zip(
        range(1, 5), (Agency.POLICE, Agency.HEALTH, Agency.EDUCATION, Agency.VOLUNTARY), strict=True
    ):
        PanelMembership.objects.create(
            user=people[f"member{n}"], panel=panels[0], role=PanelRole.MEMBER, agency=agency
        )
    school_ids = list(
        School.objects.filter(authority=authority).order_by("pk").values_list("pk", flat=True)
    )
    busy = school_ids[0]
    SchoolMembership.objects.create(user=people["dsl"], school_id=busy, role=SchoolRole.DSL)
    agenda_schools = school_ids[1 : 1 + AGENDA_SCHOOLS]
    ConflictOfInterest.objects.create(
        user=people["member1"], school_id=agenda_schools[0], reason="My child attends it"
    )

    # The chair's panel meets fortnightly: two years of past meetings, and the next one.
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    PanelMeeting.objects.bulk_create(
        [
            PanelMeeting(
                panel=panels[0],
                starts_at=now - dt.timedelta(days=14 * k),
                ends_at=now - dt.timedelta(days=14 * k) + dt.timedelta(hours=2),
                place="Room 1, Civic Centre",
                state="minutes_drafted",
                scheduled_by=people["chair"],
            )
            for k in range(1, 53)
        ]
    )
    meeting = PanelMeeting.objects.create(
        panel=panels[0],
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=2),
        place="Room 1, Civic Centre",
        scheduled_by=people["chair"],
    )
    ids = {key: user.pk for key, user in people.items()}
    ids.update(
        authority=authority.pk,
        panels=[p.pk for p in panels],
        front_door_team=front_door.pk,
        team=team.pk,
        busy_school=busy,
        agenda_schools=agenda_schools,
        first_school=school_ids[0],
        schools=len(school_ids),
        meeting=meeting.pk,
        timings=timings,
    )
    return ids


# ------------------------------------------------------------------------------- referrals


def _state_case():
    whens = " ".join(
        f"WHEN (g::bigint * 2654435761 % 4294967296) % 100 < {upper} THEN '{state}'"
        for upper, state in BUCKETS
    )
    return f"CASE {whens} END"


def plan_generic(ids, first, last):
    """Rows of bench_plan (seed number, school, state, panel) for seed numbers first..last.
    The busy school takes one in BUSY_EVERY; the rest spread over the schools after the
    agenda's. Nothing generic waits for the agenda's panel, so its agenda stays at
    AGENDA_SCHOOLS items however big the seed."""
    panels = ids["panels"]
    skip = 1 + AGENDA_SCHOOLS  # busy school, then the agenda schools
    spread = ids["schools"] - skip
    sql(
        f"""
        INSERT INTO bench_plan (g, school_id, state, panel_id)
        SELECT g, school_id, state,
               CASE WHEN state IN ('draft', 'submitted', 'screening', 'withdrawn',
                                   'redirected') THEN NULL
                    WHEN state = 'awaiting_panel' THEN {panels[0]} + 1 + (g % {PANELS - 1})
                    ELSE {panels[0]} + (school_id % {PANELS}) END
        FROM (
            SELECT g,
                   CASE WHEN g % {BUSY_EVERY} = 0 THEN {ids["busy_school"]}
                        ELSE {ids["first_school"]} + {skip}
                             + ((g::bigint * 7919) % {spread}) END AS school_id,
                   {_state_case()} AS state
            FROM generate_series({first}, {last}) AS g
        ) AS s
        """
    )


def plan_agenda(ids):
    """The agenda's fixed set: each agenda school has AGENDA_HISTORY closed referrals to the
    chair's panel and one awaiting it."""
    panel = ids["panels"][0]
    rows = []
    g = 1
    for school in ids["agenda_schools"]:
        for k in range(AGENDA_HISTORY + 1):
            state = (
                "awaiting_panel" if k == AGENDA_HISTORY else ("closed", "below_threshold")[k % 2]
            )
            rows.append((g, school, state, panel))
            g += 1
    assert g < FIRST_GENERIC
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_plan (g, school_id, state, panel_id) VALUES (%s, %s, %s, %s)",
            rows,
        )


def _paths_values():
    rows = []
    for state, path in PATHS.items():
        for step, (name, source, target, who) in enumerate(path, start=1):
            rows.append(
                f"('{state}', {step}, {len(path)}, '{name}', '{source}', '{target}', '{who}')"
            )
    return ", ".join(rows)


def seed_referrals(ids, first, last, with_agenda=False):
    """Write the referrals first..last (seed numbers) and everything that hangs off them."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from notifications.models import Timescale
    from referrals.models import CasePlan, PlanAction, SchoolReferral

    ct = {
        m: ContentType.objects.get_for_model(m).pk for m in (SchoolReferral, CasePlan, PlanAction)
    }
    clocks = dict(Timescale.objects.filter(authority_id=ids["authority"]).values_list("key", "pk"))
    detail = reverse("referral_detail", args=[0]).replace("/0/", "/")
    action_url = reverse("plan_action", args=[0]).replace("/0/", "/")
    leads = [ids[f"lead{n}"] for n in range(1, LEADS + 1)]
    lead_case = "CASE r.id % {n} {whens} END".format(
        n=LEADS, whens=" ".join(f"WHEN {k} THEN {pk}" for k, pk in enumerate(leads))
    )
    who = (
        f"CASE p.who WHEN 'dsl' THEN r.created_by_id WHEN 'front_door' THEN {ids['front_door']} "
        f"WHEN 'chair' THEN {ids['chair']} ELSE r.lead_practitioner_id END"
    )
    timings = {}

    def step(name, statement, params=None):
        started = time.perf_counter()
        sql(statement, params)
        timings[name] = timings.get(name, 0) + time.perf_counter() - started

    sql("DROP TABLE IF EXISTS bench_plan")
    sql("""
        CREATE TEMP TABLE bench_plan (
            g bigint PRIMARY KEY, school_id bigint, state text, panel_id bigint)
    """)
    if with_agenda:
        plan_agenda(ids)
    plan_generic(ids, first, last)
    lo = 1 if with_agenda else first
    sql(f"""
        DROP TABLE IF EXISTS bench_paths;
        CREATE TEMP TABLE bench_paths (
            state text, step int, steps int, transition text, from_state text, to_state text,
            who text);
        INSERT INTO bench_paths VALUES {_paths_values()}
    """)
    ended = ", ".join(f"'{s}'" for s in ENDED)
    allocated = ", ".join(f"'{s}'" for s in ALLOCATED)
    # Closed cases were opened over the last three years; open ones in the last five weeks.
    step(
        "referrals",
        f"""
        INSERT INTO referrals_schoolreferral (
            id, reference, created_at, updated_at, submitted_at, state, version,
            concern_types, concern_other, incident_description, patterns, places, places_other,
            pupils_by_year, pupils_female, pupils_male, pupils_other_gender,
            pupils_gender_not_known, pupils_send, actions_taken, actions_detail,
            young_people_views, information_sharing_basis, information_sharing_detail,
            allocated_team_id, created_by_id, lead_practitioner_id, panel_id, school_id,
            screened_by_id, next_due_at)
        SELECT b.g,
               CASE WHEN b.state = 'draft' THEN NULL
                    ELSE 'SR-' || to_char(o.opened, 'YYYY') || '-' || lpad(b.g::text, 6, '0') END,
               o.opened, o.opened + o.span,
               CASE WHEN b.state = 'draft' THEN NULL ELSE o.opened + interval '1 hour' END,
               b.state,
               (SELECT count(*) FROM bench_paths p WHERE p.state = b.state),
               CASE b.g % 4 WHEN 0 THEN '["sexual_harassment"]'::jsonb
                            WHEN 1 THEN '["online_harm", "bullying"]'::jsonb
                            WHEN 2 THEN '["sexual_violence"]'::jsonb
                            ELSE '["child_criminal_exploitation"]'::jsonb END,
               '', 'Reports of a group of pupils harassing others in the corridors and online.',
               'Most weeks since September, worst at lunchtime.',
               '["corridors", "online"]'::jsonb, '',
               '{{"y9": 4, "y10": 2}}'::jsonb, 3, 3, 0, 0, 1,
               '["parents_informed", "separation"]'::jsonb, 'Timetables changed.',
               'They say they avoid the corridors.', 'public_task', '',
               CASE WHEN b.state IN ({allocated}) THEN {ids["team"]} END,
               CASE WHEN b.school_id = {ids["busy_school"]} THEN {ids["dsl"]}
                    ELSE {ids["school_staff"]} END,
               CASE WHEN b.state IN ({allocated})
                    THEN {lead_case.replace("r.id", "b.g")} END,
               b.panel_id, b.school_id,
               CASE WHEN b.state NOT IN ('draft', 'submitted', 'withdrawn')
                    THEN {ids["front_door"]} END,
               NULL
        FROM bench_plan b
        CROSS JOIN LATERAL (
            SELECT CASE WHEN b.state IN ({ended})
                        THEN now() - interval '40 days' - (b.g * 7919 % 1000) * interval '1 day'
                        ELSE now() - (b.g * 7919 % 35) * interval '1 day'
                             - (b.g % 600) * interval '1 minute' END AS opened,
                   CASE WHEN b.state IN ({ended}) THEN interval '30 days'
                        ELSE (b.g * 7919 % 35) * interval '20 hours' END AS span
        ) AS o
        """,
    )
    # One transition record per step of the path, spread over the case's life so far.
    step(
        "transitions",
        f"""
        INSERT INTO referrals_transitionrecord (
            case_id, content_type_id, object_id, transition, from_state, to_state, by_id, at,
            reason)
        SELECT r.id, {ct[SchoolReferral]}, r.id, p.transition, p.from_state, p.to_state, {who},
               r.created_at + (r.updated_at - r.created_at) * p.step / p.steps,
               CASE WHEN p.transition IN ('redirect', 'withdraw')
                    THEN 'Individual child referral made instead.' ELSE '' END
        FROM referrals_schoolreferral r JOIN bench_paths p ON p.state = r.state
        WHERE r.id BETWEEN {lo} AND {last}
        """,
    )
    # simple_history: the row as created (a draft), then one per transition.
    columns = (
        "id, reference, created_at, updated_at, submitted_at, concern_types, concern_other, "
        "incident_description, patterns, places, places_other, pupils_by_year, pupils_female, "
        "pupils_male, pupils_other_gender, pupils_gender_not_known, pupils_send, "
        "actions_taken, actions_detail, young_people_views, information_sharing_basis, "
        "information_sharing_detail, allocated_team_id, created_by_id, lead_practitioner_id, "
        "panel_id, school_id, screened_by_id"
    )
    selected = ", ".join(f"r.{c.strip()}" for c in columns.split(","))
    step(
        "history",
        f"""
        INSERT INTO referrals_historicalschoolreferral (
            {columns}, state, version, history_date, history_change_reason, history_type,
            history_user_id)
        SELECT {selected}, 'draft', 0, r.created_at, NULL, '+', r.created_by_id
        FROM referrals_schoolreferral r WHERE r.id BETWEEN {lo} AND {last}
        UNION ALL
        SELECT {selected}, p.to_state, p.step,
               r.created_at + (r.updated_at - r.created_at) * p.step / p.steps, NULL, '~',
               {who}
        FROM referrals_schoolreferral r JOIN bench_paths p ON p.state = r.state
        WHERE r.id BETWEEN {lo} AND {last}
        """,
    )
    # The panel's decisions: one per case the panel decided.
    step(
        "decisions",
        f"""
        INSERT INTO panels_thresholddecision (
            level, pathway, rationale, advice, start_by, decided_at, change_reason,
            decided_by_id, lead_practitioner_id, lead_team_id, meeting_id, referral_id,
            supersedes_id)
        SELECT CASE WHEN r.state = 'below_threshold' THEN 'below_threshold'
                    WHEN r.id % 3 = 0 THEN 'child_protection' ELSE 'child_in_need' END,
               CASE WHEN r.state = 'below_threshold' THEN 'manage_internally'
                    ELSE 'school_assessment' END,
               'The indicators and the school''s account meet the threshold.',
               CASE WHEN r.state = 'below_threshold'
                    THEN 'Keep the separation in place and review in a term.' ELSE '' END,
               NULL, t.at, '', {ids["chair"]}, r.lead_practitioner_id, r.allocated_team_id,
               NULL, r.id, NULL
        FROM referrals_schoolreferral r
        JOIN referrals_transitionrecord t
          ON t.case_id = r.id AND t.transition IN ('decide', 'decide_below_threshold')
        WHERE r.id BETWEEN {lo} AND {last}
        """,
    )
    # Plans (id = the case's id) and three actions each (ids 3g, 3g+1, 3g+2).
    plan_state = (
        "CASE r.state "
        + " ".join(f"WHEN '{s}' THEN '{p}'" for s, p in PLAN_STATE.items())
        + " ELSE 'closed' END"
    )
    step(
        "plans",
        f"""
        INSERT INTO referrals_caseplan (
            id, state, version, created_at, origin, aims, agreed_with, agreed_at,
            agreed_by_id, case_id, created_by_id)
        SELECT r.id, {plan_state}, 1, t.at, 'School Assessment',
               'Pupils feel safe in corridors and online.', 'School, police, health',
               CASE WHEN r.state <> 'decided' THEN t.at + interval '5 days' END,
               CASE WHEN r.state <> 'decided' THEN r.lead_practitioner_id END,
               r.id, r.lead_practitioner_id
        FROM referrals_schoolreferral r
        JOIN referrals_transitionrecord t ON t.case_id = r.id AND t.transition = 'decide'
        WHERE r.id BETWEEN {lo} AND {last}
        """,
    )
    step(
        "actions",
        f"""
        INSERT INTO referrals_planaction (
            id, what, why, owner_contact, due_on, state, version, progress,
            evidence_of_impact, closed_reason, created_at, created_by_id, owner_id, plan_id)
        SELECT c.id * 3 + k,
               (ARRAY['Supervise the corridors at lunchtime',
                      'Deliver the online safety sessions to Year 9',
                      'Visit the school with the neighbourhood team'])[k + 1],
               'Pupils report harassment in unsupervised spaces.', '',
               (now() + ((c.id * 3 + k) % 40 - 10) * interval '1 day')::date,
               CASE WHEN c.state = 'agreed' THEN 'open' ELSE 'done' END, 0,
               '', '', '', c.created_at, c.created_by_id,
               CASE WHEN k = 2 AND c.id % 3 = 0 THEN {ids["partner"]}
                    ELSE c.created_by_id END,
               c.id
        FROM referrals_caseplan c CROSS JOIN generate_series(0, 2) AS k
        WHERE c.id BETWEEN {lo} AND {last} AND c.state <> 'drafting'
        """,
    )
    _seed_deadlines(ids, lo, last, ct, clocks, detail, action_url, step)
    _seed_notifications(ids, lo, last, ct, step)
    step(
        "next_due_at",
        f"""
        UPDATE referrals_schoolreferral r SET next_due_at = d.soonest
        FROM (SELECT case_id, min(due_at) AS soonest FROM notifications_deadline
              WHERE status = 'running' AND case_type_id = {ct[SchoolReferral]}
                AND case_id BETWEEN {lo} AND {last}
              GROUP BY case_id) AS d
        WHERE r.id = d.case_id
        """,
    )
    for table, column in (
        ("referrals_schoolreferral", "id"),
        ("referrals_caseplan", "id"),
        ("referrals_planaction", "id"),
    ):
        sequence = f"pg_get_serial_sequence('{table}', '{column}')"
        sql(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
    sql("DROP TABLE bench_plan; DROP TABLE bench_paths")
    return timings


def _seed_deadlines(ids, lo, last, ct, clocks, detail, action_url, step):
    from referrals.models import CasePlan, PlanAction, SchoolReferral

    label = "left(coalesce(r.reference, '') || ' – ' || s.name, 60)"
    common = (
        "timescale_id, authority_id, case_type_id, case_id, case_label, case_url, "
        "subject_type_id, subject_id, owner_role, owner_id, school_id, panel_id, team_id, "
        "started_at, due_at, reminder_at, escalation_at, status, stopped_at, on_time, "
        "stop_reason, routing_problem, unroutable"
    )
    # The two clocks of the case itself: screening (front door) and the panel's decision.
    # due = start + period (in days, near enough to working days for reading them back);
    # reminder a day before, escalation a day after.
    for key, start_transition, owner_role, period, running_in, met_by in (
        (
            "screening_decision",
            "submit",
            "front_door",
            1,
            ("submitted", "screening"),
            ("accept_to_panel", "redirect"),
        ),
        (
            "panel_threshold_decision",
            "accept_to_panel",
            "chair",
            14,
            ("awaiting_panel",),
            ("decide", "decide_below_threshold"),
        ),
    ):
        running = ", ".join(f"'{s}'" for s in running_in)
        met = ", ".join(f"'{t}'" for t in met_by)
        team = ids["front_door_team"] if owner_role == "front_door" else "NULL"
        step(
            "deadlines",
            f"""
            INSERT INTO notifications_deadline ({common})
            SELECT {clocks[key]}, {ids["authority"]}, {ct[SchoolReferral]}, r.id, {label},
                   '{detail}' || r.id || '/', {ct[SchoolReferral]}, r.id, '{owner_role}', NULL,
                   r.school_id, r.panel_id, {team},
                   t.at, t.at + interval '{period} days', t.at + interval '{period - 1} days',
                   t.at + interval '{period + 1} days',
                   CASE WHEN r.state IN ({running}) THEN 'running'
                        WHEN stop.at IS NOT NULL THEN 'met' ELSE 'cancelled' END,
                   CASE WHEN r.state IN ({running}) THEN NULL
                        ELSE coalesce(stop.at, r.updated_at) END,
                   CASE WHEN r.state IN ({running}) THEN NULL
                        WHEN stop.at IS NOT NULL
                        THEN stop.at <= t.at + interval '{period} days' END,
                   CASE WHEN r.state IN ({running}) OR stop.at IS NOT NULL THEN ''
                        ELSE 'The case ended.' END,
                   '', false
            FROM referrals_schoolreferral r
            JOIN accounts_school s ON s.id = r.school_id
            JOIN referrals_transitionrecord t
              ON t.case_id = r.id AND t.transition = '{start_transition}'
            LEFT JOIN referrals_transitionrecord stop
              ON stop.case_id = r.id AND stop.transition IN ({met})
            WHERE r.id BETWEEN {lo} AND {last}
            """,
        )
    # The plan's running clock (the lead's), for open allocated cases.
    plan_clock = (
        "CASE r.state "
        + " ".join(f"WHEN '{s}' THEN {clocks[k]}" for s, k in PLAN_CLOCK.items())
        + " END"
    )
    step(
        "deadlines",
        f"""
        INSERT INTO notifications_deadline ({common})
        SELECT {plan_clock}, {ids["authority"]}, {ct[SchoolReferral]}, r.id, {label},
               '{detail}' || r.id || '/', {ct[CasePlan]}, c.id, 'lead', r.lead_practitioner_id,
               r.school_id, r.panel_id, r.allocated_team_id,
               coalesce(c.agreed_at, c.created_at), due.at, due.at - interval '1 day',
               due.at + interval '1 day', 'running', NULL, NULL, '', '', false
        FROM referrals_schoolreferral r
        JOIN accounts_school s ON s.id = r.school_id
        JOIN referrals_caseplan c ON c.case_id = r.id
        CROSS JOIN LATERAL (SELECT CASE WHEN r.state = 'decided'
                                        THEN c.created_at + interval '14 days'
                                        ELSE coalesce(c.agreed_at, c.created_at)
                                             + interval '3 months'
                                   END AS at) AS due
        WHERE r.id BETWEEN {lo} AND {last} AND r.state IN ('decided', 'in_progress', 'review')
        """,
    )
    # One clock per open action, to its due date, the named owner's (a partner's links to
    # the action itself: they may not open the case).
    step(
        "deadlines",
        f"""
        INSERT INTO notifications_deadline ({common})
        SELECT {clocks["plan_action"]}, {ids["authority"]}, {ct[SchoolReferral]}, r.id, {label},
               '{action_url}' || a.id || '/', {ct[PlanAction]}, a.id, 'owner', a.owner_id,
               r.school_id, r.panel_id, r.allocated_team_id,
               a.created_at, a.due_on + interval '17 hours', a.due_on + interval '9 hours',
               a.due_on + interval '41 hours', 'running', NULL, NULL, '', '', false
        FROM referrals_planaction a
        JOIN referrals_caseplan c ON c.id = a.plan_id
        JOIN referrals_schoolreferral r ON r.id = c.case_id
        JOIN accounts_school s ON s.id = r.school_id
        WHERE c.id BETWEEN {lo} AND {last} AND a.state = 'open'
        """,
    )


def _seed_notifications(ids, lo, last, ct, step):
    from referrals.models import SchoolReferral

    # Half of the running clocks have had their reminder (stamped, as the sweep does).
    step(
        "notifications",
        f"""
        WITH reminded AS (
            UPDATE notifications_deadline d SET reminded_at = d.started_at + interval '1 hour'
            WHERE d.status = 'running' AND d.case_type_id = {ct[SchoolReferral]}
              AND d.case_id BETWEEN {lo} AND {last} AND d.id % 2 = 0
            RETURNING d.*
        )
        INSERT INTO notifications_notification (
            user_id, deadline_id, stage, title, body, url, created_at, read_at, email_status,
            email_attempts, email_next_attempt_at, email_error, emailed_at)
        SELECT CASE d.owner_role WHEN 'front_door' THEN {ids["front_door"]}
                                 WHEN 'chair' THEN {ids["chair"]}
                                 ELSE d.owner_id END,
               d.id, 'reminder', 'Reminder: due ' || to_char(d.due_at, 'DD Mon YYYY'),
               d.case_label, d.case_url, d.reminded_at,
               CASE WHEN d.id % 4 = 0 THEN d.reminded_at + interval '2 hours' END,
               'sent', 1, d.reminded_at, '', d.reminded_at
        FROM reminded d
        WHERE d.owner_role IN ('front_door', 'chair') OR d.owner_id IS NOT NULL
        """,
    )
    step(
        "notifications",
        f"""
        INSERT INTO notifications_notification (
            user_id, deadline_id, stage, title, body, url, created_at, read_at, email_status,
            email_attempts, email_next_attempt_at, email_error, emailed_at)
        SELECT {ids["front_door"]}, NULL::bigint, '', 'Case closed: ' || r.reference,
               'The case has closed with its outcomes recorded.', '/referrals/' || r.id || '/',
               r.updated_at, CASE WHEN r.id % 3 > 0 THEN r.updated_at + interval '1 day' END,
               'sent', 1, r.updated_at, '', r.updated_at
        FROM referrals_schoolreferral r
        WHERE r.id BETWEEN {lo} AND {last} AND r.state = 'closed'
        UNION ALL
        SELECT {ids["dsl"]}, NULL, '', 'The panel has decided on ' || r.reference,
               'Read the decision and what happens next.', '/referrals/' || r.id || '/',
               t.at, NULL, 'sent', 1, t.at, '', t.at
        FROM referrals_schoolreferral r
        JOIN referrals_transitionrecord t
          ON t.case_id = r.id AND t.transition IN ('decide', 'decide_below_threshold')
        WHERE r.id BETWEEN {lo} AND {last} AND r.school_id = {ids["busy_school"]}
        """,
    )


def check(ids) -> dict:
    """What must hold after a seed, as the services keep it: each case's next_due_at is its
    soonest running clock (clocks.keep_next_due), no ended case has a running clock, and the
    upcoming meeting's agenda has its fixed items."""
    ended = ", ".join(f"'{s}'" for s in ENDED)
    return {
        "next_due_at wrong": one(
            """
            SELECT count(*) FROM referrals_schoolreferral r
            LEFT JOIN (SELECT case_id, min(due_at) AS soonest FROM notifications_deadline
                       WHERE status = 'running' GROUP BY case_id) d ON d.case_id = r.id
            WHERE r.next_due_at IS DISTINCT FROM d.soonest
            """
        ),
        "running clocks of ended cases": one(
            f"""
            SELECT count(*) FROM notifications_deadline d
            JOIN referrals_schoolreferral r ON r.id = d.case_id
            WHERE d.status = 'running' AND r.state IN ({ended})
            """
        ),
        "agenda items": one(
            "SELECT count(*) FROM referrals_schoolreferral WHERE panel_id = %s "
            "AND state IN ('awaiting_panel', 'more_information_requested')",
            [ids["panels"][0]],
        ),
    }
