"""Past one machine (issue 15): nothing the app servers need lives in one process. Sessions and the cache in Redis
(REDIS_URL), and background jobs taken once each by workers on several machines (django-tasks' database backend
claims a job with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL). The Redis tests use the machine's Redis
(127.0.0.1:6379, database 15) and are skipped where none answers."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.db import connection
from django.test import Client

import pytest

from tinhgon.core.tests.worker_tasks import record_run

REDIS = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parents[3]


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")


def settings_with(**env) -> str:
    """What tinhgon.settings configures under the given environment, read in a fresh interpreter."""
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tinhgon.settings", "SECRET_KEY": "x" * 50}
    environment = {**{k: v for k, v in environment.items() if k != "REDIS_URL"}, **env}
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_with_redis_url_the_cache_is_redis_and_sessions_are_read_from_it():
    assert settings_with(REDIS_URL=REDIS) == (
        "django.core.cache.backends.redis.RedisCache django.contrib.sessions.backends.cached_db"
    )


def test_without_redis_url_sessions_stay_in_the_database():
    assert settings_with().endswith("django.contrib.sessions.backends.db")


@pytest.fixture
def on_redis(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield caches["default"]
    caches["default"].clear()


@needs_redis
@pytest.mark.django_db
def test_a_session_opened_on_one_app_server_is_found_in_redis_by_another(world, on_redis):
    first = Client()
    first.force_login(world.officer_a1)
    key = first.cookies[settings.SESSION_COOKIE_NAME].value
    assert on_redis.get(KEY_PREFIX + key) is not None  # shared, not in the first server's memory
    second = Client()
    second.cookies[settings.SESSION_COOKIE_NAME] = key
    assert second.get("/thu-tuc/").status_code == 200


# Workers ----------------------------------------------------------------------------------------------------------

needs_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="SKIP LOCKED: PostgreSQL"
)


def start_worker(worker_id: str) -> subprocess.Popen:
    """`manage.py db_worker --batch` in its own process on the test database, as on another machine."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tinhgon.settings", "DATABASE_URL": url}
    environment.update(SECRET_KEY="x" * 50, REDIS_URL="", REPLICA_DATABASE_URL="")
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0.05", "--worker-id", worker_id]
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_job(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    runs = tmp_path / "runs.txt"
    results = [record_run.enqueue(n, str(runs)) for n in range(20)]
    workers = [start_worker("may-1"), start_worker("may-2")]
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output.decode()
    numbers = [int(line) for line in runs.read_text().split()]
    assert sorted(numbers) == list(range(20))  # each job ran, and ran once
    from django_tasks_db.models import DBTaskResult

    claimed = DBTaskResult.objects.filter(id__in=[r.id for r in results]).values_list("worker_ids", flat=True)
    assert all(len(ids) == 1 for ids in claimed)  # no job claimed by both; how they share the jobs is timing
