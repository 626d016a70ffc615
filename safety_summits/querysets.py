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


class SafetySummitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Summits whose case this person may read (SchoolReferral.visible_to), and those
        that invited a school this person is a DSL of: they see their own school's part
        (safety_summits.summit.permissions.school_scope), never another school's."""
        from accounts.roles import Roles
        from referrals.models import SchoolReferral

        schools = Roles.for_user(user).school_ids
        readable = models.Q(referral__in=SchoolReferral.objects.visible_to(user).values("pk"))
        if schools:
            invited = self.model.schools.through.objects.filter(school_id__in=schools)
            readable |= models.Q(pk__in=invited.values("safetysummit_id"))
        return self.filter(readable)

    def open(self):
        from safety_summits.summit.choices import OPEN_STATES as SUMMIT_OPEN

        return self.filter(state__in=SUMMIT_OPEN)
