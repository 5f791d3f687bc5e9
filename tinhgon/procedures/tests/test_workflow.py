from django.core.exceptions import ValidationError

import pytest

from tinhgon.audit.models import AuditLogEntry
from tinhgon.procedures.constants import Status
from tinhgon.procedures.models import Procedure
from tinhgon.procedures.services import Components, procedure_create, version_start_next, version_update
from tinhgon.procedures.tests.factories import complete_components, make_procedure

pytestmark = pytest.mark.django_db


def test_create_generates_a_code_per_owner(world):
    first = make_procedure(world.units["P-A"])
    second = make_procedure(world.units["P-A"])
    assert (first.code, second.code) == ("P-A-001", "P-A-002")
    assert first.latest_version().status == Status.DRAFT and first.latest_version().number == 1


def test_given_code_is_kept_and_must_be_unique(world):
    make_procedure(world.units["P-A"], code="1.0001")
    with pytest.raises(ValidationError):
        make_procedure(world.units["P-B"], code="1.0001")


def test_submit_check_path_is_audited(world):
    version = make_procedure(world.units["P-A"]).latest_version()
    version.submit()
    version.control()
    codes = list(AuditLogEntry.objects.for_object(version).values_list("action", flat=True))
    assert "procedures.version.submitted" in codes and "procedures.version.checked" in codes


def test_check_refuses_with_the_list_of_missing_components(world):
    components = complete_components(authority="", performers="")
    components.steps = []
    version = make_procedure(world.units["P-A"], components=components).latest_version()
    version.submit()
    with pytest.raises(ValidationError) as error:
        version.control()
    text = " ".join(error.value.messages)
    assert "Trình tự thực hiện" in text and "Cơ quan có thẩm quyền quyết định" in text
    assert "Đối tượng thực hiện" in text
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


def test_return_needs_a_comment_and_allows_resubmission(world):
    version = make_procedure(world.units["P-A"], status=Status.SUBMITTED).latest_version()
    with pytest.raises(ValidationError):
        version.send_back("  ")
    version.send_back("Bổ sung căn cứ pháp lý")
    assert version.status == Status.RETURNED and version.review_comment == "Bổ sung căn cứ pháp lý"
    version.submit()
    assert version.status == Status.SUBMITTED and version.review_comment == ""


def test_check_of_a_draft_is_refused(world):
    version = make_procedure(world.units["P-A"], status=Status.DRAFT).latest_version()
    with pytest.raises(ValidationError, match="Không thể kiểm soát phiên bản thủ tục đang ở trạng thái “Dự thảo”"):
        version.control()


def test_check_of_a_checked_version_says_it_was_done_already(world):
    version = make_procedure(world.units["P-A"], status=Status.CHECKED).latest_version()
    with pytest.raises(ValidationError, match="việc kiểm soát đã được thực hiện"):
        version.control()


def test_submitted_versions_are_frozen(world):
    version = make_procedure(world.units["P-A"], status=Status.SUBMITTED).latest_version()
    with pytest.raises(ValidationError):
        version_update(version=version, components=complete_components(name="Tên khác"))
    with pytest.raises(ValidationError):
        version.steps.first().delete()


def test_update_replaces_the_components_and_refuses_a_stale_save(world):
    version = make_procedure(world.units["P-A"]).latest_version()
    started = version.row_version
    components = complete_components(name="Tên mới")
    components.steps = components.steps[:1]
    version_update(version=version, components=components, started_from=started)
    version.refresh_from_db()
    assert version.name == "Tên mới" and version.steps.count() == 1
    with pytest.raises(ValidationError, match="vừa được người khác cập nhật"):
        version_update(version=version, components=complete_components(), started_from=started)


def test_next_version_copies_the_content_of_the_published_one(world, published):
    procedure = published(world.units["P-A"])
    draft = version_start_next(procedure=procedure)
    assert draft.number == 2 and draft.status == Status.DRAFT
    assert Components.of(draft) == Components.of(procedure.published_version())
    assert version_start_next(procedure=procedure) == draft  # the same draft, not a third version


def test_procedure_create_validates_channels(world):
    with pytest.raises(ValidationError):
        procedure_create(owner=world.units["P-A"], components=complete_components(channels=["fax"]))
    assert not Procedure.objects.exists()
