from django.urls import path
from django.utils.translation import gettext_lazy as _

from ressources import views

app_name = "ressources"

urlpatterns = [
    path(_("documentation/"), views.catalogue, name="catalogue"),
    path(_("documentation/<int:pk>/"), views.resource, name="resource"),
    path(_("documentation/<int:pk>/file/"), views.resource_file, name="resource_file"),
    path(_("documentation/<int:pk>/report-link/"), views.resource_link_report, name="resource_link_report"),
    path(_("catalogue/"), views.resources, name="resources"),
    path(_("catalogue/new/"), views.resource_new, name="resource_new"),
    path(_("catalogue/<int:pk>/edit/"), views.resource_edit, name="resource_edit"),
    path(_("catalogue/<int:pk>/delete/"), views.resource_delete, name="resource_delete"),
    path(_("catalogue/<int:pk>/link-works/"), views.resource_link_clear, name="resource_link_clear"),
    path(_("multimedia-space/"), views.space, name="space"),
    path(_("multimedia-space/entry/"), views.space_entry, name="space_entry"),
    path(_("multimedia-space/occupancy/"), views.space_sweep, name="space_sweep"),
    path(_("multimedia-space/help/"), views.space_help, name="space_help"),
    path(_("multimedia-space/undo/"), views.space_undo, name="space_undo"),
    path(_("multimedia-space/today/"), views.space_today, name="space_today"),
    path(_("multimedia-space/figures/"), views.space_figures, name="space_figures"),
]
