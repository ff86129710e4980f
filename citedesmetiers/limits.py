"""The ceilings of what people type: counts that reach the figures and free texts (docs/security.md,
"Limits").

Each ceiling is kept twice: by the form, with a message in the page's language, and by the database, a
CHECK constraint, so that no other path (the back office, a script, a crafted request) can store more.
"""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

# People counted at the door of one activity: above the places (the activity's seats, else its room's
# capacity) the organiser confirms the count; above OVER_CAPACITY times the places it is refused.
# Without known places, HEADCOUNT_MAX (the largest event the centre takes part in, a jobs fair).
HEADCOUNT_MAX = 2000
OVER_CAPACITY = 3
# Seats offered for registration.
CAPACITY_MAX = 2000
# People of one "+N" walk-in tap at an activity's door (a group).
WALK_IN_MAX = 100
# People counted at once in the multimedia and documentary spaces, per kind of place.
OCCUPANCY_MAX = 500

# Free texts (characters).
DESCRIPTION_MAX = 5000  # an activity's description, per language
REPORT_TEXT_MAX = 20000  # the director's preamble or highlights, per language


def at_most(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """The database's ceiling on a number column (NULL passes)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__lte": limit}), name=name
    )


def text_at_most(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """The database's ceiling on a text column's length, in characters."""
    return models.CheckConstraint(condition=models.lookups.LessThanOrEqual(Length(field), limit), name=name)


def headcount_ceiling(places: int | None) -> int:
    """The largest headcount accepted, with confirmation, for an activity of `places` places."""
    return min(HEADCOUNT_MAX, places * OVER_CAPACITY) if places else HEADCOUNT_MAX


# Line breaks and other control characters, which a one-line text (a title, an e-mail's subject) never holds.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")

single_line = RegexValidator(
    _CONTROL, inverse_match=True, message=_("Write this on one line."), code="one_line"
)


def one_line(text: str) -> str:
    """`text` on one line: control characters become spaces, runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", text).split())
