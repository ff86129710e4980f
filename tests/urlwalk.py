"""Every named URL pattern of the project, made concrete with sample arguments.

Later views are covered as soon as they are routed: a new pattern whose arguments cannot be made up
here fails the walk loudly instead of being skipped.
"""

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from citedesmetiers.models import Partner


def _patterns(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace if entry.namespace else None
            qualified = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(entry.url_patterns, qualified)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def route_patterns() -> list[tuple[str, URLPattern]]:
    """Every named pattern of the project written with path() (not a regular expression), with its
    qualified name: its arguments are its converters'."""
    return [
        (name, pattern)
        for name, pattern in _patterns(get_resolver().url_patterns)
        if isinstance(pattern.pattern, RoutePattern)
    ]


def _names(patterns):
    for name, pattern in _patterns(patterns):
        yield name, list(pattern.pattern.regex.groupindex)


def public_names() -> set[str]:
    """The URL names whose views open without signing in (marked @login_not_required)."""
    return {
        name
        for name, pattern in _patterns(get_resolver().url_patterns)
        if not getattr(pattern.callback, "login_required", True)
    }


# URL names whose `pk` (or `code`) is a row of a model: the walk points them at its first row.
OBJECT_URLS = {
    "accueil:entry_correct": "accueil.Visit",
    "accueil:ticket": "accueil.Ticket",
    "accueil:queue_ticket": "accueil.Ticket",
    "accueil:queue_manage": "accueil.Ticket",
    "accueil:queue_transfer": "accueil.Ticket",
    "accueil:queue_priority": "accueil.Ticket",
    "accueil:queue_cancel": "accueil.Ticket",
    "conseil:consultation": "conseil.Consultation",
    "conseil:consultation_edit": "conseil.Consultation",
    "activites:agenda_activity": "activites.Activity",
    "activites:agenda_activity_ics": "activites.Activity",
    "activites:agenda_registered": "activites.Activity",
    "activites:activity": "activites.Activity",
    "activites:activity_edit": "activites.Activity",
    "activites:activity_publish": "activites.Activity",
    "activites:activity_cancel": "activites.Activity",
    "activites:activity_attendance": "activites.Activity",
    "ressources:resource": "ressources.Resource",
    "ressources:resource_file": "ressources.Resource",
    "ressources:resource_link_report": "ressources.Resource",
    "ressources:resource_edit": "ressources.Resource",
    "ressources:resource_delete": "ressources.Resource",
    "ressources:resource_link_clear": "ressources.Resource",
}
CODE_URLS = {
    "conseil:questionnaire": "conseil.QuestionnaireCode",
    "questionnaire_short": "conseil.QuestionnaireCode",
}
# URL names whose `token` is a row's secret token.
TOKEN_URLS = {"activites:registration": "activites.Registration", "accueil:ticket_phone": "accueil.Ticket"}
# The URL arguments that name one record.
OBJECT_KEYS = {"pk", "object_id", "id", "code", "token"}


def _admin_model(name: str):
    # admin:<app_label>_<model>_<action>
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model
    return None


def sample_kwargs(name: str, keys: list[str]) -> dict:
    """Arguments for a URL name; raises LookupError for arguments nobody taught this function."""
    kwargs = {}
    for key in keys:
        if key == "app_label":
            kwargs[key] = "citedesmetiers"
        elif key == "object_id" and (model := _admin_model(name)) is not None:
            kwargs[key] = str(model._default_manager.order_by("pk").values_list("pk", flat=True).first())
        elif key == "object_id" and name == "admin:view_on_site":
            kwargs[key] = str(Partner.objects.order_by("pk").first().pk)
        elif key == "id" and name == "admin:auth_user_password_change":
            kwargs[key] = apps.get_model(settings.AUTH_USER_MODEL).objects.order_by("pk").first().pk
        elif key == "pk" and name in OBJECT_URLS:
            model = apps.get_model(OBJECT_URLS[name])
            kwargs[key] = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        elif key == "code" and name in CODE_URLS:
            model = apps.get_model(CODE_URLS[name])
            kwargs[key] = model._default_manager.order_by("pk").values_list("code", flat=True).first()
        elif key == "token" and name in TOKEN_URLS:
            model = apps.get_model(TOKEN_URLS[name])
            kwargs[key] = model._default_manager.order_by("pk").values_list("token", flat=True).first()
        elif key == "year":
            kwargs[key] = 2026
        elif key == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            kwargs[key] = ContentType.objects.get_for_model(Partner).pk
        else:
            raise LookupError(f"tests/urlwalk.py cannot make up {key!r} for {name!r}: teach it")
    return kwargs


def object_model(name: str):
    """The model whose row a URL name's object argument designates (None: not an object URL)."""
    if name in OBJECT_URLS:
        return apps.get_model(OBJECT_URLS[name])
    if name in CODE_URLS:
        return apps.get_model(CODE_URLS[name])
    if name in TOKEN_URLS:
        return apps.get_model(TOKEN_URLS[name])
    if name == "admin:auth_user_password_change":
        return apps.get_model(settings.AUTH_USER_MODEL)
    if name == "admin:view_on_site":
        return None  # a redirection to a model's own page, checked through that page
    return _admin_model(name)


def object_urls() -> list[tuple[str, list[str]]]:
    """Every URL name that takes the id of one record, with its arguments."""
    return sorted(
        (name, keys) for name, keys in _names(get_resolver().url_patterns) if OBJECT_KEYS & set(keys)
    )


def object_path(name: str, keys: list[str], pk) -> str:
    """The path of a URL name pointed at the record `pk` (its code for code URLs)."""
    kwargs = sample_kwargs(name, keys)
    for key in OBJECT_KEYS & set(keys):
        kwargs[key] = pk
    return reverse(name, kwargs=kwargs)


def all_paths() -> list[str]:
    """A concrete path for every named URL of the project (in the active language).

    Object URLs point at the first row of their model: the caller makes sure one exists.
    """
    return sorted(
        {
            reverse(name, kwargs=sample_kwargs(name, keys))
            for name, keys in _names(get_resolver().url_patterns)
        }
    )
