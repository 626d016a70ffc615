"""Two people acting on the same referral at once: one wins, the other is told."""

import threading

import pytest
from django.db import connection

from casework.errors import ChangedUnderYou
from referrals import services
from referrals.choices import ReferralState as S
from referrals.models import SchoolReferral, TransitionRecord
from tests.accounts.factories import front_door_of
from tests.referrals.factories import COMPLETE_ANSWERS, in_state


@pytest.mark.django_db
def test_second_screener_working_from_a_stale_copy_is_told_and_nothing_is_lost():
    referral = in_state(S.SUBMITTED)
    first, second = referral.people["front_door"], front_door_of(referral.school.authority)
    # Both officers open the referral.
    seen_by_first = SchoolReferral.objects.get(pk=referral.pk)
    seen_by_second = SchoolReferral.objects.get(pk=referral.pk)

    services.referral_accept_to_panel(
        referral=seen_by_first, by=first, panel=referral.people["panel"], reason="Threshold met."
    )
    with pytest.raises(ChangedUnderYou) as told:
        services.referral_redirect(referral=seen_by_second, by=second, reason="Individual child.")

    assert "changed while you were working on it" in told.value.message
    assert "Awaiting panel" in told.value.message
    current = SchoolReferral.objects.get(pk=referral.pk)
    assert current.state == S.AWAITING_PANEL
    assert current.panel == referral.people["panel"]
    assert (
        list(TransitionRecord.objects.filter(case=current).values_list("transition", flat=True))[-1]
        == "accept_to_panel"
    )


@pytest.mark.django_db
def test_a_stale_draft_form_does_not_overwrite_a_colleagues_answers():
    referral = in_state(S.DRAFT)
    dsl = referral.people["dsl"]
    loaded_version = referral.version
    services.referral_update_draft(
        referral=referral,
        by=dsl,
        data={**COMPLETE_ANSWERS, "patterns": "Deputy's newer notes."},
        indicators=[],
        linked_children=[],
        expected_version=loaded_version,
    )
    with pytest.raises(ChangedUnderYou):
        services.referral_update_draft(
            referral=referral,
            by=dsl,
            data={**COMPLETE_ANSWERS, "patterns": "Older text."},
            indicators=[],
            linked_children=[],
            expected_version=loaded_version,
        )
    assert SchoolReferral.objects.get(pk=referral.pk).patterns == "Deputy's newer notes."


@pytest.mark.django_db(transaction=True)
def test_two_screeners_racing_in_separate_transactions_one_wins():
    referral = in_state(S.SUBMITTED)
    officers = [referral.people["front_door"], front_door_of(referral.school.authority)]
    copies = [SchoolReferral.objects.get(pk=referral.pk) for _ in officers]
    barrier = threading.Barrier(2)
    outcomes = []

    def screen(copy, officer):
        try:
            barrier.wait(timeout=5)
            services.referral_start_screening(referral=copy, by=officer)
            outcomes.append("won")
        except ChangedUnderYou:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=screen, args=pair) for pair in zip(copies, officers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(outcomes) == ["told", "won"]
    assert (
        TransitionRecord.objects.filter(case_id=referral.pk, transition="start_screening").count()
        == 1
    )
    assert SchoolReferral.objects.get(pk=referral.pk).state == S.SCREENING


@pytest.mark.django_db
def test_the_page_tells_the_second_screener(client):
    referral = in_state(S.SUBMITTED)
    stale_version = referral.version
    services.referral_start_screening(referral=referral, by=referral.people["front_door"])
    other = front_door_of(referral.school.authority)
    client.force_login(other)
    response = client.post(
        f"/referrals/{referral.pk}/redirect/",
        {"version": stale_version, "reason": "Individual child."},
    )
    assert response.status_code == 200
    assert "changed while you were working on it" in response.content.decode()
    assert SchoolReferral.objects.get(pk=referral.pk).state == S.SCREENING
