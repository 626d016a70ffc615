"""An authority's administrator reaches their own authority only, in every list, choice,
search and history page; every change to someone's access is logged and told, once."""

import pytest

from accounts.groups import administrators_group
from accounts.models import (
    AuthorityMembership,
    AuthorityRole,
    School,
    SchoolMembership,
    SchoolRole,
    SecurityEvent,
)
from accounts.security import record
from notifications.models import Notification
from tests.accounts.factories import (
    ContextPanelFactory,
    SchoolFactory,
    UserFactory,
    authority_role,
    dsl_of,
)

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


def administrator_of(authority):
    person = authority_role(authority, AuthorityRole.ADMINISTRATOR, is_staff=True)
    person.groups.add(administrators_group())
    return person


@pytest.fixture
def world():
    """Our authority (a school, its DSL, two administrators, a newcomer with no role yet)
    and another authority with its own school, DSL and administrator; and a superuser."""
    ours, theirs = SchoolFactory(), SchoolFactory()
    return {
        "school": ours,
        "authority": ours.authority,
        "admin": administrator_of(ours.authority),
        "other_admin": administrator_of(ours.authority),
        "dsl": dsl_of(ours),
        "newcomer": UserFactory(authority=ours.authority),
        "their_school": theirs,
        "their_dsl": dsl_of(theirs),
        "their_admin": administrator_of(theirs.authority),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


@pytest.fixture
def admin_client(client, world):
    client.force_login(world["admin"])
    return client


def change_form_data(response) -> dict:
    """What the browser would post back from an admin change page as it stands: the form's
    values and every inline's rows and management form."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = list(value) if isinstance(value, list | tuple) else value

    put(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    return data


def test_another_authoritys_history_is_not_found(admin_client, world):
    theirs = world["their_school"]
    version = theirs.history.first().history_id
    assert admin_client.get(f"/admin/accounts/school/{theirs.pk}/history/").status_code == 404
    assert (
        admin_client.get(f"/admin/accounts/school/{theirs.pk}/history/{version}/").status_code
        == 404
    )
    assert admin_client.get("/admin/accounts/school/not-a-number/history/").status_code == 404


def test_history_is_read_and_never_reverted(client, world):
    school = world["school"]
    first = school.history.last().history_id
    school.name = "Renamed Academy"
    school.save()
    for who in ("admin", "superuser"):
        client.force_login(world[who])
        url = f"/admin/accounts/school/{school.pk}/history/{first}/"
        page = client.get(url)
        assert page.status_code == 200
        assert client.post(url, change_form_data(page)).status_code == 403
        assert School.objects.get(pk=school.pk).name == "Renamed Academy"


def test_every_choice_offers_only_the_administrators_own_authority(admin_client, world):
    add = admin_client.get("/admin/accounts/authoritymembership/add/")
    form = add.context["adminform"].form
    people = set(form.fields["user"].queryset)
    assert world["dsl"] in people and world["newcomer"] in people
    assert not people & {world["admin"], world["their_dsl"], world["superuser"]}
    assert list(form.fields["authority"].queryset) == [world["authority"]]

    panel = ContextPanelFactory(authority=world["authority"])
    page = admin_client.get(f"/admin/accounts/contextpanel/{panel.pk}/change/")
    panel_form = page.context["adminform"].form
    for field in ("extra_schools", "excluded_schools"):
        assert list(panel_form.fields[field].queryset) == [world["school"]]
    inline = page.context["inline_admin_formsets"][0].formset.forms[0]
    assert world["their_dsl"] not in set(inline.fields["user"].queryset)

    found = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "panelmembership", "field_name": "user"},
    ).json()["results"]
    ids = {int(result["id"]) for result in found}
    assert world["dsl"].pk in ids
    assert not ids & {world["admin"].pk, world["their_dsl"].pk, world["superuser"].pk}


def test_the_people_list_never_shows_a_superuser_or_another_authority(admin_client, world):
    page = admin_client.get("/admin/accounts/user/").content.decode()
    assert world["dsl"].email in page and world["newcomer"].email in page
    for hidden in ("their_dsl", "their_admin", "superuser"):
        assert world[hidden].email not in page
    theirs = world["their_dsl"]
    assert admin_client.get(f"/admin/accounts/user/{theirs.pk}/change/").status_code == 302
    assert admin_client.get(f"/admin/accounts/user/{theirs.pk}/password/").status_code == 404


def test_a_role_granted_is_logged_and_told_once(admin_client, world):
    newcomer = world["newcomer"]
    response = admin_client.post(
        "/admin/accounts/authoritymembership/add/",
        {"user": newcomer.pk, "authority": world["authority"].pk, "role": "front_door"},
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get()
    assert (event.kind, event.actor, event.subject) == (Kind.ROLE_GRANTED, world["admin"], newcomer)
    assert event.authority == world["authority"] and "Front door officer" in event.detail
    told = Notification.objects.filter(stage="security")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [newcomer.pk, world["other_admin"].pk]
    )
    # The other administrator can open what their message links to; the person's has no link.
    other = Notification.objects.get(user=world["other_admin"])
    admin_client.force_login(world["other_admin"])
    assert admin_client.get(other.url).status_code == 200
    assert Notification.objects.get(user=newcomer).url == ""


def test_roles_given_and_taken_on_a_schools_page_are_logged(admin_client, world):
    school, newcomer = world["school"], world["newcomer"]
    url = f"/admin/accounts/school/{school.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data.update({"memberships-1-user": newcomer.pk, "memberships-1-role": SchoolRole.DEPUTY_DSL})
    assert admin_client.post(url, data).status_code == 302
    granted = SecurityEvent.objects.get(kind=Kind.ROLE_GRANTED)
    assert granted.subject == newcomer and school.name in granted.detail

    data = change_form_data(admin_client.get(url))
    row = next(
        k[: -len("-user")] for k, v in data.items() if k.endswith("-user") and v == newcomer.pk
    )
    data[f"{row}-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not SchoolMembership.objects.filter(user=newcomer).exists()
    removed = SecurityEvent.objects.get(kind=Kind.ROLE_REMOVED)
    assert removed.subject == newcomer and Notification.objects.filter(user=newcomer).count() == 2


@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_nobody_grants_their_own_access(client, world, who):
    client.force_login(world[who])
    response = client.post(
        "/admin/accounts/authoritymembership/add/",
        {"user": world[who].pk, "authority": world["authority"].pk, "role": "front_door"},
    )
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not AuthorityMembership.objects.filter(user=world[who], role="front_door").exists()
    assert not SecurityEvent.objects.exists()


def test_administrators_hold_no_role_that_reads_case_content(client, world):
    # Even a superuser: the separation is the service's rule, not a permission.
    client.force_login(world["superuser"])
    response = client.post(
        "/admin/accounts/authoritymembership/add/",
        {"user": world["dsl"].pk, "authority": world["authority"].pk, "role": "administrator"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["role"]
    assert "holds roles that read case content" in errors[0]

    response = client.post(
        "/admin/accounts/authoritymembership/add/",
        {"user": world["other_admin"].pk, "authority": world["authority"].pk, "role": "partner"},
    )
    assert "is an administrator" in response.context["adminform"].form.errors["user"][0]
    assert AuthorityMembership.objects.filter(user=world["other_admin"]).count() == 1
    assert not SecurityEvent.objects.exists()


def test_a_role_is_not_moved_to_someone_else(admin_client, world):
    school = world["school"]
    url = f"/admin/accounts/school/{school.pk}/change/"
    data = change_form_data(admin_client.get(url))
    row = next(k for k, v in data.items() if k.endswith("-user") and v == world["dsl"].pk)
    data[row] = world["newcomer"].pk
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "cannot be moved" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert SchoolMembership.objects.get(school=school).user == world["dsl"]


def test_a_password_set_by_an_administrator_is_logged_and_told(admin_client, world):
    dsl = world["dsl"]
    response = admin_client.post(
        f"/admin/accounts/user/{dsl.pk}/password/",
        {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"},
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_SET)
    assert event.subject == dsl and event.actor == world["admin"]
    assert (
        Notification.objects.filter(user=dsl, title__startswith="Your access has changed").count()
        == 1
    )


def test_an_administrator_changes_neither_their_own_account_nor_another_administrators(
    admin_client, world
):
    for person in (world["admin"], world["other_admin"]):
        url = f"/admin/accounts/user/{person.pk}/"
        page = admin_client.get(f"{url}change/")
        assert page.status_code == 200 and 'name="email"' not in page.content.decode()
        assert admin_client.post(f"{url}change/", {"email": "x@example.org"}).status_code == 403
        assert (
            admin_client.post(
                f"{url}password/",
                {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"},
            ).status_code
            == 403
        )
    # Nothing changed; each refusal is in the security log.
    assert not SecurityEvent.objects.exclude(kind=Kind.REFUSED).exists()
    refused = SecurityEvent.objects.filter(kind=Kind.REFUSED, actor=world["admin"])
    assert sorted(e.detail for e in refused) == [
        "POST admin:accounts_user_change",
        "POST admin:accounts_user_change",
        "POST admin:auth_user_password_change",
        "POST admin:auth_user_password_change",
    ]


def test_a_new_account_belongs_to_the_administrators_authority(admin_client, world):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new.person@example.org",
            "full_name": "New Person",
            "authority": world["their_school"].authority.pk,
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200 and "authority" in response.context["adminform"].form.errors
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new.person@example.org",
            "full_name": "New Person",
            "authority": world["authority"].pk,
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.ACCOUNT_CHANGED)
    assert event.subject.email == "new.person@example.org"
    assert event.subject.authority == world["authority"]


def test_the_security_log_is_scoped_and_read_only(
    admin_client, world, django_assert_max_num_queries
):
    for n in range(105):  # more than a page
        record(Kind.SIGN_IN_FAILED, subject=world["dsl"], detail=f"attempt {n}")
    theirs = record(Kind.SIGN_IN_FAILED, subject=world["their_dsl"])
    with django_assert_max_num_queries(16):
        page = admin_client.get("/admin/accounts/securityevent/")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 105
    assert world["their_dsl"].email not in page.content.decode()
    ours = SecurityEvent.objects.filter(subject=world["dsl"]).first()
    url = f"/admin/accounts/securityevent/{ours.pk}/change/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"detail": "edited"}).status_code == 403
    assert admin_client.get("/admin/accounts/securityevent/add/").status_code == 403
    assert admin_client.post(f"/admin/accounts/securityevent/{ours.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/accounts/securityevent/{theirs.pk}/change/").status_code == 302
    assert SecurityEvent.objects.get(pk=ours.pk).detail == ours.detail != "edited"


def test_a_data_protection_officer_holds_no_role_that_reads_case_content(admin_client, world):
    response = admin_client.post(
        "/admin/accounts/authoritymembership/add/",
        {"user": world["dsl"].pk, "authority": world["authority"].pk, "role": "data_protection"},
    )
    message = response.context["adminform"].form.errors["role"][0]
    assert "a data protection officer reads no case content" in message
    AuthorityMembership.objects.create(
        user=world["newcomer"], authority=world["authority"], role="data_protection"
    )
    response = admin_client.post(
        "/admin/accounts/authoritymembership/add/",
        {"user": world["newcomer"].pk, "authority": world["authority"].pk, "role": "front_door"},
    )
    message = response.context["adminform"].form.errors["user"][0]
    assert "is a data protection officer, who reads no case content" in message
    assert not SecurityEvent.objects.exists()


def test_a_refusal_to_nobody_signed_in_is_not_logged(client):
    # Django's CSRF refusal, to someone not signed in: nobody to name.
    client.handler.enforce_csrf_checks = True
    assert client.post("/login/", {"username": "x@example.org", "password": "x"}).status_code == 403
    assert not SecurityEvent.objects.filter(kind=Kind.REFUSED).exists()
