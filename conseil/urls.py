from django.urls import path
from django.utils.translation import gettext_lazy as _

from citedesmetiers import converters  # noqa: F401  (registers <token:> and <code:>)
from conseil import views

app_name = "conseil"

urlpatterns = [
    path(_("advice/"), views.consultation_list, name="consultations"),
    path(_("advice/new/"), views.consultation_new, name="consultation_new"),
    path(_("advice/export/"), views.consultation_export, name="consultation_export"),
    path(_("advice/<int:pk>/"), views.consultation_detail, name="consultation"),
    path(_("advice/<int:pk>/correct/"), views.consultation_edit, name="consultation_edit"),
    path(_("questionnaire/show/"), views.questionnaire_show, name="questionnaire_show"),
    path(_("questionnaire/tablet/"), views.questionnaire_kiosk, name="questionnaire_kiosk"),
    path(_("questionnaire/thanks/"), views.questionnaire_thanks, name="questionnaire_thanks"),
    path(_("questionnaire/<code:code>/"), views.questionnaire, name="questionnaire"),
]
