from django.apps import AppConfig


class SelfAssessmentsConfig(AppConfig):
    name = "self_assessments"
    verbose_name = "Self-assessment audits"

    def ready(self):
        from referrals.signals import case_ended, pathway_decided
        from self_assessments.receivers import (
            start_self_assessment,
            stop_self_assessment_when_the_case_ends,
        )

        pathway_decided.connect(start_self_assessment, dispatch_uid="self_assessments.start")
        case_ended.connect(
            stop_self_assessment_when_the_case_ends, dispatch_uid="self_assessments.case_ended"
        )
