"""The words of a School Assessment (seed 002, "School Assessments" and "Assessment
Methods"): the three domains of the triangle, the methods, and how each domain is judged.

The assessment is strengths-based and done with the school, not an inspection of it, so the
words here start from what keeps pupils safe and name what needs to change."""

from django.db import models


class AssessmentState(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    FINDINGS_DRAFTED = "findings_drafted", "Findings drafted"
    SHARED_WITH_SCHOOL = "shared_with_school", "Shared with the school"
    COMPLETED = "completed", "Completed"
    # The panel's new decision took the case to another pathway before it was completed.
    STOPPED = "stopped", "Stopped: the pathway changed"


# The states in which the work is still open (one open assessment per case).
OPEN_STATES = [
    AssessmentState.PLANNED,
    AssessmentState.IN_PROGRESS,
    AssessmentState.FINDINGS_DRAFTED,
    AssessmentState.SHARED_WITH_SCHOOL,
]
# The states in which the lead and their team can change what the assessment says.
EDITABLE_STATES = [
    AssessmentState.IN_PROGRESS,
    AssessmentState.FINDINGS_DRAFTED,
    AssessmentState.SHARED_WITH_SCHOOL,
]
# What the school's DSLs see: the assessment once it has been shared with them.
SHARED_STATES = [AssessmentState.SHARED_WITH_SCHOOL, AssessmentState.COMPLETED]


class Domain(models.TextChoices):
    PUPIL_DEVELOPMENT = "pupil_development", "Pupil development needs"
    GUARDIANSHIP = "guardianship", "Guardianship capacity"
    ENVIRONMENT_AND_FAMILY = "environment_family", "Environmental and family factors"


# What each domain asks (seed 002, Figure three: the School Assessment Triangle).
DOMAIN_QUESTIONS = {
    Domain.PUPIL_DEVELOPMENT: (
        "The dynamics of the pupils in the school: how they relate to each other, and the "
        "school's culture."
    ),
    Domain.GUARDIANSHIP: (
        "The capacity, willingness and ability of the adults around pupils to keep them "
        "safe. Do staff understand their safeguarding role? Do pupils feel safe with them and "
        "trust them to protect them?"
    ),
    Domain.ENVIRONMENT_AND_FAMILY: (
        "Which other factors affect young people's safety: the neighbourhood around the "
        "school, the policies in place to safeguard them, the support of their parents and "
        "carers, and wider systems."
    ),
}


class Judgement(models.TextChoices):
    """A strengths-based judgement for one domain: what the school can build on, and how
    much needs to change to make it safer for every pupil."""

    STRENGTHS = "strengths", "Strengths to build on: pupils are kept safe here"
    SOME_CHANGE = "some_change", "Some changes needed, with strengths to build on"
    SIGNIFICANT_CHANGE = "significant_change", "Significant changes needed to keep pupils safe"


class MethodKind(models.TextChoices):
    FOCUS_GROUP_STAFF = "focus_group_staff", "Focus group with staff"
    FOCUS_GROUP_STUDENTS = "focus_group_students", "Focus group with students"
    FOCUS_GROUP_PARENTS = "focus_group_parents", "Focus group with parents and carers"
    POLICY_REVIEW = "policy_review", "Review of safeguarding and behaviour policies"
    RECORDS_REVIEW = "records_review", "Review of safeguarding and behaviour records"
    SURVEY = "survey", "Survey"
    OBSERVATION = "observation", "Observation of the school environment"


class Feeling(models.TextChoices):
    UNSAFE = "unsafe", "Unsafe"
    SAFE = "safe", "Safe"
