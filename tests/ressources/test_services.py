"""The catalogue's writes (audit, files, broken links) and the multimedia space's counts and figures."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from citedesmetiers.models import AuditEntry
from citedesmetiers.roles import Role
from ressources import selectors, services
from ressources.models import DigitalHelp, OccupancySweep, Resource, SpaceEntry
from tests.accueil.test_concurrency import run_together
from tests.factories import resource, staff

BRUSSELS = ZoneInfo("Europe/Brussels")
PDF = b"%PDF-1.7\n%%EOF\n"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.mark.django_db
class TestCatalogue:
    def test_every_change_is_in_the_audit_trail_with_its_values(self):
        coordinator = staff(Role.COORDINATOR)
        item = resource(user=coordinator)
        services.resource_update(
            resource=item,
            user=coordinator,
            values={"title_fr": "Nouveau titre", "url": "https://www.actiris.brussels/"},
            themes=["apprendre", "travailler"],
        )
        entries = AuditEntry.objects.filter(object_type="ressources.resource").order_by("pk")
        actions = list(entries.values_list("action", flat=True))
        assert actions == ["resource.create", "resource.update"]
        changes = AuditEntry.objects.get(action="resource.update").changes
        assert changes["title_fr"][1] == "Nouveau titre"
        assert changes["themes"] == [["apprendre"], ["apprendre", "travailler"]]

    def test_a_refused_change_keeps_no_new_file(self):
        item = resource()
        stored_before = (
            set(default_storage.listdir("ressources")[1]) if default_storage.exists("ressources") else set()
        )
        with pytest.raises(ValidationError):
            services.resource_update(
                resource=item,
                user=staff(Role.COORDINATOR),
                values={"title_fr": "x" * 300},  # too long: refused by full_clean after the file is stored
                themes=["apprendre"],
                upload=SimpleUploadedFile("a.pdf", PDF),
            )
        stored_after = (
            set(default_storage.listdir("ressources")[1]) if default_storage.exists("ressources") else set()
        )
        assert stored_after == stored_before

    def test_a_file_named_pdf_that_is_not_one_is_refused(self):
        with pytest.raises(ValidationError) as refused:
            resource(upload=SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 an executable"), url="")
        assert refused.value.code == "content"
        assert not Resource.objects.exists()

    def test_a_broken_link_is_reported_once_and_a_new_link_clears_it(self):
        item = resource()
        steward = staff(Role.DIGITAL_STEWARD)
        first = services.resource_link_report(resource=item, user=steward).link_reported_at
        again = services.resource_link_report(resource=item, user=staff(Role.RECEPTION_AGENT))
        assert again.link_reported_at == first
        assert again.link_reported_by == steward
        assert AuditEntry.objects.filter(action="resource.link_report").count() == 1
        changed = services.resource_update(
            resource=item,
            user=staff(Role.COORDINATOR),
            values={"url": "https://new.example.org/"},
            themes=["bouger"],
        )
        assert not changed.link_broken

    def test_a_resource_on_the_shelves_only_has_no_link_to_report(self):
        item = resource(url="", shelf_theme_id="choisir", shelf_mark="A1")
        with pytest.raises(ValidationError):
            services.resource_link_report(resource=item, user=staff(Role.DIGITAL_STEWARD))


@pytest.mark.django_db
class TestSpace:
    def test_a_replayed_key_records_once_whatever_it_carries(self):
        steward = staff(Role.DIGITAL_STEWARD)
        key = uuid.uuid4()
        now = at(2026, 3, 2, 10)
        first = services.space_entry_add(key=key, user=steward, occurred_at=now, count=3, now=now)
        replay = services.space_entry_add(key=key, user=steward, occurred_at=now, count=7, now=now)
        assert first.created
        assert not replay.created
        assert replay.entry.count == 3
        assert SpaceEntry.objects.count() == 1

    def test_more_computers_or_tablets_than_the_space_has_are_refused(self):
        steward = staff(Role.DIGITAL_STEWARD)
        now = at(2026, 3, 2, 10)
        with pytest.raises(ValidationError) as refused:
            services.occupancy_sweep_add(
                key=uuid.uuid4(),
                user=steward,
                occurred_at=now,
                computers=46,
                tablets=21,
                documentary=3,
                now=now,
            )
        assert set(refused.value.message_dict) == {"computers", "tablets"}

    def test_only_its_author_undoes_an_entry_and_only_for_a_few_minutes(self, settings):
        settings.CAPTURE_UNDO_MINUTES = 5
        steward, other = staff(Role.DIGITAL_STEWARD), staff(Role.DIGITAL_STEWARD)
        now = at(2026, 3, 2, 10)
        key = uuid.uuid4()
        services.digital_help_add(
            key=key, user=steward, occurred_at=now, topic="cv_tool", duration_minutes=20, now=now
        )
        with pytest.raises(LookupError):
            services.space_undo(key=key, user=other, now=now)
        with pytest.raises(ValidationError):
            services.space_undo(key=key, user=steward, now=now + timedelta(minutes=6))
        assert services.space_undo(key=key, user=steward, now=now + timedelta(minutes=4)).cancelled
        assert (
            selectors.help_by_topic(ranges=[(now - timedelta(hours=1), now + timedelta(hours=1))])[0][0].count
            == 0
        )

    def test_the_figures_by_weekday_and_hour_in_brussels_time_across_a_clock_change(self):
        steward = staff(Role.DIGITAL_STEWARD)
        # Friday 27 March 2026, 9:30 (UTC+1), and Monday 30 March 2026, 9:30 (UTC+2, after the change).
        friday, monday = at(2026, 3, 27, 9, 30), at(2026, 3, 30, 9, 30)
        for moment, computers in ((friday, 10), (friday + timedelta(minutes=20), 20), (monday, 30)):
            services.occupancy_sweep_add(
                key=uuid.uuid4(),
                user=steward,
                occurred_at=moment,
                computers=computers,
                tablets=2,
                documentary=1,
                now=moment,
            )
        services.space_entry_add(key=uuid.uuid4(), user=steward, occurred_at=monday, count=4, now=monday)
        services.space_entry_add(key=uuid.uuid4(), user=steward, occurred_at=monday, count=1, now=monday)
        start, end = at(2026, 3, 23), at(2026, 4, 6)
        occupancy = selectors.occupancy_by_weekday_hour(start=start, end=end)
        assert occupancy[(5, 9)].computers == 15
        assert occupancy[(5, 9)].sweeps == 2
        assert occupancy[(1, 9)].computers == 30
        assert occupancy[(1, 9)].devices == 32
        assert selectors.entries_by_weekday_hour(start=start, end=end) == {(1, 9): 5}
        assert selectors.entries_total(ranges=[(start, end)]) == [5]
        assert selectors.entries_total(ranges=[(at(2026, 3, 30, 9, 31), end)]) == [0]

    def test_help_by_topic_lists_every_topic_with_its_time(self):
        steward = staff(Role.DIGITAL_STEWARD)
        now = at(2026, 3, 2, 11)
        for minutes in (10, 20):
            services.digital_help_add(
                key=uuid.uuid4(),
                user=steward,
                occurred_at=now,
                topic="email_address",
                duration_minutes=minutes,
                theme="travailler",
                now=now,
            )
        figures = {
            row.topic.code: row
            for row in selectors.help_by_topic(ranges=[(at(2026, 3, 2), at(2026, 3, 3))])[0]
        }
        assert figures["email_address"].count == 2
        assert figures["email_address"].average_minutes == 15
        assert figures["cv_tool"].count == 0
        assert DigitalHelp.objects.get(duration_minutes=10).theme_id == "travailler"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_six_simultaneous_sends_of_one_key_record_one_entry():
    steward = staff(Role.DIGITAL_STEWARD)
    key = uuid.uuid4()
    now = at(2026, 3, 2, 10)
    results = run_together(
        *[
            lambda: services.occupancy_sweep_add(
                key=key, user=steward, occurred_at=now, computers=5, tablets=1, documentary=0, now=now
            )
        ]
        * 6
    )
    assert sum(result.created for result in results) == 1
    assert OccupancySweep.objects.count() == 1
