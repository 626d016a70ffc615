"""The case's chronology: every transition and every change of answers, who, when, why."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from casework import pathways
from referrals.models import LinkedChild
from referrals.services import CONTENT_FIELDS


@dataclass
class Entry:
    at: object
    who: object
    title: str
    reason: str = ""
    details: list = field(default_factory=list)


FIELD_LABELS = {
    "concern_types": "Kinds of harm",
    "concern_other": "Other kind of harm",
    "incident_description": "The incidents",
    "patterns": "Patterns",
    "places": "Places and contexts",
    "places_other": "Other place or context",
    "pupils_by_year": "Pupils by year group",
    "pupils_female": "Girls",
    "pupils_male": "Boys",
    "pupils_other_gender": "Another gender",
    "pupils_gender_not_known": "Gender not known",
    "pupils_send": "Pupils with SEND",
    "actions_taken": "What the school has done",
    "actions_detail": "Details of what the school has done",
    "young_people_views": "Young people's views",
    "information_sharing_basis": "Information sharing basis",
    "information_sharing_detail": "Information sharing details",
}


def _label(name):
    return FIELD_LABELS.get(name, name)


def chronology(referral, user):
    """What `user` may read of the case's story: a record's transitions, and what its
    pathway adds of it (a partnership meeting's reschedules), only if they may read the
    record (a School Assessment's, for a DSL, once it is shared)."""
    from referrals.selectors import readable_subjects

    entries = []
    records = list(referral.transition_records.select_related("by", "content_type"))
    added = [
        (ContentType.objects.get_for_model(model).pk, object_id, entry)
        for model, object_id, entry in pathways.chronicles(referral)
    ]
    readable = readable_subjects(
        user,
        {(r.content_type_id, r.object_id) for r in records} | {(t, i) for t, i, _ in added},
    )
    for record in records:
        if (record.content_type_id, record.object_id) in readable:
            entries.append(Entry(record.at, record.by, _title(record), record.reason))
    entries.extend(entry for type_id, object_id, entry in added if (type_id, object_id) in readable)
    versions = list(
        referral.history.select_related("history_user").order_by("history_date", "history_id")
    )
    for before, after in zip([None, *versions], versions, strict=False):
        if before is None:
            entries.append(Entry(after.history_date, after.history_user, "Draft started"))
            continue
        changed = after.diff_against(before, included_fields=CONTENT_FIELDS).changed_fields
        if changed:
            entries.append(
                Entry(
                    after.history_date,
                    after.history_user,
                    "Answers changed",
                    details=[_label(name) for name in CONTENT_FIELDS if name in changed],
                )
            )
    children = LinkedChild.history.filter(referral_id=referral.pk).select_related("history_user")
    verbs = {"+": "Linked child added", "-": "Linked child removed", "~": "Linked child changed"}
    for version in children:
        entries.append(
            Entry(
                version.history_date,
                version.history_user,
                verbs[version.history_type],
                details=[f"{version.initials} ({version.case_system_id})"],
            )
        )
    return sorted(entries, key=lambda e: e.at)


def _title(record):
    """ "Submitted → Screening" for the case itself; "Risk assessment: Required → Completed"
    for a record that hangs off it (a re-entered state reads as what was done)."""
    model = record.content_type.model_class()
    labels = dict(model._meta.get_field("state").choices) if model else {}

    def state(value):
        return str(labels.get(value, value.replace("_", " ").capitalize()))

    if not record.from_state:
        moved = f"Started: {state(record.to_state)}"
    elif record.from_state == record.to_state:
        moved = record.transition.replace("_", " ").capitalize()
    else:
        moved = f"{state(record.from_state)} → {state(record.to_state)}"
    if model is None or model._meta.label_lower == "referrals.schoolreferral":
        return moved
    return f"{str(model._meta.verbose_name).capitalize()}: {moved}"
