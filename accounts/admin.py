"""Configuration pages for administrators (docs/decisions/0013).

An authority's administrator sees and edits only their own authority: its schools, panels,
teams, people and roles, in every list, choice, search and history page; a superuser sees
all. They read no case content. Every role granted, changed or removed and every password
set is written to the security log, which tells the person and the other administrators
(accounts.security). History is read here, never reverted: a revert would change access
without passing through the log."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts import security, services
from accounts.models import (
    AuthorityMembership,
    AuthorityRole,
    ContextPanel,
    LocalAuthority,
    PanelMembership,
    School,
    SchoolMembership,
    SecurityEvent,
    Team,
    TeamMembership,
    User,
)
from accounts.roles import Roles

Kind = SecurityEvent.Kind


def admin_authority_ids(request: HttpRequest) -> frozenset[int] | None:
    """The authorities this person administers; None for a superuser (every authority)."""
    if request.user.is_superuser:
        return None
    return Roles.for_user(request.user).admin_authority_ids


def people_for(request: HttpRequest) -> QuerySet[User]:
    """Whom an administrator may give a role to: the people of their authorities, never a
    superuser, and never themselves (nobody grants their own access, a superuser included)."""
    ids = admin_authority_ids(request)
    people = User.objects.exclude(pk=request.user.pk)
    if ids is None:
        return people
    return people.filter(authority__in=ids, is_superuser=False)


# Where each kind of role is held: the field naming the school, panel, team or authority.
_PLACE = {
    SchoolMembership: "school",
    PanelMembership: "panel",
    TeamMembership: "team",
    AuthorityMembership: "authority",
}


def _log_role(kind: str, membership: Model, request: HttpRequest) -> None:
    place = getattr(membership, _PLACE[type(membership)])
    authority = place if isinstance(place, LocalAuthority) else place.authority
    wording = {
        Kind.ROLE_GRANTED: "Given the role",
        Kind.ROLE_CHANGED: "Role now",
        Kind.ROLE_REMOVED: "No longer",
    }[kind]
    security.record(
        kind,
        actor=request.user,
        subject=membership.user,
        authority=authority,
        request=request,
        detail=f"{wording}: {membership.get_role_display()}, {place}.",
    )


# Roles that oversee the service and read no case content: nobody holds one of these and a
# role that reads cases (separation of duties).
OVERSIGHT = (AuthorityRole.ADMINISTRATOR, AuthorityRole.DATA_PROTECTION_OFFICER)


def _a(role: str) -> str:
    role = role.lower()
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


def _oversight_role(user: User, *, besides: int | None = None) -> AuthorityMembership | None:
    rows = AuthorityMembership.objects.filter(user=user, role__in=OVERSIGHT)
    return (rows.exclude(pk=besides) if besides else rows).first()


def _is_administrator(user: User) -> bool:
    return AuthorityMembership.objects.filter(user=user, role=AuthorityRole.ADMINISTRATOR).exists()


def _holds_case_roles(user: User, *, besides: Model | None = None) -> bool:
    """Whether `user` holds a role that reads case content (other than the row `besides`,
    the one being edited)."""
    for rows in (
        SchoolMembership.objects.filter(user=user),
        PanelMembership.objects.filter(user=user),
        TeamMembership.objects.filter(user=user),
        AuthorityMembership.objects.filter(user=user).exclude(role__in=OVERSIGHT),
    ):
        if besides is not None and besides.pk and rows.model is type(besides):
            rows = rows.exclude(pk=besides.pk)
        if rows.exists():
            return True
    return False


class MembershipForm(forms.ModelForm):
    """A role given to one person. Separation of duties: administrators and data protection
    officers read no case content, so nobody holds one of those and a role that does."""

    def clean(self):
        data = super().clean()
        user, role = data.get("user"), data.get("role")
        if self.instance.pk and "user" in self.changed_data:
            self.add_error(
                "user",
                "A role cannot be moved to someone else: remove this one and add a new row "
                "for the other person",
            )
        elif user is not None and role:
            oversight = self._meta.model is AuthorityMembership and role in OVERSIGHT
            if oversight and _holds_case_roles(user, besides=self.instance):
                self.add_error(
                    "role",
                    f"{user} holds roles that read case content: remove them first "
                    f"({_a(AuthorityRole(role).label)} reads no case content)",
                )
            elif not oversight and (held := _oversight_role(user, besides=self._own_row())):
                self.add_error(
                    "user",
                    f"{user} is {_a(held.get_role_display())}, who reads no case content: "
                    "give this role to someone else",
                )
        return data

    def _own_row(self) -> int | None:
        return self.instance.pk if isinstance(self.instance, AuthorityMembership) else None


class AuthorityScopedAdmin(SimpleHistoryAdmin):
    """Limits rows, choices and history to the administrator's authorities."""

    authority_path = "authority"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = admin_authority_ids(request)
        return qs if ids is None else qs.filter(**{f"{self.authority_path}__in": ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = admin_authority_ids(request)
        model = db_field.related_model
        if model is User:
            kwargs["queryset"] = people_for(request)
        elif ids is not None:
            if model is LocalAuthority:
                kwargs["queryset"] = LocalAuthority.objects.filter(pk__in=ids)
            elif hasattr(model, "authority"):
                kwargs["queryset"] = model.objects.filter(authority__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        ids = admin_authority_ids(request)
        if ids is not None and hasattr(db_field.related_model, "authority"):
            kwargs["queryset"] = db_field.related_model.objects.filter(authority__in=ids)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _in_scope_or_404(self, request: HttpRequest, object_id: str) -> None:
        # simple-history finds a row's history without the admin's queryset; check it here.
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":  # a past version is read, never saved back
            raise PermissionDenied
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model not in _PLACE:
            return
        for membership in formset.new_objects:
            _log_role(Kind.ROLE_GRANTED, membership, request)
        for membership, _fields in formset.changed_objects:
            _log_role(Kind.ROLE_CHANGED, membership, request)
        for membership in formset.deleted_objects:
            _log_role(Kind.ROLE_REMOVED, membership, request)


class MembershipInline(admin.TabularInline):
    form = MembershipForm
    extra = 1
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = people_for(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SchoolMembershipInline(MembershipInline):
    model = SchoolMembership


class PanelMembershipInline(MembershipInline):
    model = PanelMembership


class TeamMembershipInline(MembershipInline):
    model = TeamMembership


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
    form = MembershipForm
    list_display = ["user", "role", "agency", "authority"]
    list_filter = ["role", "agency"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _log_role(Kind.ROLE_CHANGED if change else Kind.ROLE_GRANTED, obj, request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _log_role(Kind.ROLE_REMOVED, obj, request)

    def delete_queryset(self, request, queryset):
        removed = list(queryset.select_related("user", "authority"))
        super().delete_queryset(request, queryset)
        for membership in removed:
            _log_role(Kind.ROLE_REMOVED, membership, request)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """An administrator manages the accounts of their own authority (User.authority). They
    may read, but not change, another administrator's account or their own: nobody changes
    their own access, and administrators are managed by a superuser."""

    ordering = ["full_name"]
    actions = ["lift_lockout", "reset_two_step"]
    list_display = ["full_name", "email", "is_active", "authority"]
    list_filter = ["is_active"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title"]}),
        ("Access", {"fields": ["authority", "is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "authority", "password1", "password2"],
            },
        )
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = admin_authority_ids(request)
        return qs if ids is None else qs.filter(authority__in=ids, is_superuser=False)

    def get_search_results(self, request, queryset, search_term):
        qs, distinct = super().get_search_results(request, queryset, search_term)
        if "field_name" in request.GET:  # the autocomplete of a role's person
            qs = qs.filter(pk__in=people_for(request).values("pk"))
        return qs, distinct

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().has_change_permission(request, obj)
        if obj.pk == request.user.pk or obj.is_staff or _is_administrator(obj):
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = admin_authority_ids(request)
        if db_field.name == "authority" and ids is not None:
            kwargs["queryset"] = LocalAuthority.objects.filter(pk__in=ids)
            kwargs["required"] = True
            if len(ids) == 1:
                kwargs["initial"] = next(iter(ids))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Only a superuser grants superuser or staff rights.
        hidden = ("is_superuser", "is_staff", "groups")
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and not form.changed_data:
            return
        changed = ", ".join(str(form.fields[name].label or name) for name in form.changed_data)
        security.record(
            Kind.ACCOUNT_CHANGED,
            actor=request.user,
            subject=obj,
            request=request,
            detail=f"Changed: {changed}." if change else "Account created.",
        )

    @admin.action(description="Lift a sign-in lockout (after failed passwords)")
    def lift_lockout(self, request, queryset):
        self._each_of_theirs(request, queryset, services.lockout_lift, "Lockout lifted")

    @admin.action(description="Reset two-step verification (lost phone and recovery codes)")
    def reset_two_step(self, request, queryset):
        self._each_of_theirs(
            request, queryset, services.two_step_reset, "Two-step verification reset"
        )

    def _each_of_theirs(self, request, queryset, act, done: str) -> None:
        """`act` for each chosen person this administrator may change (never themselves,
        nor another administrator unless a superuser); says for how many it did something."""
        count = sum(
            bool(act(person, by=request.user, request=request))
            for person in queryset
            if self.has_change_permission(request, person)
        )
        self.message_user(request, f"{done} for {count} {'person' if count == 1 else 'people'}.")

    def user_change_password(self, request, id, form_url=""):
        response: HttpResponse = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = User.objects.get(pk=unquote(id))
            security.record(
                Kind.PASSWORD_SET,
                actor=request.user,
                subject=person,
                request=request,
                detail="A new password was set for the account by an administrator.",
            )
        return response


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log: read here, written only by accounts.security.record."""

    list_display = ["at", "kind", "subject_name", "actor_name", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["subject_name", "actor_name"]
    date_hierarchy = "at"
    fields = ["at", "kind", "subject_name", "actor_name", "authority", "ip_address", "detail"]
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("authority")
        ids = admin_authority_ids(request)
        return qs if ids is None else qs.filter(authority__in=ids)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-otp's own pages show a device's secret (its QR code) and are not scoped: a reset is
# the UserAdmin action above, for the administrator's own people.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
