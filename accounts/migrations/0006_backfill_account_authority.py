"""Give each existing account the authority whose administrators manage it: the authority of
its first membership (authority roles, then schools, teams, panels). Superusers and accounts
with no membership are left without one (a superuser assigns them)."""

from django.db import migrations


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    sources = [
        ("authority_memberships", "authority_id"),
        ("school_memberships", "school__authority_id"),
        ("team_memberships", "team__authority_id"),
        ("panel_memberships", "panel__authority_id"),
    ]
    for user in User.objects.filter(authority__isnull=True, is_superuser=False):
        for relation, path in sources:
            first = getattr(user, relation).order_by("pk").values_list(path, flat=True).first()
            if first is not None:
                User.objects.filter(pk=user.pk).update(authority_id=first)
                break


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_account_authority_and_security_log")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
