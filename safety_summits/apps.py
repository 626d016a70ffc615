from django.apps import AppConfig


class SafetySummitsConfig(AppConfig):
    """The Early Help pathways (seed 002): the Student Safety Summit (safety_summits.summit)
    and the School Partnership Meeting."""

    name = "safety_summits"
    verbose_name = "Early Help: Student Safety Summits and School Partnership Meetings"

    def ready(self):
        from casework import pathways
        from safety_summits.pathway import PARTNERSHIP_MEETING
        from safety_summits.summit.pathway import SAFETY_SUMMIT

        pathways.register(SAFETY_SUMMIT)
        pathways.register(PARTNERSHIP_MEETING)
