"""What a referral must say before it can be submitted (checked on the check-answers page
and again by the submit service)."""


def missing_answers(referral):
    problems = {}
    if not referral.concern_types:
        problems["concern_types"] = "Select at least one type of concern"
    if "other" in (referral.concern_types or []) and not referral.concern_other.strip():
        problems["concern_other"] = "Describe the other type of concern"
    if not referral.incident_description.strip():
        problems["incident_description"] = "Describe the incidents"
    if not referral.places:
        problems["places"] = "Select at least one place or context"
    if referral.pupils_total == 0:
        problems["pupils_by_year"] = "Enter how many pupils are affected, by year group"
    if not referral.actions_taken:
        problems["actions_taken"] = "Select what the school has already done"
    if not referral.young_people_views.strip():
        problems["young_people_views"] = (
            "Enter what young people have said, or why their views are not yet known"
        )
    if not referral.information_sharing_basis:
        problems["information_sharing_basis"] = "Select the basis for sharing this information"
    return problems
