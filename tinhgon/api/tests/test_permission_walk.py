"""The permission walk (tinhgon/accounts/endpoints.py): every endpoint, every role acting for its own unit (P-A),
a sibling (P-B), its parent (P) and an unrelated province (Q-A), and an anonymous visitor. The world is built once
for the module; each request is rolled back."""

from django.db import transaction

import pytest

from tinhgon.accounts.endpoints import ENDPOINTS
from tinhgon.api.tests import walk
from tinhgon.api.tests.walk_objects import build_objects, visible_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and the objects, built once inside a transaction rolled back at the end of the module; each
    test then runs in a savepoint of it (pytest-django's `db`). Stored files go to a temporary folder."""
    from django.db import transaction
    from django.test import override_settings

    from tinhgon.test import build_world

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            people = walk.personas(world)
            yield people, build_objects(world)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


WALKED = [e for e in ENDPOINTS if not e.model or e.model in walk.BUILDERS]


def url_patterns():
    """Every named URL of the application but the Django admin's (configuration, superusers only)."""
    from django.urls import URLResolver, get_resolver

    def names(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from names(pattern.url_patterns, inner)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(names(get_resolver().url_patterns))


def test_every_url_has_a_row_in_the_matrix():
    listed = {e.name for e in ENDPOINTS}
    assert url_patterns() - listed == set(), "add these to tinhgon/accounts/endpoints.py"
    assert listed - url_patterns() == set(), "these rows name no URL"


def api_methods():
    """URL name -> the HTTP methods each API view accepts (the router's actions, less those it refuses)."""
    from django.urls import URLResolver, get_resolver

    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            elif getattr(pattern.callback, "cls", None) is not None and pattern.name:
                yield pattern.name, pattern.callback

    found = {}
    for name, view in views(get_resolver().url_patterns):
        allowed = {m for m in view.cls.http_method_names if m not in ("head", "options")}
        offered = set(view.actions) if getattr(view, "actions", None) else {m for m in allowed if hasattr(view.cls, m)}
        found[name] = {m.upper() for m in offered & allowed}
    return found


def test_every_api_method_has_its_rule():
    listed = {e.name: set(e.methods) for e in ENDPOINTS}
    wrong = {
        name: (methods, listed.get(name)) for name, methods in api_methods().items() if listed.get(name) != methods
    }
    assert wrong == {}, "accepted methods vs. rows of tinhgon/accounts/endpoints.py"


def test_every_row_is_walked():
    assert [e.name for e in ENDPOINTS if e not in WALKED] == [], "add a builder in walk_objects.py"


@pytest.mark.parametrize("endpoint", WALKED, ids=lambda e: e.name)
def test_every_persona_gets_what_the_matrix_says(scene, endpoint, record_property):
    people, objects = scene
    wrong, leaks, requests = [], [], 0
    targets = objects.by_model[endpoint.model].items() if endpoint.model else [("-", None)]
    visible = visible_of(endpoint.model) if endpoint.model else None
    for method in endpoint.methods:
        for place, obj in targets:
            url = walk.url_of(endpoint, obj)
            # A public answer is the same for everyone: the visitor and one signed-in person are enough.
            walkers = people[:2] if endpoint.rule(method) in (walk.PUBLIC, walk.TOKEN) else people
            for persona in walkers:
                want = walk.expected(endpoint, method, persona, obj, visible)
                response, body = walk.request(endpoint, method, persona, url)
                requests += 1
                got = walk.answer_class(endpoint, response)
                if got != want:
                    wrong.append(f"{method} {url} as {persona.name} ({place}): {got}, expected {want}")
                if got == walk.ALLOWED and method == "GET":
                    found = walk.leaked(objects, persona, walk.text_of(body), visible_of)
                    leaks += [f"{url} as {persona.name} shows {token}" for token in found]
    record_property("walk_requests", requests)
    assert not wrong and not leaks, "\n".join(wrong + leaks)


UPDATED = [e for e in WALKED if "PATCH" in e.methods]
VERSIONED = {
    "procedures.Procedure": lambda procedure: procedure.latest_version()
}  # a procedure's edits are its latest version's
# Shared reference data only a top unit's focal point changes (accounts.permissions.TOP): none of the personas,
# who act for P-A, may; the version check is proven with a focal point of P.
KEPT_AT_TOP = {"procedures.Field"}
SMALLEST_BODY = {"review-detail": {"answers": []}}  # what the endpoint validates before comparing versions


@pytest.mark.parametrize("endpoint", UPDATED, ids=lambda e: e.name)
def test_every_update_must_name_the_version_it_started_from(scene, endpoint):
    """No lost update (issue 11 measured 12 of 12 PATCHes overwriting a concurrent edit): for every person allowed
    to update an object, a PATCH without the version read is 428, one from an older version 409, and neither
    changes the stored record."""
    people, objects = scene
    obj = objects.by_model[endpoint.model]["own"]
    visible = visible_of(endpoint.model)
    allowed = [p for p in people if walk.expected(endpoint, "PATCH", p, obj, visible) == walk.ALLOWED]
    if not allowed and endpoint.model in KEPT_AT_TOP:
        allowed = [walk.top_focal_point()]
    assert allowed, "nobody may update: the walk's own object is not a useful test"
    url = walk.url_of(endpoint, obj)
    record = VERSIONED.get(endpoint.model, lambda obj: obj)(obj)
    version = type(record).objects.get(pk=record.pk).row_version
    smallest = SMALLEST_BODY.get(endpoint.name, {})
    answers = set()
    for persona in allowed:
        client = persona.client(api=True)
        for stale in (False, True):
            body = {**smallest, "row_version": version - 1} if stale else smallest
            with transaction.atomic():
                answers.add((stale, client.patch(url, body, format="json").status_code))
                transaction.set_rollback(True)
    assert answers == {(False, 428), (True, 409)}
    assert type(record).objects.get(pk=record.pk).row_version == version
