"""The fuzzing pass kept in the suite (issue 15): every URL, anonymous and every role, bad values.

For each URL of the project and each visitor (anonymous, then one staff member per role), the page is
opened, its forms and links read, and a handful of requests sent with bad values in its query
parameters (those of its GET forms and links, those its view's module reads from request.GET, and a
few common ones) and in its POST forms' fields (the page's own values, one to three of them made bad):
impossible and extreme dates, huge, negative and zero numbers, NUL bytes, full-width text, one-megabyte
strings, a list where one value is expected, text where a number is. No request may answer 500 (nor
raise while rendering or streaming), and afterwards no row may hold a value outside what the product
accepts (tests/fuzzing.py, `out_of_range_rows`).

Seeded: `CDM_FUZZ_SEED=<n>` replays a run; the summary line gives the seed used.
"""

import os
import random

import pytest
from django.urls import resolve

from activites.models import Activity
from citedesmetiers.models import Space
from citedesmetiers.roles import Role
from tests.factories import activity, staff, walkable_rows
from tests.fuzzing import (
    COMMON_PARAMS,
    Tally,
    kind_of,
    mutate,
    out_of_range_rows,
    page_forms,
    send,
    view_params,
)
from tests.urlwalk import all_paths

pytestmark = pytest.mark.django_db

SEED = int(os.environ.get("CDM_FUZZ_SEED", "15"))
GETS_PER_PAGE = 3  # at most this many fuzzed GETs (two parameters each) on a page a visitor may open
POSTS_PER_FORM = 2  # fuzzed POSTs per form of that page
FORMS_PER_PAGE = 2  # at most this many POST forms of one page (a list repeats the same buttons)
# Pages whose POST ends the session or removes the row the later URLs point at: fuzzed by GET only.
GET_ONLY = ("logout", "delete", "_delete")
# Django's own back-office pages with no field of the project (a record's history, a deletion's
# confirmation): one bad request each, like a page that is not for the visitor.
LIGHT = ("_history", "_delete")


def _bad(tally, rng, names, kinds, **options):
    values = mutate(rng, names, kinds, **options)
    tally.count_values(values)
    return values


def _visitors():
    return [("anonymous", None)] + [(role.value, staff(role)) for role in Role]


def _fuzz_page(client, tally, rng, path, who):
    response = send(client, tally, "GET", path, {}, who=who)
    if response is None:
        return
    name = resolve(path.split("?")[0]).url_name or ""
    get_only = any(name.endswith(suffix) for suffix in GET_ONLY)
    html = response.get("Content-Type", "").startswith("text/html") and response.status_code == 200
    if not html or name.endswith(LIGHT):
        # Not for this visitor (a sign-in redirection, 403, 404, 405) or a file: one more bad request.
        if get_only or response.status_code == 405 or rng.random() < 0.5:
            send(client, tally, "GET", path, _bad(tally, rng, COMMON_PARAMS, {}), who=who)
        else:
            send(client, tally, "POST", path, _bad(tally, rng, COMMON_PARAMS, {}), who=who)
        return
    forms, links = page_forms(response.content.decode(errors="replace"))
    # The page's own parameters: its GET forms' fields, its links' and those its view's module reads.
    names = links | view_params(path)
    kinds = {}
    for form in forms:
        if form.method == "get":
            names |= set(form.fields)
            kinds |= form.kinds
    names -= {"csrfmiddlewaretoken"}
    # Dates, periods and numbers first (what overflows), then the others, three by three; a page is
    # fuzzed in full by the first visitor who opens it, the others send it one request with bad values.
    ordered = sorted(names)
    rng.shuffle(ordered)
    ordered.sort(key=lambda name: kind_of(name, kinds.get(name, "")) == "text")
    groups = [ordered[index : index + 3] for index in range(0, len(ordered), 3)][:GETS_PER_PAGE]
    if path in tally.fuzzed:
        groups = [rng.sample(ordered, min(len(ordered), 4))] if ordered else []
    groups.append(rng.sample(COMMON_PARAMS, 2))
    tally.fuzzed.add(path)
    for group in groups:
        headers = {"HX-Request": "true"} if rng.random() < 0.25 else None
        send(
            client, tally, "GET", path, _bad(tally, rng, group, kinds, at_most=None), who=who, headers=headers
        )
    if get_only:
        return
    fresh = []
    for form in forms:
        action = form.action or path
        fields = tuple(sorted(set(form.fields) - {"csrfmiddlewaretoken"}))
        # Another site's form is not ours; a form (the same fields to the same address) is fuzzed once,
        # by the first visitor who is shown it: the language, sign-out and session forms of every page too.
        if form.method != "post" or not fields or not action.startswith("/"):
            continue
        if (action, fields) not in tally.seen_forms:
            tally.seen_forms.add((action, fields))
            fresh.append((form, action, list(fields)))
    for form, action, fields in rng.sample(fresh, min(len(fresh), FORMS_PER_PAGE)):
        for _ in range(POSTS_PER_FORM):
            send(
                client, tally, "POST", action, form.baseline() | _bad(tally, rng, fields, form.kinds), who=who
            )


def test_no_bad_value_anywhere_gives_a_500_or_stores_an_out_of_range_row(client, capsys):
    client.raise_request_exception = False
    walkable_rows()
    visitors = _visitors()
    paths = all_paths()
    rng = random.Random(SEED)  # noqa: S311 (reproducible test data, not a secret)
    tally = Tally()
    for who, user in visitors:
        for path in paths:
            client.logout()
            if user is not None:
                client.force_login(user)
            tally.batches += 1
            _fuzz_page(client, tally, rng, path, who)
    bad_rows = out_of_range_rows()
    with capsys.disabled():
        print("\n" + tally.summary(paths=len(paths), roles=len(visitors), seed=SEED))
    assert not tally.failures, f"requests that failed (seed {SEED}):\n{tally.report()}"
    assert not bad_rows, f"rows out of range after the pass (seed {SEED}): {bad_rows}"


def test_the_bounds_check_finds_what_the_database_alone_would_let_through():
    Space.objects.filter(code="activites").update(capacity=30)
    workshop = activity(room="activites", capacity=None, admission="free")
    places = workshop.places
    assert out_of_range_rows() == []
    # Within the database's own ceilings (2,000 people, a title's length), outside what a form accepts.
    Activity.objects.filter(pk=workshop.pk).update(headcount=places * 3 + 1, title_fr="Atelier\r\nBcc: x")
    found = out_of_range_rows()
    assert f"activites.Activity#{workshop.pk}.headcount {places * 3 + 1} for {places} places" in found
    assert f"activites.Activity#{workshop.pk}.title_fr" in found
