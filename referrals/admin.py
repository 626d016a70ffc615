"""Threshold indicators are configuration; referrals themselves are not in the admin,
because administrators read no case content."""

from django.contrib import admin

from accounts.admin import AuthorityScopedAdmin
from referrals.models import ThresholdIndicator


@admin.register(ThresholdIndicator)
class ThresholdIndicatorAdmin(AuthorityScopedAdmin):
    list_display = ["text", "level", "position", "is_active", "authority"]
    list_filter = ["level", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["text"]
