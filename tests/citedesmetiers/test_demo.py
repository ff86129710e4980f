"""Demo accounts: one per role, only in demo or dev mode, created once."""

import pytest
from django.core.management import CommandError, call_command

from citedesmetiers import services
from citedesmetiers.models import User
from citedesmetiers.roles import PARTNER_ROLES, Role

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_refused_in_production():
    with pytest.raises(CommandError, match="CDM_MODE=demo"):
        call_command("create_demo_accounts")
    assert not User.objects.filter(is_demo=True).exists()


def test_one_demo_account_per_role_created_once(settings, capsys):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")
    output = capsys.readouterr().out
    assert "9 created, 0 kept" in output
    assert "0 created, 9 kept" in output
    assert services.DEMO_PASSWORD in output
    demo = User.objects.filter(is_demo=True).prefetch_related("groups")
    assert demo.count() == len(services.DEMO_ACCOUNTS)
    roles_held = {group.name for user in demo for group in user.groups.all()}
    assert roles_held == {role.value for role in Role}
    for user in demo:
        assert user.check_password(services.DEMO_PASSWORD)
        role = Role(user.groups.get().name)
        assert (user.partner is not None) is (role in PARTNER_ROLES)


def test_a_changed_demo_password_is_kept(settings):
    settings.DEMO_ACCOUNTS_ENABLED = True
    services.demo_accounts_create()
    user = User.objects.get(username="director")
    user.set_password("my-own-passphrase")
    user.save()
    services.demo_accounts_create()
    user.refresh_from_db()
    assert user.check_password("my-own-passphrase")


def test_the_demo_advisers_are_offered_people_from_the_start(settings):
    """An adviser without languages is offered nobody by the queue: the demo's advisers and partner lead
    advise in theirs from the first sign-in, and a change made since is kept."""
    settings.DEMO_ACCOUNTS_ENABLED = True
    services.demo_accounts_create()
    for account in services.DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        if user.has_perm("accueil.serve_ticket"):
            assert set(user.languages.values_list("code", flat=True)) == set(account.languages) != set()
    vdab = User.objects.get(username="adviser.vdab")
    vdab.languages.set(["nl"])
    services.demo_accounts_create()
    assert list(vdab.languages.values_list("code", flat=True)) == ["nl"]
