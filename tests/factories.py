"""factory-boy factories for the shared models; minimal valid defaults."""

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
