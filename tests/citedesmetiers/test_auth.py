"""Signing in and out: throttling by user name, demo accounts, logout by POST, password change."""

import unicodedata
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from citedesmetiers import selectors, services
from citedesmetiers.accounts import sessions
from citedesmetiers.models import LoginFailure, login_name
from citedesmetiers.roles import Role
from tests.factories import PASSWORD, UserFactory, staff

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD, address="10.0.0.7", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize(("language", "title"), [("fr", "Connexion du personnel"), ("nl", "Aanmelden")])
def test_sign_in_page_in_french_and_dutch(client, language, title):
    with translation.override(language):
        response = client.get(reverse("login"))
    assert response.status_code == 200
    assert title in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_signing_in_opens_the_staff_home_and_starts_the_session_clock(client):
    user = staff(Role.RECEPTION_AGENT)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response.url == reverse("staff_home")
    assert sessions.STARTED in client.session
    assert sessions.ACTIVE in client.session
    user.refresh_from_db()
    assert user.last_login is not None


def test_user_names_are_not_case_sensitive(client):
    staff(Role.RECEPTION_AGENT, username="reception2")
    assert sign_in(client, "Reception2").status_code == 302


def test_a_wrong_password_is_refused_and_counted(client):
    user = staff(Role.RECEPTION_AGENT, username="Desk")
    response = sign_in(client, user.username, "wrong")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert LoginFailure.objects.filter(username="desk", address="10.0.0.7").count() == 1


def test_too_many_failures_lock_the_user_name_even_with_the_right_password(client, settings):
    user = staff(Role.RECEPTION_AGENT)
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        sign_in(client, user.username, "wrong")
    response = sign_in(client, user.username)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "15 minutes" in response.content.decode()
    user.refresh_from_db()
    assert user.last_login is None
    # A locked attempt is not recorded: waiting the announced time is enough.
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURES_PER_USERNAME


def test_the_lock_is_per_user_name_so_a_shared_desk_address_keeps_working(client, settings):
    locked = staff(Role.RECEPTION_AGENT)
    colleague = staff(Role.RECEPTION_AGENT)
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        sign_in(client, locked.username, "wrong", address="192.0.2.10")
    assert sign_in(client, colleague.username, address="192.0.2.10").status_code == 302


def test_many_failures_from_one_address_lock_it_for_every_name(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for number in range(6):
        sign_in(client, f"guess{number}", "wrong", address="198.51.100.4")
    user = staff(Role.DIRECTOR)
    assert sign_in(client, user.username, address="198.51.100.4").status_code == 429
    assert sign_in(client, user.username, address="198.51.100.5").status_code == 302


def test_the_lock_ends_when_the_failures_leave_the_window(settings):
    now = timezone.now()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    for minutes in range(settings.LOGIN_FAILURES_PER_USERNAME):
        services.login_failure_record(username="Someone", address=None, now=now - timedelta(minutes=minutes))
    oldest = now - timedelta(minutes=settings.LOGIN_FAILURES_PER_USERNAME - 1)
    assert selectors.login_lockout_seconds(username="someone", address=None, now=now) == int(
        (oldest + window - now).total_seconds()
    )
    later = oldest + window + timedelta(seconds=1)
    assert selectors.login_lockout_seconds(username="someone", address=None, now=later) == 0


def test_old_failures_are_forgotten(settings):
    long_ago = timezone.now() - timedelta(days=2)
    LoginFailure.objects.create(username="old", address=None, at=long_ago)
    services.login_failure_record(username="new", address=None)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["new"]


def test_a_successful_sign_in_clears_the_failures(client):
    user = staff(Role.RECEPTION_AGENT)
    sign_in(client, user.username, "wrong")
    sign_in(client, user.username)
    assert not LoginFailure.objects.filter(username=user.username.casefold()).exists()


def test_next_is_followed_only_within_the_site(client):
    user = staff(Role.RECEPTION_AGENT)  # no second factor: the password step signs in
    target = reverse("password_change")
    assert sign_in(client, user.username, next=target).url == target
    client.logout()
    assert sign_in(client, user.username, next="https://evil.example/").url == reverse("staff_home")


def test_inactive_and_demo_accounts_cannot_sign_in_in_production(client, settings):
    inactive = staff(Role.RECEPTION_AGENT, is_active=False)
    demo = UserFactory(roles=[Role.DIRECTOR], is_demo=True)
    assert sign_in(client, inactive.username).status_code == 200
    assert sign_in(client, demo.username).status_code == 200
    settings.DEMO_ACCOUNTS_ENABLED = True
    assert sign_in(client, demo.username).status_code == 302


def test_sign_out_is_a_post_that_ends_the_session(client, login):
    login(Role.COORDINATOR)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("staff_home")).status_code == 302
    assert sessions.STARTED not in client.session


def test_a_signed_in_person_visiting_the_sign_in_page_goes_to_the_staff_home(client, login):
    login(Role.RECEPTION_AGENT)
    assert client.get(reverse("login")).url == reverse("staff_home")


def test_password_change_by_its_owner(client, login):
    user = login(Role.ADVISER)
    assert client.get(reverse("password_change")).status_code == 200
    new = "a-much-longer-passphrase"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # Django keeps the person signed in after changing their own password.
    assert client.get(reverse("staff_home")).status_code == 200


def test_password_change_refuses_weak_passwords(client, login):
    login(Role.ADVISER)
    with translation.override("en"):
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
        )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_password_change_needs_a_signed_in_person(client):
    assert client.get(reverse("password_change")).status_code == 302


def spellings(name: str) -> list[str]:
    """Ways of typing the same user name that the sign-in form reads as that name."""
    full_width = "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in name)
    return [name.upper(), f"  {name} ", full_width, full_width.upper(), name.title()]


@pytest.mark.parametrize("spelling", range(5))
def test_a_locked_user_name_stays_locked_whatever_its_spelling(client, settings, spelling):
    """Locked under one spelling, the name is locked under every other (full-width letters, case,
    spaces), and failures under any spelling count towards the same lock."""
    user = staff(Role.RECEPTION_AGENT, username="steward")
    names = spellings(user.username)
    for index in range(settings.LOGIN_FAILURES_PER_USERNAME):
        sign_in(client, names[(spelling + index) % len(names)], "wrong")
    response = sign_in(client, names[spelling])
    assert response.status_code == 429
    user.refresh_from_db()
    assert user.last_login is None
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"steward"}


@given(st.text(min_size=1, max_size=40))
@settings_hypothesis(max_examples=200, deadline=None, database=None)
def test_one_form_of_a_user_name_for_checking_and_recording(name):
    key = login_name(name)
    assert len(key) <= 150
    assert "\x00" not in key
    assert login_name(key) == key  # the form is stable
    for variant in (name.upper(), name.casefold(), f" {name} ", unicodedata.normalize("NFKC", name)):
        assert login_name(variant) == key or not name.strip()


@pytest.mark.parametrize("username", ["a" * 151, "steward\x00", "\x00"])
def test_odd_user_names_get_a_message_not_an_error(client, username):
    response = sign_in(client, username, "wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page or 'class="errors"' in page  # said in the page's language


def test_guesses_of_the_current_password_are_throttled(client, login, settings):
    user = login(Role.ADVISER)
    new = "a-much-longer-passphrase"
    wrong = {"old_password": "guess", "new_password1": new, "new_password2": new}
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        assert client.post(reverse("password_change"), wrong).status_code == 200
    right = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    locked = client.post(reverse("password_change"), right)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    page = locked.content.decode()
    assert "15 minutes" in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # not changed while locked
