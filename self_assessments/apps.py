from django.apps import AppConfig


class SelfAssessmentsConfig(AppConfig):
    name = "self_assessments"
    verbose_name = "Self-assessment audits"

    def ready(self):
        from casework import pathways
        from self_assessments.pathway import BEYOND_REFERRALS

        pathways.register(BEYOND_REFERRALS)
