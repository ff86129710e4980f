"""The reverse proxy's forwarded headers, believed from the proxy only.

X-Forwarded-For (the client's address: sign-in throttling, the registrations' hourly limit, the exit
tablets' network), X-Forwarded-Proto (HTTPS) and X-Forwarded-Host count only on a request whose peer is
one of the proxies that FORWARDED_ALLOW_IPS names. `forwarded_headers`, the first middleware, removes
every X-Forwarded-* header from any other request, so that Django (SECURE_PROXY_SSL_HEADER,
USE_X_FORWARDED_HOST) and `requests.client_address` see them only as the proxy wrote them. gunicorn
reads the same variable through `forwarded_allow_ips` (gunicorn_conf.py) for its own scheme handling.
"""

import functools
import ipaddress

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

ANY = "*"
# Forwarded (RFC 7239) is not read here either, but no client should be able to hand it on.
_FORWARDED = "HTTP_FORWARDED"
_X_FORWARDED = "HTTP_X_FORWARDED_"


def forwarded_allow_ips(value: str) -> tuple[str, ...]:
    """The trusted proxies in FORWARDED_ALLOW_IPS's syntax (addresses or CIDR networks, comma-separated;
    `*` alone for any peer; empty for none), as networks written out (`10.0.0.5/32`), or `("*",)`.
    Anything else stops the start: a typo must not silently trust everyone, or nobody."""
    text = value.strip()
    if not text:
        return ()
    if text == ANY:
        return (ANY,)
    networks = []
    for item in (part.strip() for part in text.split(",")):
        try:
            if item == ANY:
                raise ValueError("* stands alone, for any peer")
            networks.append(str(ipaddress.ip_network(item)))
        except ValueError as error:
            raise ImproperlyConfigured(
                "FORWARDED_ALLOW_IPS must name the reverse proxy by its addresses or networks, "
                "comma-separated (e.g. 10.0.0.5 or 10.0.0.0/24), or be * alone; "
                f"{item!r} in {value!r} is not one ({error})."
            ) from error
    return tuple(networks)


@functools.lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(network) for network in allowed if network != ANY)


def is_trusted_proxy(address: str, allowed: tuple[str, ...] | list[str]) -> bool:
    """Whether a peer at `address` (REMOTE_ADDR) is one of the `allowed` proxies. No address at all is a
    Unix socket, which only the machine's own processes reach: trusted, as gunicorn trusts it."""
    allowed = tuple(allowed)
    if not address or ANY in allowed:
        return True
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped:
        peer = peer.ipv4_mapped  # an IPv4 proxy seen through a dual-stack socket
    return any(peer in network for network in _networks(allowed))


def forwarded_headers(get_response):
    """First middleware: a request that does not come from a trusted proxy loses every X-Forwarded-*
    header (and Forwarded), before anything reads them."""

    def middleware(request: HttpRequest):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", ""), settings.FORWARDED_ALLOW_IPS):
            for key in [key for key in request.META if key.startswith(_X_FORWARDED) or key == _FORWARDED]:
                del request.META[key]
            request.__dict__.pop("headers", None)  # request.headers is cached from META once read
        return get_response(request)

    return middleware


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """`*` lets any client that reaches the app choose its address and scheme: a deploy warning."""
    if ANY not in settings.FORWARDED_ALLOW_IPS:
        return []
    return [
        checks.Warning(
            "FORWARDED_ALLOW_IPS is *: any client that reaches the app directly can set its own address "
            "(dodging the sign-in throttling, the registrations' limit and the exit tablets' network) "
            "and claim HTTPS.",
            hint="Set FORWARDED_ALLOW_IPS to the reverse proxy's address or network.",
            id="citedesmetiers.W001",
        )
    ]
