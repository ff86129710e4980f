"""Consultations recorded by partner advisers, and the anonymous end-of-service questionnaire.

A consultation holds codes only: no name, no contact detail, no free text about the person. Its
`partner` is the wall between institutions: every read goes through selectors.consultations_visible_to.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citedesmetiers.capture import CapturedEntry
from citedesmetiers.models import (
    AgeBand,
    CodedVocabulary,
    EducationLevel,
    Gender,
    Language,
    Partner,
    Residence,
    Status,
    Theme,
)
from citedesmetiers.summaries import SummaryRow


class Topic(CodedVocabulary):
    """What a consultation was about, within its theme (CV, skills validation, studies abroad...)."""

    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+")

    class Meta(CodedVocabulary.Meta):
        ordering = ["theme__position", "position", "code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Mode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    EMAIL = "email", _("E-mail")


def _profile(model, label):
    return models.ForeignKey(
        model, verbose_name=label, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )


class Consultation(CapturedEntry):
    """One individual advice session. `recorded_by` is the adviser, `occurred_at` its start."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner institution"), on_delete=models.PROTECT, related_name="+"
    )
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+")
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.FACE_TO_FACE)
    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    ticket = models.OneToOneField(
        "accueil.Ticket",
        verbose_name=_("queue ticket"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation",
    )
    gender = _profile(Gender, _("gender"))
    age_band = _profile(AgeBand, _("age band"))
    status = _profile(Status, _("status"))
    education_level = _profile(EducationLevel, _("education level"))
    foreign_diploma = models.BooleanField(_("foreign diploma without equivalence"), null=True, blank=True)
    residence = _profile(Residence, _("place of residence"))
    referred_partners = models.ManyToManyField(
        Partner, verbose_name=_("referred to institutions"), blank=True, related_name="+"
    )
    referred_to_activity = models.BooleanField(_("referred to an activity"), default=False)
    referred_to_resource = models.BooleanField(_("referred to a resource"), default=False)
    follow_up = models.BooleanField(_("follow-up suggested"), default=False)
    updated_at = models.DateTimeField(_("last changed at"))

    class Meta(CapturedEntry.Meta):
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        permissions = [
            ("view_all_consultations", _("Can see the consultations of every institution")),
            ("view_institution_consultations", _("Can see the consultations of their institution")),
            ("correct_institution_consultations", _("Can correct any consultation of their institution")),
        ]
        constraints = [
            *CapturedEntry.Meta.constraints,
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=480),
                name="conseil_consultation_duration_range",
            ),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="conseil_consultation_mode_valid"),
        ]
        indexes = [
            # Lists and figures of one institution over a period: the wall's own access path.
            models.Index(fields=["partner", "occurred_at"], name="conseil_consult_partner_time"),
            models.Index(fields=["recorded_by", "occurred_at"], name="conseil_consult_adviser_time"),
            # The centre's figures of the days not summarised yet (conseil.selectors.CONSULTATION_DAYS).
            models.Index(fields=["occurred_at"], name="conseil_consult_time"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.partner_id} {self.theme_id}"


# The summaries' key of every institution's sessions together (no institution's id).
EVERY_INSTITUTION = -1


class ConsultationDay(SummaryRow):
    """Advice sessions and their minutes on one closed day by institution and by each grouping of the
    figures (a session once per topic under "topic"): written only by the daily summaries
    (conseil.selectors.CONSULTATION_DAYS, citedesmetiers.summaries), forgotten by the triggers as soon as
    a session of that day or its topics change."""

    partner = models.BigIntegerField(_("partner institution"), null=True, blank=True)
    sessions = models.IntegerField(_("sessions"))
    minutes = models.IntegerField(_("minutes"))

    class Meta(SummaryRow.Meta):
        # The rows of every institution together (conseil.selectors.EVERY_INSTITUTION), read by day.
        indexes = [
            *SummaryRow.Meta.indexes,
            models.Index(fields=["partner", "day", "grouping"], name="conseil_day_key"),
            # Those the centre's figures read, their own index: a year of them is a few thousand rows
            # among a hundred thousand (PostgreSQL did not use the key's index for them).
            models.Index(
                fields=["day", "grouping"], name="conseil_day_every", condition=Q(partner=EVERY_INSTITUTION)
            ),
        ]
        verbose_name = _("daily summary of the advice sessions")
        verbose_name_plural = _("daily summaries of the advice sessions")

    def __str__(self):
        return f"{self.day} {self.partner} {self.grouping}={self.code}: {self.sessions}"


class Service(models.TextChoices):
    """The service a questionnaire is about."""

    ADVICE = "advice", _("Individual advice")
    MULTIMEDIA = "multimedia", _("Multimedia and documentary space")
    ACTIVITY = "activity", _("Collective activity")
    RECEPTION = "reception", _("Reception and information")


class HeardOf(models.TextChoices):
    WORD_OF_MOUTH = "word_of_mouth", _("Family, friends or colleagues")
    INSTITUTION = "institution", _("An institution (Actiris, VDAB, Bruxelles Formation, a CPAS…)")
    SCHOOL = "school", _("School or university")
    INTERNET = "internet", _("A website")
    SOCIAL_MEDIA = "social_media", _("Social media")
    POSTER_PRESS = "poster_press", _("A poster, a leaflet or the press")
    EVENT = "event", _("A fair or an event")
    OTHER = "other", _("Otherwise")


class Frequency(models.TextChoices):
    RARELY = "rarely", _("A few times a year")
    MONTHLY = "monthly", _("About once a month")
    WEEKLY = "weekly", _("Every week or more")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 4, _("Very satisfied")
    SATISFIED = 3, _("Satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class Found(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class QuestionnaireCode(models.Model):
    """An invitation to answer once: shown as a QR code and a short link, or made by an exit tablet."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    service = models.CharField(_("service"), max_length=16, choices=Service.choices, blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    # Who showed it (None: an exit tablet). Never linked to the answer's person: there is none.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire code")
        verbose_name_plural = _("questionnaire codes")

    def __str__(self):
        return self.code

    @property
    def display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class QuestionnaireAnswer(models.Model):
    """One anonymous answer; its code's one-to-one link makes a second answer impossible."""

    code = models.OneToOneField(QuestionnaireCode, on_delete=models.PROTECT, related_name="answer")
    answered_at = models.DateTimeField(_("answered at"))
    language = models.CharField(_("language of the answer"), max_length=8)
    service = models.CharField(_("service"), max_length=16, choices=Service.choices)
    gender = _profile(Gender, _("gender"))
    age_band = _profile(AgeBand, _("age band"))
    status = _profile(Status, _("status"))
    education_level = _profile(EducationLevel, _("education level"))
    foreign_diploma = models.BooleanField(_("foreign diploma without equivalence"), null=True, blank=True)
    residence = _profile(Residence, _("place of residence"))
    heard_of = models.CharField(
        _("heard of the centre through"), max_length=16, choices=HeardOf.choices, blank=True
    )
    first_visit = models.BooleanField(_("first visit"), null=True, blank=True)
    frequency = models.CharField(_("comes"), max_length=16, choices=Frequency.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, blank=True
    )
    would_recommend = models.BooleanField(_("would recommend the centre"), null=True, blank=True)
    found = models.CharField(_("found what they looked for"), max_length=8, choices=Found.choices, blank=True)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=4),
                name="conseil_questionnaireanswer_satisfaction_range",
            ),
        ]
        indexes = [models.Index(fields=["answered_at"], name="conseil_answer_time")]

    def __str__(self):
        return f"{self.answered_at:%Y-%m-%d} {self.service}"
