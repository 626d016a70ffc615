"""Endings, hand-offs and waiting (issue 13), for existing authorities' catalogues:

- the screening clock no longer runs while the school is asked for more information
  (docs/decisions/0010-waiting-for-the-school.md): it stops, and a new one starts when the
  school answers. A screening clock running now on a referral that waits for the school is
  stopped, cancelled, with that reason;
- a plan review that decides to close the case meets the review clock and starts no other
  review: the plan is "to close" and the new case-closure clock runs until it closes;
- the lead's review of a submitted self-assessment has its own clock.

Rows an administrator has changed are left as they are (only rows still as shipped change);
the new rows are added to every authority that has a catalogue."""

from django.db import migrations
from django.utils import timezone

# Frozen here, as the default catalogue had them when this was written.
CHANGED = {
    "screening_decision": (
        "running_states",
        ["submitted", "screening", "more_information_requested"],
        ["submitted", "screening"],
    ),
    "plan_review": ("met_states", ["reviewed", "closed"], ["reviewed", "closing", "closed"]),
    "plan_review_next": ("met_states", ["closed"], ["closing", "closed"]),
}
NEW = {
    "self_assessment_review": {
        "name": "Self-assessment reviewed with the school",
        "model": "self_assessments.selfassessment",
        "running_states": ["submitted"],
        "met_states": ["reviewed"],
        "period": 10,
        "period_unit": "working_days",
        "owner_role": "lead",
        "reminder_days": 3,
        "escalation_days": 2,
        "target_percent": 90,
        "source": "Local timescale: the lead reviews the school's submitted self-assessment "
        "with the school and turns its gaps into plan actions",
    },
    "case_closure": {
        "name": "Case closed after the review's decision to close",
        "model": "referrals.caseplan",
        "running_states": ["closing"],
        "met_states": ["closed"],
        "period": 10,
        "period_unit": "working_days",
        "owner_role": "lead",
        "reminder_days": 3,
        "escalation_days": 2,
        "target_percent": 95,
        "source": "Local timescale: a case closes with its outcomes within 10 working days of "
        "the review that decides to close it",
    },
}
WAITING_REASON = (
    "Waiting for the school: the screening clock stops while the school is asked for more "
    "information, and a new one starts when it answers."
)


def forwards(apps, schema_editor):
    Timescale = apps.get_model("notifications", "Timescale")
    Deadline = apps.get_model("notifications", "Deadline")
    SchoolReferral = apps.get_model("referrals", "SchoolReferral")
    for key, (field, old, new) in CHANGED.items():
        for timescale in Timescale.objects.filter(key=key, **{field: old}):
            setattr(timescale, field, new)
            timescale.save()
    for authority_id in set(Timescale.objects.values_list("authority_id", flat=True)):
        for key, row in NEW.items():
            Timescale.objects.get_or_create(authority_id=authority_id, key=key, defaults=row)
    waiting = SchoolReferral.objects.filter(state="more_information_requested").values("pk")
    Deadline.objects.filter(
        timescale__key="screening_decision",
        timescale__running_states=CHANGED["screening_decision"][2],
        status="running",
        case_type__app_label="referrals",
        case_type__model="schoolreferral",
        case_id__in=waiting,
    ).update(status="cancelled", stopped_at=timezone.now(), stop_reason=WAITING_REASON)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0008_unroutable"),
        ("referrals", "0005_plan_to_close"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
