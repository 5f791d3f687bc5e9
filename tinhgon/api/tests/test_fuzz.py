"""The whole API fuzzed from its own OpenAPI schema (schemathesis), as an administrator and as an officer, on a
world with objects of every kind: no answer may be a server error, and every answer must be what the schema says
(status code documented, content type, body shape). Bounded to fit CI: a few examples per operation and token;
TINHGON_FUZZ_EXAMPLES raises it for a longer run."""

import os

from django.core.wsgi import get_wsgi_application

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS

from tinhgon.api.tests.walk_objects import build_objects

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("TINHGON_FUZZ_EXAMPLES", "6"))
CHECKED = ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance"]


def api_schema():
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = get_wsgi_application()
    return schema


SCHEMA = api_schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """As Django's test client does: the end of a request must not close the test's connection (its transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build_objects(world)
    return [Token.objects.get_or_create(user=user)[0].key for user in (world.admin, world.officer_a1)]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o.label)
def test_every_operation_answers_as_its_schema_says(operation, tokens, record_property):
    checks = CHECKS.get_by_names(CHECKED)
    cases = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def fuzz(case):
        cases.append(case)
        for key in tokens:
            case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=checks)

    fuzz()
    record_property("fuzz_cases", len(cases) * len(tokens))
