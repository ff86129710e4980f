"""Settings read from the environment: a yes/no variable refuses what it does not know (a typo must not
turn HTTPS, HSTS or secure cookies off in silence), and secrets come from files for container secrets."""

import subprocess
import sys

from tests.servers import BASE_DIR, PRODUCTION


def python(code: str, **env) -> subprocess.CompletedProcess:
    """Runs `code` with the production settings loaded under `env`."""
    setup = "import django\ndjango.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=BASE_DIR,
        env={**PRODUCTION, "DJANGO_SETTINGS_MODULE": "citedesmetiers.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def setting(name: str, **env) -> str:
    return python(f"from django.conf import settings; print(settings.{name})", **env).stdout.strip()


def test_a_typo_in_a_yes_no_variable_stops_the_start():
    refused = python("", HTTPS="ture")
    assert refused.returncode != 0
    assert "HTTPS must be one of" in refused.stderr
    assert setting("SECURE_SSL_REDIRECT", HTTPS="Off") == "False"
    assert setting("SECURE_SSL_REDIRECT", HTTPS="yes") == "True"


def test_secrets_from_files(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("a-secret-from-a-file-0123456789-abcdefghijklmnopqrstuvwxyz\n")
    assert setting("SECRET_KEY", SECRET_KEY="", SECRET_KEY_FILE=str(secret)) == secret.read_text().strip()
    missing = python("", SECRET_KEY_FILE=str(tmp_path / "none"))
    assert missing.returncode != 0
    assert "SECRET_KEY_FILE names a file that cannot be read" in missing.stderr
