from django.apps import AppConfig


class DemoDataConfig(AppConfig):
    """Demo data for every role and state. At the top of the dependency graph: it may use
    every app's services; no app depends on it."""

    name = "demo_data"
    verbose_name = "Demo data"
