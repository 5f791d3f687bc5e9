"""Test settings: fast hashing, e-mails in memory, plain static storage."""

from tinhgon.settings import *  # noqa: F403
from tinhgon.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 3
TINHGON_DASHBOARD_SNAPSHOT_MINUTES = 0  # tests see the data as it is; tests of the snapshot turn it on
