"""Test settings: fast hashing, e-mails in memory, plain static storage."""

import atexit
import os
import secrets
import shutil
import tempfile
from pathlib import Path

# A new key for each test process, set before settings.py reads it: tests never write var/secret_key and never
# depend on a key someone could know.
os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)

from tinhgon.settings import *  # noqa: E402, F403
from tinhgon.settings import DATABASES, STORAGES  # noqa: E402

# Uploads of the tests go to a directory of their own, removed at the end, not into the developer's var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tinhgon-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# The tests' own writes are in transactions the replica never sees: the alias points at the primary (reads stay on
# it, core/replica.py), and the tests of the replica point it at the real one (REPLICA_DATABASE_URL) themselves.
if "replica" in DATABASES:
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# Nothing is kept between tests (each builds its own data); the tests of caching turn a real cache on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 3
TINHGON_DASHBOARD_SNAPSHOT_MINUTES = 0  # tests see the data as it is; tests of the snapshot turn it on
TINHGON_LEDGER_SNAPSHOT_MINUTES = 0  # idem for the ledger of very large units
OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code does not make the next one wait; tests of that delay turn it on
