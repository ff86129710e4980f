from django.urls import path
from django.utils.translation import gettext_lazy as _

from activites import views
from citedesmetiers import converters  # noqa: F401  (registers <token:> and <code:>)

app_name = "activites"

urlpatterns = [
    # The public agenda and registrations: no account.
    path(_("agenda/"), views.agenda, name="agenda"),
    path(_("agenda/calendar.ics"), views.agenda_feed, name="agenda_feed"),
    path(_("agenda/<int:pk>/"), views.agenda_activity, name="agenda_activity"),
    path(_("agenda/<int:pk>/calendar.ics"), views.agenda_activity_ics, name="agenda_activity_ics"),
    path(_("agenda/<int:pk>/check-your-email/"), views.agenda_registered, name="agenda_registered"),
    path(_("registration/<token:token>/"), views.registration, name="registration"),
    # The organisers' pages.
    path(_("activities/"), views.activity_list, name="activities"),
    path(_("activities/new/"), views.activity_new, name="activity_new"),
    path(_("activities/<int:pk>/"), views.activity_detail, name="activity"),
    path(_("activities/<int:pk>/edit/"), views.activity_edit, name="activity_edit"),
    path(_("activities/<int:pk>/publish/"), views.activity_publish, name="activity_publish"),
    path(_("activities/<int:pk>/cancel/"), views.activity_cancel, name="activity_cancel"),
    path(_("activities/<int:pk>/attendance/"), views.activity_attendance, name="activity_attendance"),
]
