"""People, the organisations they belong to, and the memberships that give them roles.

Organisations (authorities, schools, teams, context panels) live here rather than in the
apps that use them, so dependencies point one way: accounts <- referrals <- panels.
See docs/decisions/0001-organisations-in-accounts.md.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audit.models import Chained


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in by email; roles come from memberships, never from flags."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the configuration pages.")
    date_joined = models.DateTimeField(default=timezone.now)
    # The authority whose administrators manage this account (its name, password, roles).
    # Roles are granted only within it; a superuser has none (docs/decisions/0013).
    authority = models.ForeignKey(
        "LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="The authority whose administrators manage this account.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self):
        from accounts.roles import Roles

        return Roles.for_user(self)


class Nation(models.TextChoices):
    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class LocalAuthority(models.Model):
    """A local authority. No one in one authority sees another's cases."""

    code = models.CharField(
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the three-digit local authority code.")],
        help_text="The DfE three-digit code, as in Get Information About Schools.",
    )
    name = models.CharField(max_length=150)
    nation = models.CharField(
        max_length=3,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text="Decides which bank holidays count as non-working days.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"


urn_validator = RegexValidator(
    r"^\d{6}$", "Enter a unique reference number (URN) of six digits, like 100123."
)


class School(models.Model):
    """An establishment, as in Get Information About Schools, plus local data."""

    urn = models.CharField("URN", max_length=6, unique=True, validators=[urn_validator])
    name = models.CharField(max_length=200)
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="schools")
    establishment_type = models.CharField("type", max_length=120, blank=True)
    phase = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=60, blank=True)
    la_code = models.CharField("local authority code", max_length=3)
    la_name = models.CharField("local authority name", max_length=150)
    locality = models.CharField(
        "locality or region",
        max_length=100,
        blank=True,
        help_text="Local data, not from the import: decides which context panel covers it.",
    )
    street = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (URN {self.urn})"

    @property
    def address(self):
        return ", ".join(part for part in (self.street, self.town, self.postcode) if part)


class Agency(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    EDUCATION = "education", "Education"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    VOLUNTARY = "voluntary", "Voluntary sector"


class Team(models.Model):
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=150)
    is_front_door = models.BooleanField(
        default=False,
        help_text="The front door's own team: its managers answer the front door's escalations.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="team_unique_name")
        ]

    def __str__(self):
        return self.name


class ContextPanel(models.Model):
    """A regional context panel: receives school referrals and makes threshold decisions."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="panels")
    name = models.CharField(max_length=150)
    region = models.CharField(
        "region or locality",
        max_length=100,
        help_text="Schools whose locality matches are offered to this panel by default.",
    )
    extra_schools = models.ManyToManyField(
        School, blank=True, related_name="+", help_text="Schools it covers outside its region."
    )
    excluded_schools = models.ManyToManyField(
        School, blank=True, related_name="+", help_text="Schools of its region it does not cover."
    )
    cadence = models.CharField(
        "meeting cadence", max_length=100, blank=True, help_text="For example: every two weeks."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="panel_unique_name")
        ]

    def __str__(self):
        return self.name

    def covers(self, school):
        """Its region's schools, less its exceptions, plus the schools added to it."""
        if self.excluded_schools.filter(pk=school.pk).exists():
            return False
        return school.locality == self.region or self.extra_schools.filter(pk=school.pk).exists()


class SchoolRole(models.TextChoices):
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy designated safeguarding lead"


class SchoolMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="school_memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=SchoolRole.choices)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_role_per_school")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.school.name}"


class PanelRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"


class PanelMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="panel_memberships")
    panel = models.ForeignKey(ContextPanel, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=PanelRole.choices, default=PanelRole.MEMBER)
    agency = models.CharField(max_length=20, choices=Agency.choices)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "panel"], name="one_role_per_panel")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.panel.name}"


class TeamRole(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Team manager"


class TeamMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=TeamRole.choices)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team", "role"], name="one_team_role")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.team.name}"


class AuthorityRole(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door officer"
    PARTNER = "partner", "Partner agency contact"
    ADMINISTRATOR = "administrator", "Administrator"
    # The last stop of every escalation route: told of what nobody else can act on, such
    # as an email that could not be delivered.
    DUTY_MANAGER = "duty_manager", "Duty manager"
    # Reads the audit logs (who read which case, exports, the security log) and no case
    # content (audit.views).
    DATA_PROTECTION_OFFICER = "data_protection", "Data protection officer"


class AuthorityMembership(models.Model):
    """Roles held for a whole authority: front door, partner agency contact, administrator,
    duty manager, data protection officer."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="authority_memberships")
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=AuthorityRole.choices)
    agency = models.CharField(
        max_length=20,
        choices=Agency.choices,
        blank=True,
        help_text="For partner agency contacts: police, health or voluntary sector.",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "authority", "role"], name="one_authority_role")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.authority.name}"


class SecurityEvent(Chained):
    """Something that changes or tests who may do what: a role granted or removed, a password
    set or reset, a failed or refused sign-in. Written by accounts.security alone; never
    edited. Names are kept as text so the row outlives the accounts it names; hash chained
    over them (audit.chain)."""

    chained = ("at", "kind", "actor_name", "subject_name", "authority_id", "ip_address", "detail")

    class Kind(models.TextChoices):
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_CHANGED = "role_changed", "Role changed"
        ROLE_REMOVED = "role_removed", "Role removed"
        PASSWORD_SET = "password_set", "Password set by an administrator"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset asked for"
        PASSWORD_RESET = "password_reset", "Password reset"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        ACCOUNT_CHANGED = "account_changed", "Account changed"
        TWO_STEP_RESET = "two_step_reset", "Two-step verification reset by an administrator"
        REFUSED = "refused", "Page refused"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=300, blank=True)
    subject = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_name = models.CharField(max_length=300, blank=True)
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["authority", "-at"], name="security_event_by_authority")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject_name or self.actor_name}"
