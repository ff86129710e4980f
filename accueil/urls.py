from django.urls import path
from django.utils.translation import gettext_lazy as _

from accueil import views

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
    path(_("queue/<int:pk>/"), views.queue_ticket, name="queue_ticket"),
    path(_("waiting-room/"), views.waiting_room, name="waiting_room"),
    # The same short address in every language: it is printed on the ticket and typed on a phone.
    path("ticket/<str:token>/", views.ticket_phone, name="ticket_phone"),
]
