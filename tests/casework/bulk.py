"""Many rows at once, for list and export tests that need more than one page: copies of a
submitted referral (each with copies of its running deadlines) in two bulk inserts, never
through the services one by one."""

from notifications.models import Deadline, DeadlineStatus
from referrals.models import SchoolReferral


def copies_of(referral: SchoolReferral, count: int, prefix: str = "CP") -> list[SchoolReferral]:
    """`count` referrals like `referral` (same school, state and submission time), each with
    copies of its running deadlines, returned in the order created."""
    made = SchoolReferral.objects.bulk_create(
        [
            SchoolReferral(
                school_id=referral.school_id,
                created_by_id=referral.created_by_id,
                state=referral.state,
                reference=f"{prefix}-{n:05d}",
                submitted_at=referral.submitted_at,
                next_due_at=referral.next_due_at,
                panel_id=referral.panel_id,
                lead_practitioner_id=referral.lead_practitioner_id,
            )
            for n in range(count)
        ]
    )
    running = list(
        Deadline.objects.filter(
            case_type__model="schoolreferral", case_id=referral.pk, status=DeadlineStatus.RUNNING
        )
    )
    # Only the clocks on the referral itself: a clock on another record (a risk assessment)
    # would need a copy of that record too.
    running = [d for d in running if d.subject_type_id == d.case_type_id]
    clones = []
    for copy in made:
        for deadline in running:
            fields = Deadline._meta.concrete_fields
            clone = Deadline(**{f.attname: getattr(deadline, f.attname) for f in fields})
            clone.pk = None
            clone.case_id = copy.pk
            clone.case_label = copy.reference
            clone.case_url = f"/referrals/{copy.pk}/"
            clone.subject_id = copy.pk
            clones.append(clone)
    Deadline.objects.bulk_create(clones)
    return made
