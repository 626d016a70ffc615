"""Who sees which audit: the one gate every page and export goes through."""

from django.db import models
from django.db.models import Q

from accounts.roles import Roles


def partnership_authority_ids(user):
    """The authorities whose partnership this person belongs to: front door officers,
    partner agency contacts and administrators of the authority."""
    roles = Roles.for_user(user)
    return roles.front_door_authority_ids | roles.partner_authority_ids | roles.admin_authority_ids


class SelfAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A school's pathway audit: whoever may read its case (the school's DSLs, the
        lead practitioner and team, the panel, the front door). A partnership audit: the
        members of that authority's partnership."""
        from referrals.models import SchoolReferral

        if not getattr(user, "is_authenticated", False):
            return self.none()
        gate = Q(case__in=SchoolReferral.objects.visible_to(user).values("pk"))
        authorities = partnership_authority_ids(user)
        if authorities:
            gate |= Q(case__isnull=True, authority_id__in=authorities)
        return self.filter(gate)

    def pathway(self):
        return self.filter(case__isnull=False)

    def partnership(self):
        return self.filter(case__isnull=True)
