"""notifications knows a case only through what its app registered (notifications.cases)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications import cases
from notifications.clocks import transition_happened
from tests.referrals.factories import in_state

pytestmark = pytest.mark.django_db


def test_the_referral_registers_the_facts_its_clocks_need():
    referral = in_state("awaiting_panel")
    about = cases.facts(referral)
    assert about.authority == referral.school.authority
    assert (about.school_id, about.school_name) == (referral.school_id, referral.school.name)
    assert about.panel_id == referral.panel_id and about.label == referral.reference
    assert about.url == f"/referrals/{referral.pk}/"
    assert about.lead_id is None and about.team_id is None


def test_a_case_model_that_never_registered_fails_loudly_not_silently():
    stranger = SimpleNamespace(pk=1, _meta=SimpleNamespace(label_lower="elsewhere.case"))
    with pytest.raises(ImproperlyConfigured, match="never registered"):
        transition_happened(
            case=stranger, subject=stranger, from_state="", to_state="open", at=None
        )
