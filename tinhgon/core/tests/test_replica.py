"""Reads that may lag go to the streaming replica, writes and whoever has just written to the primary
(core/replica.py). The last tests need a real replica: CI starts one with .ci/replica and sets
REPLICA_DATABASE_URL; elsewhere they are skipped and the alias, if any, points at the primary."""

import os
import time
from datetime import date

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

import environ
import pytest

from tinhgon.core import replica
from tinhgon.reviews.constants import Metric
from tinhgon.reviews.models import Milestone

REAL_REPLICA = os.environ.get("REPLICA_DATABASE_URL", "")


def request(method="get", path="/cong-khai/", wrote_at=None):
    factory = RequestFactory()
    if wrote_at is not None:
        factory.cookies[replica.WROTE_COOKIE] = str(wrote_at)
    return getattr(factory, method)(path)


def test_a_read_of_the_portal_may_lag():
    assert replica.may_lag(request())


def test_a_write_never_goes_to_the_replica():
    assert not replica.may_lag(request("post"))


def test_a_staff_page_is_read_from_the_primary():
    assert not replica.may_lag(request(path="/thu-tuc/"))


def test_whoever_has_just_written_reads_their_own_writes_from_the_primary(settings):
    settings.TINHGON_REPLICA_STICKY_SECONDS = 30
    assert not replica.may_lag(request(wrote_at=int(time.time()) - 5))
    assert replica.may_lag(request(wrote_at=int(time.time()) - 60))


def test_a_forged_write_time_is_read_as_none():
    assert replica.may_lag(request(wrote_at="hôm qua"))


def test_an_alias_on_the_primarys_own_server_is_no_replica():
    assert replica.replica_alias() is None


# With a real streaming replica (PostgreSQL) --------------------------------------------------------------------

needs_replica = pytest.mark.skipif(not REAL_REPLICA, reason="REPLICA_DATABASE_URL is not set (see .ci/replica)")


@pytest.fixture
def on_the_replica():
    """Point the `replica` alias (a mirror of the primary under the test runner) at the real replica's copy of the
    test database, and wait until the replica has replayed what the test wrote."""
    alias = connections[replica.REPLICA]
    mirrored = alias.settings_dict
    real = environ.Env.db_url_config(REAL_REPLICA)
    alias.close()
    alias.settings_dict = {**connections[DEFAULT_DB_ALIAS].settings_dict, "HOST": real["HOST"], "PORT": real["PORT"]}

    def caught_up():
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (lsn,) = cursor.fetchone()
        for _ in range(100):
            with alias.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.05)
        raise AssertionError("the replica did not catch up in 5 s")

    yield caught_up
    alias.close()
    alias.settings_dict = mirrored


@needs_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_portal_reads_from_the_replica_and_a_write_goes_to_the_primary(world, published, client, on_the_replica):
    procedure = published(world.units["P-A"])
    on_the_replica()
    with CaptureQueriesContext(connections["replica"]) as on_replica, CaptureQueriesContext(connection) as on_primary:
        page = client.get(f"/cong-khai/thu-tuc/{procedure.code}/")
    assert page.status_code == 200 and procedure.code in page.content.decode()
    assert any("procedures_procedureversion" in q["sql"] for q in on_replica.captured_queries)
    assert not any("procedures_procedureversion" in q["sql"] for q in on_primary.captured_queries)
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True  # a standby indeed, not the primary under another name


@needs_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_dashboard_of_a_signed_in_user_reads_from_the_replica(world, published, client, on_the_replica):
    published(world.units["P-A"])
    client.force_login(world.oversight)  # the session row is written to the primary, then replayed
    on_the_replica()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get("/bao-cao/bang-dieu-khien/").status_code == 200
    assert any("procedures_procedureversion" in q["sql"] for q in on_replica.captured_queries)


@needs_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_after_a_write_the_writer_reads_the_portal_from_the_primary(world, published, client, on_the_replica):
    procedure = published(world.units["P-A"])
    on_the_replica()
    client.force_login(world.focal_a)
    data = {"new-metric": Metric.APPROVED, "new-target": "50", "new-due_on": "01/01/2024", "new-source": "KH"}
    assert client.post("/ra-soat/so-theo-doi/moc/?org=P-A", data).status_code == 302
    assert Milestone.objects.using("default").filter(organisation=world.units["P-A"], due_on=date(2024, 1, 1))
    assert replica.WROTE_COOKIE in client.cookies
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(f"/cong-khai/thu-tuc/{procedure.code}/").status_code == 200
    assert not on_replica.captured_queries


@needs_replica
def test_the_replica_alias_is_configured_apart_from_the_primary():
    assert replica.REPLICA in settings.DATABASES
    assert settings.DATABASES[replica.REPLICA]["TEST"]["MIRROR"] == DEFAULT_DB_ALIAS
