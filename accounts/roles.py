"""What a person may do, read once per request from their memberships."""

from dataclasses import dataclass, field

from accounts.models import (
    AuthorityMembership,
    AuthorityRole,
    PanelMembership,
    PanelRole,
    SchoolMembership,
    TeamMembership,
    TeamRole,
)


@dataclass(frozen=True)
class Roles:
    school_ids: frozenset = field(default_factory=frozenset)  # DSL or deputy DSL
    front_door_authority_ids: frozenset = field(default_factory=frozenset)
    partner_authority_ids: frozenset = field(default_factory=frozenset)
    admin_authority_ids: frozenset = field(default_factory=frozenset)
    duty_manager_authority_ids: frozenset = field(default_factory=frozenset)
    data_protection_authority_ids: frozenset = field(default_factory=frozenset)
    panel_ids: frozenset = field(default_factory=frozenset)
    chaired_panel_ids: frozenset = field(default_factory=frozenset)
    team_ids: frozenset = field(default_factory=frozenset)  # practitioner
    managed_team_ids: frozenset = field(default_factory=frozenset)
    # Authorities whose front-door team this person manages: they answer the front door's
    # escalations, so they read what the front door reads.
    front_door_manager_authority_ids: frozenset = field(default_factory=frozenset)

    @classmethod
    def for_user(cls, user):
        if not getattr(user, "is_authenticated", False):
            return cls()
        cached = getattr(user, "_roles_cache", None)
        if cached is not None:
            return cached
        schools = SchoolMembership.objects.filter(user=user).values_list("school_id", flat=True)
        by_authority = {role: set() for role in AuthorityRole.values}
        for authority_id, role in AuthorityMembership.objects.filter(user=user).values_list(
            "authority_id", "role"
        ):
            by_authority[role].add(authority_id)
        panels, chaired = set(), set()
        for panel_id, role in PanelMembership.objects.filter(user=user).values_list(
            "panel_id", "role"
        ):
            panels.add(panel_id)
            if role == PanelRole.CHAIR:
                chaired.add(panel_id)
        teams, managed, fd_managed = set(), set(), set()
        for team_id, role, is_front_door, authority_id in TeamMembership.objects.filter(
            user=user
        ).values_list("team_id", "role", "team__is_front_door", "team__authority_id"):
            (managed if role == TeamRole.MANAGER else teams).add(team_id)
            if role == TeamRole.MANAGER and is_front_door:
                fd_managed.add(authority_id)
        roles = cls(
            school_ids=frozenset(schools),
            front_door_authority_ids=frozenset(by_authority[AuthorityRole.FRONT_DOOR]),
            partner_authority_ids=frozenset(by_authority[AuthorityRole.PARTNER]),
            admin_authority_ids=frozenset(by_authority[AuthorityRole.ADMINISTRATOR]),
            duty_manager_authority_ids=frozenset(by_authority[AuthorityRole.DUTY_MANAGER]),
            data_protection_authority_ids=frozenset(
                by_authority[AuthorityRole.DATA_PROTECTION_OFFICER]
            ),
            panel_ids=frozenset(panels),
            chaired_panel_ids=frozenset(chaired),
            team_ids=frozenset(teams),
            managed_team_ids=frozenset(managed),
            front_door_manager_authority_ids=frozenset(fd_managed),
        )
        user._roles_cache = roles
        return roles

    @property
    def is_dsl(self):
        return bool(self.school_ids)

    @property
    def is_front_door(self):
        return bool(self.front_door_authority_ids)

    @property
    def is_panel_member(self):
        return bool(self.panel_ids)

    @property
    def is_practitioner(self):
        return bool(self.team_ids)

    @property
    def is_team_manager(self):
        return bool(self.managed_team_ids)

    @property
    def is_partner(self):
        return bool(self.partner_authority_ids)

    @property
    def is_administrator(self):
        return bool(self.admin_authority_ids)

    @property
    def is_duty_manager(self):
        return bool(self.duty_manager_authority_ids)

    @property
    def is_data_protection_officer(self):
        return bool(self.data_protection_authority_ids)

    @property
    def holds_case_role(self):
        return any(
            (
                self.school_ids,
                self.front_door_authority_ids,
                self.panel_ids,
                self.team_ids,
                self.managed_team_ids,
                self.duty_manager_authority_ids,
            )
        )
