"""The words of the domain (DESIGN section 3 and the seeds)."""

from django.db import models


class ReferralState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SCREENING = "screening", "Screening"
    AWAITING_PANEL = "awaiting_panel", "Awaiting panel"
    MORE_INFORMATION_REQUESTED = "more_information_requested", "More information requested"
    REDIRECTED = "redirected", "Redirected (individual child referral)"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # Later states, reached by the panel, pathway and plan issues.
    DECIDED = "decided", "Decided and allocated"
    BELOW_THRESHOLD = "below_threshold", "Below threshold"
    IN_PROGRESS = "in_progress", "In progress"
    REVIEW = "review", "Review"
    CLOSED = "closed", "Closed"


# A case in one of these states has ended: nothing on it runs a clock any more.
ENDED_STATES = {ReferralState.CLOSED, ReferralState.WITHDRAWN, ReferralState.REDIRECTED}
# Closed work in the lists: an ended case, or one closed below threshold with advice.
CLOSED_STATES = sorted({*ENDED_STATES, ReferralState.BELOW_THRESHOLD})


class ConcernType(models.TextChoices):
    SEXUAL_HARASSMENT = "sexual_harassment", "Sexual harassment"
    SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence"
    HARMFUL_SEXUAL_BEHAVIOUR = "harmful_sexual_behaviour", "Harmful sexual behaviour"
    ONLINE_HARM = "online_harm", "Online harm or image sharing"
    BULLYING = "bullying", "Bullying"
    PHYSICAL_VIOLENCE = "physical_violence", "Physical violence"
    RELATIONSHIP_ABUSE = "relationship_abuse", "Relationship abuse"
    GROOMING = "grooming", "Grooming"
    CSE = "child_sexual_exploitation", "Child sexual exploitation"
    CCE = "child_criminal_exploitation", "Child criminal exploitation"
    SERIOUS_YOUTH_VIOLENCE = "serious_youth_violence", "Serious youth violence"
    OTHER = "other", "Other"


class Place(models.TextChoices):
    CLASSROOMS = "classrooms", "Classrooms"
    CORRIDORS = "corridors", "Corridors"
    TOILETS = "toilets", "Toilets"
    TRANSPORT = "transport", "Transport to and from school"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood spaces"
    ONLINE = "online", "Online platforms"
    PEER_GROUPS = "peer_groups", "Peer groups"
    OTHER = "other", "Other"


class ActionTaken(models.TextChoices):
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment completed"
    SEPARATION = "separation", "Pupils separated (classes, transport, break times)"
    POLICE_REPORT = "police_report", "Reported to the police"
    PARENTS_INFORMED = "parents_informed", "Parents or carers informed"
    INDIVIDUAL_REFERRALS = "individual_referrals", "Referrals made for individual children"
    OTHER = "other", "Other"


class InformationSharingBasis(models.TextChoices):
    PUBLIC_TASK = (
        "public_task",
        "Public task and safeguarding of children (UK GDPR 6(1)(e), DPA 2018 Sch. 1 para 18)",
    )
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (UK GDPR 6(1)(c))"
    CONSENT = "consent", "Consent of those concerned"
    VITAL_INTERESTS = "vital_interests", "Vital interests (UK GDPR 6(1)(d))"


class IndicatorLevel(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    CHILD_IN_NEED = "child_in_need", "Child in Need"
    CHILD_PROTECTION = "child_protection", "Child Protection"


YEAR_GROUPS = [
    ("reception", "Reception"),
    *[(f"y{n}", f"Year {n}") for n in range(1, 14)],
]

# The year groups a school of each GIAS phase teaches; other phases are offered all of them.
_PHASE_YEARS = {
    "nursery": ["reception"],
    "primary": ["reception", *[f"y{n}" for n in range(1, 7)]],
    "middle deemed primary": [f"y{n}" for n in range(3, 9)],
    "middle deemed secondary": [f"y{n}" for n in range(5, 10)],
    "secondary": [f"y{n}" for n in range(7, 14)],
    "16 plus": ["y12", "y13"],
}


def year_groups_for(phase):
    keys = _PHASE_YEARS.get((phase or "").strip().lower())
    return [(k, label) for k, label in YEAR_GROUPS if keys is None or k in keys]
