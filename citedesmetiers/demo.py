"""The shared package's part of the demo centre: what the reference data leave empty and the demo fills
with plausible values, and the staff accounts of the demo's team (stats.demo orchestrates the whole demo,
decides the team and calls this)."""

from datetime import datetime

from citedesmetiers.models import Space, User
from citedesmetiers.services import DEMO_ACCOUNTS

# The floor area of each space (m²): the centre is 1,100 m² on one floor (the 2018 report); how it is
# shared between the spaces is the demo's guess, to be corrected by the coordinators in the back office.
SPACE_AREAS = {"accueil": 120, "multimedia": 380, "documentation": 160, "conseil": 260, "activites": 180}


def spaces_measure() -> int:
    """Gives the demo's area to each space that has none; the number of spaces changed."""
    changed = 0
    for code, area in SPACE_AREAS.items():
        changed += Space.objects.filter(code=code, area__isnull=True).update(area=area)
    return changed


def demo_accounts_backdate(*, to: datetime) -> None:
    """The demo accounts (create_demo_accounts) joined the team by `to` (the opening): they take their
    places in the history."""
    User.objects.filter(
        is_demo=True, username__in=[account.username for account in DEMO_ACCOUNTS], date_joined__gt=to
    ).update(date_joined=to)


def staff_accounts_create(accounts: list[dict]) -> list[User]:
    """The seeded staff accounts (username, first_name, last_name, partner_id, date_joined each): demo
    accounts, active, that nobody can sign in with (no usable password). Written in bulk; returned with
    their ids."""
    users = []
    for fields in accounts:
        user = User(is_demo=True, is_active=True, **fields)
        user.set_unusable_password()
        users.append(user)
    return User.objects.bulk_create(users, batch_size=2000)


def staff_roles_give(*, memberships: list[tuple[int, int]], spoken: list[tuple[int, str]]) -> None:
    """Gives the seeded accounts their role (user id, group id) and their advisers the languages they
    advise in (user id, language code); those they have already are kept."""
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user, group_id=group) for user, group in memberships],
        ignore_conflicts=True,
    )
    User.languages.through.objects.bulk_create(
        [User.languages.through(user_id=user, language_id=code) for user, code in spoken],
        ignore_conflicts=True,
    )
