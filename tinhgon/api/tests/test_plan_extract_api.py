"""POST /api/v1/plans/extract/: a plan's document read into its header and tasks, nothing saved (issue 16)."""

from pathlib import Path

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from tinhgon.organisations.models import Organisation
from tinhgon.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

EXTRACT = "/api/v1/plans/extract/"
SEED = Path(__file__).resolve().parents[2] / "plans/tests/plan_documents/tra-vinh-qd258-2024.txt"  # ../shared/seeds/002
QD_258 = "\n".join(SEED.read_text(encoding="utf-8").splitlines()[:138])


@pytest.fixture
def units(world):
    p = world.units["P"]
    return {
        "office": OrganisationFactory(
            code="P-VPUB", name="Văn phòng Ủy ban nhân dân tỉnh", kind=Organisation.Kind.PROVINCIAL_OFFICE, parent=p
        ),
        "justice": OrganisationFactory(code="P-STP", name="Sở Tư pháp", kind=Organisation.Kind.DEPARTMENT, parent=p),
    }


def row_counts() -> dict[str, int]:
    """Every table's row count, to show that reading a document writes nothing."""
    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.managed}


def test_it_answers_the_header_and_the_tasks_with_unit_codes_and_writes_nothing(api, world, units):
    client = api(world.focal_p)
    before = row_counts()
    response = client.post(EXTRACT, {"issuer": "P", "text": QD_258}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert row_counts() == before
    title = body["header"].pop("title")
    assert title.casefold().endswith("cải cách thủ tục hành chính năm 2024 trên địa bàn tỉnh trà vinh")
    assert body["header"] == {
        "number": "258/QĐ-UBND",
        "issued_on": "2024-03-04",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
    }
    first, second, third = body["tasks"]
    assert set(first) == {
        "number", "content", "lead", "coordinating", "executing", "executing_rule", "unmatched", "deadline",
        "recurrence", "products",
    }  # fmt: skip
    assert (first["lead"], first["coordinating"]) == (["P-VPUB"], ["P-STP"])
    assert first["executing_rule"] == "departments_and_communes"
    assert {"P-A", "P-B", "P-STP", "P-X"} <= set(first["executing"])  # the rule expanded into the units it names
    assert "P" not in first["executing"]  # the issuer is never its own executor
    assert first["unmatched"] == ["Ủy ban nhân dân cấp huyện"]
    assert (first["deadline"], first["recurrence"]) == (None, None)
    assert second["deadline"] == "2024-10-31" and third["lead"] == ["P-STP"]


def test_a_file_is_read_as_pasted_text_is(api, world, units):
    upload = SimpleUploadedFile("qd-258.txt", QD_258.encode("utf-8"), content_type="text/plain")
    response = api(world.focal_p).post(EXTRACT, {"issuer": "P", "file": upload}, format="multipart")
    assert response.status_code == 200 and len(response.json()["tasks"]) == 3


def test_a_file_it_cannot_read_answers_400_with_a_vietnamese_detail(api, world):
    exe = SimpleUploadedFile("ke-hoach.docx", b"MZ\x90\x00" + b"\x00" * 2000)
    response = api(world.focal_p).post(EXTRACT, {"issuer": "P", "file": exe}, format="multipart")
    assert response.status_code == 400
    assert "Kế hoạch nhận ở dạng Word (.docx)" in response.json()["detail"]


def test_neither_file_nor_text_answers_400(api, world):
    assert api(world.focal_p).post(EXTRACT, {"issuer": "P"}, format="json").status_code == 400


def test_an_issuer_beyond_the_users_units_answers_404(api, world):
    client = api(world.focal_a)  # a department's focal point: manages its department only
    assert client.post(EXTRACT, {"issuer": "P-A", "text": "1. Nhiệm vụ"}, format="json").status_code == 200
    assert client.post(EXTRACT, {"issuer": "P", "text": "1. Nhiệm vụ"}, format="json").status_code == 404


def test_a_user_who_manages_no_plans_gets_403(api, world):
    response = api(world.oversight).post(EXTRACT, {"issuer": "P", "text": "1. Nhiệm vụ"}, format="json")
    assert response.status_code == 403


def test_an_outsider_is_refused(api, world):
    response = api(world.outsider).post(EXTRACT, {"issuer": "P", "text": "1. Nhiệm vụ"}, format="json")
    assert response.status_code in (403, 404)


def test_an_anonymous_call_is_refused(api):
    assert api().post(EXTRACT, {"issuer": "P", "text": "1. Nhiệm vụ"}, format="json").status_code in (401, 403)
