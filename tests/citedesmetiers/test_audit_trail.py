"""The audit trail's page: the director and coordinators read all of it, a partner lead their institution's
lines only, anyone else nothing; filters; each line in the reader's language; the export, itself audited."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from citedesmetiers.models import AuditEntry, Partner
from citedesmetiers.roles import Role
from conseil import services as advice
from tests.factories import consultation, staff

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def url(language: str = "fr", **query) -> str:
    with translation.override(language):
        path = reverse("audit_trail")
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.fixture
def trail():
    """An Actiris consultation corrected by Actiris's lead and opened by a coordinator, a VDAB one
    recorded by its adviser, and a desk entry undone."""
    from accueil import services as desk
    from tests.factories import visit

    actiris_adviser = staff(Role.ADVISER)
    vdab_adviser = staff(Role.ADVISER, partner=Partner.objects.get(code="vdab-brussel"))
    coordinator = staff(Role.COORDINATOR, first_name="Colette", last_name="Coord")
    at = datetime(2026, 3, 12, 10, tzinfo=BRUSSELS)
    mine = consultation(adviser=actiris_adviser, now=at)
    lead = staff(Role.PARTNER_LEAD)
    advice.consultation_update(consultation=mine, user=lead, duration_minutes=45, now=at)
    advice.consultation_read_record(user=coordinator, consultation=mine, now=at)
    theirs = consultation(adviser=vdab_adviser, now=at)
    reception = staff(Role.RECEPTION_AGENT)
    entry = visit(user=reception, orientation="information", now=at)
    desk.visit_undo(visit=entry, user=reception, now=at)
    return {"actiris": mine, "vdab": theirs, "coordinator": coordinator}


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.COORDINATOR])
def test_the_director_and_coordinators_read_every_line(client, trail, role):
    client.force_login(staff(role))
    response = client.get(url())
    assert response.status_code == 200
    kinds = {line.record for line in response.context["lines"]}
    assert {str(trail["actiris"].pk), str(trail["vdab"].pk)} <= kinds
    page = response.content.decode()
    assert "corrigé" in page  # the action in French
    assert "Colette Coord" in page


def test_a_partner_lead_reads_their_institutions_lines_only(client, trail):
    client.force_login(staff(Role.PARTNER_LEAD))  # Actiris
    response = client.get(url())
    assert response.status_code == 200
    shown = {line.record for line in response.context["lines"]}
    assert str(trail["actiris"].pk) in shown
    assert trail["coordinator"] in {
        line.actor for line in response.context["lines"]
    }  # about an Actiris record
    assert str(trail["vdab"].pk) not in shown
    assert all(line.record_type != "entrée" for line in response.context["lines"])
    assert not any(line.action == "annulé" for line in response.context["lines"])  # the desk's


@pytest.mark.parametrize(
    "role", [Role.ADVISER, Role.RECEPTION_AGENT, Role.ADMINISTRATOR, Role.DIGITAL_STEWARD]
)
def test_other_roles_may_not_read_it(client, trail, role):
    client.force_login(staff(role))
    assert client.get(url()).status_code == 403
    assert client.get(url(format="csv")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(url())
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]


def test_the_filters(client, trail):
    client.force_login(staff(Role.DIRECTOR))
    coordinator = trail["coordinator"]
    by_person = client.get(url(actor=coordinator.pk)).context["lines"]
    assert {line.actor for line in by_person} == {coordinator}
    by_action = client.get(url(action="visit.undo")).context["lines"]
    assert len(by_action) == 1
    by_record = client.get(url(object_type="conseil.consultation", object_id=trail["vdab"].pk)).context[
        "lines"
    ]
    assert [line.record for line in by_record] == [str(trail["vdab"].pk)]
    assert client.get(url(start="2026-03-13")).context["lines"] == []
    assert len(client.get(url(start="2026-03-12", end="2026-03-12")).context["lines"]) >= 4
    wrong = client.get(url(start="2026-03-13", end="2026-03-01"))
    assert wrong.status_code == 200
    assert "La date de fin précède la date de début" in wrong.content.decode()


def test_each_line_in_the_readers_language(client, trail):
    client.force_login(staff(Role.DIRECTOR))
    page = client.get(url("nl", action="consultation.update")).content.decode()
    assert '<html lang="nl"' in page
    assert "gecorrigeerd" in page
    assert "45" in page  # the new length


def test_the_export_of_the_selection_is_itself_audited(client, trail):
    director = staff(Role.DIRECTOR)
    client.force_login(director)
    response = client.get(url("en", action="consultation.update", format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["When", "Person", "Action"]
    assert len(rows) == 2
    assert rows[1][3] == "consultation.update"
    exported = AuditEntry.objects.get(action="auditentry.export")
    assert exported.actor == director
    assert exported.changes["rows"] == 1
    assert exported.changes["filters"] == {"action": "consultation.update"}


def test_every_action_the_code_writes_down_has_a_name():
    """Each code passed to the audit trail, wherever it is written, is named in every language: the page
    and its filter never show a raw code such as "ticket.priority"."""
    import re
    from pathlib import Path

    from citedesmetiers.selectors import ACTIONS

    written = set()
    for app in ("accueil", "activites", "citedesmetiers", "conseil", "ressources", "stats"):
        for source in Path(app).rglob("*.py"):
            text = source.read_text()
            written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
            written |= set(re.findall(r'_audit\([^)]*"([a-z_]+\.[a-z_]+)"', text))
            written |= {
                f"consultation.{verb}" for verb in re.findall(r'listed_record\([^)]*action="(\w+)"', text)
            }
    assert {"ticket.priority", "ticket.transfer", "visit.undo", "consultation.list"} <= written
    assert written - set(ACTIONS) == set()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Filtres : Du : 01/01/2030, Au : 31/01/2030, Uniquement les miens : oui"),
        ("nl", "Filters: Van: 1-1-2030, Tot: 31-1-2030, Alleen de mijne: ja"),
    ],
)
def test_a_lists_filters_read_as_its_form_says_them(client, language, expected):
    director = staff(Role.DIRECTOR)
    filters = {"mine": True, "end": "2030-01-31", "start": "2030-01-01"}
    advice.consultations_listed_record(user=director, action="list", count=3, filters=filters)
    client.force_login(director)
    page = client.get(url(language, action="consultation.list")).content.decode()
    assert expected in page
