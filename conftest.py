import collections
import copy
import os

from django.db import transaction
from django.db.backends.signals import connection_created

import pytest

from tinhgon.core.dates import today
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.search import forget_trigram_samples
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.factories import make_procedure
from tinhgon.test import DECISION_GROUNDS, build_world

# Sync Playwright runs an event loop in the test thread; the ORM calls made by tests around it are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def allow_audit_truncate(sender, connection, **kwargs):
    """On PostgreSQL the audit table refuses TRUNCATE (audit migration 0004) unless the session allows it: the
    flush that ends each transactional test (browser tests) empties every table with TRUNCATE."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET tinhgon.allow_audit_truncate = 'on'")


connection_created.connect(allow_audit_truncate)


@pytest.fixture(autouse=True)
def _fresh_trigram_samples():
    """The search keeps a sample of the entries per process (procedures.search.trigram_sample): each test starts
    without one, so that its query counts do not depend on the tests run before it."""
    forget_trigram_samples()


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker):
    """The persona world of tinhgon/test.py, built once per test module inside a transaction rolled back when the
    module ends; each test runs in a savepoint of it (pytest-django's `db`), so what one test writes is gone for
    the next. A module with transactional tests (browser, two-connection races) cannot share an open transaction
    with them: its tests build their own world."""
    items = [item for item in request.session.items if item.module is request.module]
    if any(_is_transactional(item) for item in items):
        yield None
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        world = build_world()
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(module_world, db):
    """The personas, as built for the module (a copy per test, so that changing an attribute of one of them in a
    test changes nothing for the next)."""
    return build_world() if module_world is None else copy.deepcopy(module_world)


@pytest.fixture
def login(client):
    """Log `client` in as a persona, acting for their first membership: login(world.officer_a1)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def admin_client(client, django_user_model):
    """A client logged in as a superuser, for the admin (configuration) pages."""
    user = django_user_model.objects.create_superuser("root", "root@example.gov.vn", "TinhGon@2026-root")
    client.force_login(user)
    return client


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    def _api(user=None, acting: str | None = None):
        client = APIClient()
        if user is not None:
            from rest_framework.authtoken.models import Token

            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        if acting:
            client.defaults["HTTP_X_ACTING_ORG"] = acting
        return client

    return _api


@pytest.fixture
def decision(world):
    def _decision(issuer=None, effective_on=None, number="1/QĐ-UBND", **extra):
        fields = {"signed_on": today(), "signer": "Nguyễn Văn A", **DECISION_GROUNDS, **extra}
        return PublicationDecision.objects.create(
            number=number, issuer=issuer or world.units["P"], effective_on=effective_on or today(), **fields
        )

    return _decision


@pytest.fixture
def published(world, decision):
    """A procedure published by a decision effective today."""
    counter = iter(range(100, 999))

    def _published(owner, **kwargs):
        procedure = make_procedure(owner, status=Status.CHECKED, **kwargs)
        d = decision(number=f"{next(counter)}/QĐ-UBND")
        decision_add_item(decision=d, version=procedure.latest_version(), change=Change.NEW)
        decision_issue(decision=d)
        return procedure

    return _published


# Data seeded by migrations (fields of the registry, the question bank and national milestones, the reform areas,
# the QĐ 766 component groups). A transactional test (the browser tests) ends with a flush that empties every
# table, and the next tests on the same worker would find them gone: put them back after each such test, in one place.
SEEDING_MIGRATIONS = [  # module, function, the model it fills
    ("tinhgon.procedures.migrations.0002_seed_fields", "forward", "procedures.Field"),
    ("tinhgon.procedures.migrations.0017_seed_more_fields", "forward", None),  # idempotent: after 0002's
    ("tinhgon.reviews.migrations.0002_seed_question_bank_and_milestones", "seed", "reviews.QuestionSet"),
    # moves and adds national milestones; it checks what is there itself, so it runs after every flush
    ("tinhgon.reviews.migrations.0010_milestones_as_plans_word_them", "forward", None),
    ("tinhgon.plans.migrations.0008_seed_reform_areas", "forward", "plans.ReformArea"),
    ("tinhgon.quality.migrations.0002_seed_service_index_components", "forward", "quality.ServiceIndexComponent"),
]


def reseed_migration_data() -> None:
    import importlib

    from django.apps import apps

    for module, function, model in SEEDING_MIGRATIONS:
        if model is None or not apps.get_model(model).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    flagged = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(flagged) or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


SET_UP = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when == "setup" and outcome.get_result().passed:
        item.stash[SET_UP] = True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After the last test (nextitem None) the session teardown has already dropped the test database; a test
    # skipped before its database was set up (item.stash) flushed nothing.
    if nextitem is not None and _is_transactional(item) and item.stash.get(SET_UP, False):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed_migration_data()


# The figures of the security proofs (docs/security.md): what the tests record (`record_property`), summed over
# the passed tests of every worker, printed at the end of the run.
FIGURES = {
    "walk_requests": "requests of the permission walk compared with accounts/endpoints.py",
    "fuzz_cases": "API requests generated from the OpenAPI schema (an administrator and an officer)",
    "bad_uploads": "bad files refused on an upload path",
    "races": "races run on two connections (PostgreSQL)",
}
_figures = collections.Counter()


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("race"):
            item.user_properties.append(("races", 1))


_extraction_lines: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        _figures.update({name: value for name, value in report.user_properties if name in FIGURES})
    if report.when == "call":
        _extraction_lines.extend(value for name, value in report.user_properties if name == "plan_extraction")


def pytest_terminal_summary(terminalreporter):
    if _figures:
        terminalreporter.section("figures of the security proofs (docs/security.md)")
        for name, label in FIGURES.items():
            if _figures[name]:
                terminalreporter.line(f"{_figures[name]:>8,}  {label}")
    if _extraction_lines:
        terminalreporter.section("plans read from their documents (docs/plan-import.md)")
        for line in sorted(_extraction_lines):
            terminalreporter.line(line)
