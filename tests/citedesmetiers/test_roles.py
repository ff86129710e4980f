"""Roles as groups with the permissions of roles.py, and the staff home that shows each role its work."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from citedesmetiers import roles, services
from citedesmetiers.roles import Role
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def group_permissions(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_a_group_with_exactly_its_permissions(role):
    assert group_permissions(role) == set(roles.PERMISSIONS[role])
    assert roles.DESCRIPTIONS[role]


def test_sync_is_idempotent_and_takes_back_a_permission_given_by_hand():
    reception = Group.objects.get(name=Role.RECEPTION_AGENT.value)
    reception.permissions.add(Permission.objects.get(codename="delete_user"))
    services.roles_sync()
    services.roles_sync()
    assert Group.objects.filter(name__in=[role.value for role in Role]).count() == len(Role)
    assert group_permissions(Role.RECEPTION_AGENT) == set(roles.PERMISSIONS[Role.RECEPTION_AGENT])


def test_sync_refuses_a_permission_that_does_not_exist(monkeypatch):
    monkeypatch.setitem(roles.PERMISSIONS, Role.DIRECTOR, ["citedesmetiers.view_nothing"])
    with pytest.raises(ImproperlyConfigured, match="view_nothing"):
        services.roles_sync()


def test_role_label_translates_and_tolerates_other_groups():
    for language, label in [("fr", "Conseiller·ère"), ("nl", "Adviseur"), ("en", "Adviser")]:
        with translation.override(language):
            assert roles.label("adviser") == label
    assert roles.label("not-a-role") == "not-a-role"


def test_staff_home_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role))
def test_staff_home_shows_each_role_what_it_does(client, login, role):
    login(role)
    with translation.override("en"):
        response = client.get(reverse("staff_home"))
        assert response.status_code == 200
        page = response.content.decode()
        assert escape(str(role.label)) in page
        assert escape(str(roles.DESCRIPTIONS[role])) in page
        assert reverse("password_change") in page


@pytest.mark.parametrize(
    ("role", "sees_partners", "sees_accounts"),
    [
        (Role.RECEPTION_AGENT, False, False),
        (Role.ADVISER, False, False),
        (Role.COORDINATOR, True, False),
        (Role.DIRECTOR, True, True),
        (Role.ADMINISTRATOR, True, True),
    ],
)
def test_staff_home_offers_only_the_screens_a_role_may_open(
    client, login, role, sees_partners, sees_accounts
):
    login(role)
    page = client.get(reverse("staff_home")).content.decode()
    assert (reverse("admin:citedesmetiers_partner_changelist") in page) is sees_partners
    assert (reverse("admin:citedesmetiers_user_changelist") in page) is sees_accounts


def test_staff_home_in_dutch_names_the_institution(client, login):
    login(Role.ADVISER)
    page = client.get("/nl/personeel/").content.decode()
    assert "Adviseur" in page
    assert "U werkt voor Actiris." in page


def test_a_partner_role_without_institution_is_warned(client):
    user = UserFactory(roles=[Role.ADVISER], partner=None)
    client.force_login(user)
    page = client.get(reverse("staff_home")).content.decode()
    assert 'role="alert"' in page


def test_an_account_without_role_gets_an_explanation(client):
    client.force_login(UserFactory())
    with translation.override("en"):
        page = client.get(reverse("staff_home")).content.decode()
    assert "no role yet" in page


def test_staff_factory_gives_partner_roles_an_institution():
    assert staff(Role.PARTNER_LEAD).partner.code == "actiris"
    assert staff(Role.DIRECTOR).partner is None


def test_the_person_and_their_roles_come_in_one_query_and_give_the_roles_permissions(
    django_assert_num_queries,
):
    from citedesmetiers.accounts.backends import StaffBackend

    user = staff(Role.COORDINATOR)
    user.groups.add(Group.objects.get(name=Role.DIRECTOR.value))
    user.user_permissions.add(Permission.objects.get(codename="delete_space"))  # not a role: ignored
    backend = StaffBackend()
    with django_assert_num_queries(1):
        signed_in = backend.get_user(user.pk)
        permissions = backend.get_all_permissions(signed_in)
        assert signed_in.has_perm("accueil.change_visit")
    assert permissions == roles.permissions_of(["coordinator", "director"])
    assert not signed_in.has_perm("citedesmetiers.delete_space")
    assert not signed_in.has_perm("citedesmetiers.delete_user")
