"""Scoring: GREEN 2, AMBER 1, RED 0; section and overall totals; the NSPCC audit 0 to 4; a
half-completed audit reports what is missing and cannot be submitted."""

import pytest

from casework.errors import Incomplete
from self_assessments import services
from self_assessments.models import Answer, SelfAssessment
from self_assessments.scoring import results, score_of
from tests.accounts.factories import LocalAuthorityFactory
from tests.self_assessments.factories import (
    answer,
    answer_all,
    beyond_referrals,
    nspcc,
    partnership_people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    authority = LocalAuthorityFactory()
    people = partnership_people(authority)
    return authority, people


def start(authority, by, instrument):
    return services.partnership_audit_start(authority=authority, instrument=instrument, by=by)


def test_traffic_light_scores():
    instrument = beyond_referrals()
    assert score_of(instrument, "green") == 2
    assert score_of(instrument, "amber") == 1
    assert score_of(instrument, "red") == 0
    assert score_of(instrument, "") is None
    with pytest.raises(ValueError):
        score_of(instrument, "4")


def test_nspcc_scores_zero_to_four():
    instrument = nspcc()
    assert [score_of(instrument, str(n)) for n in range(5)] == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError):
        score_of(instrument, "5")


def test_section_and_overall_totals(partnership):
    authority, people = partnership
    audit = start(authority, people["front_door"], beyond_referrals())
    # Structures and systems (7 themes): 3 green, 2 amber, 2 red = 6 + 2 + 0 = 8 of 14.
    choices = {"1.1": "green", "1.2": "green", "1.3": "green", "1.4": "amber", "1.5": "amber"}
    choices |= {"1.6": "red", "1.7": "red"}
    # Prevention (4): all amber = 4 of 8. Identification (5): all green = 10 of 10.
    choices |= {f"2.{n}": "amber" for n in range(1, 5)}
    choices |= {f"3.{n}": "green" for n in range(1, 6)}
    # Response and intervention (5): all red = 0 of 10.
    choices |= {f"4.{n}": "red" for n in range(1, 6)}
    answer(audit, people["front_door"], choices)
    got = results(audit)
    assert [(s.score, s.maximum) for s in got.sections] == [(8, 14), (4, 8), (10, 10), (0, 10)]
    assert [s.percent for s in got.sections] == [57, 50, 100, 0]
    assert (got.score, got.maximum, got.percent) == (22, 42, 52)
    assert got.is_complete and got.missing == []
    assert {r.item.number for r in got.gaps} == {"1.4", "1.5", "1.6", "1.7"} | {
        f"2.{n}" for n in range(1, 5)
    } | {f"4.{n}" for n in range(1, 6)}
    # Scores are stored with the answers, too.
    assert Answer.objects.get(assessment=audit, item__number="1.4").score == 1


def test_nspcc_totals_and_gaps(partnership):
    authority, people = partnership
    audit = start(authority, people["police"], nspcc())
    audit = answer_all(audit, people["police"], choice="3", overrides={"1.6a": "0", "5.8": "2"})
    got = results(audit)
    assert got.total == 46  # 10 + 10 + 8 + 10 + 8 scored statements and parts
    assert [s.maximum for s in got.sections] == [40, 40, 32, 40, 32]
    assert got.sections[0].score == 9 * 3 + 0
    assert got.score == 46 * 3 - 3 - 1
    assert {r.item.number for r in got.gaps} == {"1.6a", "5.8"}  # 0 to 2 are gaps


def test_half_completed_audit_reports_missing_and_cannot_be_submitted(partnership):
    authority, people = partnership
    audit = start(authority, people["front_door"], beyond_referrals())
    audit = answer(audit, people["front_door"], {"1.1": "green", "1.2": "amber", "2.1": "red"})
    got = results(audit)
    assert (got.answered, got.total) == (3, 21)
    assert len(got.missing) == 18
    assert got.missing[0].number == "1.3"
    assert got.score == 3
    with pytest.raises(Incomplete) as caught:
        services.self_assessment_submit(assessment=audit, by=people["front_door"])
    assert caught.value.message.startswith("18 items are not answered yet")
    assert len(caught.value.problems) == 18
    audit.refresh_from_db()
    assert audit.state == "in_progress"
    assert SelfAssessment.objects.get(pk=audit.pk).submitted_at is None


def test_partial_progress_saves_and_each_change_is_attributed(partnership):
    authority, people = partnership
    audit = start(authority, people["front_door"], beyond_referrals())
    answer(audit, people["front_door"], {"1.1": "amber"})
    audit.refresh_from_db()
    answer(audit, people["police"], {"1.1": "green", "1.2": "red"})
    first = Answer.objects.get(assessment=audit, item__number="1.1")
    assert (first.choice, first.answered_by) == ("green", people["police"])
    history = list(first.history.order_by("history_date").values_list("choice", "history_user"))
    assert history == [("amber", people["front_door"].pk), ("green", people["police"].pk)]


def test_a_stale_page_is_refused(partnership):
    from casework.errors import ChangedUnderYou

    authority, people = partnership
    audit = start(authority, people["front_door"], beyond_referrals())
    stale_version = audit.version
    answer(audit, people["police"], {"1.1": "amber"})
    with pytest.raises(ChangedUnderYou):
        services.answers_save(
            assessment=audit,
            by=people["front_door"],
            answers={audit.instrument.items.get(number="1.1"): {"choice": "green"}},
            expected_version=stale_version,
        )


def test_answers_are_checked(partnership):
    authority, people = partnership
    audit = start(authority, people["front_door"], beyond_referrals())
    item = audit.instrument.items.get(number="1.1")
    with pytest.raises(Incomplete) as caught:
        services.answers_save(
            assessment=audit,
            by=people["front_door"],
            answers={item: {"choice": "purple", "evidence": ["gossip"], "note": "<b>x</b>"}},
        )
    assert set(caught.value.problems) == {
        f"item-{item.pk}-choice",
        f"item-{item.pk}-evidence",
        f"item-{item.pk}-note",
    }
