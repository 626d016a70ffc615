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
- a ThresholdDecision once the panel decided, for the pathway a second hash of `g` picks
  (PATHWAY_BUCKETS: 40% a School Assessment, 20% each a supported self-assessment, a
  Student Safety Summit, a School Partnership Meeting) at a level that pathway fits; a
  CasePlan and three PlanActions once decided (in progress: all open, one in three owned by
  the partner contact);
- the record of its pathway (PATHWAY_RECORDS, as the pathway services write them; its id is
  the case's): just opened while the case is decided, under way while it is in progress,
  done once it is in review or closed; with one TransitionRecord and one historical row per
  step, and its clocks (PATHWAY_CLOCKS: met, or running while its state runs them). A
  self-assessment has its answers (none before the school starts, some while in progress,
  every item once submitted) and their historical rows, and `previous`; a summit has its
  invited school. Not their parts (domains, methods, discussions, the summit's day, the
  actions they hand to the plan) nor the lead's "work allocated" message;
- notifications: a reminder for half of the running clocks (the clock stamped reminded_at),
  to the person its owner role names (a DSL's only at the busy school, the one with a DSL);
  a "closed" message to the front door for each closed case; a decision message to the busy
  school's DSL for each of its decided cases.
Not seeded: information requests, risk assessments, plan reviews, case outcomes and access
logs.
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

# The pathway the panel chose for a case it decided, by a second hash bucket (0-9) of the
# seed number: 40% a School Assessment, 20% each a supported Beyond Referrals
# self-assessment (these two at child in need or child protection), a Student Safety
# Summit and a School Partnership Meeting (these two at early help).
PATHWAY_BUCKETS = [
    (4, "school_assessment"),
    (6, "beyond_referrals"),
    (8, "safety_summit"),
    (10, "partnership_meeting"),
]
# Where the case's plan came from, in the words of the service that opened it.
PLAN_ORIGIN = {
    "school_assessment": "The School Assessment is complete: agree the plan with the school",
    "beyond_referrals": "Gaps found by the self-assessment",
    "safety_summit": "The Student Safety Summit was held: agree its next steps as the plan",
    "partnership_meeting": "The School Partnership Meeting was held: agree the plan with the "
    "school",
}


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


def _pathway_case(g, words=None):
    """The pathway of seed number `g` (an SQL expression), or its words from `words`."""
    bucket = f"((({g})::bigint * 2246822519 % 4294967296) / 256 % 10)"
    whens = " ".join(
        f"WHEN {bucket} < {upper} THEN '{(words or {}).get(key, key)}'"
        for upper, key in PATHWAY_BUCKETS
    )
    return f"CASE {whens} END"


def _pathway_words(g, words):
    return _pathway_case(g, {k: v.replace("'", "''") for k, v in words.items()})


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
    # The panel's decisions: one per case the panel decided, for the pathway its hash says
    # (PATHWAYS), at the level that pathway fits.
    pathway = _pathway_case("r.id")
    step(
        "decisions",
        f"""
        INSERT INTO panels_thresholddecision (
            level, pathway, rationale, advice, start_by, decided_at, change_reason,
            decided_by_id, lead_practitioner_id, lead_team_id, meeting_id, referral_id,
            supersedes_id)
        SELECT CASE WHEN r.state = 'below_threshold' THEN 'below_threshold'
                    WHEN {pathway} IN ('safety_summit', 'partnership_meeting')
                    THEN 'early_help'
                    WHEN r.id % 3 = 0 THEN 'child_protection' ELSE 'child_in_need' END,
               CASE WHEN r.state = 'below_threshold' THEN 'manage_internally'
                    ELSE {pathway} END,
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
        SELECT r.id, {plan_state}, 1, t.at, {_pathway_words("r.id", PLAN_ORIGIN)},
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
    _seed_pathways(ids, lo, last, ct, clocks, detail, step)
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


# -------------------------------------------------------------------------------- pathways

# Each pathway's record (its id = the case's id), as its services leave it for the state of
# its case (decided: just opened; in progress: under way, by a variant v = id % 3; in review
# or closed: done) and the steps that led there: (transition, from, to, the moment, who,
# the reason), the moment and who being SQL over the bench_pathways row `b` and the record
# `x`. `who`: chair (the decision's maker opens the work), lead or school (the referral's
# author, who answers for the school).
PATHWAY_RECORDS = {
    "school_assessment": {
        "open": ("planned", "in_progress", "findings_drafted", "shared_with_school"),
        "done": ("completed",),
        "model": ("school_assessments", "SchoolAssessment"),
        "case": "referral_id",
        "state": """CASE b.case_state WHEN 'decided' THEN 'planned'
                        WHEN 'in_progress' THEN (ARRAY['in_progress', 'findings_drafted',
                                                       'shared_with_school'])[b.v + 1]
                        ELSE 'completed' END""",
        "steps": [
            ("open", "", "planned", "x.created_at", "chair", "Panel decision"),
            ("start", "planned", "in_progress", "x.started_at", "lead", "Assessment started"),
            (
                "draft_findings",
                "in_progress",
                "findings_drafted",
                "x.findings_drafted_at",
                "lead",
                "Findings drafted",
            ),
            (
                "share_with_school",
                "findings_drafted",
                "shared_with_school",
                "x.shared_at",
                "lead",
                "Findings shared with the school",
            ),
            (
                "complete",
                "shared_with_school",
                "completed",
                "x.completed_at",
                "lead",
                "Assessment completed",
            ),
        ],
    },
    "beyond_referrals": {
        "open": ("in_progress", "submitted"),
        "done": ("reviewed", "closed"),
        "model": ("self_assessments", "SelfAssessment"),
        "case": "case_id",
        "state": """CASE b.case_state WHEN 'decided' THEN 'in_progress'
                        WHEN 'in_progress' THEN CASE WHEN b.v = 1 THEN 'submitted'
                                                     ELSE 'in_progress' END
                        WHEN 'review' THEN 'reviewed' ELSE 'closed' END""",
        "steps": [
            (
                "start",
                "",
                "in_progress",
                "x.created_at",
                "chair",
                "Context panel decision: Beyond Referrals self-assessment, supported",
            ),
            (
                "submit",
                "in_progress",
                "submitted",
                "x.submitted_at",
                "school",
                "self-assessment submitted",
            ),
            (
                "review",
                "submitted",
                "reviewed",
                "x.reviewed_at",
                "lead",
                "Reviewed with the school",
            ),
            (
                "close",
                "reviewed",
                "closed",
                "x.closed_at",
                "lead",
                "The case plan carries its gaps",
            ),
        ],
    },
    "safety_summit": {
        "open": ("planned", "scheduled", "held"),
        "done": ("reported",),
        "model": ("safety_summits", "SafetySummit"),
        "case": "referral_id",
        "state": """CASE b.case_state WHEN 'decided' THEN 'planned'
                        WHEN 'in_progress' THEN CASE WHEN b.v = 1 THEN 'held'
                                                     ELSE 'scheduled' END
                        ELSE 'reported' END""",
        "steps": [
            ("open", "", "planned", "x.created_at", "chair", "Panel decision"),
            ("schedule", "planned", "scheduled", "b.t_start", "lead", "Summit scheduled"),
            ("hold", "scheduled", "held", "x.held_at", "lead", "Summit held"),
            ("share_report", "held", "reported", "x.reported_at", "lead", "Summit report shared"),
        ],
    },
    "partnership_meeting": {
        "open": ("planned", "scheduled", "held"),
        "done": ("plan_distributed",),
        "model": ("safety_summits", "SchoolPartnershipMeeting"),
        "case": "referral_id",
        "state": """CASE b.case_state WHEN 'decided' THEN 'planned'
                        WHEN 'in_progress' THEN CASE WHEN b.v = 1 THEN 'held'
                                                     ELSE 'scheduled' END
                        ELSE 'plan_distributed' END""",
        "steps": [
            ("open", "", "planned", "x.created_at", "chair", "Panel decision"),
            ("schedule", "planned", "scheduled", "b.t_start", "lead", "Meeting scheduled"),
            ("hold", "scheduled", "held", "x.held_at", "lead", "Meeting held"),
            (
                "distribute_plan",
                "held",
                "plan_distributed",
                "x.distributed_at",
                "lead",
                "Safety plan distributed",
            ),
        ],
    },
}

# The clocks of each pathway's record (notifications/data/timescales.json): (timescale key,
# owner role, when it started, days to its due time (working days as calendar days, 5 to
# 7) or None: it is anchored on the referral's submission, days of reminder before and
# escalation after, the record's states it runs in, when it was met, the reason it
# stopped). A clock exists once its start is set.
PATHWAY_CLOCKS = {
    "school_assessment": [
        (
            "school_assessment",
            "lead",
            "x.created_at",
            "b.submitted_at + interval '63 days'",
            14,
            7,
            ("planned", "in_progress", "findings_drafted", "shared_with_school"),
            "x.completed_at",
            "Assessment completed",
        ),
    ],
    "beyond_referrals": [
        (
            "self_assessment",
            "dsl",
            "x.created_at",
            "x.created_at + interval '42 days'",
            7,
            7,
            ("in_progress",),
            "x.submitted_at",
            "self-assessment submitted",
        ),
        (
            "self_assessment_review",
            "lead",
            "x.submitted_at",
            "x.submitted_at + interval '14 days'",
            4,
            3,
            ("submitted",),
            "x.reviewed_at",
            "The review with the school",
        ),
    ],
    "safety_summit": [
        (
            "safety_summit_held",
            "lead",
            "x.created_at",
            "x.created_at + interval '42 days'",
            7,
            7,
            ("planned", "scheduled"),
            "x.held_at",
            "Summit held",
        ),
    ],
    "partnership_meeting": [
        (
            "partnership_meeting_held",
            "lead",
            "x.created_at",
            "x.created_at + interval '21 days'",
            4,
            4,
            ("planned", "scheduled"),
            "x.held_at",
            "Meeting held",
        ),
        (
            "safety_plan_distributed",
            "lead",
            "x.held_at",
            "x.held_at + interval '7 days'",
            3,
            1,
            ("held",),
            "x.distributed_at",
            "Safety plan distributed",
        ),
    ],
}


def _pathway_model(key):
    from django.apps import apps

    return apps.get_model(*PATHWAY_RECORDS[key]["model"])


def _steps_values(steps):
    """(state, step, steps, transition, from, to, reason) rows: each state's path."""
    rows = []
    for end, (*_, to, _at, _who, _reason) in enumerate(steps, start=1):
        for n, (name, source, target, _a, _w, reason) in enumerate(steps[:end], start=1):
            words = reason.replace("'", "''")
            rows.append(f"('{to}', {n}, {end}, '{name}', '{source}', '{target}', '{words}')")
    return ", ".join(rows)


def _seed_pathways(ids, lo, last, ct, clocks, detail, step):
    """The records of the pathway each decided case is on (its decision's pathway), as the
    pathway services write them: the record, in the state its case implies, with its
    transition records, its historical rows, its clocks; a supported self-assessment's
    answers (and their history); the summit's invited school. Runs after the case's own
    transitions and clocks are written (it reads them) and before the reminders and
    next_due_at (which take in its clocks)."""
    from django.contrib.contenttypes.models import ContentType

    from referrals.models import SchoolReferral
    from self_assessments import instruments
    from self_assessments.models import Answer

    referral_ct = ct[SchoolReferral]
    # The first seed's tables have no statistics yet: without them the joins below are
    # planned as nested loops over every transition record (30 s instead of 3 at 10,000).
    sql("ANALYZE referrals_schoolreferral, referrals_transitionrecord, panels_thresholddecision")
    sql("DROP TABLE IF EXISTS bench_pathways")
    # One row per decided case of this batch: its pathway, its variant and the moments of
    # its own path (decided, work started, review begun, closed), with the fractions of the
    # time its pathway's work took so far (t_end: the review's start, or now).
    step(
        "pathways",
        f"""
        CREATE TEMP TABLE bench_pathways AS
        SELECT r.id, d.pathway, r.state AS case_state, (r.id % 3)::int AS v, r.school_id,
               r.lead_practitioner_id AS lead_id, r.created_by_id AS school_user,
               r.submitted_at, dec.at AS t_dec, st.at AS t_start, rv.at AS t_rev,
               cl.at AS t_close, w.t_end,
               st.at + (w.t_end - st.at) * 0.3 AS p3, st.at + (w.t_end - st.at) * 0.5 AS p5,
               st.at + (w.t_end - st.at) * 0.6 AS p6, st.at + (w.t_end - st.at) * 0.9 AS p9
        FROM referrals_schoolreferral r
        JOIN panels_thresholddecision d
          ON d.referral_id = r.id AND d.pathway <> 'manage_internally'
        JOIN referrals_transitionrecord dec
          ON dec.case_id = r.id AND dec.content_type_id = {referral_ct}
         AND dec.transition = 'decide'
        LEFT JOIN referrals_transitionrecord st
          ON st.case_id = r.id AND st.content_type_id = {referral_ct}
         AND st.transition = 'start_work'
        LEFT JOIN referrals_transitionrecord rv
          ON rv.case_id = r.id AND rv.content_type_id = {referral_ct}
         AND rv.transition = 'begin_review'
        LEFT JOIN referrals_transitionrecord cl
          ON cl.case_id = r.id AND cl.content_type_id = {referral_ct}
         AND cl.transition = 'close_with_outcomes'
        CROSS JOIN LATERAL (SELECT coalesce(rv.at, now()) AS t_end) AS w
        WHERE r.id BETWEEN {lo} AND {last};
        CREATE UNIQUE INDEX ON bench_pathways (id);
        ANALYZE bench_pathways
        """,
    )
    chair = ids["chair"]
    state = {key: spec["state"] for key, spec in PATHWAY_RECORDS.items()}
    step(
        "pathways",
        f"""
        INSERT INTO school_assessments_schoolassessment (
            id, referral_id, lead_id, state, version, opened_by_id, created_at, updated_at,
            started_at, findings_drafted_at, shared_at, completed_at, young_people_said,
            involvement, findings, recommendations, school_response, school_response_by_id,
            school_response_at)
        SELECT b.id, b.id, b.lead_id, x.state, x.version, {chair}, b.t_dec,
               greatest(b.t_dec, x.started_at, x.findings_drafted_at, x.shared_at,
                        x.completed_at),
               x.started_at, x.findings_drafted_at, x.shared_at, x.completed_at,
               CASE WHEN x.started_at IS NOT NULL
                    THEN 'Pupils say the corridors feel unsafe at lunchtime.' ELSE '' END,
               CASE WHEN x.started_at IS NOT NULL
                    THEN 'Focus groups with Year 9 and a parents'' evening.' ELSE '' END,
               CASE WHEN x.findings_drafted_at IS NOT NULL
                    THEN 'Supervision of shared spaces is thin at lunchtime.' ELSE '' END,
               CASE WHEN x.findings_drafted_at IS NOT NULL
                    THEN 'Staff on the corridors; a safe-space rota.' ELSE '' END,
               CASE WHEN x.state = 'completed'
                    THEN 'We agree and have changed the duty rota.' ELSE '' END,
               CASE WHEN x.state = 'completed' THEN b.school_user END,
               CASE WHEN x.state = 'completed' THEN x.shared_at + interval '1 day' END
        FROM bench_pathways b
        CROSS JOIN LATERAL (SELECT {state["school_assessment"]} AS state) AS s
        CROSS JOIN LATERAL (
            SELECT s.state,
                   {_version_case(PATHWAY_RECORDS["school_assessment"]["steps"], "s.state")}
                       AS version,
                   CASE WHEN s.state <> 'planned' THEN b.t_start END AS started_at,
                   CASE WHEN s.state IN ('findings_drafted', 'shared_with_school', 'completed')
                        THEN b.p3 END AS findings_drafted_at,
                   CASE WHEN s.state IN ('shared_with_school', 'completed')
                        THEN b.p6 END AS shared_at,
                   CASE WHEN s.state = 'completed' THEN b.p9 END AS completed_at
        ) AS x
        WHERE b.pathway = 'school_assessment'
        """,
    )
    # The school's supported self-assessment: the instrument the service would choose.
    authority_id = ids["authority"]
    from accounts.models import LocalAuthority

    instrument = instruments.pathway_instrument(LocalAuthority.objects.get(pk=authority_id))
    items = list(instrument.items.order_by("position").values_list("pk", flat=True))
    scale = [(level["key"], level["value"]) for level in instrument.scale]
    short_name = instrument.short_name.replace("'", "''")
    step(
        "pathways",
        f"""
        INSERT INTO self_assessments_selfassessment (
            id, instrument_id, authority_id, case_id, school_id, title, state, version,
            previous_id, created_by_id, created_at, submitted_at, submitted_by_id,
            reviewed_at, reviewed_by_id, review_note, closed_at)
        SELECT b.id, {instrument.pk}, {authority_id}, b.id, b.school_id,
               left(sc.name || ': ' || '{short_name}', 150), x.state, x.version, NULL,
               {chair}, b.t_dec,
               x.submitted_at, CASE WHEN x.submitted_at IS NOT NULL THEN b.school_user END,
               x.reviewed_at, CASE WHEN x.reviewed_at IS NOT NULL THEN b.lead_id END,
               CASE WHEN x.reviewed_at IS NOT NULL
                    THEN 'Reviewed with the school: three gaps became actions on the plan.'
                    ELSE '' END,
               x.closed_at
        FROM bench_pathways b
        JOIN accounts_school sc ON sc.id = b.school_id
        CROSS JOIN LATERAL (SELECT {state["beyond_referrals"]} AS state) AS s
        CROSS JOIN LATERAL (
            SELECT s.state,
                   {_version_case(PATHWAY_RECORDS["beyond_referrals"]["steps"], "s.state")}
                       AS version,
                   CASE WHEN s.state <> 'in_progress' THEN b.p5 END AS submitted_at,
                   CASE WHEN s.state IN ('reviewed', 'closed') THEN b.p9 END AS reviewed_at,
                   CASE WHEN s.state = 'closed' THEN b.t_rev + (b.t_close - b.t_rev) * 0.5
                        END AS closed_at
        ) AS x
        WHERE b.pathway = 'beyond_referrals'
        """,
    )
    # `previous`: the school's last audit with that instrument completed before this one
    # started (as self_assessments.services._previous finds it).
    step(
        "pathways",
        f"""
        UPDATE self_assessments_selfassessment a SET previous_id = (
            SELECT p.id FROM self_assessments_selfassessment p
            WHERE p.school_id = a.school_id AND p.instrument_id = a.instrument_id
              AND p.submitted_at < a.created_at
            ORDER BY p.submitted_at DESC, p.id DESC LIMIT 1)
        WHERE a.id BETWEEN {lo} AND {last} AND a.case_id IS NOT NULL
        """,
    )
    # Answers: none before the school starts (the case is still decided), part of them
    # while in progress, every item once submitted (the service refuses it before).
    if items:
        levels = len(scale)
        choices = ", ".join(f"'{k}'" for k, _ in scale)
        scores = ", ".join(str(v) for _, v in scale)
        item_ids = ", ".join(str(i) for i in items)
        step(
            "pathways",
            f"""
            INSERT INTO self_assessments_answer (
                assessment_id, item_id, choice, score, evidence, note, answered_by_id,
                answered_at)
            SELECT a.id, i.item_id, (ARRAY[{choices}])[1 + (a.id + i.pos) % {levels}],
                   (ARRAY[{scores}])[1 + (a.id + i.pos) % {levels}],
                   '["documents", "discussion"]'::jsonb, '', b.school_user,
                   b.t_start + (coalesce(a.submitted_at, now()) - b.t_start) * i.pos
                                / ({len(items)} + 1)
            FROM self_assessments_selfassessment a
            JOIN bench_pathways b ON b.id = a.id
            CROSS JOIN LATERAL unnest(ARRAY[{item_ids}]::bigint[])
                 WITH ORDINALITY AS i(item_id, pos)
            WHERE a.id BETWEEN {lo} AND {last} AND a.case_id IS NOT NULL
              AND b.t_start IS NOT NULL
              AND i.pos <= CASE WHEN a.state = 'in_progress'
                                THEN {len(items)} * (1 + a.id % 3) / 4 ELSE {len(items)} END
            """,
        )
        answer_columns = ", ".join(f.column for f in Answer._meta.concrete_fields)
        selected = ", ".join(f"n.{f.column}" for f in Answer._meta.concrete_fields)
        step(
            "history",
            f"""
            INSERT INTO {Answer.history.model._meta.db_table} (
                {answer_columns}, history_date, history_change_reason, history_type,
                history_user_id)
            SELECT {selected}, n.answered_at, NULL, '+', n.answered_by_id
            FROM self_assessments_answer n
            WHERE n.assessment_id BETWEEN {lo} AND {last}
            """,
        )
    # The Student Safety Summit: scheduled ones in the coming weeks, at the case's school.
    step(
        "pathways",
        f"""
        INSERT INTO safety_summits_safetysummit (
            id, referral_id, lead_id, state, version, opened_by_id, created_at, updated_at,
            starts_at, ends_at, place, host_school_id, activities, young_people_invited,
            inclusion, held_at, other_attendees, notes, reported_at, reported_by_id,
            referred_back_at, referred_back_by_id, referred_back_reason, end_reason)
        SELECT b.id, b.id, b.lead_id, x.state, x.version, {chair}, b.t_dec,
               greatest(b.t_dec, b.t_start, x.held_at, x.reported_at), x.starts_at,
               x.starts_at + interval '3 hours',
               CASE WHEN x.starts_at IS NOT NULL THEN 'The school hall' ELSE '' END,
               CASE WHEN x.starts_at IS NOT NULL THEN b.school_id END,
               CASE WHEN x.starts_at IS NOT NULL
                    THEN '["school_map", "online", "friendships"]'::jsonb
                    ELSE '[]'::jsonb END,
               CASE WHEN x.starts_at IS NOT NULL
                    THEN 'Through form tutors and the school council.' ELSE '' END,
               CASE WHEN x.starts_at IS NOT NULL
                    THEN 'A quiet room, and the activities in pairs.' ELSE '' END,
               x.held_at, '',
               CASE WHEN x.held_at IS NOT NULL
                    THEN 'Forty pupils mapped the school and the routes home.' ELSE '' END,
               x.reported_at, CASE WHEN x.reported_at IS NOT NULL THEN b.lead_id END,
               NULL, NULL, '', ''
        FROM bench_pathways b
        CROSS JOIN LATERAL (SELECT {state["safety_summit"]} AS state) AS s
        CROSS JOIN LATERAL (
            SELECT s.state,
                   {_version_case(PATHWAY_RECORDS["safety_summit"]["steps"], "s.state")}
                       AS version,
                   CASE WHEN s.state = 'scheduled'
                        THEN date_trunc('day', now()) + (1 + b.id % 20) * interval '1 day'
                             + interval '9 hours'
                        WHEN s.state <> 'planned' THEN b.p5 END AS starts_at,
                   CASE WHEN s.state IN ('held', 'reported') THEN b.p6 END AS held_at,
                   CASE WHEN s.state = 'reported' THEN b.p9 END AS reported_at
        ) AS x
        WHERE b.pathway = 'safety_summit'
        """,
    )
    from safety_summits.summit.models import SafetySummit

    invited = SafetySummit.schools.through._meta.db_table
    step(
        "pathways",
        f"""
        INSERT INTO {invited} (safetysummit_id, school_id)
        SELECT s.id, r.school_id FROM safety_summits_safetysummit s
        JOIN referrals_schoolreferral r ON r.id = s.referral_id
        WHERE s.id BETWEEN {lo} AND {last}
        """,
    )
    # The School Partnership Meeting: the school's pre-meeting document before it is held.
    step(
        "pathways",
        f"""
        INSERT INTO safety_summits_schoolpartnershipmeeting (
            id, referral_id, lead_id, state, version, opened_by_id, created_at, updated_at,
            starts_at, ends_at, format, place, agenda, pre_trends, pre_peer_groups,
            pre_places, pre_tried, pre_strengths, pre_completed_at, pre_completed_by_id,
            held_at, terms_agreed, terms_version, terms_agreed_on, terms_agreed_by,
            other_attendees, without_document_reason, notes, distributed_at,
            distributed_by_id, end_reason)
        SELECT b.id, b.id, b.lead_id, x.state, x.version, {chair}, b.t_dec,
               greatest(b.t_dec, b.t_start, x.held_at, x.distributed_at), x.starts_at,
               x.starts_at + interval '2 hours',
               CASE WHEN x.starts_at IS NOT NULL THEN 'at_school' ELSE '' END,
               CASE WHEN x.starts_at IS NOT NULL THEN 'Meeting room 2' ELSE '' END,
               CASE WHEN x.starts_at IS NOT NULL
                    THEN 'Introductions; what the school sees; the safety plan.' ELSE '' END,
               x.pre, CASE WHEN x.pre <> '' THEN 'Group A, Y9' ELSE '' END,
               CASE WHEN x.pre <> '' THEN 'The bus stop; a group chat.' ELSE '' END,
               x.pre, CASE WHEN x.pre <> '' THEN 'A strong pastoral team.' ELSE '' END,
               CASE WHEN x.pre <> '' THEN b.t_start + (x.starts_at - b.t_start) * 0.5 END,
               CASE WHEN x.pre <> '' THEN b.school_user END,
               x.held_at, x.held_at IS NOT NULL,
               CASE WHEN x.held_at IS NOT NULL THEN 'Version 2, September 2026' ELSE '' END,
               x.held_at::date,
               CASE WHEN x.held_at IS NOT NULL
                    THEN 'The school, police and health, at the meeting' ELSE '' END,
               '', '',
               CASE WHEN x.held_at IS NOT NULL
                    THEN 'Concerns about a peer group at the bus stop.' ELSE '' END,
               x.distributed_at, CASE WHEN x.distributed_at IS NOT NULL THEN b.lead_id END, ''
        FROM bench_pathways b
        CROSS JOIN LATERAL (SELECT {state["partnership_meeting"]} AS state) AS s
        CROSS JOIN LATERAL (
            SELECT s.state,
                   {_version_case(PATHWAY_RECORDS["partnership_meeting"]["steps"], "s.state")}
                       AS version,
                   CASE WHEN s.state = 'scheduled'
                        THEN date_trunc('day', now()) + (1 + b.id % 15) * interval '1 day'
                             + interval '14 hours'
                        WHEN s.state <> 'planned' THEN b.p5 END AS starts_at,
                   CASE WHEN s.state IN ('held', 'plan_distributed')
                        THEN 'Peer-on-peer harassment on the way home.' ELSE '' END AS pre,
                   CASE WHEN s.state IN ('held', 'plan_distributed') THEN b.p6 END AS held_at,
                   CASE WHEN s.state = 'plan_distributed' THEN b.p9 END AS distributed_at
        ) AS x
        WHERE b.pathway = 'partnership_meeting'
        """,
    )
    label = "left(coalesce(r.reference, '') || ' – ' || sc.name, 60)"
    for key, spec in PATHWAY_RECORDS.items():
        model = _pathway_model(key)
        table = model._meta.db_table
        subject_ct = ContentType.objects.get_for_model(model).pk
        steps = spec["steps"]
        at = "CASE p.step " + " ".join(f"WHEN {n} THEN {s[3]}" for n, s in enumerate(steps, 1))
        at += " END"
        who = (
            "CASE p.step "
            + " ".join(
                f"WHEN {n} THEN "
                + {"chair": str(chair), "lead": "b.lead_id", "school": "b.school_user"}[s[4]]
                for n, s in enumerate(steps, 1)
            )
            + " END"
        )
        paths = f"(VALUES {_steps_values(steps)}) AS p(state, step, steps, transition, " + (
            "from_state, to_state, reason)"
        )
        joins = f"""
            FROM {table} x JOIN bench_pathways b ON b.id = x.id
            JOIN {paths} ON p.state = x.state
            WHERE x.id BETWEEN {lo} AND {last}
        """
        step(
            "pathways",
            f"""
            INSERT INTO referrals_transitionrecord (
                case_id, content_type_id, object_id, transition, from_state, to_state, by_id,
                at, reason)
            SELECT x.{spec["case"]}, {subject_ct}, x.id, p.transition, p.from_state,
                   p.to_state, {who}, {at}, p.reason
            {joins}
            """,
        )
        history = model.history.model
        columns = [f.column for f in model._meta.concrete_fields]
        missing = set(columns) - {f.column for f in history._meta.concrete_fields}
        assert not missing, f"{history.__name__} lacks {missing}"
        selected = ", ".join(
            {"state": "p.to_state", "version": "p.step - 1"}.get(c, f"x.{c}") for c in columns
        )
        step(
            "history",
            f"""
            INSERT INTO {history._meta.db_table} (
                {", ".join(columns)}, history_date, history_change_reason, history_type,
                history_user_id)
            SELECT {selected}, {at}, nullif(left(p.reason, 100), ''),
                   CASE WHEN p.step = 1 THEN '+' ELSE '~' END, {who}
            {joins}
            """,
        )
        for clock, role, started, due, remind, escalate, running, met_at, why in PATHWAY_CLOCKS[
            key
        ]:
            runs = ", ".join(f"'{s}'" for s in running)
            owner = "NULL" if role == "dsl" else "b.lead_id"
            step(
                "deadlines",
                f"""
                INSERT INTO notifications_deadline (
                    timescale_id, authority_id, case_type_id, case_id, case_label, case_url,
                    subject_type_id, subject_id, owner_role, owner_id, school_id, panel_id,
                    team_id, started_at, due_at, reminder_at, escalation_at, status,
                    stopped_at, on_time, stop_reason, routing_problem, unroutable)
                SELECT {clocks[clock]}, {authority_id}, {referral_ct}, r.id, {label},
                       '{detail}' || r.id || '/', {subject_ct}, x.id, '{role}', {owner},
                       r.school_id, r.panel_id, r.allocated_team_id,
                       c.started, c.due, greatest(c.due - interval '{remind} days', c.started),
                       c.due + interval '{escalate} days',
                       CASE WHEN x.state IN ({runs}) THEN 'running' ELSE 'met' END,
                       CASE WHEN x.state NOT IN ({runs}) THEN {met_at} END,
                       CASE WHEN x.state NOT IN ({runs}) THEN {met_at} <= c.due END,
                       CASE WHEN x.state NOT IN ({runs}) THEN '{why}' ELSE '' END, '', false
                FROM {table} x JOIN bench_pathways b ON b.id = x.id
                JOIN referrals_schoolreferral r ON r.id = b.id
                JOIN accounts_school sc ON sc.id = r.school_id
                CROSS JOIN LATERAL (SELECT {started} AS started, {due} AS due) AS c
                WHERE x.id BETWEEN {lo} AND {last} AND {started} IS NOT NULL
                """,
            )
    for key in PATHWAY_RECORDS:
        table = _pathway_model(key)._meta.db_table
        sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    sql("DROP TABLE bench_pathways")


def _version_case(steps, state):
    """A record's version in `state`: one per transition after its creation."""
    whens = " ".join(f"WHEN '{s[2]}' THEN {n}" for n, s in enumerate(steps))
    return f"CASE {state} {whens} END"


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
                                 WHEN 'dsl' THEN {ids["dsl"]}
                                 ELSE d.owner_id END,
               d.id, 'reminder', 'Reminder: due ' || to_char(d.due_at, 'DD Mon YYYY'),
               d.case_label, d.case_url, d.reminded_at,
               CASE WHEN d.id % 4 = 0 THEN d.reminded_at + interval '2 hours' END,
               'sent', 1, d.reminded_at, '', d.reminded_at
        FROM reminded d
        WHERE d.owner_role IN ('front_door', 'chair') OR d.owner_id IS NOT NULL
           OR (d.owner_role = 'dsl' AND d.school_id = {ids["busy_school"]})
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


def _quoted(values):
    return ", ".join(f"'{v}'" for v in values)


def check_pathways() -> dict:
    """Each decided case has the record of its decision's pathway; each record is on a case
    of that pathway, in a state its case's state implies (a decided case's work not started
    yet, an open case's under way, a case in review or closed with its work done); and each
    record has its clocks, running exactly while its state runs them."""
    from django.contrib.contenttypes.models import ContentType

    from referrals.models import SchoolReferral

    referral_ct = ContentType.objects.get_for_model(SchoolReferral).pk
    missing, wrong, clockless = [], [], []
    for key, spec in PATHWAY_RECORDS.items():
        model = _pathway_model(key)
        table, case = model._meta.db_table, spec["case"]
        first = spec["steps"][0][2]
        missing.append(
            f"""SELECT count(*) FROM panels_thresholddecision d
            JOIN referrals_schoolreferral r ON r.id = d.referral_id
            WHERE d.pathway = '{key}' AND r.state IN ({_quoted(ALLOCATED)})
              AND NOT EXISTS (SELECT 1 FROM {table} x WHERE x.{case} = r.id)"""
        )
        wrong.append(
            f"""SELECT count(*) FROM {table} x
            JOIN referrals_schoolreferral r ON r.id = x.{case}
            WHERE x.{case} IS NOT NULL AND NOT (
                EXISTS (SELECT 1 FROM panels_thresholddecision d
                        WHERE d.referral_id = r.id AND d.pathway = '{key}')
                AND CASE r.state WHEN 'decided' THEN x.state = '{first}'
                                 WHEN 'in_progress' THEN x.state IN ({_quoted(spec["open"])})
                                 WHEN 'review' THEN x.state IN ({_quoted(spec["done"])})
                                 WHEN 'closed' THEN x.state IN ({_quoted(spec["done"])})
                                 ELSE false END)"""
        )
        subject_ct = ContentType.objects.get_for_model(model).pk
        for clock, _role, started, *_, running, _met, _why in PATHWAY_CLOCKS[key]:
            clockless.append(
                f"""SELECT count(*) FROM {table} x
                WHERE x.{case} IS NOT NULL AND {started} IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM notifications_deadline d
                    JOIN notifications_timescale t ON t.id = d.timescale_id
                    WHERE d.subject_type_id = {subject_ct} AND d.subject_id = x.id
                      AND d.case_type_id = {referral_ct} AND d.case_id = x.{case}
                      AND t.key = '{clock}'
                      AND (d.status = 'running') = (x.state IN ({_quoted(running)})))"""
            )

    def total(queries):
        return one("SELECT " + " + ".join(f"({q})" for q in queries))

    return {
        "decided cases without their pathway's record": total(missing),
        "pathway records in a state their case does not imply": total(wrong),
        "pathway records without their clocks": total(clockless),
    }


def check(ids) -> dict:
    """What must hold after a seed, as the services keep it: each case's next_due_at is its
    soonest running clock (clocks.keep_next_due), no ended case has a running clock, the
    upcoming meeting's agenda has its fixed items, and the pathways' records agree with
    their cases (check_pathways)."""
    ended = ", ".join(f"'{s}'" for s in ENDED)
    return {
        **check_pathways(),
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
