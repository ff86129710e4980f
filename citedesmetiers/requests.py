"""Facts about an incoming request that several apps need."""

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from citedesmetiers.models import User


class StaffRequest(HttpRequest):
    """The request of a view outside the public allow-list: LoginRequiredMiddleware has made sure that
    its user is a signed-in staff member (a type for the checker; at run time any HttpRequest)."""

    user: "User"


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without these parameters (a list's filters, for its page links)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address; behind a proxy (BEHIND_PROXY), the one the proxy appended to
    X-Forwarded-For. That header reaches here only from a trusted proxy (citedesmetiers.proxy): from
    any other peer, the peer's own address counts."""
    if settings.BEHIND_PROXY:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def on_networks(request: HttpRequest, networks: Iterable[str]) -> bool:
    """Whether the client (client_address) is on one of `networks` (CIDR strings, as the settings
    QUESTIONNAIRE_KIOSK_NETWORKS and RECEPTION_KIOSK_NETWORKS list them). No address: False."""
    try:
        address = ipaddress.ip_address(client_address(request) or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network) for network in networks)
