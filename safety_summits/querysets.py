"""Who sees which School Partnership Meeting: the one gate every page and document uses."""

from django.db import models

from safety_summits.choices import OPEN_STATES


class PartnershipMeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings whose case this person may read (SchoolReferral.visible_to): the lead
        and the allocated team, the case's panel, the front door, and the DSLs of the
        school, who prepare for the meeting and take part in it. Partners and
        administrators read no case through their role, so they see none."""
        from referrals.models import SchoolReferral

        return self.filter(referral__in=SchoolReferral.objects.visible_to(user).values("pk"))

    def open(self):
        return self.filter(state__in=OPEN_STATES)
