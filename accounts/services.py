"""Writes to people and organisations."""

from accounts.models import LocalAuthority, Nation


def authority_get_or_create(*, code, name, nation=Nation.ENGLAND):
    authority, created = LocalAuthority.objects.get_or_create(
        code=code, defaults={"name": name, "nation": nation}
    )
    return authority, created
