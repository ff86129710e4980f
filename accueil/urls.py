from django.urls import path
from django.utils.translation import gettext_lazy as _

from accueil import views
from citedesmetiers import converters  # noqa: F401  (registers <token:>)

app_name = "accueil"

urlpatterns = [
    path(_("reception/"), views.desk, name="desk"),
    path(_("reception/today/"), views.desk_counters, name="desk_counters"),
    path(_("reception/undo/"), views.desk_undo, name="desk_undo"),
    path(_("reception/entries/"), views.entries, name="entries"),
    path(_("reception/entries/<int:pk>/"), views.entry_correct, name="entry_correct"),
    path(_("reception/tickets/<int:pk>/"), views.ticket_print, name="ticket"),
    path(_("queue/"), views.queue, name="queue"),
    path(_("queue/call/"), views.queue_call, name="queue_call"),
    path(_("queue/desk/"), views.queue_desk, name="queue_desk"),
    path(_("queue/duty/"), views.queue_duty, name="queue_duty"),
    path(_("queue/<int:pk>/"), views.queue_ticket, name="queue_ticket"),
    # Reception's hand on a waiting ticket (docs/reception.md, "The queue").
    path(_("queue/<int:pk>/manage/"), views.queue_manage, name="queue_manage"),
    path(_("queue/<int:pk>/transfer/"), views.queue_transfer, name="queue_transfer"),
    path(_("queue/<int:pk>/priority/"), views.queue_priority, name="queue_priority"),
    path(_("queue/<int:pk>/cancel/"), views.queue_cancel, name="queue_cancel"),
    path(_("waiting-room/"), views.waiting_room, name="waiting_room"),
    # The self-service kiosk at the entrance (docs/reception.md, "The self-service kiosk").
    path(_("kiosk/"), views.kiosk, name="kiosk"),
    path(_("kiosk/themes/"), views.kiosk_themes, name="kiosk_themes"),
    path(_("kiosk/ticket/"), views.kiosk_ticket, name="kiosk_ticket"),
    # The same short address in every language: it is printed on the ticket and typed on a phone.
    path("ticket/<token:token>/", views.ticket_phone, name="ticket_phone"),
]
