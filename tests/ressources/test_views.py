"""The catalogue's pages (public), its management (coordinators), the tablet and the figures (stewards)."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from citedesmetiers.roles import Role
from ressources import selectors
from ressources.models import DigitalHelp, OccupancySweep, Resource, SpaceEntry
from tests.factories import resource, staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def url(name, *args):
    with translation.override("fr"):
        return reverse(f"ressources:{name}", args=args)


# --- the public catalogue ------------------------------------------------------------------------


def test_anyone_searches_the_catalogue_without_an_account(client):
    resource(title_fr="Métiers de l'électricité", summary_fr="Électricien : études et débouchés.")
    resource(title_fr="Travailler à l'étranger", summary_fr="EURES et volontariat.", themes=["bouger"])
    response = client.get(url("catalogue"), {"q": "electricite"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>électricité</mark>" in page
    assert "étranger" not in page
    assert "1 ressource trouvée" in page


def test_the_search_page_answers_htmx_with_the_results_only_and_the_count_out_of_band(client):
    resource()
    response = client.get(url("catalogue"), {"q": "alternance"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="catalogue-results"' in page
    assert "<form" not in page
    assert 'hx-swap-oob="innerHTML"' in page
    assert response["Vary"].count("HX-Request")
    restore = client.get(
        url("catalogue"),
        {"q": "alternance"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<form" in restore.content.decode()


def test_a_wrong_filter_is_ignored_and_an_empty_search_helps(client):
    response = client.get(url("catalogue"), {"q": "astronaute", "theme": "nope", "page": "x"})
    assert response.status_code == 200
    assert (
        "Rien trouvé pour « astronaute »" in response.content.decode()
        or "astronaute" in response.content.decode()
    )


def test_search_without_the_filters_is_offered_only_when_a_filter_is_set(client):
    resource(title_fr="Travailler à l'étranger", themes=["bouger"])
    plain = client.get(url("catalogue"), {"q": "astronaute", "theme": "", "kind": "", "language": ""})
    assert "Rien trouvé" in plain.content.decode()
    assert "Chercher sans les filtres" not in plain.content.decode()
    filtered = client.get(url("catalogue"), {"q": "astronaute", "theme": "apprendre"})
    assert 'href="/fr/documentation/?q=astronaute">Chercher sans les filtres' in filtered.content.decode()


def test_stop_words_are_never_highlighted(client):
    resource(title_fr="Travailler à l'étranger", summary_fr="Partir à l'aventure, de Bruxelles à Berlin.")
    page = client.get(url("catalogue"), {"q": "travailler à l'étranger"}).content.decode()
    assert "<mark>Travailler</mark>" in page
    assert "<mark>étranger</mark>" in page
    assert "<mark>à</mark>" not in page
    assert "<mark>l" not in page
    summary = client.get(url("catalogue"), {"q": "partir à Berlin"}).content.decode()
    assert "<mark>Berlin</mark>" in summary
    assert "<mark>à</mark>" not in summary


def test_french_titles_and_summaries_on_english_pages_are_marked_as_french(client):
    french = resource(title_fr="Travailler à l'étranger", summary_fr="EURES et volontariat.")
    english = resource(title_fr="Métiers du web", title_en="Web jobs", summary_en="Designers and developers.")
    with translation.override("en"):
        catalogue = client.get(reverse("ressources:catalogue")).content.decode()
        page = client.get(reverse("ressources:resource", args=[french.pk])).content.decode()
        own = client.get(reverse("ressources:resource", args=[english.pk])).content.decode()
    assert '" lang="fr">Travailler à l&#x27;étranger</a>' in catalogue
    assert '<p lang="fr">EURES et volontariat.</p>' in catalogue
    assert '">Web jobs</a>' in catalogue
    assert "<p>Designers and developers.</p>" in catalogue
    assert '<h1 lang="fr">Travailler à l&#x27;étranger</h1>' in page
    assert '<div class="resource-summary" lang="fr">' in page
    assert "<h1>Web jobs</h1>" in own
    assert '<div class="resource-summary">' in own
    french_page = client.get(url("resource", french.pk)).content.decode()
    assert "<h1>Travailler à l&#x27;étranger</h1>" in french_page


def test_a_resource_page_and_its_queries(client, django_assert_max_num_queries):
    item = resource(audiences=["young"])
    with django_assert_max_num_queries(4):
        response = client.get(url("resource", item.pk))
    assert response.status_code == 200
    assert "Jeunes" in response.content.decode() or "jeunes" in response.content.decode()
    assert client.get(url("resource", 999999)).status_code == 404


def test_the_catalogue_page_costs_the_same_queries_for_many_results(client):
    for number in range(25):
        resource(title_fr=f"Formation {number}")
    client.get(url("catalogue"))  # the themes and languages of the filters, then kept a minute
    for words in ("formation", "formation 7"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("catalogue"), {"q": words})
        assert response.status_code == 200
        statements = [
            query["sql"] for query in queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))
        ]
        # The search plan, the words read (stems, synonyms), the counts, the page, the page's themes,
        # the highlights.
        assert len(statements) == 6, statements
        assert statements[0].startswith("SET LOCAL enable_seqscan = off")


def test_the_catalogue_without_words_is_ordered_by_an_indexed_title_in_every_language():
    # What the list orders by is what an index holds: PostgreSQL reads the first page from it.
    indexed = [
        index.expressions[0] if index.expressions else F(index.fields[0]) for index in Resource._meta.indexes
    ]
    for language in ("fr", "nl", "en"):
        with translation.override(language):
            assert selectors.title_in_language() in indexed, language


# --- files ---------------------------------------------------------------------------------------


def test_an_uploaded_pdf_is_served_with_its_type_and_a_sandbox(client):
    item = resource(upload=SimpleUploadedFile("guide métiers.pdf", PDF), url="")
    response = client.get(url("resource_file", item.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
    assert item.file.name.startswith("ressources/")
    assert "métiers" not in item.file.name


def test_an_office_document_is_downloaded_not_shown(client):
    item = resource(upload=SimpleUploadedFile("cv.docx", b"PK\x03\x04rest"), url="")
    response = client.get(url("resource_file", item.pk))
    assert response["Content-Disposition"].startswith("attachment")


def test_a_resource_without_file_has_no_file_page(client):
    assert client.get(url("resource_file", resource().pk)).status_code == 404


# --- the coordinators' pages ---------------------------------------------------------------------


def form_data(**changes):
    data = {
        "kind": "website",
        "title_fr": "Dorifor",
        "title_nl": "Dorifor",
        "summary_fr": "Toutes les formations à Bruxelles.",
        "summary_nl": "Alle opleidingen in Brussel.",
        "themes": ["apprendre"],
        "language": "fr",
        "url": "https://www.dorifor.be/",
        "key": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_a_coordinator_adds_a_resource_with_a_file(client):
    client.force_login(staff(Role.COORDINATOR))
    data = form_data(url="", upload=SimpleUploadedFile("liste.pdf", PDF))
    response = client.post(url("resource_new"), data)
    item = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("resource", item.pk)
    assert item.file_name == "liste.pdf"
    assert item.file_type == "application/pdf"


def test_the_same_form_sent_twice_adds_one_resource(client):
    client.force_login(staff(Role.COORDINATOR))
    page = client.get(url("resource_new")).content.decode()
    key = re.search(r'name="key" value="([0-9a-f-]+)"', page).group(1)
    first = client.post(url("resource_new"), form_data(key=key))
    again = client.post(url("resource_new"), form_data(key=key))  # a double click, a reload
    assert first["Location"] == again["Location"]
    assert Resource.objects.count() == 1


def test_a_file_of_the_wrong_type_or_content_is_refused_with_a_message(client):
    client.force_login(staff(Role.COORDINATOR))
    page = client.post(
        url("resource_new"), form_data(upload=SimpleUploadedFile("x.html", b"<h1>"))
    ).content.decode()
    assert "ne sont pas acceptés" in page
    page = client.post(
        url("resource_new"), form_data(upload=SimpleUploadedFile("x.pdf", b"<html>"))
    ).content.decode()
    assert "ne correspond pas" in page
    assert not Resource.objects.exists()


def test_a_file_too_large_is_refused(client, settings):
    settings.RESOURCE_MAX_UPLOAD_MB = 1
    client.force_login(staff(Role.COORDINATOR))
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    response = client.post(url("resource_new"), form_data(upload=big))
    assert response.status_code == 200
    assert "sont acceptés" in response.content.decode()
    assert not Resource.objects.exists()


def test_a_resource_needs_a_link_a_file_or_a_shelf(client):
    client.force_login(staff(Role.COORDINATOR))
    response = client.post(url("resource_new"), form_data(url=""))
    assert "Donnez un lien, un fichier ou une place dans les rayons" in response.content.decode()


def test_a_coordinator_changes_then_removes_a_resource_and_its_files(
    client, django_capture_on_commit_callbacks
):
    client.force_login(staff(Role.COORDINATOR))
    item = resource(upload=SimpleUploadedFile("a.pdf", PDF), url="")
    first = item.file.name
    assert default_storage.exists(first)
    data = form_data(url="", upload=SimpleUploadedFile("b.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("resource_edit", item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.file_name == "b.pdf"
    assert default_storage.exists(item.file.name)
    assert not default_storage.exists(first)  # replaced: the old file went once the change was saved
    assert client.get(url("resource_delete", item.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("resource_delete", item.pk)).status_code == 302
    assert not Resource.objects.exists()
    assert not default_storage.exists(item.file.name)


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.DIGITAL_STEWARD, Role.ADVISER, Role.DIRECTOR])
def test_other_roles_cannot_manage_the_catalogue(client, role):
    client.force_login(staff(role))
    item = resource()
    for name, args in [("resources", ()), ("resource_new", ()), ("resource_edit", (item.pk,))]:
        assert client.get(url(name, *args)).status_code == 403, name
    assert client.post(url("resource_delete", item.pk)).status_code == 403
    assert client.post(url("resource_link_clear", item.pk)).status_code == 403
    assert Resource.objects.filter(pk=item.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in_for_staff_pages(client):
    item = resource()
    for name, args in [("resources", ()), ("resource_new", ()), ("resource_edit", (item.pk,)), ("space", ())]:
        response = client.get(url(name, *args))
        assert response.status_code == 302, name
        assert "/connexion/" in response["Location"], name
    assert client.post(url("resource_link_report", item.pk)).status_code == 302
    assert Resource.objects.get().link_reported_at is None


def test_staff_report_a_broken_link_and_a_coordinator_clears_it(client):
    item = resource()
    client.force_login(staff(Role.DIGITAL_STEWARD))
    assert client.post(url("resource_link_report", item.pk)).status_code == 302
    item.refresh_from_db()
    assert item.link_broken
    assert (
        "ce lien ne fonctionne peut-être plus"
        in client.get(url("resource", item.pk)).content.decode().lower()
    )
    coordinator = staff(Role.COORDINATOR)
    client.force_login(coordinator)
    listing = client.get(url("resources"), {"broken": "on"}).content.decode()
    assert "1 lien signalé cassé" in listing
    assert item.title_fr in listing
    client.post(url("resource_link_clear", item.pk))
    item.refresh_from_db()
    assert not item.link_broken


# --- the tablet ----------------------------------------------------------------------------------


def test_the_steward_counts_entries_once_per_key(client):
    client.force_login(staff(Role.DIGITAL_STEWARD))
    assert client.get(url("space")).status_code == 200
    key = str(uuid.uuid4())
    for _attempt in range(3):  # a double tap, a resend from the outbox
        response = client.post(
            url("space_entry"), {"key": key, "count": 5, "slot": "group"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
    assert SpaceEntry.objects.get().count == 5
    assert "Déjà enregistré" in response.content.decode()
    assert 'id="space-group-key"' in response.content.decode()


def test_the_tablet_records_a_sweep_and_help_and_refuses_more_computers_than_there_are(client):
    client.force_login(staff(Role.DIGITAL_STEWARD))
    ok = client.post(
        url("space_sweep"), {"key": str(uuid.uuid4()), "computers": 12, "tablets": 3, "documentary": 4}
    )
    assert ok.status_code == 302
    assert OccupancySweep.objects.get().computers == 12
    refused = client.post(
        url("space_sweep"), {"key": str(uuid.uuid4()), "computers": 46, "tablets": 0, "documentary": 0}
    )
    assert refused.status_code == 422
    assert "45 ordinateurs" in refused.content.decode()
    helped = client.post(
        url("space_help"),
        {"key": str(uuid.uuid4()), "topic": "email_address", "theme": "travailler", "duration_minutes": 15},
        headers={"HX-Request": "true"},
    )
    assert helped.status_code == 200
    assert DigitalHelp.objects.get().theme_id == "travailler"


def test_the_steward_undoes_an_entry_and_nobody_else_can(client):
    steward = staff(Role.DIGITAL_STEWARD)
    client.force_login(steward)
    key = str(uuid.uuid4())
    client.post(url("space_entry"), {"key": key, "count": 1})
    client.force_login(staff(Role.DIGITAL_STEWARD))
    assert client.post(url("space_undo"), {"key": key}).status_code == 404
    client.force_login(steward)
    assert client.post(url("space_undo"), {"key": key}).status_code == 302
    assert SpaceEntry.objects.get().cancelled


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.ADVISER, Role.DIRECTOR, Role.ACTIVITY_ORGANISER])
def test_other_roles_do_not_count_the_space(client, role):
    client.force_login(staff(role))
    assert client.get(url("space")).status_code == 403
    assert client.post(url("space_entry"), {"key": str(uuid.uuid4()), "count": 1}).status_code == 403
    assert not SpaceEntry.objects.exists()


def test_the_figures_page_for_the_director_and_not_for_reception(client):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("space_figures"), {"start": "2026-01-01", "end": "nonsense"})
    assert response.status_code == 200
    client.force_login(staff(Role.RECEPTION_AGENT))
    assert client.get(url("space_figures")).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"start": "9999-12-31"},
        {"end": "9999-12-31"},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": "2024-02-30"},
        {"end": "-1"},
        {"start": "a\x00b"},
        {"start": ["2026-01-01", "99999"]},
    ],
)
def test_the_figures_keep_the_last_8_weeks_for_dates_they_cannot_show_and_say_why(client, query):
    client.force_login(staff(Role.DIRECTOR))
    with translation.override("en"):
        response = client.get(url("space_figures"), query)
    assert response.status_code == 200
    today = timezone.localdate()
    assert (response.context["start"], response.context["end"]) == (today - timedelta(weeks=8), today)
    shown = " ".join(str(message) for message in response.context["messages"])
    assert "Les 8 dernières semaines sont affichées à la place." in shown  # the page's language


def test_the_figures_take_any_days_from_2000_to_2100_in_either_order(client):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("space_figures"), {"start": "2100-12-31", "end": "2000-01-01"})
    assert response.status_code == 200
    assert (response.context["start"], response.context["end"]) == (date(2000, 1, 1), date(2100, 12, 31))
    assert not list(response.context["messages"])


@pytest.mark.parametrize("words", ["' OR 1=1 --", '"a phrase" OR cv', "-stage électricité"])
def test_a_search_with_web_syntax_is_searched_as_typed(client, words):
    resource(title_fr="Métiers de l'électricité", summary_fr="Électricien : études et débouchés.")
    assert client.get(url("catalogue"), {"q": words}).status_code == 200
