"""Forwarded headers believed from the trusted proxies only (FORWARDED_ALLOW_IPS): the variable read
strictly, the rule for IPv4, IPv6, networks, `*` and Unix sockets, the first middleware, the views that
use the client's address, the deploy check, and gunicorn reading the same list."""

import runpy

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from gunicorn.config import Config

from citedesmetiers import proxy
from citedesmetiers.models import LoginFailure
from citedesmetiers.requests import client_address

PROXY = "10.202.47.10"  # docker-compose.yml's proxy address (tests/test_project.py checks the file)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1/32",)),
        (" 10.202.47.10 ", ("10.202.47.10/32",)),
        ("10.0.0.0/8, 192.0.2.1,::1", ("10.0.0.0/8", "192.0.2.1/32", "::1/128")),
        ("fd00::/8", ("fd00::/8",)),
        ("*", ("*",)),
        (" * ", ("*",)),
        ("", ()),
    ],
)
def test_the_variable_names_addresses_or_networks(value, expected):
    assert proxy.forwarded_allow_ips(value) == expected


@pytest.mark.parametrize(
    ("value", "culprit"),
    [
        ("10.0.0.300", "'10.0.0.300'"),
        ("proxy", "'proxy'"),  # a name: the app sees addresses only
        ("10.0.0.1/24", "'10.0.0.1/24'"),  # host bits: 10.0.0.0/24 was meant, or 10.0.0.1
        ("10.0.0.1,,10.0.0.2", "''"),
        ("10.0.0.1;10.0.0.2", "'10.0.0.1;10.0.0.2'"),
        ("*, 10.0.0.1", "'*'"),  # `*` stands alone
        ("[::1]", "'[::1]'"),
    ],
)
def test_a_typo_in_the_variable_stops_the_start(value, culprit):
    with pytest.raises(
        ImproperlyConfigured, match="FORWARDED_ALLOW_IPS must name the reverse proxy"
    ) as error:
        proxy.forwarded_allow_ips(value)
    assert f"{culprit} in {value!r}" in str(error.value)


@pytest.mark.parametrize(
    ("allowed", "peer", "trusted"),
    [
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "127.0.0.2", False),
        (PROXY, PROXY, True),
        (PROXY, "127.0.0.1", False),
        (PROXY, "10.202.47.11", False),
        ("10.202.47.0/24", "10.202.47.11", True),
        ("10.202.47.0/24", "10.202.48.1", False),
        ("::1", "::1", True),
        ("::1", "127.0.0.1", False),
        ("fd00::/8", "fd12:3456::7", True),
        ("fd00::/8", "fe80::1", False),
        (PROXY, f"::ffff:{PROXY}", True),  # the IPv4 proxy through a dual-stack socket
        (PROXY, "::ffff:127.0.0.1", False),
        ("", "127.0.0.1", False),  # nobody
        ("*", "203.0.113.9", True),
        ("*", "2001:db8::9", True),
        (PROXY, "", True),  # a Unix socket: only this machine's processes reach it, as gunicorn says
        (PROXY, "not an address", False),
    ],
)
def test_the_peer_is_trusted_only_when_it_is_a_named_proxy(allowed, peer, trusted):
    assert proxy.is_trusted_proxy(peer, proxy.forwarded_allow_ips(allowed)) is trusted


def _seen(request) -> HttpResponse:
    """What the app makes of a request: client address, scheme, host, forwarded headers left."""
    forwarded = sorted(key for key in request.META if "FORWARDED" in key)
    seen = f"{client_address(request)} {request.scheme} {request.get_host()} {','.join(forwarded)}"
    return HttpResponse(seen)


FORGED = {
    "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "cdm.example.org",
    "HTTP_X_FORWARDED_PORT": "443",
    "HTTP_X_FORWARDED_SSL": "on",
    "HTTP_FORWARDED": "for=203.0.113.9;proto=https",
}


@pytest.fixture
def behind_the_compose_proxy(settings):
    """The settings docker-compose.yml gives the app: behind a proxy, trusting its address only."""
    settings.BEHIND_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    settings.FORWARDED_ALLOW_IPS = proxy.forwarded_allow_ips(PROXY)
    settings.ALLOWED_HOSTS = ["testserver", "cdm.example.org"]
    return settings


def test_from_the_proxy_the_forwarded_headers_count(behind_the_compose_proxy):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **FORGED)
    seen = proxy.forwarded_headers(_seen)(request).content.decode()
    assert seen.startswith("203.0.113.9 https cdm.example.org HTTP_FORWARDED,HTTP_X_FORWARDED_FOR,")


@pytest.mark.parametrize("peer", ["127.0.0.1", "10.202.47.11", "198.51.100.1", "2001:db8::9"])
def test_from_anyone_else_they_are_gone_before_anything_reads_them(behind_the_compose_proxy, peer):
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **FORGED)
    assert request.headers["X-Forwarded-For"]  # read before the middleware: the cached copy goes too
    seen = proxy.forwarded_headers(_seen)(request).content.decode()
    assert seen == f"{peer} http testserver "
    assert "X-Forwarded-For" not in request.headers


def test_every_peer_is_believed_only_when_star_is_written(behind_the_compose_proxy):
    behind_the_compose_proxy.FORWARDED_ALLOW_IPS = proxy.forwarded_allow_ips("*")
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1", **FORGED)
    assert proxy.forwarded_headers(_seen)(request).content.decode().startswith("203.0.113.9 https")


def test_without_behind_proxy_the_peer_is_the_client_even_from_the_proxy(settings):
    settings.BEHIND_PROXY = False
    settings.FORWARDED_ALLOW_IPS = proxy.forwarded_allow_ips(PROXY)
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == PROXY


def test_the_rule_is_the_first_middleware():
    assert django_settings.MIDDLEWARE[0] == "citedesmetiers.proxy.forwarded_headers"


# --- through the whole stack, on the views that use the client's address -----------------------------


@pytest.mark.django_db
def test_the_exit_tablets_network_counts_as_the_proxy_forwards_it(client, behind_the_compose_proxy):
    behind_the_compose_proxy.QUESTIONNAIRE_KIOSK_NETWORKS = ["10.20.0.0/16"]
    kiosk = reverse("conseil:questionnaire_kiosk")
    tablet = {"HTTP_X_FORWARDED_FOR": "10.20.3.4", "HTTP_X_FORWARDED_PROTO": "https"}
    assert client.get(kiosk, REMOTE_ADDR=PROXY, **tablet).status_code == 200
    assert client.get(kiosk, REMOTE_ADDR="198.51.100.7", **tablet).status_code == 403
    assert client.get(kiosk, REMOTE_ADDR="127.0.0.1", **tablet).status_code == 403


@pytest.mark.django_db
def test_failed_sign_ins_count_against_the_forwarded_address_or_the_peer(client, behind_the_compose_proxy):
    form = {"username": "nobody", "password": "wrong password"}
    client.post(reverse("login"), form, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    client.post(reverse("login"), form, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.10")
    addresses = LoginFailure.objects.order_by("at").values_list("address", flat=True)
    assert list(addresses) == ["203.0.113.9", "198.51.100.7"]


# --- the deploy check and gunicorn ---------------------------------------------------------------


def test_star_fails_the_deploy_check(settings):
    settings.FORWARDED_ALLOW_IPS = proxy.forwarded_allow_ips("*")
    [warning] = proxy.check_trusted_proxies(None)
    assert warning.id == "citedesmetiers.W001"
    settings.FORWARDED_ALLOW_IPS = proxy.forwarded_allow_ips(f"{PROXY},fd00::/8")
    assert proxy.check_trusted_proxies(None) == []


@pytest.mark.parametrize("value", ["127.0.0.1", PROXY, "10.0.0.0/8, ::1", "*", ""])
def test_gunicorn_trusts_the_same_proxies(monkeypatch, value):
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", value)
    configured = runpy.run_module("citedesmetiers.operations.gunicorn_conf")["forwarded_allow_ips"]
    gunicorn = Config()
    gunicorn.set("forwarded_allow_ips", configured)
    ours = proxy.forwarded_allow_ips(value)
    assert gunicorn.forwarded_allow_ips == list(ours)
    assert [str(network) for network in gunicorn.forwarded_allow_networks()] == [
        network for network in ours if network != "*"
    ]


def test_gunicorn_refuses_a_typo_too(monkeypatch):
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.1/24")
    with pytest.raises(ImproperlyConfigured):
        runpy.run_module("citedesmetiers.operations.gunicorn_conf")
