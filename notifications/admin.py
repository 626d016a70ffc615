from django.contrib import admin

from accounts.admin import AuthorityScopedAdmin
from notifications.models import ClosureDay, Timescale


@admin.register(Timescale)
class TimescaleAdmin(AuthorityScopedAdmin):
    """Each authority's catalogue: periods, offsets and targets are editable, with history."""

    list_display = [
        "name",
        "period",
        "period_unit",
        "owner_role",
        "reminder_days",
        "escalation_days",
        "target_percent",
        "is_active",
        "authority",
    ]
    list_filter = ["owner_role", "is_active"]
    readonly_fields = ["key", "model", "running_states", "met_states", "condition", "anchor"]
    fields = [
        "authority",
        "key",
        "name",
        "model",
        "running_states",
        "met_states",
        "condition",
        "anchor",
        "period",
        "period_unit",
        "owner_role",
        "reminder_days",
        "escalation_days",
        "target_percent",
        "source",
        "is_active",
    ]

    def has_add_permission(self, request):  # rows come from the catalogue, one per clock
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClosureDay)
class ClosureDayAdmin(AuthorityScopedAdmin):
    list_display = ["date", "reason", "authority"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter)]  # only the reader's own
