"""Logging a visit: the reception desk's real endpoint against a bare view inserting one row.

All run in the same gunicorn (production settings, 2 workers), in the same run, in turn and six times
over (harness.in_turns: what drifts during a run, the table growing or the disk's flushes, weighs on
each alike; each figure is its six rounds together, and the desk's ratio is also printed round by
round):
- the bare view: no session, no sign-in, no form, one INSERT (bound by the commit's disk flush);
- the same INSERT behind what every staff endpoint pays: session, signed-in user, permission, CSRF;
- the desk's own request, as its page sends it: a signed-in session, the CSRF token, the form with a
  fresh key, the capture service and the fragment that answers it; once with half of the entries
  directed to individual advice (each also issues a queue ticket, in the same transaction), once with
  information-only entries.
The ratios say what the desk costs against the floor, and against the floor of a secure endpoint (goal:
0.85). A desk entry makes 3 SQL statements, an advice entry with its ticket included.
"""

import http.client
import os
import uuid
from urllib.parse import urlencode

from bench import harness

SECONDS = 10.0  # each measure 20 s in all: 3.3 s a round
# The measures in turn, six times over, the desk's right after the signed-in INSERT it is compared with:
# this machine's speed drifts by a third within seconds, and so weighs on each alike.
ROUNDS = 6
GOAL = 0.85  # the information-only entry against the signed-in INSERT (issue 19)
PASSWORD = "bench-password-0123456789"
USERNAME = "bench-reception"
THEMES = ["choisir", "apprendre", "bouger", "entreprendre", "travailler"]


class DeskEntry:
    """Signs in once through the sign-in page, then posts desk entries with fresh keys. What does not
    change from one entry to the next (the cookies, the token, each theme's fields) is encoded once, when
    the client prepares: the load generator shares the machine with the server it measures, and should
    spend on each request what the signed-in INSERT's spends."""

    def __init__(self, username: str, *, advice_share: int = 2):
        self.username = username
        self.advice_share = advice_share

    def prepare(self, connection: http.client.HTTPConnection) -> dict:
        browser = harness.Browser(connection)
        token = harness.csrf_token(browser.sign_in(self.username, PASSWORD, then="/fr/accueil/"))
        # A first request, as a desk's device has made before the hour measured: it keeps the cookie of
        # its choices (accueil.views._remember_choices), written again only when they change.
        method, path, body, headers = self.request(self.state(browser.jar, token))
        browser.call(method, path, body, {name: value for name, value in headers.items() if name != "Cookie"})
        return self.state(browser.jar, token)

    def state(self, jar: dict[str, str], token: str) -> dict:
        """What each request of this signed-in client sends again."""
        fields = {"language": "fr", "channel": "on_site", "count": "1", "csrfmiddlewaretoken": token}
        return {
            "headers": {
                "Cookie": harness.cookie_header(jar),
                **harness.FORM,
                "HX-Request": "true",
                "X-CSRFToken": token,
            },
            # Each entry's fields after its key, by theme and orientation.
            "fields": {
                (theme, orientation): "&" + urlencode({"theme": theme, "orientation": orientation, **fields})
                for theme in THEMES
                for orientation in ("advice", "information")
            },
            "jar": jar,
            "count": 0,
        }

    def request(self, state):
        state["count"] += 1
        number = state["count"]
        orientation = "advice" if number % self.advice_share == 0 else "information"
        body = f"key={uuid.uuid4()}" + state["fields"][THEMES[number % len(THEMES)], orientation]
        return "POST", "/fr/accueil/", body, state["headers"]


class SignedInInsert(DeskEntry):
    """The one-row INSERT behind sign-in, permission and CSRF, with the desk's session."""

    def state(self, jar: dict[str, str], token: str) -> dict:
        headers = {"Cookie": harness.cookie_header(jar), "X-CSRFToken": token, "Content-Length": "0"}
        return {"headers": headers}

    def request(self, state):
        return "POST", "/bench/signed-in-insert/", b"", state["headers"]


class BareInsert:
    def prepare(self, connection) -> None:
        return None

    def request(self, state):
        return "POST", "/bench/bare-insert/", b"", {"Content-Length": "0"}


def _reception_agent(env: dict[str, str]) -> int:
    account = {"username": USERNAME, "password": PASSWORD, "role": "reception_agent"}
    return harness.staff(env, [account])[USERNAME]


def main() -> None:
    with harness.bench_database("desk") as url:
        env = harness.production_env(url, DJANGO_SETTINGS_MODULE="bench.settings")
        env["BENCH_USER_ID"] = str(_reception_agent(env))
        with harness.gunicorn(env) as base:
            rounds = harness.in_turns(
                base,
                [
                    ("POST bare view, one INSERT", BareInsert()),
                    ("POST same INSERT, signed in (session, CSRF)", SignedInInsert(USERNAME)),
                    ("POST desk entry (information only)", DeskEntry(USERNAME, advice_share=10**9)),
                    ("POST desk entry (half advice + ticket)", DeskEntry(USERNAME)),
                ],
                rounds=ROUNDS,
                seconds=SECONDS / ROUNDS * 2,
            )
    bare, secure, info, desk = (harness.combined(results) for results in rounds)
    harness.report(
        f"Visit logging: gunicorn, 2 workers, 4 client processes, production settings, {ROUNDS} rounds",
        [bare, secure, info, desk],
        [
            ("desk (half advice) / bare view", desk, bare),
            ("desk (information only) / bare view", info, bare),
            ("signed-in INSERT / bare view", secure, bare),
            ("desk (information only) / signed-in INSERT", info, secure, GOAL),
            ("desk (half advice) / signed-in INSERT", desk, secure),
        ],
    )
    each = ", ".join(
        f"{entry.rate / insert.rate:.2f}" for entry, insert in zip(rounds[2], rounds[1], strict=True)
    )
    print(f"  desk (information only) / signed-in INSERT, round by round: {each}")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    main()
