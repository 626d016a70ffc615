from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "School referrals"

    def ready(self):
        from casework import pathways
        from notifications import cases
        from referrals.models import SchoolReferral
        from referrals.plans.services import plan_stop
        from referrals.risks.services import risks_stop

        # What notifications may know of a case: who may read it (deadline lists and digests
        # show a clock only to them), the facts its clocks need, and where they keep its
        # soonest due time (the lists' order).
        cases.register(
            SchoolReferral,
            visible_to=SchoolReferral.objects.visible_to,
            facts=_case_facts,
            next_due_field="next_due_at",
        )
        # A case that ends closes its risk assessments and its plan (after the pathways).
        pathways.register_case_records("risk assessments", risks_stop)
        pathways.register_case_records("plan", plan_stop)


def _case_facts(referral):
    from notifications.cases import CaseFacts

    return CaseFacts(
        authority=referral.school.authority,
        school_id=referral.school_id,
        school_name=referral.school.name,
        panel_id=referral.panel_id,
        lead_id=referral.lead_practitioner_id,
        team_id=referral.allocated_team_id,
        label=str(referral),
        url=referral.get_absolute_url(),
    )
