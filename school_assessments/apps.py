from django.apps import AppConfig


class SchoolAssessmentsConfig(AppConfig):
    name = "school_assessments"
    verbose_name = "School Assessments"

    def ready(self):
        from casework import pathways
        from school_assessments.pathway import SCHOOL_ASSESSMENT

        pathways.register(SCHOOL_ASSESSMENT)
