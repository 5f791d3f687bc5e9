"""Files in an S3-compatible object store (S3_ENDPOINT; tinhgon/core/object_storage.py, docs/deploy.md), tried
against a real S3 API on loopback: moto's server, run from its own environment (var/s3-server, made by
`make install-test`: botocore pins python-dateutil < 3, the app's icalendar 7 needs 4). Without it the tests are
skipped on a developer's machine and fail in CI."""

import os
import socket
import subprocess
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import SystemCheckError

import pytest
from minio import Minio
from minio.error import S3Error

from tinhgon.core.object_storage import BACKEND, s3_settings
from tinhgon.organisations.models import DocumentTemplate, template_bytes
from tinhgon.organisations.tests.test_document_templates import edited, upload, url

pytestmark = pytest.mark.django_db
SERVER = Path(__file__).resolve().parents[3] / "var" / "s3-server" / "bin" / "moto_server"
KEYS = {"access_key": "tinhgon-test", "secret_key": "tinhgon-test-secret"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    if not SERVER.exists():
        message = f"{SERVER} is missing: run `make install-test`"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    port = free_port()
    server = subprocess.Popen(
        [SERVER, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"127.0.0.1:{port}"
    server.terminate()
    server.wait(10)


@pytest.fixture
def bucket(endpoint, settings, tmp_path, request):
    """A new bucket for the test, the app's default storage in it, and a MEDIA_ROOT that must stay empty."""
    name = f"tinhgon-{request.node.name[:40].replace('_', '-').lower()}"
    for key, value in s3_settings(endpoint=endpoint, bucket=name, use_https=False, region="", **KEYS).items():
        setattr(settings, key, value)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": BACKEND}}
    settings.MEDIA_ROOT = tmp_path / "media"
    return Minio(endpoint, secure=False, **KEYS), name


def test_an_uploaded_file_is_stored_in_the_bucket_and_nowhere_on_the_machine(world, login, bucket, settings):
    store, name = bucket
    assert upload(login(world.admin), edited("Phụ lục", "Phụ lục của Sở A")).status_code == 302
    stored = DocumentTemplate.objects.get(organisation=world.units["P-A"]).file.name
    assert [o.object_name for o in store.list_objects(name, recursive=True)] == [stored]
    assert not Path(settings.MEDIA_ROOT).exists()


def test_the_app_reads_the_file_back_from_the_bucket_to_print_and_to_send_it(world, login, bucket):
    template = edited("Phụ lục", "Phụ lục của Sở A")
    upload(login(world.admin), template)
    assert template_bytes(world.units["P-A-1"], "ke-hoach") == template
    response = login(world.admin).get(url("current"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == template
    assert response["Cache-Control"] == "private, no-store"


def test_the_bucket_the_app_creates_is_not_readable_by_anyone(world, login, bucket):
    store, name = bucket
    upload(login(world.admin), edited("Phụ lục", "Phụ lục của Sở A"))
    with pytest.raises(S3Error) as refused:
        store.get_bucket_policy(name)  # the library's default would have set one letting anyone read
    assert refused.value.code == "NoSuchBucketPolicy"


def test_a_file_missing_from_the_bucket_is_a_404_not_an_error_halfway_through_the_answer(world, login, bucket):
    store, name = bucket
    upload(login(world.admin), edited("Phụ lục", "Phụ lục của Sở A"))
    store.remove_object(name, DocumentTemplate.objects.get(organisation=world.units["P-A"]).file.name)
    assert login(world.admin).get(url("current")).status_code == 404


def test_files_in_a_bucket_cannot_be_sent_by_nginx(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": BACKEND}}
    settings.TINHGON_FILE_SENDER = "nginx"
    with pytest.raises(SystemCheckError, match="tinhgon.E011"):
        call_command("check")
