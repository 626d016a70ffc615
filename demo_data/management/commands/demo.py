"""Build a demo authority: four context panels, about 20 schools from the sample GIAS file,
a person for every role, and referrals in every state reached so far.

All people share one password, generated here and printed once."""

import datetime as dt
import secrets
from base64 import b32encode
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.groups import administrators_group
from accounts.mfa import APP
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
from demo_data import partnership_meetings as partnership_meeting_demo
from demo_data import plans
from demo_data import safety_summits as safety_summit_demo
from demo_data import school_assessments as school_assessment_demo
from demo_data import self_assessments as demo_self_assessments
from notifications.catalogue import seed_timescales
from notifications.sweep import run_sweep
from notifications.workdays import WorkingCalendar
from panels import services as panel_services
from referrals import services
from referrals.models import ThresholdIndicator

SAMPLE = Path(__file__).resolve().parents[3] / "referrals" / "data" / "sample_schools.csv"
DEMO_LA = "999"
REGIONS = ["North", "South", "East", "West"]
DOMAIN = "demo.example"

PEOPLE = [
    # email local part, name, job title
    ("dsl", "Dana Okafor", "Designated safeguarding lead"),
    ("deputy", "Priya Shah", "Deputy designated safeguarding lead"),
    ("dsl.south", "Tom Brennan", "Designated safeguarding lead"),
    ("frontdoor", "Fola Adeyemi", "Front door education officer"),
    ("chair", "Helen Marsh", "Context panel chair, service manager"),
    ("member", "Sgt. Owen Price", "Police, context panel member"),
    ("practitioner", "Sam Lee", "Practice development officer"),
    ("manager", "Ruth Clarke", "Team manager, adolescent safeguarding"),
    ("police", "DC Amy Ward", "Police schools liaison"),
    ("admin", "Alex Morgan", "Systems administrator"),
    ("duty", "Jo Whitfield", "Duty manager, children's services"),
    ("dpo", "Kim Osei", "Data protection officer"),
]

ANSWERS = {
    "concern_types": ["sexual_harassment", "online_harm"],
    "incident_description": (
        "Over six weeks, several Year 9 girls have reported sexual comments in the top-floor "
        "corridor and nude images being shared in a year-group chat."
    ),
    "patterns": "Mostly at lunchtime, on the 4.10pm bus, and in one online group.",
    "places": ["corridors", "transport", "online"],
    "pupils_by_year": {"y9": 7, "y10": 2},
    "pupils_female": 6,
    "pupils_male": 3,
    "pupils_send": 2,
    "actions_taken": ["risk_assessment", "separation", "parents_informed"],
    "actions_detail": "Risk assessments for two pupils; separate bus seating.",
    "young_people_views": "Girls told us the top corridor and the bus feel unsafe; "
    "staff are rarely there.",
    "information_sharing_basis": "public_task",
}


@contextmanager
def _at(moment):
    """Let the demo's history read as if it happened over the last fortnight."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class Command(BaseCommand):
    help = "Create demo data for every role and state (refuses if it already exists)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Use this password instead of a random one.")

    def handle(self, *args, **options):
        if LocalAuthority.objects.filter(code=DEMO_LA).exists():
            raise CommandError("Demo data already exists (authority 999). Use a fresh database.")
        password = options["password"] or secrets.token_urlsafe(12)  # 16 characters
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("That password is refused: " + " ".join(error.messages)) from None
        call_command("import_schools", str(SAMPLE), la=[DEMO_LA], verbosity=0)
        with transaction.atomic():
            people = self._people_and_places(password)
            self._referrals(people)
            demo_self_assessments.build(people, timezone.now())
        run = run_sweep()  # the first reminders, alerts and escalations land in inboxes
        self.stdout.write(
            f"Reminder sweep: {run.reminders} reminders, {run.alerts} alerts, "
            f"{run.escalations} escalations"
        )
        self._print_logins(password)

    def _people_and_places(self, password):
        authority = LocalAuthority.objects.get(code=DEMO_LA)
        schools = list(School.objects.filter(authority=authority).order_by("urn")[:20])
        for index, school in enumerate(schools):
            school.locality = REGIONS[index % len(REGIONS)]
            school._change_reason = "demo localities"
            school.save()
        panels = {
            region: ContextPanel.objects.create(
                authority=authority, name=f"{region} context panel", region=region
            )
            for region in REGIONS
        }
        seed_timescales(authority)
        team = Team.objects.create(authority=authority, name="Adolescent safeguarding team")
        front_door_team = Team.objects.create(
            authority=authority, name="Front door", is_front_door=True
        )
        people = {}
        for key, name, title in PEOPLE:
            people[key] = User.objects.create_user(
                f"{key}@{DOMAIN}",
                password,
                full_name=name,
                job_title=title,
                authority=authority,
            )
        # Two-step verification: every demo person's authenticator shares one key, printed
        # with the logins (accounts/mfa.py); `./demo code` prints the current code.
        self.mfa_key = secrets.token_hex(20)
        for person in people.values():
            TOTPDevice.objects.create(user=person, name=APP, key=self.mfa_key, confirmed=True)
        north = [s for s in schools if s.locality == "North"]
        south = [s for s in schools if s.locality == "South"]
        SchoolMembership.objects.create(user=people["dsl"], school=north[0], role=SchoolRole.DSL)
        SchoolMembership.objects.create(user=people["dsl"], school=north[1], role=SchoolRole.DSL)
        SchoolMembership.objects.create(
            user=people["deputy"], school=north[0], role=SchoolRole.DEPUTY_DSL
        )
        SchoolMembership.objects.create(
            user=people["dsl.south"], school=south[0], role=SchoolRole.DSL
        )
        AuthorityMembership.objects.create(
            user=people["frontdoor"], authority=authority, role=AuthorityRole.FRONT_DOOR
        )
        AuthorityMembership.objects.create(
            user=people["police"],
            authority=authority,
            role=AuthorityRole.PARTNER,
            agency=Agency.POLICE,
        )
        AuthorityMembership.objects.create(
            user=people["admin"], authority=authority, role=AuthorityRole.ADMINISTRATOR
        )
        AuthorityMembership.objects.create(
            user=people["duty"], authority=authority, role=AuthorityRole.DUTY_MANAGER
        )
        AuthorityMembership.objects.create(
            user=people["dpo"], authority=authority, role=AuthorityRole.DATA_PROTECTION_OFFICER
        )
        people["admin"].is_staff = True
        people["admin"].save()
        people["admin"].groups.add(administrators_group())
        for region in ("North", "South"):
            PanelMembership.objects.create(
                user=people["chair"],
                panel=panels[region],
                role=PanelRole.CHAIR,
                agency=Agency.SOCIAL_CARE,
            )
            PanelMembership.objects.create(
                user=people["member"],
                panel=panels[region],
                role=PanelRole.MEMBER,
                agency=Agency.POLICE,
            )
        TeamMembership.objects.create(
            user=people["practitioner"], team=team, role=TeamRole.PRACTITIONER
        )
        TeamMembership.objects.create(user=people["manager"], team=team, role=TeamRole.MANAGER)
        TeamMembership.objects.create(
            user=people["manager"], team=front_door_team, role=TeamRole.MANAGER
        )
        people.update(north=north, south=south, panels=panels, authority=authority, team=team)
        return people

    def _referrals(self, p):
        now = timezone.now()
        dsl, fd = p["dsl"], p["frontdoor"]
        indicators = list(
            ThresholdIndicator.objects.filter(authority=p["authority"], level="child_in_need")[:2]
        )

        calendar = WorkingCalendar.for_authority(p["authority"])

        def at(working_days_ago):
            """11:00 on the working day that many working days ago (0: an hour ago), so the
            demo has red, amber and green deadlines whatever day it is run."""
            if working_days_ago == 0:
                return now - dt.timedelta(hours=1)
            day = calendar.add(timezone.localdate(now), -working_days_ago)
            return timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))

        def make(school, by, days_ago, *, complete=True):
            with _at(at(days_ago) - dt.timedelta(hours=2)):
                referral = services.referral_start(school=school, by=by)
                if complete:
                    referral = services.referral_update_draft(
                        referral=referral,
                        by=by,
                        data=ANSWERS,
                        indicators=indicators,
                        linked_children=[("MOS-10482", "JB")],
                    )
            return referral

        def then(days_ago, service, **kwargs):
            with _at(at(days_ago)):
                return service(**kwargs)

        north0, north1, south0 = p["north"][0], p["north"][1], p["south"][0]
        # Draft, half written
        make(north1, dsl, 0, complete=False)
        # Submitted just now
        r = make(north0, dsl, 0)
        then(0, services.referral_submit, referral=r, by=dsl)
        # Submitted three days ago and not yet screened: overdue on the queue
        r = make(south0, p["dsl.south"], 3)
        then(3, services.referral_submit, referral=r, by=p["dsl.south"])
        # Screening
        r = make(north1, dsl, 1)
        r = then(1, services.referral_submit, referral=r, by=dsl)
        then(0, services.referral_start_screening, referral=r, by=fd)
        # Awaiting the North panel
        r = make(north0, p["deputy"], 9)
        r = then(9, services.referral_submit, referral=r, by=p["deputy"])
        then(
            8,
            services.referral_accept_to_panel,
            referral=r,
            by=fd,
            panel=p["panels"]["North"],
            reason="Pattern of harassment across a year group and on transport: a school "
            "context concern for the panel.",
        )
        # More information requested, then another answered and back in screening
        r = make(north0, dsl, 4)
        r = then(4, services.referral_submit, referral=r, by=dsl)
        then(
            3,
            services.referral_request_information,
            referral=r,
            by=fd,
            message="Which bus routes, and has the transport provider been told?",
        )
        r = make(north1, dsl, 6)
        r = then(6, services.referral_submit, referral=r, by=dsl)
        r = then(
            5,
            services.referral_request_information,
            referral=r,
            by=fd,
            message="Has the school's behaviour policy been reviewed this year?",
        )
        then(
            4,
            services.referral_provide_information,
            referral=r,
            by=dsl,
            response="Yes, in September; we attach the summary to the next panel.",
        )
        # Redirected as an individual child referral
        r = make(south0, p["dsl.south"], 10)
        r = then(10, services.referral_submit, referral=r, by=p["dsl.south"])
        then(
            9,
            services.referral_redirect,
            referral=r,
            by=fd,
            reason="The concern is about one child at home: individual referral to the MASH.",
        )
        # Withdrawn by the school
        r = make(north0, dsl, 12)
        r = then(12, services.referral_submit, referral=r, by=dsl)
        then(
            11,
            services.referral_withdraw,
            referral=r,
            by=dsl,
            reason="Duplicate of an earlier referral.",
        )
        self._meetings(p, make, then, at)
        plans.build(p, then=then, at=at, answers=ANSWERS)
        school_assessment_demo.build(p, then=then, at=at, answers=ANSWERS)
        partnership_meeting_demo.build(p, then=then, at=at, answers=ANSWERS)
        safety_summit_demo.build(p, then=then, at=at, answers=ANSWERS)

    def _meetings(self, p, make, then, at):
        """A past North panel meeting with decisions and approved minutes, and the next one
        scheduled with the referral still awaiting the panel on its agenda."""
        chair, member, fd = p["chair"], p["member"], p["frontdoor"]
        north = p["panels"]["North"]
        north0, north1 = p["north"][0], p["north"][1]
        for_decision = []
        for school, by in ((north1, p["dsl"]), (north0, p["deputy"])):
            r = make(school, by, 9)
            r = then(9, services.referral_submit, referral=r, by=by)
            for_decision.append(
                then(
                    8,
                    services.referral_accept_to_panel,
                    referral=r,
                    by=fd,
                    panel=north,
                    reason="School context concern.",
                )
            )
        start = at(3)
        meeting = then(
            6,
            panel_services.meeting_schedule,
            panel=north,
            by=chair,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            place="Committee Room 2, Civic Centre",
        )
        meeting = then(
            3,
            panel_services.meeting_open,
            meeting=meeting,
            by=chair,
            attendees=[chair, member],
            apologies=[],
        )
        then(
            3,
            panel_services.decision_record,
            referral=for_decision[0],
            by=chair,
            meeting=meeting,
            level="child_in_need",
            pathway="school_assessment",
            rationale="Harassment across a year group, in corridors and on the bus; staff "
            "respond inconsistently. A School Assessment with the school.",
            advice="Increase supervision of the top corridor at lunchtime now.",
            lead_practitioner=p["practitioner"],
            lead_team=p["team"],
            start_by=timezone.localdate() + dt.timedelta(days=7),
        )
        then(
            3,
            panel_services.decision_record,
            referral=for_decision[1],
            by=member,
            meeting=meeting,
            level="below_threshold",
            pathway="manage_internally",
            rationale="A single incident, well handled by the school's own response.",
            advice="Review the behaviour policy's section on online harm this term.",
        )
        meeting = then(
            3,
            panel_services.meeting_draft_minutes,
            meeting=meeting,
            by=chair,
            actions="Front door to share the bus operator's contact with the DSL.",
        )
        then(2, panel_services.meeting_approve_minutes, meeting=meeting, by=chair)
        upcoming = timezone.localtime(timezone.now() + dt.timedelta(days=3)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        panel_services.meeting_schedule(
            panel=north,
            by=chair,
            starts_at=upcoming,
            ends_at=upcoming + dt.timedelta(hours=2),
            place="Online: the panel's usual video link",
        )

    def _print_logins(self, password):
        out = self.stdout
        out.write("")
        out.write("Demo logins (all share one password, shown only now):")
        out.write(f"  password: {password}")
        for key, name, title in PEOPLE:
            out.write(f"  {key + '@' + DOMAIN:28} {name} – {title}")
        out.write("")
        out.write("Two-step verification: after the password, enter the security code. Every demo")
        out.write("person's authenticator key (add it to any authenticator app, time based) is:")
        out.write(f"  {b32encode(bytes.fromhex(self.mfa_key)).decode()}")
        out.write("or, in another terminal, print the current code with:  ./demo code")
        out.write("")
