"""The back office: by permission, at its own path, with roles and institutions checked."""

import pytest
from django.urls import reverse

from citedesmetiers.models import Partner, User
from citedesmetiers.roles import Role

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_one_sign_in_page(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.ADVISER, Role.PARTNER_LEAD])
def test_roles_without_back_office_are_refused_without_a_redirect_loop(client, login, role):
    login(role)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1


def test_a_coordinator_edits_partners_but_cannot_delete_them_nor_manage_accounts(client, login):
    login(Role.COORDINATOR)
    partner = Partner.objects.get(code="syntra-brussel")
    url = reverse("admin:citedesmetiers_partner_change", args=[partner.pk])
    form = {
        "name_fr": "Syntra Brussel",
        "name_nl": "Syntra Brussel",
        "name_en": "",
        "code": "syntra-brussel",
        "circle": "1",
        "themes": [],
        "active": "on",
        "position": "3",
        "website": "www.syntrabrussel.be",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    partner.refresh_from_db()
    assert partner.circle == 1
    assert partner.website == "https://www.syntrabrussel.be"
    assert client.get(reverse("admin:citedesmetiers_partner_delete", args=[partner.pk])).status_code == 403
    assert client.get(reverse("admin:citedesmetiers_user_changelist")).status_code == 403


def test_the_director_reads_but_does_not_change(client, login):
    login(Role.DIRECTOR)
    partner = Partner.objects.get(code="actiris")
    url = reverse("admin:citedesmetiers_partner_change", args=[partner.pk])
    page = client.get(url).content.decode()
    assert 'name="name_fr"' not in page
    assert client.post(url, {"name_fr": "X"}).status_code == 403


def test_an_administrator_must_give_partner_roles_an_institution(client, login):
    login(Role.ADMINISTRATOR)
    user = User.objects.create_user("newadviser", password="x")
    url = reverse("admin:citedesmetiers_user_change", args=[user.pk])
    adviser = user.groups.model.objects.get(name=Role.ADVISER.value)
    form = {
        "username": "newadviser",
        "first_name": "New",
        "last_name": "Adviser",
        "email": "",
        "groups": [adviser.pk],
        "partner": "",
        "is_active": "on",
    }
    with pytest.MonkeyPatch.context():
        response = client.post(url, form)
    assert response.status_code == 200
    assert "institution" in response.content.decode()
    form["partner"] = Partner.objects.get(code="vdab-brussel").pk
    assert client.post(url, form).status_code == 302
    user.refresh_from_db()
    assert user.partner.code == "vdab-brussel"
    assert list(user.groups.values_list("name", flat=True)) == ["adviser"]


def test_an_administrator_cannot_make_superusers(client, login):
    login(Role.ADMINISTRATOR)
    user = User.objects.create_user("someone", password="x")
    page = client.get(reverse("admin:citedesmetiers_user_change", args=[user.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page


def test_roles_cannot_be_edited_in_the_back_office(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    group = django_user_model.groups.field.related_model.objects.get(name="director")
    assert client.get(reverse("admin:auth_group_add")).status_code == 403
    page = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert 'name="permissions"' not in page


def test_a_nul_byte_in_a_back_office_list_filter_is_refused_not_an_error(client, login):
    login(Role.DIRECTOR)
    url = reverse("admin:citedesmetiers_partner_changelist")
    assert client.get(url, {"themes__code__exact": "a\x00b"}).status_code == 400
    assert client.get(url, {"q": "\x00"}).status_code == 400
    assert client.get(url, {"themes__code__exact": "bouger"}).status_code == 200
