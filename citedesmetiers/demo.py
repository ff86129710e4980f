"""The shared package's part of the demo centre: what the reference data leave empty and the demo fills
with plausible values (stats.demo orchestrates the whole demo and calls this)."""

from citedesmetiers.models import Space

# The floor area of each space (m²): the centre is 1,100 m² on one floor (the 2018 report); how it is
# shared between the spaces is the demo's guess, to be corrected by the coordinators in the back office.
SPACE_AREAS = {"accueil": 120, "multimedia": 380, "documentation": 160, "conseil": 260, "activites": 180}


def spaces_measure() -> int:
    """Gives the demo's area to each space that has none; the number of spaces changed."""
    changed = 0
    for code, area in SPACE_AREAS.items():
        changed += Space.objects.filter(code=code, area__isnull=True).update(area=area)
    return changed
