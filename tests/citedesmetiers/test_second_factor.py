"""The second factor: who needs it, setting it up, signing in with it, replays, throttling, reset."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import translation

from citedesmetiers import roles, services
from citedesmetiers.accounts import sessions, totp
from citedesmetiers.models import AuditEntry
from citedesmetiers.roles import Role
from tests.factories import PASSWORD, UserFactory, staff

pytestmark = pytest.mark.django_db


def password_step(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def current_code(secret):
    return totp.code_at(secret, totp.step_of(time.time()))


@pytest.mark.parametrize("role", list(Role))
def test_roles_that_see_consultations_or_accounts_need_a_second_factor(role):
    assert roles.needs_second_factor(staff(role)) is (role in roles.SECOND_FACTOR_ROLES)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_that_reads_consultations_the_audit_trail_or_accounts_needs_it(role):
    """Derived from the permissions themselves, so that a future role cannot slip through."""
    sensitive = set(roles.PERMISSIONS[role]) & roles.SENSITIVE_PERMISSIONS
    assert (role in roles.SECOND_FACTOR_ROLES) is bool(sensitive), (role, sensitive)


def test_a_superuser_needs_one_too(django_user_model):
    assert roles.needs_second_factor(django_user_model.objects.create_superuser("root", password="x"))


def test_the_password_alone_does_not_sign_in(client):
    adviser = staff(Role.ADVISER)
    response = password_step(client, adviser)
    assert response.url == reverse("second_factor")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("staff_home")).status_code == 302


def test_setting_up_then_signing_in_with_the_code(client):
    adviser = staff(Role.ADVISER)
    password_step(client, adviser)
    with translation.override("en"):
        page = client.get(reverse("second_factor")).content.decode()
    assert "Install an authenticator app" in page
    assert "<svg viewBox=" in page
    assert 'class="qr"' in page
    secret = re.search(r'data-totp-secret="([A-Z2-7 ]+)"', page).group(1).replace(" ", "")
    response = client.post(reverse("second_factor"), {"code": current_code(secret)})
    assert response.url == reverse("staff_home")
    adviser.refresh_from_db()
    assert adviser.totp_secret == secret
    assert adviser.totp_confirmed_at is not None
    assert client.get(reverse("staff_home")).status_code == 200
    assert sessions.PENDING not in client.session


def test_a_wrong_code_is_refused_and_counted(client):
    adviser = staff(Role.ADVISER)
    services.second_factor_confirm(user=adviser, secret=totp.new_secret(), step=1)
    password_step(client, adviser)
    response = client.post(reverse("second_factor"), {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'class="errors"' in response.content.decode()


def test_a_code_cannot_be_used_twice(client):
    director = staff(Role.DIRECTOR)
    secret = totp.new_secret()
    services.second_factor_confirm(user=director, secret=secret, step=1)
    code = current_code(secret)
    password_step(client, director)
    assert client.post(reverse("second_factor"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_step(client, director)
    response = client.post(reverse("second_factor"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_too_many_wrong_codes_lock_the_second_factor(client, settings):
    adviser = staff(Role.ADVISER)
    services.second_factor_confirm(user=adviser, secret=totp.new_secret(), step=1)
    password_step(client, adviser)
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        client.post(reverse("second_factor"), {"code": "000000"})
    response = client.post(reverse("second_factor"), {"code": "000000"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_the_code_page_needs_a_password_first_and_not_too_long_ago(client):
    response = client.get(reverse("second_factor"))
    assert response.url == reverse("login")
    adviser = staff(Role.ADVISER)
    password_step(client, adviser)
    session = client.session
    session[sessions.PENDING]["until"] = int(time.time()) - 1
    session.save()
    assert client.get(reverse("second_factor")).url == reverse("login")


def test_next_survives_the_second_factor(client):
    adviser = staff(Role.ADVISER)
    secret = totp.new_secret()
    services.second_factor_confirm(user=adviser, secret=secret, step=1)
    target = reverse("profile")
    client.post(reverse("login"), {"username": adviser.username, "password": PASSWORD, "next": target})
    assert client.post(reverse("second_factor"), {"code": current_code(secret)}).url == target


def test_an_administrator_resets_a_lost_second_factor(client, login):
    adviser = staff(Role.ADVISER)
    services.second_factor_confirm(user=adviser, secret=totp.new_secret(), step=1)
    administrator = login(Role.ADMINISTRATOR)
    changelist = reverse("admin:citedesmetiers_user_changelist")
    response = client.post(changelist, {"action": "reset_second_factor", "_selected_action": [adviser.pk]})
    assert response.status_code == 302
    adviser.refresh_from_db()
    assert (adviser.totp_secret, adviser.totp_confirmed_at) == ("", None)
    audit = AuditEntry.objects.get(action="user.second_factor_reset")
    assert (audit.actor, audit.object_id) == (administrator, str(adviser.pk))


def test_demo_accounts_show_their_code_in_demo_mode_only(client, settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    services.demo_accounts_create()
    director = UserFactory._meta.model.objects.get(username="director")
    assert director.totp_confirmed_at is not None
    password = services.DEMO_PASSWORD
    client.post(reverse("login"), {"username": "director", "password": password})
    page = client.get(reverse("second_factor")).content.decode()
    code = re.search(r"(\d{6})\.</p>", page).group(1)
    assert client.post(reverse("second_factor"), {"code": code}).url == reverse("staff_home")
