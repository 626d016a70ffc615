"""The referral list's filters for kind of harm, RAG, panel, team and the days submitted:
the right rows, never one visible_to hides, choices only from the reader's authorities,
each selected filter a removable tag, and bad values a message at the field, never a 500."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from notifications.clocks import keep_next_due
from notifications.models import Deadline, DeadlineStatus, Timescale
from referrals.models import SchoolReferral
from tests.accounts.factories import (
    ContextPanelFactory,
    SchoolFactory,
    TeamFactory,
    dsl_of,
    front_door_of,
    panel_member_of,
)
from tests.referrals.factories import draft, submitted

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _shown(client, url):
    """The referrals a list page links to, in its order, and the page."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return [int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', body)], body


def _referral(time_machine, school, dsl, when, **fields):
    """A referral submitted at `when`, then given routing fields directly (the services that
    set them are tested elsewhere; here only the list's reading of them matters)."""
    time_machine.move_to(when)
    referral = submitted(school, dsl)
    if fields:
        SchoolReferral.objects.filter(pk=referral.pk).update(**fields)
    return referral


@pytest.fixture
def world(time_machine):
    """One authority with two schools, two panels and two teams; another authority with a
    school, a panel and a team. Referrals submitted on different days with different kinds
    of harm, panels and teams; the other authority's matches every filter."""
    w = type("World", (), {})()
    w.school = SchoolFactory(name="Riverside Academy")
    authority = w.school.authority
    w.other_school = SchoolFactory(name="Hilltop School", authority=authority)
    w.elsewhere = SchoolFactory(name="Elsewhere College")
    w.dsl, w.other_dsl = dsl_of(w.school), dsl_of(w.other_school)
    w.front_door = front_door_of(authority)
    w.north = ContextPanelFactory(authority=authority, name="North panel")
    w.south = ContextPanelFactory(authority=authority, name="South panel")
    w.far_panel = ContextPanelFactory(authority=w.elsewhere.authority, name="Far panel")
    w.team = TeamFactory(authority=authority, name="Adolescent team")
    w.other_team = TeamFactory(authority=authority, name="Exploitation team")
    w.far_team = TeamFactory(authority=w.elsewhere.authority, name="Far team")
    # Harassment and online harm (the factory's answers), to the north panel, on 2 Nov.
    w.harassment = _referral(
        time_machine, w.school, w.dsl, dt.datetime(2026, 11, 2, 9, tzinfo=MONDAY.tzinfo),
        panel=w.north, allocated_team=w.team,
    )  # fmt: skip
    # Grooming at the other school, to the south panel, late on Sunday 15 Nov (London).
    w.grooming = _referral(
        time_machine, w.other_school, w.other_dsl,
        dt.datetime(2026, 11, 15, 23, 30, tzinfo=MONDAY.tzinfo),
        concern_types=["grooming"], panel=w.south, allocated_team=w.other_team,
    )  # fmt: skip
    # Bullying, no panel or team yet, today.
    w.bullying = _referral(
        time_machine, w.school, w.dsl, MONDAY - dt.timedelta(hours=1), concern_types=["bullying"]
    )
    # The other authority's: grooming, its panel and team, today.
    w.foreign = _referral(
        time_machine, w.elsewhere, dsl_of(w.elsewhere), MONDAY - dt.timedelta(hours=2),
        concern_types=["grooming"], panel=w.far_panel, allocated_team=w.far_team,
    )  # fmt: skip
    time_machine.move_to(MONDAY)
    return w


def _date(name, day, month, year):
    return f"{name}_day={day}&{name}_month={month}&{name}_year={year}"


def _ids(world, *names):
    return sorted(getattr(world, name).pk for name in names)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("concern=grooming", ["grooming"]),
        ("concern=grooming&concern=sexual_harassment", ["grooming", "harassment"]),
        ("concern=online_harm", ["harassment"]),
        ("concern=child_criminal_exploitation", []),
        ("panel={north}", ["harassment"]),
        ("panel={south}", ["grooming"]),
        ("team={team}", ["harassment"]),
        ("team={other_team}", ["grooming"]),
        # London days, both ends included: 23:30 on Sunday 15 November is the 15th.
        (_date("submitted_from", 15, 11, 2026), ["grooming", "bullying"]),
        (_date("submitted_to", 15, 11, 2026), ["harassment", "grooming"]),
        (_date("submitted_from", 16, 11, 2026) + "&" + _date("submitted_to", 23, 11, 2026),
         ["bullying"]),
        ("concern=grooming&concern=bullying&submitted_from_day=16&submitted_from_month=11"
         "&submitted_from_year=2026", ["bullying"]),
        ("concern=grooming&panel={north}", []),
    ],
)  # fmt: skip
def test_each_filter_shows_its_referrals_and_never_another_authoritys(
    client, world, query, expected
):
    client.force_login(world.front_door)
    url = "/referrals/?" + query.format(
        north=world.north.pk, south=world.south.pk, team=world.team.pk,
        other_team=world.other_team.pk,
    )  # fmt: skip
    shown, body = _shown(client, url)
    assert sorted(shown) == _ids(world, *expected)
    assert world.foreign.pk not in shown
    assert "There is a problem" not in body


def test_a_dsl_filtering_sees_only_their_schools_referrals(client, world):
    client.force_login(world.dsl)
    assert _shown(client, "/referrals/?concern=grooming")[0] == []  # the other school's
    mine = draft(world.school, world.dsl)
    SchoolReferral.objects.filter(pk=mine.pk).update(concern_types=["grooming"])
    assert _shown(client, "/referrals/?concern=grooming")[0] == [mine.pk]  # their own draft
    assert _shown(client, f"/referrals/?team={world.other_team.pk}")[0] == []
    assert _shown(client, f"/referrals/?panel={world.south.pk}")[0] == []


def test_a_panel_member_filtering_by_another_panel_sees_nothing_of_it(client, world):
    member = panel_member_of(world.north)
    client.force_login(member)
    assert _shown(client, "/referrals/")[0] == [world.harassment.pk]
    assert _shown(client, f"/referrals/?panel={world.south.pk}")[0] == []
    assert _shown(client, "/referrals/?concern=grooming")[0] == []


def test_panels_and_teams_offered_are_the_readers_authoritys_only(client, world):
    client.force_login(world.front_door)
    body = client.get("/referrals/").content.decode()
    for offered in (world.north, world.south, world.team, world.other_team):
        assert f'<option value="{offered.pk}">{offered.name}</option>' in body
    assert "Far panel" not in body and "Far team" not in body
    # The front door's own team is not one cases are allocated to.
    TeamFactory(authority=world.school.authority, name="Front door team", is_front_door=True)
    assert "Front door team" not in client.get("/referrals/").content.decode()


def test_another_authoritys_panel_or_team_is_refused_at_the_field(client, world):
    client.force_login(world.front_door)
    everything = _ids(world, "harassment", "grooming", "bullying")
    shown, body = _shown(client, f"/referrals/?panel={world.far_panel.pk}")
    assert sorted(shown) == everything
    assert "Choose a panel from the list" in body and 'href="#id_panel"' in body
    shown, body = _shown(client, f"/referrals/?team={world.far_team.pk}")
    assert sorted(shown) == everything
    assert "Choose a team from the list" in body and 'href="#id_team"' in body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("concern=bogus", "id_concern_0", "There is no kind of harm called “bogus”"),
        ("concern=%00", "id_concern_0", "There is no kind of harm called"),
        ("rag=purple", "id_rag_0", "Choose red, amber, green or no deadline running"),
        ("panel=abc", "id_panel", "Choose a panel from the list"),
        ("panel=99999999999999999999", "id_panel", "Choose a panel from the list"),
        ("team=-1", "id_team", "Choose a team from the list"),
        (_date("submitted_from", 31, 2, 2026), "id_submitted_from",
         "Submitted from must be a real date, like 27 3 2027"),
        (_date("submitted_from", "x", 2, 2026), "id_submitted_from",
         "Submitted from must be a real date"),
        ("submitted_to_day=3&submitted_to_year=2026", "id_submitted_to",
         "Submitted to must include a month"),
        (_date("submitted_to", 1, 1, 99999), "id_submitted_to", "Submitted to must be"),
        (_date("submitted_from", 20, 11, 2026) + "&" + _date("submitted_to", 19, 11, 2026),
         "id_submitted_to", "Submitted to must be the same as or after submitted from"),
    ],
)  # fmt: skip
def test_bad_values_show_the_list_with_a_message_at_the_field(client, world, query, field, message):
    client.force_login(world.front_door)
    shown, body = _shown(client, f"/referrals/?{query}")
    assert "There is a problem" in body and message in body
    assert f'href="#{field}"' in body  # the error summary links to the field
    assert world.foreign.pk not in shown
    if "submitted_from_day=20" in query:
        # "To" before "from": only "from" applies (the 20th onwards: today's).
        assert shown == [world.bullying.pk]
    else:
        assert sorted(shown) == _ids(world, "harassment", "grooming", "bullying")


def test_each_selected_filter_is_a_tag_that_removes_it(client, world):
    client.force_login(world.front_door)
    query = (
        f"concern=grooming&concern=bullying&rag=red&panel={world.south.pk}"
        f"&team={world.other_team.pk}&{_date('submitted_from', 1, 11, 2026)}"
        f"&{_date('submitted_to', 30, 11, 2026)}&sort=reference&order=desc"
    )
    shown, body = _shown(client, f"/referrals/?{query}")
    tags = dict(
        (label.strip(), href.replace("&amp;", "&"))
        for href, label in re.findall(
            r'<a class="moj-filter__tag" href="\?([^"]*)"><span class="govuk-visually-hidden">'
            r"Remove this filter:</span>([^<]*)</a>",
            body,
        )
    )
    assert set(tags) == {
        "Grooming",
        "Bullying",
        "Red: overdue",  # submitted a week ago: its screening is overdue
        "Panel: South panel",
        "Team: Exploitation team",
        "Submitted from 1 Nov 2026",
        "Submitted to 30 Nov 2026",
    }
    assert "concern=grooming" not in tags["Grooming"] and "concern=bullying" in tags["Grooming"]
    assert "rag=" not in tags["Red: overdue"]
    assert "panel=" not in tags["Panel: South panel"]
    assert "team=" not in tags["Team: Exploitation team"]
    removed = tags["Submitted from 1 Nov 2026"]
    assert "submitted_from" not in removed and "submitted_to_day=30" in removed
    # Removing a filter keeps the sort.
    assert all("sort=reference&order=desc" in href for href in tags.values())
    assert shown == [world.grooming.pk]


# --- RAG: the case's clocks at their worst, as Deadline.rag judges each -------------------


def _clock(referral, *, reminder, due, timescale=None):
    """Set the case's screening clock (or add a clock of `timescale`) to these times, and keep
    the case's next due time as notifications.clocks does."""
    case_type = ContentType.objects.get_for_model(SchoolReferral)
    running = Deadline.objects.filter(
        case_type=case_type, case_id=referral.pk, status=DeadlineStatus.RUNNING
    )
    if timescale is None:
        assert running.count() == 1
        running.update(reminder_at=reminder, due_at=due)
    else:
        clock = running.get()
        clock.pk, clock.timescale = None, timescale
        clock.reminder_at, clock.due_at = reminder, due
        clock.save()
    keep_next_due(referral)


def _worst(referral, now):
    rags = [
        d.rag(now)
        for d in Deadline.objects.filter(
            case_type=ContentType.objects.get_for_model(SchoolReferral),
            case_id=referral.pk,
            status=DeadlineStatus.RUNNING,
        )
    ]
    for rag in ("red", "amber", "green"):
        if rag in rags:
            return rag
    return "none"


def test_the_rag_filter_agrees_with_deadline_rag(client, world):
    now, hour = MONDAY, dt.timedelta(hours=1)
    school, dsl = world.school, world.dsl
    cases = {name: submitted(school, dsl) for name in ("red", "amber", "green", "edge", "mixed")}
    _clock(cases["red"], reminder=now - 3 * hour, due=now - hour)
    _clock(cases["amber"], reminder=now - hour, due=now + hour)
    _clock(cases["green"], reminder=now + hour, due=now + 2 * hour)
    # Due this very moment: not yet overdue (Deadline.rag: red only after due), so amber.
    _clock(cases["edge"], reminder=now - hour, due=now)
    # The soonest clock is on track but a later one is inside its reminder window: amber.
    _clock(cases["mixed"], reminder=now + hour, due=now + 2 * hour)
    other = Timescale.objects.filter(authority=school.authority).exclude(key="screening_decision")[
        0
    ]
    _clock(cases["mixed"], reminder=now - hour, due=now + 5 * hour, timescale=other)
    # An overdue clock beside one on track: red.
    _clock(world.bullying, reminder=now - 3 * hour, due=now - 2 * hour)
    _clock(world.bullying, reminder=now + hour, due=now + 9 * hour, timescale=other)
    withdrawn = submitted(school, dsl)
    from referrals import services

    services.referral_withdraw(referral=withdrawn, by=dsl, reason="Sent in error.")

    client.force_login(world.front_door)
    visible = list(SchoolReferral.objects.visible_to(world.front_door))
    expected = {rag: set() for rag in ("red", "amber", "green", "none")}
    for referral in visible:
        expected[_worst(referral, now)].add(referral.pk)
    assert expected["red"] >= {cases["red"].pk, world.bullying.pk}
    assert expected["amber"] >= {cases["amber"].pk, cases["edge"].pk, cases["mixed"].pk}
    assert cases["green"].pk in expected["green"] and withdrawn.pk in expected["none"]
    for rag, pks in expected.items():
        assert sorted(_shown(client, f"/referrals/?show=all&rag={rag}")[0]) == sorted(pks), rag
    both = sorted(_shown(client, "/referrals/?show=all&rag=red&rag=amber")[0])
    assert both == sorted(expected["red"] | expected["amber"])
    # Open work only (the default): the withdrawn case has no clock but is not open work.
    assert withdrawn.pk not in _shown(client, "/referrals/?rag=none")[0]
    assert world.foreign.pk not in _shown(client, "/referrals/?show=all&rag=green")[0]


def test_the_school_filter_offers_the_readers_own_schools_by_name_or_a_search(monkeypatch):
    """Up to SCHOOLS_OFFERED schools, those of the referrals the reader may see, by name
    (never a school whose referrals visible_to hides); more than that, none: a search."""
    from referrals import selectors

    zebra = SchoolFactory(name="Zebra Primary")
    authority = zebra.authority
    apple = SchoolFactory(name="Apple Academy", authority=authority)
    submitted(zebra), submitted(apple), submitted(apple)
    submitted(SchoolFactory(name="Elsewhere High"))  # another authority's
    SchoolFactory(name="Quiet School", authority=authority)  # no referral
    reader = front_door_of(authority)
    assert selectors.school_choices(reader) == [apple, zebra]
    monkeypatch.setattr(selectors, "SCHOOLS_OFFERED", 1)
    assert selectors.school_choices(reader) is None
