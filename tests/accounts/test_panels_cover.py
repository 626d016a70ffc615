import pytest

from tests.accounts.factories import ContextPanelFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_a_panel_covers_its_region_with_exceptions_both_ways():
    panel = ContextPanelFactory(region="North")
    north, south, excluded = (
        SchoolFactory(authority=panel.authority, locality="North"),
        SchoolFactory(authority=panel.authority, locality="South"),
        SchoolFactory(authority=panel.authority, locality="North"),
    )
    panel.excluded_schools.add(excluded)
    assert panel.covers(north) and not panel.covers(south) and not panel.covers(excluded)
    panel.extra_schools.add(south)
    assert panel.covers(south)


def test_the_front_door_is_offered_the_panel_that_covers_the_school(client):
    from tests.accounts.factories import front_door_of
    from tests.referrals.factories import submitted

    school = SchoolFactory(locality="South")
    north = ContextPanelFactory(authority=school.authority, region="North", name="North panel")
    ContextPanelFactory(authority=school.authority, region="South", name="South panel")
    north.extra_schools.add(school)
    referral = submitted(school)
    client.force_login(front_door_of(school.authority))
    page = client.get(f"/referrals/{referral.pk}/accept_to_panel/").content.decode()
    checked = page.split(" checked")[0].rsplit("<input", 1)[1]
    assert f'value="{north.pk}"' in checked
