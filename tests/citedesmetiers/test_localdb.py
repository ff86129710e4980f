"""The launcher behind `make`: DATABASE_URL when given, else the embedded PostgreSQL under var/."""

import os
import subprocess
import sys

import dj_database_url

from citedesmetiers.operations import localdb

SHOW_URL = "import os; print(os.environ['DATABASE_URL'])"


def run_launcher(args, env):
    return subprocess.run(
        [sys.executable, "-m", "citedesmetiers.operations.localdb", "--", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_given_database_url_is_used_as_it_is():
    env = {**os.environ, "DATABASE_URL": "postgres://somewhere/else"}
    result = run_launcher([sys.executable, "-c", SHOW_URL], env)
    assert result.returncode == 0
    assert result.stdout.strip() == "postgres://somewhere/else"


def test_the_exit_status_of_the_command_is_kept():
    env = {**os.environ, "DATABASE_URL": "postgres://somewhere/else"}
    assert run_launcher([sys.executable, "-c", "raise SystemExit(3)"], env).returncode == 3


def test_without_database_url_the_embedded_server_starts_serves_and_stops(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["VAR_DIR"] = str(tmp_path)
    query = (
        "import os, psycopg; "
        "connection = psycopg.connect(os.environ['DATABASE_URL']); "
        "print(connection.execute('select current_database()').fetchone()[0])"
    )
    result = run_launcher([sys.executable, "-c", query], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == localdb.DATABASE_NAME
    assert (tmp_path / "postgres" / "PG_VERSION").exists()
    assert not (tmp_path / "postgres" / "postmaster.pid").exists(), "the server should stop with the command"


def test_no_running_embedded_server_means_no_url(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    assert localdb.running_url() is None
    assert dj_database_url.parse(localdb.expected_url())["HOST"] == str(tmp_path / "postgres")
