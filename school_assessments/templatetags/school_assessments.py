"""{% load school_assessments %}{% school_assessment_card referral %}: on the case page, the
case's School Assessment (if this person may see one) with its state and a link. The case
page need not know how assessments are stored or who sees them."""

from django import template

from school_assessments.selectors import open_assessment_for_case

register = template.Library()


@register.inclusion_tag("school_assessments/_case_card.html", takes_context=True)
def school_assessment_card(context, referral):
    request = context.get("request")
    user = getattr(request, "user", None)
    assessment = open_assessment_for_case(user, referral) if user is not None else None
    return {"assessment": assessment, "referral": referral}
