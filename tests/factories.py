"""factory-boy factories for the shared models; minimal valid defaults."""

import uuid
from datetime import timedelta

import factory
from django.contrib.auth.models import Group

from citedesmetiers.models import Partner, User
from citedesmetiers.roles import Role

PASSWORD = "correct-horse-battery"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"partner-{n}")
    name_fr = factory.Sequence(lambda n: f"Partenaire {n}")
    name_nl = factory.Sequence(lambda n: f"Partner {n}")
    circle = Partner.Circle.ADVICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[Role(role).value for role in extracted]))


def staff(role: Role, *, partner: Partner | None = None, **kwargs) -> User:
    """A staff member holding one role; partner roles get an institution unless one is given."""
    from citedesmetiers.roles import PARTNER_ROLES

    if partner is None and role in PARTNER_ROLES:
        partner = Partner.objects.get(code="actiris")
    return UserFactory(roles=[role], partner=partner, **kwargs)


def visit(
    *, user=None, theme="choisir", orientation="advice", language="fr", channel="on_site", now=None, **fields
):
    """A visit recorded through the desk's own service (so advice on site gets its ticket)."""
    import uuid

    from django.utils import timezone

    from accueil import services

    now = now or timezone.now()
    user = user or staff(Role.RECEPTION_AGENT)
    return services.visit_create(
        key=uuid.uuid4(),
        user=user,
        occurred_at=fields.pop("occurred_at", now),
        theme=theme,
        orientation=orientation,
        language=language,
        channel=channel,
        now=now,
        **fields,
    ).entry


def consultation(*, adviser=None, theme="travailler", topics=("cv_letter",), now=None, **fields):
    """A consultation recorded through the adviser's own service (an Actiris adviser unless given)."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from conseil import services

    now = now or timezone.now()
    adviser = adviser or staff(Role.ADVISER)
    values = {"mode": "face_to_face", "language": "fr", "duration_minutes": 25}
    values.update(fields)
    return services.consultation_create(
        key=uuid.uuid4(),
        adviser=adviser,
        occurred_at=values.pop("occurred_at", now - timedelta(minutes=values["duration_minutes"])),
        theme=theme,
        topics=topics,
        now=now,
        **values,
    ).entry


def walkable_rows():
    """A row behind every object URL of the project, for the tests that walk them all."""
    from conseil import services

    visit()  # a visit with its queue ticket
    consultation()
    services.questionnaire_code_create(service="advice")
    registration(activity())
    resource(url="https://www.actiris.brussels/")


def activity(
    *,
    user=None,
    partner="actiris",
    starts_in=timedelta(days=7),
    duration=timedelta(hours=2),
    capacity=10,
    admission="registration",
    publish=True,
    room=None,
    languages=("fr",),
    now=None,
    **fields,
):
    """An activity scheduled through the organisers' own service (published, with registration, in a
    room of the centre, a week from now, unless told otherwise)."""
    from django.utils import timezone

    from activites import services
    from citedesmetiers.models import Space

    now = now or timezone.now()
    user = user or staff(Role.COORDINATOR)
    starts_at = fields.pop("starts_at", now + starts_in)
    if room and "place_kind" not in fields:
        Space.objects.filter(code=room).update(bookable=True)
    values = {
        "partner": Partner.objects.get(code=partner),
        "theme": fields.pop("theme", "choisir"),
        "kind": "workshop",
        "audiences": ["everyone"],
        "title_fr": "Atelier CV",
        "title_nl": "Workshop cv",
        "description_fr": "Un CV qui vous ressemble.",
        "description_nl": "Een cv dat bij u past.",
        "starts_at": starts_at,
        "ends_at": starts_at + duration,
        "place_kind": "room" if room else "address",
        "room": Space.objects.get(code=room) if room else None,
        "address": "" if room else "Rue Royale 2, 1000 Bruxelles",
        "online_url": "",
        "capacity": capacity,
        "admission": admission,
        "title_en": "",
        "description_en": "",
    }
    values.update(fields)
    if isinstance(values["theme"], str):
        from citedesmetiers.models import Theme

        values["theme"] = Theme.objects.get(code=values["theme"])
    repeat = values.pop("repeat_weeks", 1)
    created = services.activity_create(
        user=user, values=values, languages=list(languages), publish=publish, repeat_weeks=repeat, now=now
    )
    return created[0] if repeat == 1 else created


def registration(activity_, *, email=None, first_name="Alex", language="fr", confirm=True, now=None):
    """A registration through the public service, confirmed unless told otherwise."""
    import uuid

    from activites import services

    email = email or f"person-{uuid.uuid4().hex[:8]}@example.org"
    result = services.registration_create(
        activity=activity_, first_name=first_name, email=email, language=language, now=now
    )
    if confirm:
        return services.registration_confirm(registration=result.registration, now=now)
    return result.registration


def resource(
    *,
    user=None,
    title_fr="Trouver une formation en alternance",
    title_nl="Een duale opleiding vinden",
    summary_fr="Les formations qui alternent école et entreprise.",
    summary_nl="Opleidingen die school en werk afwisselen.",
    themes=("apprendre",),
    language="fr",
    kind="website",
    upload=None,
    now=None,
    **fields,
):
    """A resource of the catalogue added through the coordinators' service (a website by default)."""
    from ressources import services

    if not {"url", "shelf_theme", "shelf_theme_id"} & set(fields) and upload is None:
        fields["url"] = "https://www.example.org/"
    values = {
        "kind": kind,
        "title_fr": title_fr,
        "title_nl": title_nl,
        "summary_fr": summary_fr,
        "summary_nl": summary_nl,
        "language_id": language,
        **fields,
    }
    return services.resource_create(
        user=user or staff(Role.COORDINATOR),
        key=uuid.uuid4(),
        values=values,
        themes=list(themes),
        upload=upload,
        now=now,
    )
