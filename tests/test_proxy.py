"""The sample reverse proxy (deploy/nginx.conf), run as it is in front of two app instances.

nginx terminates TLS with a certificate made for the test, spreads requests over two gunicorn
instances on the test database, and the app behaves as in production: HTTP goes to HTTPS, a reception
agent signs in and records a visit over HTTPS, the security headers and secure cookies reach the
browser, one request id links nginx's log line (no address, no path) to the app's, and an address a
client forges in X-Forwarded-For (or a host in X-Forwarded-Host) does not stand in for its own.
Skipped where nginx is not installed, except in CI.
"""

import datetime
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.urls import reverse
from django.utils import translation

from accueil.models import Visit
from citedesmetiers.models import LoginFailure
from citedesmetiers.roles import Role
from tests.conftest import desk_entry
from tests.servers import BASE_DIR, Browser, csrf_token, free_port, staff_signing_in

HOST = "cdm.example.org"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

if NGINX is None:
    if os.environ.get("CI") or os.environ.get("REQUIRE_PROXY"):
        raise RuntimeError("nginx is required in CI (apt-get install nginx)")
    pytest.skip("nginx is not installed (apt-get install nginx)", allow_module_level=True)


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for HOST, as certbot's fullchain.pem and privkey.pem."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    chain, private = folder / "fullchain.pem", folder / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return chain, private


def _substitute(text: str, pattern: str, replacement: str) -> str:
    """Replaces the one line of the sample matching `pattern`; fails if the sample no longer has it."""
    changed, count = re.subn(pattern, replacement, text, flags=re.M)
    assert count == 1, f"deploy/nginx.conf no longer has one line matching {pattern!r}"
    return changed


def _site(folder: Path, instances: tuple[str, str], http: int, https: int) -> Path:
    """deploy/nginx.conf with the test's ports, certificate, log and instances, the rest as written."""
    chain, private = _certificate(folder)
    site = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    servers = "".join(
        f"    server {base.removeprefix('http://')} max_fails=3 fail_timeout=10s;\n" for base in instances
    )
    site = _substitute(site, r"^    server web:8000 .*\n", servers)
    site = _substitute(site, r"^    listen 80;$", f"    listen 127.0.0.1:{http};")
    site = _substitute(site, r"^    listen \[::\]:80;\n", "")
    site = _substitute(site, r"^    listen 443 ssl http2;$", f"    listen 127.0.0.1:{https} ssl http2;")
    site = _substitute(site, r"^    listen \[::\]:443 ssl http2;\n", "")
    site = _substitute(site, r"^    ssl_certificate /etc/\S+;$", f"    ssl_certificate {chain};")
    site = _substitute(site, r"^    ssl_certificate_key /etc/\S+;$", f"    ssl_certificate_key {private};")
    site = _substitute(site, r"^    access_log /var/log/\S+ ", f"    access_log {folder / 'access.log'} ")
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    temporary = " ".join(f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy"))
    main.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        f"http {{\n  access_log off;\n  {temporary}\n  include {folder / 'site.conf'};\n}}\n"
    )
    return main


@pytest.fixture(scope="module")
def nginx(instance_servers, tmp_path_factory):
    """nginx with the sample site in front of the two instances, started once for this module."""
    folder = tmp_path_factory.mktemp("nginx")
    folder.chmod(0o755)  # nginx's workers (another user when the tests run as root) write here
    http, https = free_port(), free_port()
    main = _site(folder, instance_servers.urls, http, https)
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(main), "-e", str(folder / "error.log")])
    assert check.returncode == 0, (folder / "error.log").read_text()
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(main), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{http}/healthz", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # nginx answers (a redirect to HTTPS)
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{http}", f"https://127.0.0.1:{https}", folder
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def proxy(instances, nginx):
    """(http URL, https URL, nginx's folder) for a test whose rows the instances must see."""
    return nginx


def _tls(folder: Path) -> ssl.SSLContext:
    """Trusts the test's certificate only; the name is checked against HOST by the Host header's site."""
    context = ssl.create_default_context(cafile=folder / "fullchain.pem")
    context.check_hostname = False  # the test connects to 127.0.0.1; the certificate names HOST
    return context


def test_plain_http_is_sent_to_https(proxy):
    http, _, _ = proxy
    status, headers, _ = Browser(host=HOST).request(http, "/fr/")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/fr/"


def test_pages_and_static_files_reach_the_browser_with_the_apps_headers(proxy):
    _, https, folder = proxy
    browser = Browser(tls=_tls(folder), host=HOST)
    status, headers, page = browser.request(https, "/fr/")
    assert status == 200
    assert '<html lang="fr">' in page
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src" in headers["Content-Security-Policy"]
    assert headers["Server"] == "nginx"  # no version
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    status, headers, _ = browser.request(https, stylesheet)
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_reception_agent_works_over_https_across_both_instances(proxy, instances):
    _, https, folder = proxy
    agent = staff_signing_in(Role.RECEPTION_AGENT, first_name="Amina")
    with translation.override("fr"):
        desk = reverse("accueil:desk")
    browser = Browser(tls=_tls(folder), host=HOST)

    status, headers, _ = browser.sign_in(https, agent)
    assert status == 302
    cookies = headers.get_all("Set-Cookie")
    assert cookies
    assert all("Secure" in cookie and cookie.startswith("__Host-") for cookie in cookies)
    for _ in range(3):  # requests alternate between the instances
        status, _, page = browser.request(https, desk)
        assert status == 200
        assert "Amina" in page
        entry = desk_entry(csrfmiddlewaretoken=csrf_token(page))
        status, headers, _ = browser.request(https, desk, entry, headers={"HX-Request": "true"})
        assert status == 200
    assert Visit.objects.filter(recorded_by=agent).count() == 3

    # One request id links nginx's line and the app's line of the same request.
    request_id = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, kept by the app
    access = (folder / "access.log").read_text()
    assert re.search(rf"^\[\S+\] POST 200 .* {request_id}$", access, re.M)
    assert "/" not in access  # no path, no address: the app's line gives the route
    assert "127.0.0.1 [" not in access
    app_logs = "".join(log.read_text() for log in instances.logs)
    assert request_id in app_logs
    # Both instances served this person.
    upstreams = set(re.findall(r" (127\.0\.0\.1:\d+) [0-9a-f]{32}$", access, re.M))
    assert len(upstreams) == 2


def test_an_address_forged_in_x_forwarded_for_does_not_dodge_the_throttling(proxy):
    _, https, folder = proxy
    browser = Browser(tls=_tls(folder), host=HOST)
    with translation.override("fr"):
        sign_in = reverse("login")
    _, _, page = browser.request(https, sign_in)
    form = {"username": "nobody", "password": "wrong password", "csrfmiddlewaretoken": csrf_token(page)}
    # A forged X-Forwarded-Host goes no further either: nginx sets it (the app would refuse this one).
    forged = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "evil.example"}
    status, _, _ = browser.request(https, sign_in, form, headers=forged)
    assert status == 200
    assert list(LoginFailure.objects.values_list("address", flat=True)) == ["127.0.0.1"]
