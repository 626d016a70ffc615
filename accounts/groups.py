"""The Administrators group: what an authority's administrator may do on the configuration
pages. Kept in step with the models after every migrate (accounts.apps), so production has
it without the demo. Which rows they see is the admin's business (accounts.admin scopes
every page and choice to their authority); this says which pages."""

from django.contrib.auth.models import Group, Permission

ADMINISTRATORS = "Administrators"

_EDITED = ("school", "contextpanel", "team", "thresholdindicator", "user", "closureday")
# Roles are granted and taken away: both are told (accounts.security).
_MEMBERSHIPS = ("schoolmembership", "panelmembership", "teammembership", "authoritymembership")


def _codenames() -> list[str]:
    names = [f"{verb}_{model}" for verb in ("view", "add", "change") for model in _EDITED]
    names += [f"{verb}_{m}" for verb in ("view", "add", "change", "delete") for m in _MEMBERSHIPS]
    names += ["view_timescale", "change_timescale", "view_securityevent", "delete_closureday"]
    return names


def administrators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    group.permissions.set(Permission.objects.filter(codename__in=_codenames()))
    return group


def sync_administrators_group(**kwargs) -> None:
    """post_migrate: permissions exist only once every app has migrated."""
    if Permission.objects.filter(codename="view_securityevent").exists():
        administrators_group()
