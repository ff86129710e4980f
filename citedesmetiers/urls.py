import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _

from citedesmetiers import converters, views  # noqa: F401  (converters: registers <code:>)
from citedesmetiers.admin import backoffice
from citedesmetiers.routes import remembering
from conseil import views as conseil_views

handler500 = "citedesmetiers.views.server_error"

# /healthz and /readyz are answered by middleware.health_checks, before language and host handling.
urlpatterns: list[URLPattern | URLResolver] = [
    path("themes.css", views.theme_stylesheet, name="theme_stylesheet"),
    # The short link of a questionnaire's QR code, without a language: the browser's is chosen.
    path("q/<code:code>/", conseil_views.questionnaire_short, name="questionnaire_short"),
]
# Patterns are tried in order: the pages asked most often come first (the home page, then the public
# agenda, the desk, the waiting-room screen and the phone pages). Each app's paths start with words of
# its own, so the order of the apps changes no page's address (tests/citedesmetiers/test_urls.py); the
# back office's path, set by the environment, is tried before them all, as ever. What an address resolves
# to is remembered (citedesmetiers.routes): the order costs only an address's first request.
urlpatterns += remembering(
    i18n_patterns(
        path("", views.home, name="home"),
        # Django's back office looks up text keys (the coded vocabularies' codes) as given: an address with
        # a NUL byte, which PostgreSQL's text cannot hold, matches nothing (a 404) instead of a 500.
        re_path(rf"^{re.escape(settings.ADMIN_PATH)}/(?![^\x00]*\x00)", backoffice.urls),
        path("", include("activites.urls")),
        path("", include("accueil.urls")),
        path("", include("ressources.urls")),
        path(_("staff/"), views.staff_home, name="staff_home"),
        path(_("staff/help/"), views.staff_help, name="staff_help"),
        path(_("staff/sign-in/"), views.login, name="login"),
        path(_("staff/sign-in/code/"), views.second_factor, name="second_factor"),
        path(
            _("staff/sign-out/"),
            auth_views.LogoutView.as_view(next_page=settings.LOGOUT_REDIRECT_URL),
            name="logout",
        ),
        path(_("staff/password/"), views.password_change, name="password_change"),
        path(
            _("staff/password/changed/"),
            auth_views.PasswordChangeDoneView.as_view(),
            name="password_change_done",
        ),
        path(_("staff/profile/"), views.profile, name="profile"),
        path(_("staff/audit-trail/"), views.audit_trail, name="audit_trail"),
        path(_("staff/session/"), views.session_status, name="session_status"),
        path(_("staff/session/extend/"), views.session_keepalive, name="session_keepalive"),
        path("", include("conseil.urls")),
        path("", include("stats.urls")),
    )
)
