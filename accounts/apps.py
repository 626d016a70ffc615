from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and organisations"

    def ready(self):
        from accounts import signin  # noqa: F401  (connects the sign-in log's receivers)
