from django.apps import AppConfig


class SchoolAssessmentsConfig(AppConfig):
    name = "school_assessments"
    verbose_name = "School Assessments"

    def ready(self):
        from referrals.signals import pathway_decided
        from school_assessments.receivers import open_assessment_on_decision

        pathway_decided.connect(
            open_assessment_on_decision, dispatch_uid="school_assessments.open_on_decision"
        )
