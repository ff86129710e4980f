"""The year's report texts in the back office, with the timeline's entries and the testimonials as inlines:
the same rule as the dashboard's form (whoever may change the report texts, the director), the photo's
checks and its alternative text, and the dashboard's form keeping the signature."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from citedesmetiers.roles import Role
from stats.models import Highlight, ReportText
from stats.models import Testimonial as Quote  # a name pytest does not take for a test class
from tests.factories import staff

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (29, 43, 83)).save(picture, "PNG")
    return picture.getvalue()


def _inlines(entry: dict | None = None, testimonial: dict | None = None) -> dict:
    data = {}
    for prefix, row in (("highlight_entries", entry), ("testimonials", testimonial)):
        data |= {f"{prefix}-TOTAL_FORMS": "1" if row else "0", f"{prefix}-INITIAL_FORMS": "0"}
        data |= {f"{prefix}-0-{name}": value for name, value in (row or {}).items()}
    return data


ENTRY = {
    "day": "2018-03-05",
    "title_fr": "Ouverture",
    "title_nl": "Opening",
    "text_fr": "Texte.",
    "text_nl": "Tekst.",
}


@pytest.fixture
def text():
    return ReportText.objects.create(
        year=2018, preamble_fr="Bonjour", updated_at=timezone.now(), updated_by=staff(Role.DIRECTOR)
    )


def _change(text) -> str:
    with translation.override("fr"):
        return reverse("admin:stats_reporttext_change", args=[text.pk])


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMINISTRATOR, Role.ADVISER])
def test_only_who_may_change_the_report_texts_sees_them(client, text, role):
    client.force_login(staff(role))
    assert client.get(_change(text)).status_code in (302, 403)
    assert client.post(_change(text), {"preamble_fr": "x", **_inlines(ENTRY)}).status_code in (302, 403)
    assert not Highlight.objects.exists()
    assert ReportText.objects.get(year=2018).preamble_fr == "Bonjour"


def test_the_director_adds_an_entry_with_a_photo_and_a_testimonial(client, text, tmp_path):
    director = staff(Role.DIRECTOR)
    client.force_login(director)
    page = client.get(_change(text)).content.decode()
    assert "highlight_entries-TOTAL_FORMS" in page
    assert "testimonials-TOTAL_FORMS" in page
    entry = {
        **ENTRY,
        "photo": SimpleUploadedFile("ouverture.png", _png(), "image/png"),
        "photo_alt_fr": "Le ruban coupé",
        "photo_alt_nl": "Het lint wordt doorgeknipt",
    }
    testimonial = {
        "quote_fr": "Merci.",
        "quote_nl": "Dank u.",
        "attribution_fr": "un étudiant",
        "position": "0",
    }
    with override_settings(MEDIA_ROOT=tmp_path):
        response = client.post(
            _change(text),
            {"preamble_fr": "Bonjour", "signatory_name": "Anne Delvaux", **_inlines(entry, testimonial)},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Highlight.objects.get()
    assert saved.photo.name.startswith("stats/highlights/")
    assert saved.photo.name.endswith(".png")
    assert Quote.objects.get().attribution_fr == "un étudiant"
    text.refresh_from_db()
    assert text.signatory_name == "Anne Delvaux"
    assert text.updated_by == director


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"photo_alt_nl": ""}, "photo_alt_nl"),  # a photo is described in both languages
        ({"day": "2019-01-02"}, "day"),  # in the report's year
        ({"photo": ("ouverture.png", b"<html>not a picture</html>")}, "photo"),
        ({"photo": ("ouverture.gif", b"GIF89a....")}, "photo"),
        ({"title_nl": ""}, "title_nl"),  # French and Dutch are required
    ],
)
def test_an_entry_that_breaks_a_rule_is_refused(client, text, tmp_path, change, field):
    client.force_login(staff(Role.DIRECTOR))
    entry = {
        **ENTRY,
        "photo": SimpleUploadedFile("ouverture.png", _png(), "image/png"),
        "photo_alt_fr": "Le ruban coupé",
        "photo_alt_nl": "Het lint",
    }
    for name, value in change.items():
        entry[name] = SimpleUploadedFile(value[0], value[1], "image/png") if name == "photo" else value
    with override_settings(MEDIA_ROOT=tmp_path):
        response = client.post(_change(text), {"preamble_fr": "Bonjour", **_inlines(entry)})
    assert response.status_code == 200
    assert field in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Highlight.objects.exists()
    assert not list(tmp_path.rglob("*.png"))


def test_the_dashboards_form_keeps_the_signature_and_links_to_the_back_office(client, text):
    client.force_login(staff(Role.DIRECTOR))
    with translation.override("fr"):
        form = reverse("stats:report_text", args=[2018])
    assert _change(text) in client.get(form).content.decode()
    values = {"preamble_fr": "Bonjour", "signatory_name": "Anne Delvaux", "signatory_role_nl": "Directeur"}
    assert client.post(form, {**values, "quote_fr": "Une phrase."}).status_code == 302
    text.refresh_from_db()
    assert (text.signatory_name, text.signatory_role_nl, text.quote_fr) == (
        "Anne Delvaux",
        "Directeur",
        "Une phrase.",
    )


def _pictures(**change) -> dict:
    values = {
        "preamble_fr": "Bonjour",
        "signatory_name": "Anne Delvaux",
        "cover_photo": SimpleUploadedFile("couverture.png", _png(), "image/png"),
        "cover_photo_alt_fr": "La Cité un matin",
        "cover_photo_alt_nl": "Het Beroepenpunt op een ochtend",
        "signature": SimpleUploadedFile("signature.png", _png(), "image/png"),
        "team_photo": SimpleUploadedFile("equipe.png", _png(), "image/png"),
        "team_photo_alt_fr": "L'équipe devant la Cité",
        "team_photo_alt_nl": "Het team voor het Beroepenpunt",
        **_inlines(),
    }
    for name, value in change.items():
        values[name] = (
            SimpleUploadedFile(value[0], value[1], "image/png") if isinstance(value, tuple) else value
        )
    return values


def test_the_director_gives_the_cover_picture_the_signature_and_the_team_photo(client, text, tmp_path):
    client.force_login(staff(Role.DIRECTOR))
    page = client.get(_change(text)).content.decode()
    assert 'name="cover_photo"' in page
    assert 'accept=".png,.jpg,.jpeg"' in page
    with override_settings(MEDIA_ROOT=tmp_path):
        response = client.post(_change(text), _pictures())
    assert response.status_code == 302, response.content.decode()[:2000]
    text.refresh_from_db()
    for name in ("cover_photo", "signature", "team_photo"):
        assert getattr(text, name).name.startswith("stats/report/"), name
    assert text.cover_photo_alt_nl == "Het Beroepenpunt op een ochtend"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cover_photo_alt_nl": ""}, "cover_photo_alt_nl"),  # described in both languages
        ({"team_photo_alt_fr": ""}, "team_photo_alt_fr"),
        ({"cover_photo": ("couverture.png", b"<html>not a picture</html>")}, "cover_photo"),
        ({"signature": ("signature.png", b"\x89PNG\r\n\x1a\nbroken")}, "signature"),  # does not decode
    ],
)
def test_a_picture_that_breaks_a_rule_is_refused(client, text, tmp_path, change, field):
    client.force_login(staff(Role.DIRECTOR))
    with override_settings(MEDIA_ROOT=tmp_path):
        response = client.post(_change(text), _pictures(**change))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    text.refresh_from_db()
    assert not text.cover_photo
    assert not list(tmp_path.rglob("*.png"))


def test_a_coordinator_uploads_a_partners_logo(client, tmp_path):
    from citedesmetiers.models import Partner

    client.force_login(staff(Role.COORDINATOR))
    partner = Partner.objects.get(code="actiris")
    with translation.override("fr"):
        change = reverse("admin:citedesmetiers_partner_change", args=[partner.pk])
    form = client.get(change)
    assert form.status_code == 200
    values = {
        key: value
        for key, value in form.context["adminform"].form.initial.items()
        if key not in ("logo", "themes") and value is not None
    }
    values["themes"] = [theme.pk for theme in partner.themes.all()]
    with override_settings(MEDIA_ROOT=tmp_path):
        refused = client.post(
            change, {**values, "logo": SimpleUploadedFile("logo.png", b"<svg/>", "image/png")}
        )
        assert refused.status_code == 200
        assert "logo" in refused.context["adminform"].form.errors
        saved = client.post(change, {**values, "logo": SimpleUploadedFile("logo.png", _png(), "image/png")})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    partner.refresh_from_db()
    assert partner.logo.name.startswith("partners/")
