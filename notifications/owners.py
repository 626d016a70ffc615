"""Who a deadline's messages go to, resolved for a whole batch in a fixed number of queries.

Owners are roles over a scope (the front door of an authority, the DSLs of a school, the
chair of a panel) or one person (the lead). Escalations go to the managers of the
deadline's team. If nobody holds the role, the authority's administrators are told, so a
reminder is never silently dropped."""

from collections import defaultdict

from accounts.models import (
    AuthorityMembership,
    AuthorityRole,
    PanelMembership,
    PanelRole,
    SchoolMembership,
    TeamMembership,
    TeamRole,
)
from notifications.models import OwnerRole, Stage


def _index(rows):
    index = defaultdict(set)
    for key, user_id in rows:
        index[key].add(user_id)
    return index


def recipients(deadlines, stage):
    """{deadline id: set of user ids} for one stage of a batch of deadlines."""
    deadlines = list(deadlines)
    authorities = {d.authority_id for d in deadlines}
    admins = _index(
        AuthorityMembership.objects.filter(
            authority_id__in=authorities, role=AuthorityRole.ADMINISTRATOR
        ).values_list("authority_id", "user_id")
    )
    if stage == Stage.ESCALATION:
        managers = _index(
            TeamMembership.objects.filter(
                team_id__in={d.team_id for d in deadlines if d.team_id}, role=TeamRole.MANAGER
            ).values_list("team_id", "user_id")
        )
        found = {d.pk: managers.get(d.team_id, set()) for d in deadlines}
    else:
        front_door = _index(
            AuthorityMembership.objects.filter(
                authority_id__in={
                    d.authority_id for d in deadlines if d.owner_role == OwnerRole.FRONT_DOOR
                },
                role=AuthorityRole.FRONT_DOOR,
            ).values_list("authority_id", "user_id")
        )
        dsls = _index(
            SchoolMembership.objects.filter(
                school_id__in={d.school_id for d in deadlines if d.owner_role == OwnerRole.DSL}
            ).values_list("school_id", "user_id")
        )
        chairs = _index(
            PanelMembership.objects.filter(
                panel_id__in={d.panel_id for d in deadlines if d.owner_role == OwnerRole.CHAIR},
                role=PanelRole.CHAIR,
            ).values_list("panel_id", "user_id")
        )
        leads_teams = _index(
            TeamMembership.objects.filter(
                team_id__in={
                    d.team_id
                    for d in deadlines
                    if d.owner_role == OwnerRole.LEAD and not d.owner_id
                },
                role=TeamRole.MANAGER,
            ).values_list("team_id", "user_id")
        )
        found = {}
        for d in deadlines:
            if d.owner_id:
                found[d.pk] = {d.owner_id}
            elif d.owner_role == OwnerRole.FRONT_DOOR:
                found[d.pk] = front_door.get(d.authority_id, set())
            elif d.owner_role == OwnerRole.DSL:
                found[d.pk] = dsls.get(d.school_id, set())
            elif d.owner_role == OwnerRole.CHAIR:
                found[d.pk] = chairs.get(d.panel_id, set())
            else:  # a lead not yet named: the team's managers allocate it
                found[d.pk] = leads_teams.get(d.team_id, set())
    authority_of = {d.pk: d.authority_id for d in deadlines}
    return {pk: users or admins.get(authority_of[pk], set()) for pk, users in found.items()}
