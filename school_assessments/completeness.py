"""What a School Assessment needs before each step: the rules, in one place, for the
services (which refuse) and the workspace (which shows what is left)."""

from school_assessments.choices import Domain


def domain_problem(label):
    return (
        f"Complete the {label.lower()} domain: what you found (strengths, concerns or both), "
        "the evidence and a judgement"
    )


def missing_for_completion(assessment, domains=None, method_count=None):
    """{section: message} for what stops the assessment being completed: all three domains
    of the triangle and at least one method. `domains` ({domain: row}) and `method_count`
    may be passed in by a caller that has them already."""
    if domains is None:
        domains = {d.domain: d for d in assessment.domains.all()}
    if method_count is None:
        method_count = assessment.methods.count()
    problems = {}
    for value, label in Domain.choices:
        row = domains.get(value)
        if row is None or not row.is_complete:
            problems[value] = domain_problem(label)
    if not method_count:
        problems["methods"] = (
            "Add at least one method: a focus group, a review of policies or records, a "
            "survey or an observation"
        )
    return problems


def missing_for_findings(assessment):
    if not assessment.findings.strip():
        return {"findings": "Write the findings before marking them drafted"}
    return {}


def missing_for_sharing(assessment):
    problems = {}
    if not assessment.findings.strip():
        problems["findings"] = "Write the findings before sharing them with the school"
    if not assessment.recommendations.strip():
        problems["recommendations"] = "Write the recommendations before sharing with the school"
    return problems
