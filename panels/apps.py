from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Context panels"

    def ready(self):
        from casework import pathways

        # Below threshold the case closes with the panel's advice (panels.services): the
        # school manages internally, so this pathway has no work item of its own.
        pathways.register(
            pathways.Pathway(
                app="panels",
                key="manage_internally",
                label="School manages internally, with advice",
                levels=("below_threshold",),
                order=10,
            )
        )
