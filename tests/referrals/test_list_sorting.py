"""The referral list's sortable columns (the MOJ sortable table, server-side): each sort
gives the right order, descending is its exact reverse, the headers say which column is
sorted (aria-sort) and link to the other way, the sort is kept across pages and filters,
and an unknown sort is the default order, never a failure."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from casework import lists
from referrals.models import SchoolReferral
from referrals.selectors import BY_URGENCY
from tests.accounts.factories import SchoolFactory, dsl_of, front_door_of
from tests.referrals.factories import draft, submitted

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(MONDAY, tick=False)]


def _shown(client, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return [int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', body)], body


@pytest.fixture
def world(time_machine):
    """Three schools of one authority and one of another; referrals submitted on different
    days (so with different references and deadlines), one whose clock has stopped, a draft
    (only its DSL sees it) and another authority's."""
    w = type("World", (), {})()
    w.abbey = SchoolFactory(name="Abbey School")
    authority = w.abbey.authority
    w.riverside = SchoolFactory(name="Riverside Academy", authority=authority)
    w.hilltop = SchoolFactory(name="Hilltop School", authority=authority)
    w.elsewhere = SchoolFactory(name="Aardvark Elsewhere")
    w.dsl = dsl_of(w.riverside)
    w.front_door = front_door_of(authority)
    w.referrals = []
    for days, school in [(9, w.riverside), (2, w.abbey), (6, w.hilltop), (4, w.riverside)]:
        time_machine.move_to(MONDAY - dt.timedelta(days=days))
        w.referrals.append(submitted(school))
    time_machine.move_to(MONDAY)
    w.no_clock = submitted(w.riverside, w.dsl)
    SchoolReferral.objects.filter(pk=w.no_clock.pk).update(next_due_at=None)
    w.draft = draft(w.riverside, w.dsl)
    w.foreign = submitted(w.elsewhere)
    return w


def _in_order(pks, *fields):
    return list(
        SchoolReferral.objects.filter(pk__in=pks).order_by(*fields).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("sort", "fields"),
    [
        ("reference", ("reference", "pk")),
        ("school", ("school__name", "pk")),
        ("submitted", ("submitted_at", "pk")),
        ("due", BY_URGENCY),
    ],
)
def test_each_column_sorts_both_ways_and_shows_only_what_visible_to_gives(
    client, world, sort, fields
):
    client.force_login(world.front_door)
    visible = list(SchoolReferral.objects.visible_to(world.front_door).values_list("pk", flat=True))
    assert world.foreign.pk not in visible and world.draft.pk not in visible
    ascending, body = _shown(client, f"/referrals/?show=all&sort={sort}&order=asc")
    assert ascending == _in_order(visible, *fields)
    descending, body = _shown(client, f"/referrals/?show=all&sort={sort}&order=desc")
    assert descending == list(reversed(ascending))
    assert "descending" in body


def test_a_dsl_sorting_sees_their_schools_referrals_drafts_and_nothing_else(client, world):
    client.force_login(world.dsl)
    mine = [world.referrals[0].pk, world.referrals[3].pk, world.no_clock.pk, world.draft.pk]
    shown, _ = _shown(client, "/referrals/?sort=reference&order=asc")
    assert sorted(shown) == sorted(mine)
    assert shown[-1] == world.draft.pk  # no reference yet: last, ascending
    shown, _ = _shown(client, "/referrals/?sort=school&order=desc")
    assert sorted(shown) == sorted(mine)


def _headers(body):
    return re.findall(r'<th scope="col" class="govuk-table__header"([^>]*)>(.*?)</th>', body)


def test_the_headers_say_how_the_table_is_sorted_and_link_to_the_other_way(client, world):
    client.force_login(world.front_door)
    _, body = _shown(client, "/referrals/?q=School")
    headers = {
        re.sub(r"<[^>]+>|:.*", "", cell).strip(): (attrs, cell) for attrs, cell in _headers(body)
    }
    # The default order is most urgent first: the deadlines column, ascending.
    assert 'aria-sort="ascending"' in headers["Deadlines"][0]
    assert 'aria-sort="none"' in headers["Reference"][0]
    assert "aria-sort" not in headers["Status"][0] and "href" not in headers["Status"][1]
    assert 'href="?q=School&amp;sort=reference&amp;order=asc"' in headers["Reference"][1]
    assert 'href="?q=School&amp;sort=due&amp;order=desc"' in headers["Deadlines"][1]
    _, body = _shown(client, "/referrals/?q=School&sort=reference&order=asc&page=1")
    headers = {
        re.sub(r"<[^>]+>|:.*", "", cell).strip(): (attrs, cell) for attrs, cell in _headers(body)
    }
    assert 'aria-sort="ascending"' in headers["Reference"][0]
    assert 'aria-sort="none"' in headers["Deadlines"][0]
    # A header link goes back to the first page, sorting the other way.
    assert 'href="?q=School&amp;sort=reference&amp;order=desc"' in headers["Reference"][1]
    assert "sort descending" in headers["Reference"][1]
    assert "by reference, ascending" in body


def test_the_closed_view_sorts_too(client, world):
    from referrals import services

    withdrawn = [
        services.referral_withdraw(referral=r, by=world.dsl, reason="Sent in error.")
        for r in (world.referrals[3], world.no_clock)
    ]
    client.force_login(world.front_door)
    shown, body = _shown(client, "/referrals/?show=closed&sort=submitted&order=desc")
    assert shown == _in_order([r.pk for r in withdrawn], "-submitted_at", "-pk")
    assert 'aria-sort="descending"' in body


@pytest.mark.parametrize(
    "query",
    [
        "sort=%3B%20drop",  # "; drop"
        "sort=id",
        "sort=school__authority__name",
        "sort=%00",
        "sort=" + "x" * 500,
        "order=desc",  # an order without a sort: the default
        "sort=&order=sideways",
    ],
)
def test_an_unknown_sort_is_the_default_order_never_a_failure(client, world, query):
    client.force_login(world.front_door)
    shown, body = _shown(client, f"/referrals/?{query}")
    assert "There is a problem" not in body
    open_work = SchoolReferral.objects.visible_to(world.front_door)
    assert shown == list(open_work.order_by(*BY_URGENCY).values_list("pk", flat=True))
    assert "most urgent first" in body


def test_an_unknown_order_sorts_ascending(client, world):
    client.force_login(world.front_door)
    shown, _ = _shown(client, "/referrals/?show=all&sort=reference&order=sideways")
    assert shown == sorted(
        shown, key=lambda pk: SchoolReferral.objects.get(pk=pk).reference or "\uffff"
    )


def test_the_sort_is_kept_across_pages_and_filters(client, world, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client.force_login(world.front_door)
    url = "/referrals/?show=all&sort=school&order=desc"
    first, body = _shown(client, url)
    assert 'href="?show=all&amp;sort=school&amp;order=desc&amp;page=2"' in body
    # The filter form carries the sort, so applying a filter keeps it.
    assert '<input type="hidden" name="sort" value="school">' in body
    assert '<input type="hidden" name="order" value="desc">' in body
    second, _ = _shown(client, url + "&page=2")
    third, _ = _shown(client, url + "&page=3")
    visible = SchoolReferral.objects.visible_to(world.front_door).values_list("pk", flat=True)
    assert first + second + third == _in_order(visible, "-school__name", "-pk")
    # A filter's tag removes the filter and keeps the sort.
    _, body = _shown(client, url + f"&school={world.riverside.pk}")
    assert 'class="moj-filter__tag" href="?show=all&amp;sort=school&amp;order=desc"' in body
