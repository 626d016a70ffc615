"""Who sees which School Assessment: the one gate every page and document goes through."""

from django.db import models
from django.db.models import Q

from accounts.roles import Roles
from school_assessments.choices import OPEN_STATES, SHARED_STATES


class SchoolAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assessments whose case this person may read (SchoolReferral.visible_to); and for
        someone who reads the case only as a DSL of its school, only once the assessment has
        been shared with the school (before that it is the lead's working notes).

        The lead, the allocated team, the case's panel and the front door read it from the
        moment the panel decides. A DSL who also holds one of those roles for the case reads
        it through that role."""
        from referrals.models import SchoolReferral

        roles = Roles.for_user(user)
        cases = SchoolReferral.objects.visible_to(user).values("pk")
        other_role = Q(lead=user) | Q(referral__lead_practitioner=user)
        teams = roles.team_ids | roles.managed_team_ids
        if teams:
            other_role |= Q(referral__allocated_team_id__in=teams)
        if roles.panel_ids:
            other_role |= Q(referral__panel_id__in=roles.panel_ids)
        if roles.front_door_authority_ids:
            other_role |= Q(referral__school__authority_id__in=roles.front_door_authority_ids)
        return self.filter(referral__in=cases).filter(other_role | Q(state__in=SHARED_STATES))

    def open(self):
        return self.filter(state__in=OPEN_STATES)
