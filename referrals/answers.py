"""The referral's answers as label/value rows, for the check-answers and case pages."""

from referrals.choices import (
    YEAR_GROUPS,
    ActionTaken,
    ConcernType,
    InformationSharingBasis,
    Place,
    year_groups_for,
)

# Where "Change" and error links land on the edit page: the first input of each question.
ANCHORS = {
    "concern_types": "id_concern_types_0",
    "concern_other": "id_concern_other",
    "places": "id_places_0",
    "places_other": "id_places_other",
    "indicators": "id_indicators_0",
    "linked_children": "id_linked_children",
    "actions_taken": "id_actions_taken_0",
    "information_sharing_basis": "id_information_sharing_basis_0",
}


# A question's "other" box: its problem shows on the question's row.
OTHER_FIELD = {"concern_types": "concern_other", "places": "places_other"}


def anchor(name, referral):
    if name == "pupils_by_year":  # the first year group this school's phase offers
        return f"id_year_{year_groups_for(referral.school.phase)[0][0]}"
    return ANCHORS.get(name, f"id_{name}")


def problem_links(problems, referral):
    """Missing answers as (anchor on the edit page, message), for the error summary."""
    return [(anchor(name, referral), message) for name, message in problems.items()]


def _labels(values, choices):
    names = dict(choices)
    return [str(names.get(v, v)) for v in values or []]


def answer_rows(referral, problems=None, *, indicators=None, linked_children=None):
    problems = problems or {}
    years = dict(YEAR_GROUPS)
    by_year = [f"{years.get(k, k)}: {n}" for k, n in (referral.pupils_by_year or {}).items()]
    genders = [
        (label, getattr(referral, name))
        for label, name in [
            ("Girls", "pupils_female"),
            ("Boys", "pupils_male"),
            ("Another gender", "pupils_other_gender"),
            ("Gender not known", "pupils_gender_not_known"),
        ]
        if getattr(referral, name) is not None
    ]
    pupils = []
    if by_year:
        pupils = [f"{referral.pupils_total} in all", *by_year]
        pupils += [f"{label}: {n}" for label, n in genders]
        if referral.pupils_send is not None:
            pupils.append(f"With SEND: {referral.pupils_send}")
    concerns = _labels(referral.concern_types, ConcernType.choices)
    if referral.concern_other:
        concerns.append(f"Other: {referral.concern_other}")
    places = _labels(referral.places, Place.choices)
    if referral.places_other:
        places.append(f"Other: {referral.places_other}")
    indicators = indicators if indicators is not None else referral.indicators.all()
    children = linked_children if linked_children is not None else referral.linked_children.all()
    rows = [
        ("concern_types", "Kinds of harm", None, concerns, True),
        ("incident_description", "The incidents", referral.incident_description, None, False),
        ("patterns", "Patterns", referral.patterns, None, False),
        ("places", "Places and contexts", None, places, True),
        (
            "indicators",
            "Threshold indicators observed",
            None,
            [f"{i.get_level_display()}: {i.text}" for i in indicators],
            False,
        ),
        ("pupils_by_year", "Pupils affected", None, pupils, False),
        ("linked_children", "Linked children", None, [str(c) for c in children], False),
        (
            "actions_taken",
            "What the school has done",
            referral.actions_detail,
            _labels(referral.actions_taken, ActionTaken.choices),
            True,
        ),
        ("young_people_views", "Young people's views", referral.young_people_views, None, False),
        (
            "information_sharing_basis",
            "Information sharing basis",
            " ".join(
                filter(
                    None,
                    [
                        dict(InformationSharingBasis.choices).get(
                            referral.information_sharing_basis, ""
                        ),
                        referral.information_sharing_detail,
                    ],
                )
            ),
            None,
            True,
        ),
    ]
    result = []
    for name, label, value, items, _multi in rows:
        if items is not None and value:
            items = [*items, value]
        result.append(
            {
                "name": name,
                "anchor": anchor(name, referral),
                "label": label,
                "value": value,
                "items": items,
                "problem": problems.get(name) or problems.get(OTHER_FIELD.get(name)),
            }
        )
    return result
