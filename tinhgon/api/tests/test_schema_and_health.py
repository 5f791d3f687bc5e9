from django.db import DatabaseError

import pytest

SCHEMA_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tinhgon"  # as in the Makefile's `schema`


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served_without_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/organisations/merge/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn." not in docs and "unpkg" not in docs and "jsdelivr" not in docs


@pytest.mark.django_db
def test_the_schema_is_generated_once_per_process_whatever_format_is_asked(client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from tinhgon.api import schema

    generated, original = [], SchemaGenerator.get_schema
    monkeypatch.setattr(schema, "_generated", {})
    monkeypatch.setattr(SchemaGenerator, "get_schema", lambda self, **kw: generated.append(1) or original(self, **kw))
    as_yaml, as_json = client.get("/api/schema/"), client.get("/api/schema/", {"format": "json"})
    assert len(generated) == 1
    assert (
        b"/api/v1/organisations/merge/" in as_yaml.content and "/api/v1/organisations/merge/" in as_json.json()["paths"]
    )


def test_committed_openapi_schema_is_current(tmp_path):
    """docs/openapi.yaml describes production (PostgreSQL): integer bounds come from the database backend, so the
    schema is generated with a PostgreSQL URL whatever database this run uses (no connection is made)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    out = tmp_path / "openapi.yaml"
    env = {**os.environ, "DATABASE_URL": SCHEMA_DATABASE_URL, "DJANGO_SETTINGS_MODULE": "tinhgon.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--file", str(out), "--validate"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    committed = root / "docs" / "openapi.yaml"
    assert committed.read_text() == out.read_text(), "run `make schema` and commit docs/openapi.yaml"


def test_production_settings_pass_check_deploy():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-check-9f8e7d6c",
        "ALLOWED_HOSTS": "tinhgon.example.gov.vn",
        "TINHGON_TRUSTED_PROXIES": "1",
        "DJANGO_SETTINGS_MODULE": "tinhgon.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by conftest for Playwright, never in production
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
