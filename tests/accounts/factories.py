import factory

from accounts.models import (
    Agency,
    AuthorityMembership,
    AuthorityRole,
    ContextPanel,
    LocalAuthority,
    PanelMembership,
    PanelRole,
    School,
    SchoolMembership,
    SchoolRole,
    Team,
    TeamMembership,
    TeamRole,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{800 + n % 199:03d}")
    name = factory.Sequence(lambda n: f"Borough {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{900000 + n}")
    name = factory.Sequence(lambda n: f"Fictional Academy {n}")
    authority = factory.SubFactory(LocalAuthorityFactory)
    la_code = factory.SelfAttribute("authority.code")
    la_name = factory.SelfAttribute("authority.name")
    establishment_type = "Academy converter"
    phase = "Secondary"
    status = "Open"
    locality = "North"
    town = "Exampleton"
    postcode = "ZZ1 1ZZ"
    number_of_pupils = 900


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Adolescent team {n}")


class ContextPanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContextPanel

    authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Context panel {n}")
    region = "North"


def dsl_of(school, role=SchoolRole.DSL, **kwargs):
    kwargs.setdefault("authority", school.authority)
    user = UserFactory(**kwargs)
    SchoolMembership.objects.create(user=user, school=school, role=role)
    return user


def front_door_of(authority, **kwargs):
    kwargs.setdefault("authority", authority)
    user = UserFactory(**kwargs)
    AuthorityMembership.objects.create(
        user=user, authority=authority, role=AuthorityRole.FRONT_DOOR
    )
    return user


def authority_role(authority, role, agency="", **kwargs):
    kwargs.setdefault("authority", authority)
    user = UserFactory(**kwargs)
    AuthorityMembership.objects.create(user=user, authority=authority, role=role, agency=agency)
    return user


def panel_member_of(panel, role=PanelRole.MEMBER, agency=Agency.SOCIAL_CARE, **kwargs):
    kwargs.setdefault("authority", panel.authority)
    user = UserFactory(**kwargs)
    PanelMembership.objects.create(user=user, panel=panel, role=role, agency=agency)
    return user


def team_member_of(team, role=TeamRole.PRACTITIONER, **kwargs):
    kwargs.setdefault("authority", team.authority)
    user = UserFactory(**kwargs)
    TeamMembership.objects.create(user=user, team=team, role=role)
    return user
