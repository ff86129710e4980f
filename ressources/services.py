"""Writes of the catalogue (coordinators; broken links reported by any staff member) and of the
multimedia space's counts (digital stewards), each entry once per key through citedesmetiers.capture."""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citedesmetiers import capture
from citedesmetiers.files import file_check
from citedesmetiers.models import Space, attname
from citedesmetiers.services import audit_changes, audit_record
from ressources.models import DigitalHelp, OccupancySweep, Resource, SpaceEntry

FIELDS = Resource.EDITABLE_FIELDS


def _snapshot(resource: Resource, themes) -> dict:
    values = {name: getattr(resource, attname(Resource, name)) for name in FIELDS}
    values["themes"] = sorted(theme.pk if hasattr(theme, "pk") else theme for theme in themes)
    values["file"] = resource.file_name
    return values


def _remove_file_later(name: str | None) -> None:
    # Only once the row no longer points at it: a rolled-back change keeps its file.
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _attach(resource: Resource, upload) -> str:
    """Checks and stores the upload for this resource; returns the stored name (random, see
    models.upload_path) so that a change that fails afterwards can remove it again."""
    file_type = file_check(upload)
    resource.file_name = upload.name.rsplit("/", 1)[-1][:200]
    resource.file_type = file_type.mime
    resource.file_size = upload.size
    resource.file.save(upload.name, upload, save=False)
    return resource.file.name or ""


def _discard(name: str) -> None:
    if name:
        default_storage.delete(name)


def resource_create(
    *, user, key: uuid.UUID, values: dict, themes, upload=None, now: datetime | None = None
) -> Resource:
    """Adds a resource to the catalogue, with its file if any (checked: type and size), once per form
    key: the same form sent again returns the resource it added."""
    existing = Resource.objects.filter(key=key).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    resource = Resource(**values, key=key, created_at=now, updated_at=now, created_by=user)
    stored = _attach(resource, upload) if upload is not None else ""
    try:
        with transaction.atomic():
            resource.full_clean(exclude=["themes", "key"])  # the key: enforced by the database below
            resource.save(force_insert=True)
            resource.themes.set(themes)
            audit_record(actor=user, action="resource.create", obj=resource, now=now)
    except IntegrityError:
        _discard(stored)
        existing = Resource.objects.filter(key=key).first()  # the same form, sent at the same moment
        if existing is None:
            raise
        return existing
    except BaseException:
        _discard(stored)
        raise
    return resource


def resource_update(
    *,
    resource: Resource,
    user,
    values: dict,
    themes,
    upload=None,
    remove_file: bool = False,
    now: datetime | None = None,
) -> Resource:
    """Changes a resource. A new file replaces the old one (removed once the change is saved); a new
    link clears a broken-link report."""
    now = now or timezone.now()
    stored = ""
    try:
        with transaction.atomic():
            locked = Resource.objects.select_for_update().get(pk=resource.pk)
            before = _snapshot(locked, locked.themes.all())
            old_file = locked.file.name
            for name, value in values.items():
                setattr(locked, name, value)
            if locked.url != before["url"]:
                locked.link_reported_at, locked.link_reported_by = None, None
            if upload is not None:
                stored = _attach(locked, upload)
            elif remove_file:
                locked.file, locked.file_name, locked.file_type, locked.file_size = "", "", "", None
            locked.updated_at = now
            locked.full_clean(exclude=["themes"])
            locked.save()
            locked.themes.set(themes)
            after = _snapshot(locked, themes)
            changes = audit_changes(before, after)
            audit_record(actor=user, action="resource.update", obj=locked, changes=changes, now=now)
            if old_file and old_file != locked.file.name:
                _remove_file_later(old_file)
    except BaseException:
        _discard(stored)
        raise
    return locked


def resource_delete(*, resource: Resource, user, now: datetime | None = None) -> None:
    """Removes a resource from the catalogue, and its file once the removal is saved."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        audit_record(
            actor=user,
            action="resource.delete",
            obj=locked,
            changes={"title_fr": [locked.title_fr, None], "file": [locked.file_name, None]},
            now=now,
        )
        _remove_file_later(locked.file.name)
        locked.delete()


def resource_link_report(*, resource: Resource, user, now: datetime | None = None) -> Resource:
    """A staff member flags the resource's link as broken (once: a second report changes nothing)."""
    if not resource.url:
        raise ValidationError(_("This resource has no link."))
    return _link_flag(resource, user=user, broken=True, now=now or timezone.now())


def resource_link_clear(*, resource: Resource, user, now: datetime | None = None) -> Resource:
    """A coordinator has checked the link: it works again, the flag goes."""
    return _link_flag(resource, user=user, broken=False, now=now or timezone.now())


def _link_flag(resource: Resource, *, user, broken: bool, now: datetime) -> Resource:
    with transaction.atomic():
        changed = Resource.objects.filter(pk=resource.pk, link_reported_at__isnull=broken).update(
            link_reported_at=now if broken else None, link_reported_by=user if broken else None
        )
        if changed:
            action = "resource.link_report" if broken else "resource.link_clear"
            audit_record(actor=user, action=action, obj=resource, now=now)
    return Resource.objects.get(pk=resource.pk)


# --- the multimedia space -----------------------------------------------------------------------


def space_entry_add(
    *, key: uuid.UUID, user, occurred_at: datetime, count: int = 1, now: datetime | None = None
) -> capture.Captured:
    """Records people entering the multimedia space (a group is one entry of `count`), once per key."""
    now = now or timezone.now()
    return capture.capture(SpaceEntry, key=key, user=user, occurred_at=occurred_at, now=now, count=count)


def equipment() -> tuple[int, int]:
    """The computers and tablets of the multimedia space(s), from the spaces' records."""
    spaces = Space.objects.filter(kind=Space.Kind.MULTIMEDIA, active=True)
    return sum(space.computers for space in spaces), sum(space.tablets for space in spaces)


def occupancy_sweep_add(
    *,
    key: uuid.UUID,
    user,
    occurred_at: datetime,
    computers: int,
    tablets: int,
    documentary: int,
    now: datetime | None = None,
) -> capture.Captured:
    """Records how many people use the computers, the tablets and the documentary space now, once per
    key; more people on the computers or tablets than there are is refused."""
    now = now or timezone.now()
    total_computers, total_tablets = equipment()
    errors = {}
    if computers > total_computers:
        errors["computers"] = _("The space has %(count)d computers.") % {"count": total_computers}
    if tablets > total_tablets:
        errors["tablets"] = _("The space has %(count)d tablets.") % {"count": total_tablets}
    if errors:
        raise ValidationError(errors)
    return capture.capture(
        OccupancySweep,
        key=key,
        user=user,
        occurred_at=occurred_at,
        now=now,
        computers=computers,
        tablets=tablets,
        documentary=documentary,
    )


def digital_help_add(
    *,
    key: uuid.UUID,
    user,
    occurred_at: datetime,
    topic: str,
    duration_minutes: int,
    theme: str | None = None,
    now: datetime | None = None,
) -> capture.Captured:
    """Records that a steward helped someone (topic and theme as codes), anonymously, once per key."""
    now = now or timezone.now()
    return capture.capture(
        DigitalHelp,
        key=key,
        user=user,
        occurred_at=occurred_at,
        now=now,
        topic_id=topic,
        theme_id=theme,
        duration_minutes=duration_minutes,
    )


@transaction.atomic
def space_undo(*, key: uuid.UUID, user, now: datetime | None = None):
    """Its author takes back one of their entries (any kind) within CAPTURE_UNDO_MINUTES.

    Raises LookupError when this person has no entry with this key."""
    now = now or timezone.now()
    for model in (SpaceEntry, OccupancySweep, DigitalHelp):
        entry = model.objects.select_for_update().filter(key=key, recorded_by=user).first()
        if entry is None:
            continue
        if entry.cancelled:
            return entry
        if not capture.undoable(entry, user=user, now=now):
            raise ValidationError(
                _("This entry can no longer be undone here: ask a coordinator to correct it.")
            )
        return capture.cancel(entry, user=user, now=now)
    raise LookupError(key)
