from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and organisations"

    def ready(self):
        from accounts import idle  # noqa: F401  (its sign-in receiver)
        from accounts.groups import sync_administrators_group

        post_migrate.connect(sync_administrators_group, dispatch_uid="administrators_group")
        from accounts import signin  # noqa: F401  (connects the sign-in log's receivers)
