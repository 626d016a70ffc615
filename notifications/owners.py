"""Who a deadline's messages go to, resolved for a whole batch in a fixed number of queries.

The owner rule (docs/decisions/0008-owners.md), for every clock at every moment:
- a clock named for one person (the lead once named, an action's owner) goes to them;
- the front door's clocks go to the authority's front-door officers;
- the school's clocks (owner "dsl") go to its DSLs and deputies;
- the panel's clocks go to the panel's chair;
- a lead's clock with no lead yet goes to whoever holds the case now: the allocated team's
  managers (they name the lead), else the chair of the case's panel, else the front door.

The escalation route always ends at a real manager, one who can open the case:
- clocks of an allocated team go to that team's managers;
- clocks held by a panel (no team yet) go to the panel's chair;
- the front door's clocks (and anything before a panel or a team) go to the front door's
  managers: the managers of the authority's front-door team (who read what the front door
  reads, referrals.querysets);
- whenever nobody is found, the authority's duty managers, the last resort.

An owner stage nobody holds goes up the same route. Nobody at all is `Route(set(), None)`:
the sweep then stamps nothing and raises the clock as unroutable (notifications.sweep).
Administrators are never a fallback: they read no case content."""

from collections import defaultdict
from dataclasses import dataclass

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

OWNERS = "owners"  # the people the rule names
MANAGERS = "managers"  # nobody held the owner role: the escalation route's managers
DUTY = "duty_manager"  # nobody on the route: the duty managers, the last resort


@dataclass(frozen=True)
class Route:
    users: frozenset
    via: str | None  # OWNERS, MANAGERS, DUTY, or None: nobody to tell

    @property
    def is_fallback(self):
        return self.via in (MANAGERS, DUTY)


def _index(rows):
    index = defaultdict(set)
    for key, user_id in rows:
        index[key].add(user_id)
    return index


def holder(d):
    """Whose clock this is on the escalation route: "front_door", "panel" or "team"."""
    if d.owner_role == OwnerRole.FRONT_DOOR:
        return "front_door"
    if d.team_id:
        return "team"
    if d.panel_id:
        return "panel"
    return "front_door"


def recipients(deadlines, stage):
    """{deadline id: Route} for one stage of a batch of deadlines."""
    deadlines = list(deadlines)
    if not deadlines:
        return {}
    escalating = stage == Stage.ESCALATION
    authorities = {d.authority_id for d in deadlines}
    fd_people, duty = defaultdict(set), defaultdict(set)
    for authority_id, user_id, role in AuthorityMembership.objects.filter(
        authority_id__in=authorities,
        role__in=[AuthorityRole.FRONT_DOOR, AuthorityRole.DUTY_MANAGER],
    ).values_list("authority_id", "user_id", "role"):
        (fd_people if role == AuthorityRole.FRONT_DOOR else duty)[authority_id].add(user_id)
    # Front-door managers: managers of the authority's front-door team.
    fd_team_managers = _index(
        TeamMembership.objects.filter(
            team__authority_id__in=authorities,
            team__is_front_door=True,
            role=TeamRole.MANAGER,
        ).values_list("team__authority_id", "user_id")
    )
    fd_managers = {a: fd_team_managers.get(a, set()) for a in authorities}
    teams = {d.team_id for d in deadlines if d.team_id and holder(d) == "team"}
    team_managers = (
        _index(
            TeamMembership.objects.filter(team_id__in=teams, role=TeamRole.MANAGER).values_list(
                "team_id", "user_id"
            )
        )
        if teams
        else {}
    )
    panels = {d.panel_id for d in deadlines if d.panel_id}
    chairs = (
        _index(
            PanelMembership.objects.filter(panel_id__in=panels, role=PanelRole.CHAIR).values_list(
                "panel_id", "user_id"
            )
        )
        if panels
        else {}
    )
    schools = {d.school_id for d in deadlines if d.owner_role == OwnerRole.DSL}
    dsls = (
        _index(
            SchoolMembership.objects.filter(school_id__in=schools).values_list(
                "school_id", "user_id"
            )
        )
        if schools and not escalating
        else {}
    )

    def managers(d):
        kind = holder(d)
        if kind == "team":
            return team_managers.get(d.team_id, set())
        if kind == "panel":
            return chairs.get(d.panel_id, set())
        return fd_managers.get(d.authority_id, set())

    def owners(d):
        if d.owner_id:
            return {d.owner_id}
        if d.owner_role == OwnerRole.FRONT_DOOR:
            return fd_people.get(d.authority_id, set())
        if d.owner_role == OwnerRole.DSL:
            return dsls.get(d.school_id, set())
        if d.owner_role == OwnerRole.CHAIR:
            return chairs.get(d.panel_id, set())
        # A lead's clock with no lead yet: whoever holds the case now.
        kind = holder(d)
        if kind == "team":
            return team_managers.get(d.team_id, set())
        if kind == "panel":
            return chairs.get(d.panel_id, set())
        return fd_people.get(d.authority_id, set())

    found = {}
    for d in deadlines:
        tries = [(MANAGERS if escalating else OWNERS, managers(d) if escalating else owners(d))]
        if not escalating:
            tries.append((MANAGERS, managers(d)))
        tries.append((DUTY, duty.get(d.authority_id, set())))
        found[d.pk] = next(
            (Route(frozenset(users), via) for via, users in tries if users),
            Route(frozenset(), None),
        )
    return found


def expected_via(stage):
    """The `via` of a route that found the people the rule names for this stage."""
    return MANAGERS if stage == Stage.ESCALATION else OWNERS
