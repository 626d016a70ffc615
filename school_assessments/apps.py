from django.apps import AppConfig


class SchoolAssessmentsConfig(AppConfig):
    name = "school_assessments"
    verbose_name = "School Assessments"

    def ready(self):
        from referrals.signals import case_ended, pathway_decided
        from school_assessments.receivers import (
            open_assessment_on_decision,
            stop_assessment_when_the_case_ends,
        )

        pathway_decided.connect(
            open_assessment_on_decision, dispatch_uid="school_assessments.open_on_decision"
        )
        case_ended.connect(
            stop_assessment_when_the_case_ends, dispatch_uid="school_assessments.case_ended"
        )
