"""The activities in a real browser, with axe scans: the public agenda filtered with htmx (and Back after
it), registering and confirming from the e-mail's link (with the mouse in Dutch, with the keyboard only
in French), the form's errors, the waiting list of a full activity, the check-in list at the door, and
a weekly series scheduled through the form.

The French and Dutch texts are read from the catalogs (`tr`), so the tests follow their translations."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from activites import selectors
from activites.models import Activity, OutgoingEmail, Registration
from citedesmetiers.roles import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, activity, registration, staff

pytestmark = pytest.mark.browser


def tr(language: str, message: str) -> str:
    """`message` as the pages show it in `language`."""
    with translation.override(language):
        return translation.gettext(message)


def url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(f"activites:{name}", args=args)


def coming_activities():
    """A workshop (choisir), an information session and a full job dating (travailler), all published."""
    workshop = activity(theme="choisir", title_fr="Atelier CV", title_nl="Workshop cv")
    session = activity(
        theme="travailler",
        starts_in=timedelta(days=8),
        title_fr="Séance d'information job étudiant",
        title_nl="Infosessie studentenjob",
        languages=("fr", "nl"),
    )
    full = activity(
        theme="travailler",
        starts_in=timedelta(days=9),
        capacity=1,
        title_fr="Job dating horeca",
        title_nl="Jobdating horeca",
    )
    registration(full, first_name="Sam")  # the only seat
    return workshop, session, full


def filter_by_theme(page, language: str, theme: str) -> None:
    """Chooses a theme in the agenda's filters: htmx swaps the results and the address keeps the query."""
    page.evaluate("window.sameDocument = true")  # gone if the browser loaded a new page instead
    with page.expect_response(
        lambda response: f"theme={theme}" in response.url and response.request.headers.get("hx-request")
    ) as swapped:
        page.get_by_label(tr(language, "Theme"), exact=True).select_option(theme)
    assert swapped.value.ok
    expect(page).to_have_url(re.compile(rf"\?(.+&)?theme={theme}(&|$)"))
    assert page.evaluate("window.sameDocument") is True


def confirmation_link(mailoutbox, email: str, language: str, title: str) -> str:
    """The path of the link that the confirmation e-mail (in the person's language) sends to `email`."""
    sent = [message for message in mailoutbox if message.to == [email]]
    assert len(sent) == 1
    assert sent[0].subject == tr(language, "Confirm your registration: %(title)s") % {"title": title}
    token = Registration.objects.get(email=email).token
    path = url(language, "registration", token)
    assert f"{settings.SITE_URL}{path}" in sent[0].body
    return path


def tab_to(page, target, limit: int = 40) -> None:
    """Presses Tab until `target` has the focus."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} is never reached with Tab")


def figure_of(page, label: str, where: str = ""):
    """The value of one figure of the page (of `where`, a selector, if given)."""
    return (
        page.locator(f"{where} .figures > div".strip())
        .filter(has=page.get_by_text(label, exact=True))
        .locator("dd")
    )


def figure(page, label: str):
    """The value of one figure of the check-in list."""
    return figure_of(page, label, "#attendance")


@pytest.mark.parametrize("browser_locale", ["nl-BE"])
def test_a_person_finds_an_activity_and_registers_in_dutch(page, mailoutbox):
    _workshop, session, full = coming_activities()
    page.goto(url("nl", "agenda"))
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("nl", "Agenda of activities"))
    results = page.locator("#agenda-results .agenda-item")
    expect(results).to_have_count(3)
    assert axe_violations(page) == []

    filter_by_theme(page, "nl", "travailler")
    expect(results).to_have_count(2)
    expect(page.locator("#agenda-results")).not_to_contain_text("Workshop cv")
    expect(results.filter(has_text="Jobdating horeca")).to_contain_text(
        tr("nl", "Full — join the waiting list")
    )
    assert axe_violations(page) == []

    page.get_by_role("link", name="Infosessie studentenjob").click()
    page.wait_for_url(f"**{url('nl', 'agenda_activity', session.pk)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Infosessie studentenjob")
    expect(page.get_by_role("heading", level=2, name=tr("nl", "Register"))).to_be_visible()
    page.get_by_label(tr("nl", "First name or nickname")).fill("Noor")
    page.get_by_label(tr("nl", "E-mail address")).fill("noor@example.org")
    page.get_by_label(tr("nl", "I agree")).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name=tr("nl", "Register"), exact=True).click()

    page.wait_for_url(f"**{url('nl', 'agenda_registered', session.pk)}")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("nl", "Check your e-mail"))
    assert axe_violations(page) == []
    pending = Registration.objects.get(email="noor@example.org")
    assert (pending.activity, pending.first_name, pending.language) == (session, "Noor", "nl")
    assert pending.status == Registration.Status.PENDING

    page.goto(confirmation_link(mailoutbox, "noor@example.org", "nl", "Infosessie studentenjob"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("nl", "Your registration"))
    status = page.locator(".facts strong")
    expect(status).to_have_text(tr("nl", "Waiting for the e-mail confirmation"))
    assert axe_violations(page) == []
    page.get_by_role("button", name=tr("nl", "Confirm my registration")).click()
    expect(page.locator(".messages")).to_contain_text(tr("nl", "Your seat is booked. See you there!"))
    expect(status).to_have_text(tr("nl", "Registered"))
    expect(page.get_by_role("button", name=tr("nl", "Confirm my registration"))).to_have_count(0)
    assert axe_violations(page) == []
    assert Registration.objects.get(pk=pending.pk).status == Registration.Status.CONFIRMED
    assert list(OutgoingEmail.objects.filter(to="noor@example.org").values_list("kind", flat=True)) == [
        "confirm_address",
        "confirmed",
    ]

    # A full activity offers its waiting list instead of a seat.
    page.goto(url("nl", "agenda_activity", full.pk))
    expect(page.get_by_role("heading", level=2, name=tr("nl", "Join the waiting list"))).to_be_visible()
    expect(page.get_by_role("button", name=tr("nl", "Join the waiting list"))).to_be_visible()
    expect(page.get_by_role("button", name=tr("nl", "Register"), exact=True)).to_have_count(0)
    assert axe_violations(page) == []


def test_a_person_registers_with_the_keyboard_in_french_and_joins_a_waiting_list(page, mailoutbox):
    _workshop, session, full = coming_activities()
    page.goto(url("fr", "agenda"))
    assert page.locator("html").get_attribute("lang") == "fr"
    results = page.locator("#agenda-results .agenda-item")
    expect(results).to_have_count(3)
    assert axe_violations(page) == []
    filter_by_theme(page, "fr", "travailler")
    expect(results).to_have_count(2)
    expect(page.locator("#agenda-results")).not_to_contain_text("Atelier CV")
    assert axe_violations(page) == []

    for chosen, name, email in [(session, "Léa", "lea@example.org"), (full, "Yanis", "yanis@example.org")]:
        page.goto(f"{url('fr', 'agenda')}?theme=travailler")
        expect(page.get_by_label(tr("fr", "Theme"), exact=True)).to_have_value("travailler")
        expect(results).to_have_count(2)
        page.get_by_role("link", name=chosen.title_fr).click()
        page.wait_for_url(f"**{url('fr', 'agenda_activity', chosen.pk)}")
        assert axe_violations(page) == []
        # The form with the keyboard only: the field for robots is out of the tab order.
        first_name = page.get_by_label(tr("fr", "First name or nickname"))
        tab_to(page, first_name)
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        expect(page.get_by_label(tr("fr", "E-mail address"))).to_be_focused()
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        consent = page.get_by_label(tr("fr", "I agree"))
        expect(consent).to_be_focused()
        page.keyboard.press("Space")
        expect(consent).to_be_checked()
        page.keyboard.press("Tab")
        submit = tr("fr", "Register") if chosen == session else tr("fr", "Join the waiting list")
        expect(page.get_by_role("button", name=submit, exact=True)).to_be_focused()
        page.keyboard.press("Enter")

        page.wait_for_url(f"**{url('fr', 'agenda_registered', chosen.pk)}")
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("fr", "Check your e-mail"))
        assert axe_violations(page) == []

        page.goto(confirmation_link(mailoutbox, email, "fr", chosen.title_fr))
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("fr", "Your registration"))
        assert axe_violations(page) == []
        tab_to(page, page.get_by_role("button", name=tr("fr", "Confirm my registration")))
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name=tr("fr", "Confirm my registration"))).to_have_count(0)
        assert axe_violations(page) == []

    expect(page.locator(".messages")).to_contain_text(
        tr("fr", "The activity is full: you are on the waiting list. We write if a seat frees up.")
    )
    expect(page.locator(".facts strong")).to_have_text(tr("fr", "On the waiting list"))
    expect(page.locator(".facts")).to_contain_text(
        tr("fr", "number %(position)s on the waiting list") % {"position": 1}
    )
    statuses = dict(Registration.objects.filter(language="fr").values_list("first_name", "status"))
    assert statuses == {"Sam": "confirmed", "Léa": "confirmed", "Yanis": "waiting"}


def test_back_after_filtering_shows_the_whole_agenda_again(page):
    """The filters push their address: Back shows the page of the previous filter, header and form
    included (htmx asks the server again for that page: there is no history cache)."""
    coming_activities()
    page.goto(url("fr", "agenda"))
    filter_by_theme(page, "fr", "travailler")
    filter_by_theme(page, "fr", "choisir")
    expect(page.locator("#agenda-results .agenda-item")).to_have_count(1)
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?(.+&)?theme=travailler(&|$)"))
    expect(page.locator("#agenda-results .agenda-item")).to_have_count(2)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("fr", "Agenda of activities"))
    expect(page.get_by_label(tr("fr", "Theme"), exact=True)).to_have_value("travailler")
    assert axe_violations(page) == []


@pytest.mark.parametrize("browser_locale", ["nl-BE"])
def test_the_registration_form_ties_each_error_to_its_field(page):
    _workshop, session, _full = coming_activities()
    page.goto(url("nl", "agenda_activity", session.pk))
    page.get_by_role("button", name=tr("nl", "Register"), exact=True).click()
    required = tr("nl", "This field is required.")
    for label in ("First name or nickname", "E-mail address", "I agree"):
        field = page.get_by_label(tr("nl", label))
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(required)))
    assert axe_violations(page) == []
    assert not Registration.objects.filter(activity=session).exists()


def test_an_organiser_ticks_the_check_in_list_at_the_door(page):
    session = activity(starts_in=timedelta(minutes=30), partner="actiris", title_en="CV workshop")
    registration(session, first_name="Alex")
    registration(session, first_name="Bea")
    sign_in(page, staff(Role.ACTIVITY_ORGANISER), PASSWORD)
    page.goto(url("en", "activity_attendance", session.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in list")
    expect(figure(page, "Checked in")).to_have_text("0 / 2")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Alex is here").click()
    alex = page.locator(".checkin").filter(has_text="Alex")
    expect(alex).to_have_class(re.compile(r"\bis-here\b"))
    expect(figure(page, "Checked in")).to_have_text("1 / 2")
    walk_in = page.get_by_role("button", name="+1 walk-in")
    walk_in.click()
    expect(figure(page, "Walk-ins")).to_have_text("1")
    walk_in.click()  # a new panel, a new key: a second person
    expect(figure(page, "Walk-ins")).to_have_text("2")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Attendance is complete").click()
    expect(page.locator("#attendance-status")).to_contain_text("Attendance recorded; 1 person did not come.")
    expect(figure(page, "Participants")).to_have_text("3")
    expect(figure(page, "Checked in")).to_have_text("1 / 2")
    expect(figure(page, "Walk-ins")).to_have_text("2")
    expect(page.locator(".checkin").filter(has_text="Bea")).to_have_class(re.compile(r"\bis-absent\b"))
    assert axe_violations(page) == []

    recorded = selectors.figures(session)
    assert (recorded.registered, recorded.checked_in, recorded.no_shows) == (2, 1, 1)
    assert (recorded.walk_ins, recorded.participants) == (2, 3)
    assert recorded.recorded


def test_a_coordinator_schedules_a_weekly_series_that_the_agenda_shows(page):
    sign_in(page, staff(Role.COORDINATOR), PASSWORD)
    page.goto(url("en", "activity_new"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule an activity")
    page.get_by_label("Title in French").fill("Atelier LinkedIn")
    page.get_by_label("Description in French").fill("Un profil qui attire les recruteurs.")
    page.get_by_label("Title in Dutch").fill("Workshop LinkedIn")
    page.get_by_label("Description in Dutch").fill("Een profiel dat rekruteerders aantrekt.")
    page.get_by_role("combobox", name="Type", exact=True).select_option("workshop")
    page.get_by_label("Organiser").select_option(label="Actiris")
    page.get_by_role("group", name="Theme", exact=True).get_by_label("Work", exact=True).check()
    page.get_by_role("group", name="Audience", exact=True).get_by_label("Job seekers").check()
    languages = page.get_by_role("group", name="Session languages", exact=True)
    languages.get_by_label("French", exact=True).check()
    languages.get_by_label("Dutch", exact=True).check()
    languages.get_by_label("English", exact=True).uncheck()
    first_day = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Date").fill(first_day.isoformat())
    page.get_by_label("Starts at").fill("14:00")
    page.get_by_label("Ends at").fill("16:00")

    # The script shows the field of the kind of place chosen, and only that one.
    room, address = page.get_by_label("Room", exact=True), page.get_by_label("Outside address", exact=True)
    expect(room).to_be_visible()
    expect(address).to_be_hidden()
    page.get_by_role("radio", name="An outside address").check()
    expect(room).to_be_hidden()
    expect(address).to_be_visible()
    address.fill("Boulevard Anspach 65, 1000 Bruxelles")
    page.get_by_label("Registration required").check()
    page.get_by_label("Capacity").fill("12")
    page.get_by_label("Number of weekly sessions").fill("3")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save and publish").click()

    expect(page.locator(".messages")).to_contain_text("3 sessions scheduled.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier LinkedIn")
    assert axe_violations(page) == []
    series = list(Activity.objects.order_by("starts_at"))
    assert len(series) == 3
    assert len({session.series for session in series}) == 1
    assert series[0].series is not None
    assert [timezone.localtime(session.starts_at).date() for session in series] == [
        first_day + timedelta(weeks=week) for week in range(3)
    ]
    for session in series:
        local_start, local_end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        assert (local_start.strftime("%H:%M"), local_end.strftime("%H:%M")) == ("14:00", "16:00")
        assert (session.status, session.partner.code, session.theme_id) == (
            "published",
            "actiris",
            "travailler",
        )
        assert (session.place_kind, session.room, session.address) == (
            "address",
            None,
            "Boulevard Anspach 65, 1000 Bruxelles",
        )
        assert (session.admission, session.capacity) == ("registration", 12)
        assert sorted(session.audiences) == ["everyone", "job_seekers"]
        assert sorted(session.languages.values_list("code", flat=True)) == ["fr", "nl"]

    page.goto(url("en", "agenda"))
    items = page.locator("#agenda-results .agenda-item")
    expect(items).to_have_count(3)
    expect(items.filter(has_text="Atelier LinkedIn")).to_have_count(3)
    expect(items.first).to_contain_text("12 seats left")
    assert axe_violations(page) == []
    page.goto(url("nl", "agenda"))
    expect(page.locator("#agenda-results .agenda-item").filter(has_text="Workshop LinkedIn")).to_have_count(3)
    assert axe_violations(page) == []


def test_a_headcount_far_above_the_room_asks_for_a_confirmation_in_french(page):
    from citedesmetiers.models import Space

    room = Space.objects.filter(kind="activity_room").first()
    Space.objects.filter(pk=room.pk).update(capacity=30, bookable=True)
    fair = activity(admission="free", capacity=None, room=room.code, starts_in=timedelta(minutes=30))
    sign_in(page, staff(Role.ACTIVITY_ORGANISER), PASSWORD)
    page.goto(url("fr", "activity_attendance", fair.pk))
    field = page.get_by_label(tr("fr", "People counted at the door"))

    field.fill("100000")  # the browser itself refuses more than 3 × 30 (the server does too)
    page.get_by_role("button", name=tr("fr", "Record the headcount")).click()
    assert field.evaluate("input => input.validity.rangeOverflow")
    assert field.get_attribute("max") == "90"
    expect(page.get_by_label(tr("fr", "Yes, this count is right"))).to_have_count(0)

    page.get_by_label(tr("fr", "People counted at the door")).fill("45")
    page.get_by_role("button", name=tr("fr", "Record the headcount")).click()
    expect(page.locator("#attendance")).to_contain_text("45 personnes pour 30 places")
    confirm = page.get_by_label(tr("fr", "Yes, this count is right"))
    expect(confirm).to_be_visible()
    assert axe_violations(page) == []
    fair.refresh_from_db()
    assert fair.headcount is None

    confirm.check()
    page.get_by_role("button", name=tr("fr", "Record the headcount")).click()
    expect(figure(page, tr("fr", "Headcount"))).to_have_text("45")
    fair.refresh_from_db()
    assert fair.headcount == 45


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_attendance_not_recorded_stays_in_its_box_on_a_tablet(page, language, tmp_path):
    """The organiser's figures on a 1024×768 tablet (issue 17: "présences non enregistrées" overflowed)."""
    now = timezone.now()
    past = activity(starts_in=timedelta(days=2), now=now - timedelta(days=5), title_fr="Atelier oublié")
    sign_in(page, staff(Role.COORDINATOR), PASSWORD)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(url(language, "activity", past.pk))
    participants = figure_of(page, tr(language, "Participants"))
    expect(participants).to_have_text(tr(language, "attendance not recorded"))
    page.screenshot(path=tmp_path / f"figures-1024-{language}.png", full_page=True)  # to look at
    # Every label and value wraps between its words inside its box: even with no break inside a word
    # allowed, none is wider than its box.
    overflowing = page.locator(".figures dt, .figures dd").evaluate_all(
        """elements => elements.filter(element => {
            element.style.overflowWrap = "normal";
            const box = element.parentElement.getBoundingClientRect();
            const style = getComputedStyle(element.parentElement);
            const room = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            const wide = element.scrollWidth > Math.ceil(room);
            element.style.overflowWrap = "";
            return wide;
        }).map(element => element.textContent)"""
    )
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
