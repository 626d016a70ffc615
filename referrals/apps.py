from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "School referrals"

    def ready(self):
        from notifications import cases
        from referrals.models import SchoolReferral

        # Deadline lists and digests show a clock only to those who may open its case.
        cases.register(SchoolReferral, visible_to=SchoolReferral.objects.visible_to)
