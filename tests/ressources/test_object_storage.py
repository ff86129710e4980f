"""The catalogue's files in S3-compatible object storage (moto's server standing in for the provider),
through the real views and the storage settings that production builds from S3_BUCKET."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citedesmetiers.roles import Role
from citedesmetiers.settings import s3_storage
from ressources.models import Resource
from tests.factories import resource, staff
from tests.ressources.test_views import PDF, form_data, url
from tests.servers import PRODUCTION, manage

pytestmark = pytest.mark.django_db

BUCKET = "cdm-files"
REGION = "eu-west-1"
PREFIX = "media"
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free local port, with an empty bucket; stopped after this module."""
    port = _free_port()
    server = subprocess.Popen(
        [Path(sys.executable).parent / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(endpoint, timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        _client(endpoint).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """The default storage switched to the bucket, emptied first; returns a boto3 client on it."""
    for name, value in DUMMY_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    client = _client(s3_endpoint)
    for key in keys(client):
        client.delete_object(Bucket=BUCKET, Key=key)
    default = s3_storage(BUCKET, endpoint_url=s3_endpoint, region=REGION, prefix=f"/{PREFIX}/")
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return client


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_an_uploaded_pdf_goes_to_the_bucket_and_is_served_from_it(client, bucket):
    client.force_login(staff(Role.COORDINATOR))
    response = client.post(
        url("resource_new"), form_data(url="", upload=SimpleUploadedFile("liste.pdf", PDF))
    )
    assert response.status_code == 302
    item = Resource.objects.get()
    assert keys(bucket) == [f"{PREFIX}/{item.file.name}"]
    assert bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{item.file.name}")["Body"].read() == PDF
    client.logout()
    served = client.get(url("resource_file", item.pk))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF


def test_a_replaced_file_leaves_the_bucket_once_the_change_is_committed(
    client, bucket, django_capture_on_commit_callbacks
):
    client.force_login(staff(Role.COORDINATOR))
    item = resource(upload=SimpleUploadedFile("a.pdf", PDF), url="")
    first = f"{PREFIX}/{item.file.name}"
    data = form_data(url="", upload=SimpleUploadedFile("b.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("resource_edit", item.pk), data).status_code == 302
        item.refresh_from_db()
        assert keys(bucket) == sorted([first, f"{PREFIX}/{item.file.name}"])  # not committed yet
    assert keys(bucket) == [f"{PREFIX}/{item.file.name}"]


def test_a_removed_resource_takes_its_object_away(client, bucket, django_capture_on_commit_callbacks):
    client.force_login(staff(Role.COORDINATOR))
    item = resource(upload=SimpleUploadedFile("a.pdf", PDF), url="")
    assert len(keys(bucket)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("resource_delete", item.pk)).status_code == 302
    assert not Resource.objects.exists()
    assert keys(bucket) == []


def test_a_missing_object_is_not_found(client, bucket):
    item = resource(upload=SimpleUploadedFile("a.pdf", PDF), url="")
    bucket.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{item.file.name}")
    assert client.get(url("resource_file", item.pk)).status_code == 404


def test_production_settings_with_a_bucket_pass_the_deploy_check(tmp_path):
    bucket_env = {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": "https://s3.example.org",
        "S3_REGION": REGION,
        "S3_PREFIX": f"/{PREFIX}/",
    }
    code = (
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING'); "
        "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    )
    result = manage("shell", "-c", code, env={**PRODUCTION, **bucket_env, "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    default = json.loads(result.stdout.splitlines()[-1])
    assert default == s3_storage(BUCKET, endpoint_url="https://s3.example.org", region=REGION, prefix=PREFIX)
