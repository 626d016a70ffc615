from django.apps import AppConfig


class SelfAssessmentsConfig(AppConfig):
    name = "self_assessments"
    verbose_name = "Self-assessment audits"

    def ready(self):
        from referrals.signals import pathway_decided
        from self_assessments.receivers import start_self_assessment

        pathway_decided.connect(start_self_assessment, dispatch_uid="self_assessments.start")
