"""The centre's practical information (issue 17): edited by coordinators in the back office, shown on the
home page and in every page's footer in the page's language, with today's status and the closures."""

import datetime
import html
import importlib

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from citedesmetiers import selectors
from citedesmetiers.forms import ListFilters
from citedesmetiers.models import CentreInfo, Closure, Partner, Theme
from citedesmetiers.roles import Role

pytestmark = pytest.mark.django_db

demo = importlib.import_module("citedesmetiers.migrations.0010_practical_information_demo")
SATURDAY = datetime.date(2026, 12, 5)
MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture
def centre():
    from django.apps import apps

    CentreInfo.objects.all().delete()
    demo.load(apps, None)
    selectors.reference_cache_clear()
    return CentreInfo.objects.get()


def change_form(info: CentreInfo, **changes) -> dict:
    """The back office's form for the single row, as posted, with `changes` (no closure added)."""
    form = {
        name: getattr(info, name) or ""
        for name in [
            "address_fr", "address_nl", "address_en", "phone", "email", "map_url",
            "access_fr", "access_nl", "access_en", "transport_fr", "transport_nl", "transport_en",
        ]
    }  # fmt: skip
    for day in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]:
        for edge in ["opens", "closes"]:
            value = getattr(info, f"{day}_{edge}")
            form[f"{day}_{edge}"] = value.strftime("%H:%M") if value else ""
    closures = list(info.closures.order_by("first_day"))
    form.update(
        {
            "closures-TOTAL_FORMS": str(len(closures) + 1),
            "closures-INITIAL_FORMS": str(len(closures)),
            "closures-MIN_NUM_FORMS": "0",
            "closures-MAX_NUM_FORMS": "1000",
        }
    )
    for number, closure in enumerate(closures):
        prefix = f"closures-{number}-"
        form.update(
            {
                prefix + "id": str(closure.pk),
                prefix + "centre": "1",
                prefix + "first_day": closure.first_day.isoformat(),
                prefix + "last_day": closure.last_day.isoformat(),
                prefix + "reason_fr": closure.reason_fr,
                prefix + "reason_nl": closure.reason_nl,
                prefix + "reason_en": closure.reason_en,
            }
        )
    form.update(changes)
    return form


@pytest.mark.parametrize(
    ("language", "address", "transport", "hours_title"),
    [
        ("fr", "Avenue de l&#x27;Astronomie 14, 1210 Saint-Josse-ten-Noode", "Métro Madou", "Heures d"),
        ("nl", "Sterrenkundelaan 14, 1210 Sint-Joost-ten-Node", "Metro Madou", "Openingsuren"),
        (
            "en",
            "Avenue de l&#x27;Astronomie 14, 1210 Saint-Josse-ten-Noode (Brussels)",
            "Madou metro",
            "Opening",
        ),
    ],
)
def test_the_home_page_gives_the_practical_information_in_its_language(
    client, centre, language, address, transport, hours_title
):
    page = client.get(f"/{language}/").content.decode()
    practical = page[page.index('id="practical-title"') : page.index('id="themes-title"')]
    assert address in practical
    assert transport in practical
    assert 'href="tel:+3220000000"' in practical
    assert "mailto:info@citedesmetiers.example" in practical
    assert "openstreetmap.org" in practical
    hours = practical[practical.index('class="opening-hours"') : practical.index("</table>")]
    assert hours.count("9:00–17:00") == 5  # Monday to Friday (and today's line above it, on a weekday)
    footer = page[page.index('<footer class="site-footer">') :]
    assert address in footer
    assert 'href="tel:+3220000000"' in footer


def test_every_page_footer_carries_the_address_and_the_staff_sign_in_leaves_the_header(client, centre):
    page = client.get(reverse("activites:agenda")).content.decode()
    header, footer = page.split('<main id="main"')[0], page.split('<footer class="site-footer">')[1]
    assert "Avenue de l&#x27;Astronomie 14" in footer
    assert reverse("login") not in header
    assert reverse("login") in footer


def test_today_says_open_with_its_hours_or_closed_with_the_closure_reason(centre):
    info = selectors.centre_info(today=MONDAY)
    monday = selectors.centre_day(info, on=MONDAY)
    assert monday.is_open
    assert (monday.opens, monday.closes) == (datetime.time(9), datetime.time(17))
    assert not selectors.centre_day(info, on=SATURDAY).is_open
    christmas = selectors.centre_day(info, on=datetime.date(2026, 12, 25))
    assert not christmas.is_open
    with translation.override("nl"):
        assert christmas.closure.reason == "Kerstmis"


def test_a_closure_today_shows_its_reason_on_every_page(client, centre):
    today = timezone.localdate()
    Closure.objects.create(
        centre=centre, first_day=today, last_day=today, reason_fr="Jour férié", reason_nl="Feestdag"
    )
    selectors.reference_cache_clear()
    page = client.get("/en/").content.decode()
    footer = page.split('<footer class="site-footer">')[1]
    assert "Closed today" in footer
    # No English reason: the French one, marked as French for screen readers.
    assert '<span lang="fr">(Jour férié)</span>' in footer
    page = client.get("/nl/").content.decode()
    assert "<span>(Feestdag)</span>" in page


def test_the_closures_to_come_are_listed_and_past_ones_are_not(client, centre):
    Closure.objects.create(
        centre=centre, first_day=datetime.date(2020, 1, 1), last_day=datetime.date(2020, 1, 1),
        reason_fr="Ancienne fermeture", reason_nl="Oude sluiting",
    )  # fmt: skip
    selectors.reference_cache_clear()
    page = client.get("/fr/").content.decode()
    assert "Ancienne fermeture" not in page
    assert "Nouvel An" in page  # 1 January 2027, in the demo values


def test_demo_values_are_marked_as_such_until_a_coordinator_unticks_them(client, centre):
    assert "Demo values" in client.get("/en/").content.decode()
    CentreInfo.objects.update(is_demo=False)
    selectors.reference_cache_clear()
    assert "Demo values" not in client.get("/en/").content.decode()


def test_without_practical_information_the_pages_still_work(client):
    CentreInfo.objects.all().delete()
    selectors.reference_cache_clear()
    page = client.get("/en/").content.decode()
    assert 'id="practical-title"' not in page
    assert "Madou, Brussels" in page
    assert selectors.centre_address("nl") == ""


def test_the_centre_address_for_calendar_files_is_in_the_asked_language(centre):
    assert selectors.centre_address("nl") == "Sterrenkundelaan 14, 1210 Sint-Joost-ten-Node"
    assert selectors.centre_address("fr") == "Avenue de l'Astronomie 14, 1210 Saint-Josse-ten-Noode"
    CentreInfo.objects.update(address_en="")
    selectors.reference_cache_clear()
    assert selectors.centre_address("en") == "Avenue de l'Astronomie 14, 1210 Saint-Josse-ten-Noode"


def test_the_footer_costs_one_query_then_none(client, centre, django_assert_max_num_queries):
    client.get("/fr/")
    with django_assert_max_num_queries(3):  # themes, spaces, partners of the home page itself
        client.get("/fr/")


def test_a_coordinator_edits_the_hours_and_adds_a_closure_in_the_back_office(client, login, centre):
    login(Role.COORDINATOR)
    assert client.get(reverse("admin:citedesmetiers_centreinfo_changelist")).url == reverse(
        "admin:citedesmetiers_centreinfo_change", args=[1]
    )
    url = reverse("admin:citedesmetiers_centreinfo_change", args=[1])
    assert client.get(url).status_code == 200
    form = change_form(centre, wednesday_opens="", wednesday_closes="", phone="+32 2 111 11 11")
    n = len(centre.closures.all())
    form.update(
        {
            f"closures-{n}-centre": "1",
            f"closures-{n}-first_day": "2027-05-08",
            f"closures-{n}-last_day": "2027-05-08",
            f"closures-{n}-reason_fr": "Fête de l'Iris",
            f"closures-{n}-reason_nl": "Irisfeest",
            f"closures-{n}-reason_en": "",
        }
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    centre.refresh_from_db()
    assert centre.wednesday_opens is None
    assert centre.phone == "+32 2 111 11 11"
    page = client.get("/nl/").content.decode()  # at once: the back office clears the cache
    assert "+32 2 111 11 11" in page
    assert "Irisfeest" in page
    assert client.get(reverse("admin:citedesmetiers_centreinfo_add")).status_code == 403
    assert client.get(reverse("admin:citedesmetiers_centreinfo_delete", args=[1])).status_code == 403


def test_a_day_closing_before_it_opens_is_refused_with_a_message(client, login, centre):
    login(Role.COORDINATOR)
    url = reverse("admin:citedesmetiers_centreinfo_change", args=[1])
    response = client.post(url, change_form(centre, monday_opens="17:00", monday_closes="09:00"))
    assert response.status_code == 200
    assert "la fermeture après l'ouverture" in html.unescape(response.content.decode())


def test_anonymous_visitors_read_it_but_cannot_edit_it(client, centre):
    url = reverse("admin:citedesmetiers_centreinfo_change", args=[1])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Avenue de l&#x27;Astronomie 14" in client.get("/fr/").content.decode()


@pytest.mark.parametrize("role", [Role.RECEPTION_AGENT, Role.ACTIVITY_ORGANISER])
def test_other_roles_are_refused(client, login, centre, role):
    login(role)
    url = reverse("admin:citedesmetiers_centreinfo_change", args=[1])
    assert client.get(url, follow=True).status_code == 403
    assert client.post(url, change_form(centre, phone="x"), follow=True).status_code == 403
    centre.refresh_from_db()
    assert centre.phone != "x"


def test_the_director_reads_but_does_not_change(client, login, centre):
    login(Role.DIRECTOR)
    url = reverse("admin:citedesmetiers_centreinfo_change", args=[1])
    assert client.post(url, change_form(centre, phone="+32 2 999 99 99")).status_code == 403


def test_theme_cards_lead_to_the_theme_activities_and_documentation(client):
    page = client.get("/fr/").content.decode()
    for theme in Theme.objects.filter(active=True):
        assert f'href="{reverse("activites:agenda")}?theme={theme.code}"' in page
        assert f'href="{reverse("ressources:catalogue")}?theme={theme.code}"' in page


def test_the_audience_filter_offers_everyone_once():
    with translation.override("fr"):
        labels = [str(label) for _, label in ListFilters().fields["audience"].choices]
    assert labels.count("Tout public") == 1


def test_english_pages_mark_french_fallback_text_as_french(client):
    Partner.objects.filter(code="actiris").update(name_en="")
    page = client.get("/en/").content.decode()
    assert 'lang="fr">Actiris</a>' in page
    page = client.get("/fr/").content.decode()
    assert 'lang="fr">Actiris' not in page
