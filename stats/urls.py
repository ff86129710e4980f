from django.urls import path
from django.utils.translation import gettext_lazy as _

from stats import views

app_name = "stats"

urlpatterns = [
    path(_("figures/"), views.dashboard, name="dashboard"),
    path(_("figures/report/"), views.report_page, name="report"),
    path(_("figures/export/"), views.export, name="export"),
    path(_("figures/report/preview/"), views.report_preview, name="report_preview"),
    path(_("figures/report/preview/pages/"), views.report_preview_pages, name="report_preview_pages"),
    path(_("figures/key-figures-sheet/"), views.key_sheet, name="key_sheet"),
    path(_("figures/<int:year>/texts/"), views.report_text, name="report_text"),
    path(_("figures/<int:year>/online/"), views.online_figures, name="online_figures"),
]
