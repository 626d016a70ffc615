"""The evidence of a School Assessment: the methods used (dated, with who took part) and the
survey results (where pupils feel safe or unsafe). Each add or removal is an edit of the
assessment (school_assessments.services.edit_assessment): locked, versioned, with history."""

from django.utils import timezone

from casework.errors import Incomplete, NotAllowed
from school_assessments.choices import Feeling, MethodKind
from school_assessments.models import AssessmentMethod, SurveyResult
from school_assessments.services import clean_or_refuse, edit_assessment


def assessment_add_method(
    *, assessment, by, kind, held_on, participants, summary, expected_version=None
):
    problems = {}
    if kind not in MethodKind.values:
        problems["kind"] = ["Select the method"]
    if held_on is None:
        problems["held_on"] = ["Enter the date, for example 14 3 2026"]
    elif held_on > timezone.localdate():
        problems["held_on"] = ["The date must be today or in the past"]
    if not (participants or "").strip():
        problems["participants"] = ["Say who took part, by role (for example “8 Year 9 girls”)"]
    if not (summary or "").strip():
        problems["summary"] = ["Summarise what you learned"]
    if problems:
        raise Incomplete("The method cannot be added yet", problems)

    def add(current):
        method = AssessmentMethod(
            assessment=current,
            kind=kind,
            held_on=held_on,
            participants=participants.strip(),
            summary=summary.strip(),
            added_by=by,
        )
        clean_or_refuse(method, exclude=["added_by"])
        method._history_user = by
        method.save()

    return edit_assessment(
        assessment,
        by=by,
        expected_version=expected_version,
        reason=f"added a method: {MethodKind(kind).label.lower()}",
        change=add,
    )


def assessment_remove_method(*, assessment, by, method_id, expected_version=None):
    def remove(current):
        method = current.methods.filter(pk=method_id).first()
        if method is None:
            raise NotAllowed("That method is not part of this assessment.")
        method._history_user = by
        method.delete()

    return edit_assessment(
        assessment,
        by=by,
        expected_version=expected_version,
        reason="removed a method",
        change=remove,
    )


def assessment_add_survey_result(*, assessment, by, place, feeling, percent, expected_version=None):
    place = (place or "").strip()
    problems = {}
    if not place:
        problems["place"] = ["Enter the place, for example “Toilets on the top floor”"]
    if feeling not in Feeling.values:
        problems["feeling"] = ["Select whether pupils feel safe or unsafe there"]
    if percent is None or not 0 <= percent <= 100:
        problems["percent"] = ["Enter the share of respondents as a whole number from 0 to 100"]
    if problems:
        raise Incomplete("The survey result cannot be added yet", problems)

    def add(current):
        if current.survey_results.filter(feeling=feeling, place__iexact=place).exists():
            raise Incomplete(
                "That place is already recorded",
                {
                    "place": [
                        f"{place} already has a result for feeling {feeling}: remove it first "
                        "to change it"
                    ]
                },
            )
        result = SurveyResult(
            assessment=current, place=place, feeling=feeling, percent=percent, added_by=by
        )
        clean_or_refuse(result, exclude=["added_by"])
        result._history_user = by
        result.save()

    return edit_assessment(
        assessment,
        by=by,
        expected_version=expected_version,
        reason="added a survey result",
        change=add,
    )


def assessment_remove_survey_result(*, assessment, by, result_id, expected_version=None):
    def remove(current):
        result = current.survey_results.filter(pk=result_id).first()
        if result is None:
            raise NotAllowed("That survey result is not part of this assessment.")
        result._history_user = by
        result.delete()

    return edit_assessment(
        assessment,
        by=by,
        expected_version=expected_version,
        reason="removed a survey result",
        change=remove,
    )
