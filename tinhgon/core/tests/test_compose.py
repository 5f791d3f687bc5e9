"""deploy/compose.yaml, the topology operators try locally (docs/deploy.md): read as Compose reads it (YAML anchors
and merge keys resolved). It was also checked with `docker-compose config` (1.29.2, Debian) on 04/12/2026; no image
can be pulled on the machines the tests run on, so it is not started here."""

from pathlib import Path

import pytest
import yaml

COMPOSE = Path(__file__).resolve().parents[3] / "deploy" / "compose.yaml"
APP_SERVICES = ("app1", "app2", "worker")


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_the_app_servers_and_the_worker_start_once_the_migrations_have_finished(services):
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["replica"] == {"condition": "service_healthy"}, name


def test_the_migrations_wait_for_a_primary_that_answers(services):
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert "pg_isready" in services["db"]["healthcheck"]["test"]
    assert services["replica"]["depends_on"]["db"] == {"condition": "service_healthy"}


def test_every_app_process_reads_the_primary_the_replica_and_redis_and_shares_the_files(services):
    for name in (*APP_SERVICES, "migrate"):
        env = services[name]["environment"]
        assert "@db:" in env["DATABASE_URL"] and "@replica:" in env["REPLICA_DATABASE_URL"], name
        assert env["REDIS_URL"].startswith("redis://redis:"), name
        assert "media:/srv/tinhgon/media" in services[name]["volumes"], name


def test_only_nginx_is_published_and_on_the_loopback_address(services):
    published = {name: s["ports"] for name, s in services.items() if s.get("ports")}
    assert published == {"nginx": ["127.0.0.1:8080:80"]}
