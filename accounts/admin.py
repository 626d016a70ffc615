"""Configuration pages for administrators. An authority's administrator sees and edits only
its own authority's schools, panels, teams and memberships; case content is not here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import (
    AuthorityMembership,
    ContextPanel,
    LocalAuthority,
    PanelMembership,
    School,
    SchoolMembership,
    Team,
    TeamMembership,
    User,
)
from accounts.roles import Roles


class AuthorityScopedAdmin(SimpleHistoryAdmin):
    """Limits rows and choices to the administrator's authorities (superusers see all)."""

    authority_path = "authority"

    def _authority_ids(self, request):
        return (
            None if request.user.is_superuser else Roles.for_user(request.user).admin_authority_ids
        )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = self._authority_ids(request)
        return qs if ids is None else qs.filter(**{f"{self.authority_path}__in": ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self._authority_ids(request)
        if ids is not None:
            model = db_field.related_model
            if model is LocalAuthority:
                kwargs["queryset"] = LocalAuthority.objects.filter(pk__in=ids)
            elif hasattr(model, "authority"):
                kwargs["queryset"] = model.objects.filter(authority__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SchoolMembershipInline(admin.TabularInline):
    model = SchoolMembership
    extra = 1
    autocomplete_fields = ["user"]


class PanelMembershipInline(admin.TabularInline):
    model = PanelMembership
    extra = 1
    autocomplete_fields = ["user"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(AuthorityScopedAdmin):
    list_display = ["name", "code", "nation"]
    search_fields = ["name", "code"]
    authority_path = "pk"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new authority starts with the seed's threshold indicators
            from referrals.indicators import seed_indicators

            seed_indicators(obj)


@admin.register(School)
class SchoolAdmin(AuthorityScopedAdmin):
    list_display = ["name", "urn", "phase", "locality", "status", "authority"]
    list_filter = ["phase", "status", "locality"]
    search_fields = ["name", "urn", "postcode"]
    inlines = [SchoolMembershipInline]


@admin.register(ContextPanel)
class ContextPanelAdmin(AuthorityScopedAdmin):
    list_display = ["name", "region", "cadence", "authority"]
    filter_horizontal = ["extra_schools", "excluded_schools"]
    inlines = [PanelMembershipInline]


@admin.register(Team)
class TeamAdmin(AuthorityScopedAdmin):
    list_display = ["name", "authority"]
    inlines = [TeamMembershipInline]


@admin.register(AuthorityMembership)
class AuthorityMembershipAdmin(AuthorityScopedAdmin):
    list_display = ["user", "role", "agency", "authority"]
    list_filter = ["role", "agency"]
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """An authority's administrator sees the people of their authority (any membership in
    it) and people with no membership yet (just added); never another authority's staff."""

    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        ids = Roles.for_user(request.user).admin_authority_ids
        ours = (
            Q(authority_memberships__authority__in=ids)
            | Q(school_memberships__school__authority__in=ids)
            | Q(panel_memberships__panel__authority__in=ids)
            | Q(team_memberships__team__authority__in=ids)
        )
        nobodys = Q(
            authority_memberships__isnull=True,
            school_memberships__isnull=True,
            panel_memberships__isnull=True,
            team_memberships__isnull=True,
        )
        return qs.filter(pk__in=User.objects.filter(ours | nobodys).values("pk"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Only a superuser grants superuser or staff rights.
        return [
            (
                n,
                {
                    **o,
                    "fields": [
                        f for f in o["fields"] if f not in ("is_superuser", "is_staff", "groups")
                    ],
                },
            )
            for n, o in fieldsets
        ]
