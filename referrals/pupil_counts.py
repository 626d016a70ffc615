"""The rule for the pupils a referral counts (in aggregate, never named): the numbers by
gender, if given, add up to the numbers by year group, and pupils with SEND are no more than
all of them. Checked by the service on every save of the answers."""

GENDER_FIELDS = ["pupils_female", "pupils_male", "pupils_other_gender", "pupils_gender_not_known"]


def pupil_count_problems(referral) -> dict[str, list[str]]:
    total = sum((referral.pupils_by_year or {}).values())
    problems = {}
    genders = [getattr(referral, name) for name in GENDER_FIELDS]
    by_gender = sum(g or 0 for g in genders)
    if any(g is not None for g in genders) and by_gender != total:
        problems["pupils_female"] = [
            f"The numbers by gender add up to {by_gender}, but the numbers by year group add "
            f"up to {total}: they must be the same"
        ]
    send = referral.pupils_send
    if send is not None and send > total:
        problems["pupils_send"] = [
            f"Pupils with SEND ({send}) cannot be more than the pupils affected ({total})"
        ]
    return problems
