"""Who sees which case: the one gate every page, export and digest goes through."""

from django.db import models
from django.db.models import Q

from accounts.roles import Roles


class SchoolReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Referrals this person may read.

        - DSLs and deputies: every referral of their own schools, drafts included
          (drafts are visible to nobody else);
        - front door, and the managers of its team (they answer its escalations): submitted
          and later referrals of schools in its authorities;
        - panel members: referrals sent to their panels;
        - practitioners and team managers: referrals allocated to them or their team (a team
          manager reads every case of the teams they manage);
        - duty managers: submitted and later referrals of schools in their authorities (they
          are the last stop of every escalation route and must be able to open it).
        Administrators and partner contacts see no case content through their role alone.
        """
        roles = Roles.for_user(user)
        if not roles.holds_case_role:
            return self.none()
        submitted = Q(submitted_at__isnull=False)
        gate = Q(school_id__in=roles.school_ids)
        front_door = roles.front_door_authority_ids | roles.front_door_manager_authority_ids
        if front_door:
            gate |= submitted & Q(school__authority_id__in=front_door)
        if roles.duty_manager_authority_ids:
            gate |= submitted & Q(school__authority_id__in=roles.duty_manager_authority_ids)
        if roles.panel_ids:
            gate |= submitted & Q(panel_id__in=roles.panel_ids)
        teams = roles.team_ids | roles.managed_team_ids
        if teams:
            gate |= submitted & (Q(allocated_team_id__in=teams) | Q(lead_practitioner=user))
        return self.filter(gate)

    def awaiting_front_door(self):
        from referrals.choices import ReferralState

        return self.filter(state__in=[ReferralState.SUBMITTED, ReferralState.SCREENING])
