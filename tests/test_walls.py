"""The walls between partner institutions, proven over every URL of the project and every role.

Each model behind a URL that takes a record's id is declared here: an institution's record (with the
field that names its institution) or the centre's own data (with the reason). A new view on a new
model fails the first test until someone decides which it is; a new view on an institution's record
is walked by the others, for every role, without anyone having to remember to add a test.
"""

import csv
import io

import pytest
from django.apps import apps
from django.db import models

from citedesmetiers.models import CodedVocabulary, Partner
from citedesmetiers.roles import Role
from tests.factories import activity, consultation, staff, walkable_rows
from tests.urlwalk import all_paths, object_model, object_path, object_urls, public_names

pytestmark = pytest.mark.django_db

# Records that belong to one partner institution: the field that says which.
INSTITUTION_RECORDS = {"conseil.consultation": "partner", "activites.activity": "partner"}

# Everything else an object URL or a foreign key to an institution leads to, and why it is not behind
# an institution's wall.
CENTRE_DATA = {
    "accueil.visit": "anonymous count of the centre's reception, not of an institution",
    "accueil.ticket": "the centre's one queue; only the adviser who called a ticket acts on it",
    "conseil.questionnairecode": "an anonymous invitation: the code opens a blank questionnaire once",
    "citedesmetiers.partner": "the directory of partner institutions, public on the centre's website",
    "citedesmetiers.user": "staff accounts, managed by the centre's administrators",
    "citedesmetiers.space": "the centre's own rooms",
    "citedesmetiers.auditentry": (
        "read on one list page: the director and coordinators all of it, a partner lead their institution's"
    ),
    "auth.group": "the roles, the same for everyone",
    "activites.registration": "reached by its secret token only, from the person's own e-mails",
    "ressources.resource": "the centre's public documentation catalogue, managed by its coordinators",
    "citedesmetiers.jobrun": "the scheduler's runs of the platform's jobs: no institution, no person",
    "ressources.synonym": "the documentation search's synonyms, the same for everyone (issue 17)",
    "citedesmetiers.centreinfo": "the centre's address and opening hours, public on every page (issue 17)",
    "stats.reporttext": "the director's words in the centre's annual report, edited by the director only",
}

# Who sees which institution's records: written out here, independently of the code under test.
SEES_EVERY_INSTITUTION = {Role.COORDINATOR, Role.DIRECTOR}
SEES_OWN_INSTITUTION = {Role.ADVISER, Role.PARTNER_LEAD}
# Per kind of record: (roles that see every institution's, roles that see their own institution's).
WHO_SEES = {
    "conseil.consultation": (SEES_EVERY_INSTITUTION, SEES_OWN_INSTITUTION),
    "activites.activity": ({Role.COORDINATOR}, {Role.ACTIVITY_ORGANISER}),
}


def label(model) -> str:
    return model._meta.label_lower


def test_every_model_behind_an_object_url_is_declared():
    undeclared = {}
    for name, _keys in object_urls():
        model = object_model(name)
        if model is None or issubclass(model, CodedVocabulary):  # reference lists: shared by all
            continue
        if label(model) not in INSTITUTION_RECORDS | CENTRE_DATA:
            undeclared[name] = label(model)
    assert not undeclared, f"declare these models in tests/test_walls.py: {undeclared}"


def test_every_model_that_names_an_institution_is_declared():
    naming = {
        label(model)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is Partner
    }
    assert naming <= set(INSTITUTION_RECORDS) | set(CENTRE_DATA), naming - set(CENTRE_DATA)


def test_the_declared_walls_are_fields_that_name_an_institution():
    for model_label, field_name in INSTITUTION_RECORDS.items():
        field = apps.get_model(model_label)._meta.get_field(field_name)
        assert field.related_model is Partner
        assert not field.null, f"{model_label}: a record without an institution would escape every wall"


@pytest.fixture
def rows():
    """One record of each institution model at Actiris and one at VDAB, with a recognisable VDAB one."""
    walkable_rows()
    vdab = Partner.objects.get(code="vdab-brussel")
    other_adviser = staff(Role.ADVISER, partner=vdab, first_name="Zéphyrine", last_name="Muraille")
    vdab_organiser = staff(Role.ACTIVITY_ORGANISER, partner=vdab)
    return {
        "conseil.consultation": {
            "own": consultation(),
            "other": consultation(adviser=other_adviser, duration_minutes=437, theme="bouger", topics=[]),
        },
        "activites.activity": {
            "own": activity(partner="actiris", publish=False),
            # A draft: the public agenda does not show it either, so no page may.
            "other": activity(
                user=vdab_organiser, partner="vdab-brussel", publish=False, title_fr="Muraille"
            ),
        },
    }


def institution_urls():
    """The staff URLs of institution records (the public agenda's pages are public by the allow-list)."""
    public = public_names()
    return [
        (name, keys)
        for name, keys in object_urls()
        if (model := object_model(name)) is not None
        and label(model) in INSTITUTION_RECORDS
        and name not in public
    ]


def test_the_walk_reaches_the_consultations_and_the_activities():
    names = {name for name, _keys in institution_urls()}
    assert {"conseil:consultation", "conseil:consultation_edit"} <= names
    assert {"activites:activity", "activites:activity_edit", "activites:activity_attendance"} <= names


@pytest.mark.parametrize("role", list(Role))
def test_no_object_url_opens_another_institutions_record_for_any_role(client, rows, role):
    user = staff(role)  # partner roles at Actiris; the others have no institution
    client.force_login(user)
    for name, keys in institution_urls():
        model_label = label(object_model(name))
        for side in ("own", "other"):
            record = rows[model_label][side]
            partner = getattr(record, INSTITUTION_RECORDS[model_label])
            every, own = WHO_SEES[model_label]
            visible = role in every or (role in own and partner.pk == user.partner_id)
            path = object_path(name, keys, record.pk)
            missing = object_path(name, keys, MISSING)
            for method in (client.get, client.post):
                status = method(path).status_code
                if visible:
                    assert status != 404, f"{role} cannot reach {path} it may see"
                else:
                    # Never 403: the answer is the one for a record that does not exist (404, or
                    # 405 for a method the URL never takes), so the record's existence stays hidden.
                    assert status == method(missing).status_code, f"{role} {method.__name__} {path}"
                    assert status in (404, 405), f"{role} {method.__name__} {path}: {status}"


MISSING = 2**31 - 1  # an id no record has

LIST_ROLES = [role for role in Role if role not in SEES_EVERY_INSTITUTION]


@pytest.mark.parametrize("role", LIST_ROLES)
def test_no_page_lists_counts_or_exports_another_institutions_records(client, rows, role):
    client.force_login(staff(role))
    other_paths = {
        object_path(name, keys, rows[label(object_model(name))]["other"].pk)
        for name, keys in institution_urls()
    }
    for path in all_paths():
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
            continue
        body = response.content.decode("utf-8-sig", errors="replace")
        for other_path in other_paths:
            assert other_path not in body, f"{role}: {path} links to another institution's record"
        assert "437 min" not in body, f"{role}: {path} shows another institution's consultation"
        assert "Muraille" not in body or "/backoffice/" in path, f"{role}: {path} names another's adviser"
        if response.get("Content-Type", "").startswith("text/csv"):
            table = list(csv.reader(io.StringIO(body), delimiter=";"))
            header, data = table[0], table[1:]
            institutions = {row[header.index("institution")] for row in data}
            assert institutions <= {"actiris"}, f"{role}: {path} exports {institutions}"


@pytest.mark.parametrize(
    ("role", "sides"), [(Role.DIRECTOR, ("own", "other")), (Role.PARTNER_LEAD, ("own",))]
)
def test_those_who_may_see_a_record_open_it(client, rows, role, sides):
    client.force_login(staff(role))
    for side in sides:
        record = rows["conseil.consultation"][side]
        assert client.get(object_path("conseil:consultation", ["pk"], record.pk)).status_code == 200
