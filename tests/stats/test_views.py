"""The dashboard, the printable report, the exports and the director's forms, by role and institution."""

import csv
import io
import json
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from citedesmetiers.models import Partner
from citedesmetiers.roles import Role
from stats import periods
from stats.models import OnlineFigures, ReportText
from stats.views import _unknown_period
from tests.factories import staff

pytestmark = pytest.mark.django_db


def url(name, *args, **query):
    with translation.override("fr"):
        path = reverse(f"stats:{name}", args=args)
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.COORDINATOR])
def test_the_director_and_coordinators_see_the_whole_centre(client, march, role):
    client.force_login(staff(role))
    response = client.get(url("dashboard", period="2026-03"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Personnes en contact avec la Cité" in page or "19" in page
    assert response.context["current"]["contacts"]["total"] == 19
    assert response.context["current"]["advice"]["sessions"] == 5
    assert 'role="img"' in page  # the charts, as accessible SVG
    assert "Sans présences" in page  # the activity whose attendance is missing is listed


def test_a_partner_lead_sees_their_institution_only(client, march):
    client.force_login(staff(Role.PARTNER_LEAD))  # Actiris
    response = client.get(url("dashboard", period="2026-03"))
    assert response.status_code == 200
    current = response.context["current"]
    assert current["advice"]["sessions"] == 4
    assert "contacts" not in current
    vdab = str(Partner.objects.get(code="vdab-brussel").pk)
    assert vdab not in current["advice"]["by_partner"]
    exported = json.loads(client.get(url("export", period="2026-03", format="json")).content)
    assert exported["advice"]["sessions"] == 4
    assert "contacts" not in exported


@pytest.mark.parametrize(
    "role", [Role.RECEPTION_AGENT, Role.ADVISER, Role.DIGITAL_STEWARD, Role.ADMINISTRATOR]
)
def test_other_roles_see_no_figures(client, role):
    client.force_login(staff(role))
    for name in ("dashboard", "report", "export"):
        assert client.get(url(name)).status_code == 403, name
    assert client.get(url("report_text", 2026)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("dashboard", "report", "export"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert "/connexion/" in response["Location"]


def test_the_period_picker_and_wrong_periods(client, march):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("dashboard", year=2026, part="03"))
    assert response.context["period"].slug == "2026-03"
    response = client.get(url("dashboard", year=2026, part="Q1"))
    assert response.context["current"]["advice"]["sessions"] == 5
    assert client.get(url("dashboard", period="nonsense")).status_code == 200
    bad = client.get(url("dashboard", year=2026, start="2026-03-10", end="2026-03-01"))
    assert bad.status_code == 200
    assert "La date de fin précède la date de début" in bad.content.decode()


def test_the_printable_report_in_dutch(client, march):
    director = staff(Role.DIRECTOR)
    ReportText.objects.create(
        year=2026,
        preamble_fr="Une belle année.",
        preamble_nl="Een mooi jaar.",
        updated_at=march_time(),
        updated_by=director,
    )
    client.force_login(director)
    page = client.get(url("report", period="2026-03", lang="nl")).content.decode()
    assert '<html lang="nl">' in page
    assert "Een mooi jaar." in page
    with translation.override("nl"):  # a month's report, not an annual one
        assert gettext("Monthly report %(month)s") % {"month": "maart 2026"} in page
    assert "Jaarverslag" not in page


def march_time():
    from tests.stats.conftest import at

    return at(2026, 3, 1, 9)


def test_the_workbook_and_the_csv_of_a_month_are_internal_working_files(client, march):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("export", period="2026-03", format="xlsx", lang="en"))
    assert response["Content-Disposition"].endswith('2026-03-en.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    figures = workbook["Key figures"]
    lines = [row[0] for row in figures.iter_rows(max_row=4, values_only=True)]
    assert "Internal working document: exact counts, not for publication." in lines
    values = {row[0]: row[1] for row in figures.iter_rows(min_row=5, values_only=True) if row[0]}
    assert values["People in contact with the centre"] == 19
    assert values["Individual advice sessions"] == 5
    gender = workbook["Advice – gender"]
    cells = [row[1] for row in gender.iter_rows(min_row=5, values_only=True) if row[0]]
    assert {3, 2} <= set(cells)  # exact: not a publication
    text = client.get(url("export", period="2026-03", format="csv", lang="fr")).content
    assert text.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert any(row[1:3] == ["Personnes en contact avec la Cité", "19"] for row in rows)
    women = next(row for row in rows if len(row) > 2 and row[1] == "Femmes et hommes (%)")
    assert women[2] == "60,0"  # a decimal comma for French readers


def test_the_pdf(client, march):
    try:
        import weasyprint  # noqa: F401
    except OSError:  # no Pango on this machine; CI installs it
        if os.environ.get("CI"):
            raise
        pytest.skip("WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("export", period="2026-03", format="pdf", lang="fr"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_director_writes_the_texts_and_the_online_figures(client):
    director = staff(Role.DIRECTOR)
    client.force_login(director)
    assert client.get(url("report_text", 2026)).status_code == 200
    response = client.post(url("report_text", 2026), {"preamble_fr": "Bonjour", "preamble_nl": "Hallo"})
    assert response.status_code == 302
    assert ReportText.objects.get(year=2026).preamble_nl == "Hallo"
    response = client.post(
        url("online_figures", 2026), {"facebook_followers": "770", "twitter_followers": ""}
    )
    assert response.status_code == 302
    assert OnlineFigures.objects.get(year=2026).facebook_followers == 770
    refused = client.post(url("online_figures", 2026), {"facebook_followers": "-3"})
    assert refused.status_code == 200
    client.force_login(staff(Role.COORDINATOR))
    assert client.post(url("report_text", 2026), {"preamble_fr": "x"}).status_code == 403


def test_the_drill_down_by_theme_and_by_month(client, march):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("dashboard", period="2026", theme="travailler"))
    rows = response.context["theme_rows"]
    assert rows == [{"month": "2026-03", "visits": 5, "sessions": 4, "activities": 0, "participants": 0}]
    assert "?period=2026-03&amp;theme=travailler" in response.content.decode()
    assert ("2026-03", "mars 2026") in response.context["month_links"]
    client.force_login(staff(Role.PARTNER_LEAD))
    rows = client.get(url("dashboard", period="2026", theme="choisir")).context["theme_rows"]
    assert rows == [{"month": "2026-03", "visits": 0, "sessions": 0, "activities": 2, "participants": 5}]


def test_the_director_enters_the_online_figures_month_by_month(client):
    from stats.models import OnlineMonth

    client.force_login(staff(Role.DIRECTOR))
    page = client.get(url("online_figures", 2025)).content.decode()
    assert 'name="month_03_web_page_views"' in page
    response = client.post(
        url("online_figures", 2025),
        {"web_page_views": "", "month_01_web_page_views": "1200", "month_02_facebook_followers": "640"},
    )
    assert response.status_code == 302
    assert OnlineMonth.objects.get(year=2025, month=1).web_page_views == 1200
    assert OnlineMonth.objects.get(year=2025, month=2).facebook_followers == 640
    assert not OnlineMonth.objects.filter(year=2025, month=3).exists()  # nothing entered, nothing kept
    refused = client.post(url("online_figures", 2025), {"month_04_web_page_views": "-1"})
    assert refused.status_code == 200
    assert not OnlineMonth.objects.filter(year=2025, month=4).exists()


def test_the_queue_is_in_every_output(client, march):
    client.force_login(staff(Role.DIRECTOR))
    page = client.get(url("dashboard", period="2026-03")).content.decode()
    assert "La file par thème" in page
    report_page = client.get(url("report", period="2026-03", lang="nl")).content.decode()
    assert "De wachtrij per taal" in report_page
    workbook = load_workbook(
        io.BytesIO(client.get(url("export", period="2026-03", format="xlsx", lang="en")).content)
    )
    assert {"Queue – theme", "Queue – language", "Queue – hour"} <= set(workbook.sheetnames)
    text = client.get(url("export", period="2026-03", format="csv", lang="en")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))  # English: commas and decimal points
    assert any(row and row[0] == "The queue by weekday" for row in rows)
    women = next(row for row in rows if len(row) > 2 and row[1] == "Women and men (%)")
    assert women[2] == "60.0"


def test_the_workbook_keeps_numbers_as_numbers_and_names_its_sheets_readably(client, march):
    client.force_login(staff(Role.DIRECTOR))
    workbook = load_workbook(
        io.BytesIO(client.get(url("export", period="2026-03", format="xlsx", lang="fr")).content)
    )
    names = workbook.sheetnames
    assert "Conseil – langue" in names
    assert all(len(name) <= 31 and "…" not in name and "(" not in name for name in names), names
    figures = workbook["Chiffres clés"]
    cells = {row[0].value: row for row in figures.iter_rows(min_row=5) if row[0].value}
    women = cells["Femmes et hommes"]
    assert women[1].value == 60.0
    assert women[1].number_format == '0.0" %"'
    sessions = cells["Entretiens de conseil individuel"]
    assert isinstance(sessions[1].value, int)
    assert sessions[1].number_format == "#,##0"
    definitions = [row[4].value for row in cells.values()]
    assert all(definitions)  # the key figures carry their definitions


def test_a_partner_lead_sees_their_institutions_queue_only(client, march):
    client.force_login(staff(Role.PARTNER_LEAD))  # Actiris: nobody called the March tickets
    response = client.get(url("dashboard", period="2026-03"))
    assert response.context["current"]["advice"]["queue"]["tickets"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"period": "0001"},
        {"period": "9999"},
        {"period": "9999-12"},
        {"period": "0001-01-01_0001-12-31"},
        {"year": 2026, "start": "0001-01-01", "end": "0001-01-02"},
        {"year": 2026, "start": "9999-12-30", "end": "9999-12-31"},
    ],
)
def test_extreme_periods_get_the_default_or_a_message_never_an_error(client, query):
    client.force_login(staff(Role.DIRECTOR))
    assert client.get(url("dashboard", **query)).status_code == 200, query
    # The report and its files are never of other days than those asked for: back to the dashboard,
    # which says why, when the period is unknown.
    for name, extra in (("report", {}), ("export", {"format": "csv"})):
        response = client.get(url(name, **query, **extra))
        assert response.status_code in (200, 302), (name, query)
        if response.status_code == 302:
            assert response.url.startswith(url("dashboard")), (name, query)


@pytest.mark.parametrize("period", ["0001", "9999", "9999-12", "2024-13"])
def test_an_unknown_period_shows_the_default_one_and_says_so(client, period):
    client.force_login(staff(Role.DIRECTOR))
    with translation.override("en"):
        dashboard = reverse("stats:dashboard")
        response = client.get(dashboard, {"period": period})
        assert response.status_code == 200
        shown = [str(item) for item in response.context["messages"]]
        assert any(
            text.startswith("The figures cannot show this period: here are those of") for text in shown
        )
        assert response.context["comparison"].asked == periods.default()
        for name, extra in (("stats:export", {"format": "csv"}), ("stats:report", {})):
            answer = client.get(reverse(name), {"period": period, **extra})
            assert answer.status_code == 302, name
            assert answer.url.startswith(dashboard), name


@pytest.mark.parametrize(("period", "contacts"), [("2026", 20), ("2026-03", 19)])  # and an April visit
def test_the_dashboard_reads_a_period_and_its_comparison_in_eight_statements(
    client, march, period, contacts, django_assert_max_num_queries
):
    """Issue 19 (goal: 15): each table is read once for the period and the same days a year earlier, and
    every kept figure of closed days in one statement, sign-in included."""
    client.force_login(staff(Role.DIRECTOR))
    client.get(url("dashboard", period=period))  # the reference rows kept a minute, as in a running server
    with django_assert_max_num_queries(8):
        response = client.get(url("dashboard", period=period))
    assert response.context["previous"] is not None
    assert response.context["current"]["contacts"]["total"] == contacts


def test_the_dashboard_says_what_reception_did_to_the_queue(client, march):
    """Issue 16: transfers, priorities and cancellations of the period's tickets, for the whole centre."""
    from accueil import services as desk
    from accueil.models import Priority, Ticket

    reception = staff(Role.RECEPTION_AGENT)
    first, second, third = Ticket.objects.filter(service_date__month=3).order_by("number")[:3]
    moment = first.issued_at + timedelta(minutes=1)
    desk.ticket_transfer(ticket=first, user=reception, theme="travailler", now=moment)
    desk.ticket_prioritise(ticket=second, user=reception, reason=Priority.PREGNANCY, now=moment)
    desk.ticket_cancel(ticket=third, user=reception, now=moment)
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("dashboard", period="2026-03"))
    assert response.context["queue_changes"] == {"cancelled": 1, "transferred": 1, "priority": 1}
    page = response.content.decode()
    assert "tickets annulés : 1 ; transférés vers une autre thématique ou institution : 1" in page
    assert client.get(url("dashboard", period="2026-04")).context["queue_changes"] == {
        "cancelled": 0,
        "transferred": 0,
        "priority": 0,
    }
    client.force_login(staff(Role.PARTNER_LEAD))
    assert client.get(url("dashboard", period="2026-03")).context["queue_changes"] is None


def _pdf_or_skip():
    try:
        import weasyprint  # noqa: F401
    except OSError:  # no Pango on this machine; CI installs it
        if os.environ.get("CI"):
            raise
        pytest.skip("WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def test_the_preview_shows_its_progress_then_the_pdfs_pages(client, march):
    _pdf_or_skip()
    client.force_login(staff(Role.DIRECTOR))
    page = client.get(url("report_preview", period="2026-03", lang="nl"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="status"' in html  # shown while the pages are made
    assert "<progress" in html
    assert url("report_preview_pages", period="2026-03", lang="nl").replace("&", "&amp;") in html
    assert "Mise en page de la publication…" in html  # the page in the reader's language,
    assert "page par page : l&#x27;édition néerlandaise." in html  # of the Dutch edition
    pages = client.get(url("report_preview_pages", period="2026-03", lang="nl"))
    assert pages.status_code == 200
    fragment = pages.content.decode()
    count = pages.context["count"]
    pdf = client.get(url("export", period="2026-03", format="pdf", lang="nl")).content
    from pypdf import PdfReader

    assert count == len(PdfReader(io.BytesIO(pdf)).pages) >= 8  # exactly the PDF's pages
    assert fragment.count('src="data:image/png;base64,') == count
    assert f"Page 1 sur {count} du PDF" in fragment  # each page's picture says which it is
    # The next preview of the same edition says how long the last one took.
    again = client.get(url("report_preview", period="2026-03", lang="nl"))
    assert again.context["expected"] >= 0
    assert "<progress" in again.content.decode()


def test_the_preview_by_role(client, march):
    for role in (Role.RECEPTION_AGENT, Role.ADVISER, Role.DIGITAL_STEWARD):
        client.force_login(staff(role))
        for name in ("report_preview", "report_preview_pages"):
            assert client.get(url(name, period="2026-03")).status_code == 403, (role, name)
    client.logout()
    for name in ("report_preview", "report_preview_pages"):
        response = client.get(url(name, period="2026-03"))
        assert response.status_code == 302
        assert "/connexion/" in response["Location"]


def test_a_partner_leads_preview_is_their_institutions_report(client, march):
    _pdf_or_skip()
    client.force_login(staff(Role.PARTNER_LEAD))  # Actiris
    assert client.get(url("report_preview", period="2026-03")).status_code == 200
    pages = client.get(url("report_preview_pages", period="2026-03", lang="fr"))
    assert pages.status_code == 200
    assert pages.context["count"] >= 1


def test_an_unknown_period_has_no_preview(client):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("report_preview", period="1999"))
    assert response.status_code == 302
    pages = client.get(url("report_preview_pages", period="1999"))
    assert pages.status_code == 200
    assert pages.context["unavailable"]


def test_a_reversed_range_says_so_and_keeps_what_was_typed(client):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("dashboard", year=2026, part="year", start="2026-09-20", end="2026-09-14"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "La date de fin précède la date de début." in page
    assert 'name="start" value="2026-09-20"' in page
    assert 'name="end" value="2026-09-14"' in page
    shown = [str(message) for message in response.context["messages"]]
    with translation.override("fr"):
        assert shown == [_unknown_period(periods.default())]  # the figures shown are named, not passed off


def test_a_period_not_started_yet_is_refused_never_shown_as_zeros(client):
    client.force_login(staff(Role.DIRECTOR))
    today = timezone.localdate()
    start, end = today + timedelta(days=40), today + timedelta(days=70)
    response = client.get(url("dashboard", year=today.year, start=start.isoformat(), end=end.isoformat()))
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("fr"):
        not_started = gettext("There are no figures yet for a period that has not started.")
    assert not_started.replace("'", "&#x27;") in page
    assert f'name="start" value="{start.isoformat()}"' in page
    assert response.context["comparison"].asked == periods.default()
    # The same period by its address: the default one, saying why; its report and files are not made.
    slug = periods.Period(start, end).slug
    response = client.get(url("dashboard", period=slug))
    assert response.status_code == 200
    assert any(str(message).startswith(not_started) for message in response.context["messages"])
    assert response.context["comparison"].asked == periods.default()
    for name, extra in (("report", {}), ("export", {"format": "pdf"}), ("report_preview", {})):
        answer = client.get(url(name, period=slug, **extra))
        assert answer.status_code == 302, name
        assert answer.url.startswith(url("dashboard")), name


def test_a_wrong_field_of_the_picker_is_said_beside_it(client):
    client.force_login(staff(Role.DIRECTOR))
    response = client.get(url("dashboard", year=2099, part="01"))
    assert response.status_code == 200
    assert '<ul class="errors"><li>' in response.content.decode()
    assert response.context["form"].errors["year"]
