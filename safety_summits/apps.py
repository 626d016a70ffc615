from django.apps import AppConfig


class SafetySummitsConfig(AppConfig):
    """The Early Help pathways (seed 002). This slice builds the School Partnership Meeting;
    the Student Safety Summit is not built yet."""

    name = "safety_summits"
    verbose_name = "Early Help: School Partnership Meetings"

    def ready(self):
        from casework import pathways
        from safety_summits.pathway import PARTNERSHIP_MEETING

        pathways.register(PARTNERSHIP_MEETING)
