"""The register of ISO 9001 processes, the announcements, internal audits and their findings: who sees what (a unit
and the units under it; a finding also by its process's owner), who changes what, the editions of a process, the
flags of the list and its Excel export, in a fixed number of queries."""

import io
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from tinhgon.accounts.models import Role
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.core.dates import today
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.quality.constants import FindingCategory, ProcessStatus
from tinhgon.quality.models import AuditFinding, InternalAudit, QualityProcess
from tinhgon.quality.tests import factories as f
from tinhgon.test import download_names

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def setup(world):
    """P-A's announcement, a process of P-A and one of its division P-A-1 (whose review date has passed), an audit
    of P-A with a late finding on the division's process; a process of the sibling P-B."""
    announced = f.announcement(world.units["P-A"])
    own = f.process(world.units["P-A"], code="QT-01", name="Kiểm soát tài liệu", announcement=announced)
    division = f.process(world.units["P-A-1"], code="QT-05", name="Thẩm định hồ sơ khen thưởng", review_in=-3)
    sibling = f.process(world.units["P-B"], code="QT-01", name="Quy trình của Sở B")
    audit = f.internal_audit(world.units["P-A"], [own, division])
    late = f.finding(audit, division, description="Thiếu phiếu kiểm soát")
    return {"announced": announced, "own": own, "division": division, "sibling": sibling, "audit": audit, "late": late}


def object_urls(s) -> list[tuple[str, str]]:
    score = f.score(s["own"].organisation, today().replace(day=1))
    return [
        ("get", reverse("quality:process", args=[s["own"].pk])),
        ("get", reverse("quality:process-edit", args=[s["own"].pk])),
        ("get", reverse("quality:process-new-edition", args=[s["own"].pk])),
        ("post", reverse("quality:process-abolish", args=[s["own"].pk])),
        ("get", reverse("quality:announcement-edit", args=[s["announced"].pk])),
        ("get", reverse("quality:audit", args=[s["audit"].pk])),
        ("get", reverse("quality:audit-edit", args=[s["audit"].pk])),
        ("get", reverse("quality:finding", args=[s["late"].pk])),
        ("get", reverse("quality:score", args=[score.pk])),
        ("post", reverse("quality:score-publish", args=[score.pk])),
        ("get", reverse("quality:score-evidence", args=[score.pk])),
    ]


LISTS = [
    "quality:processes",
    "quality:processes-xlsx",
    "quality:process-create",
    "quality:announcements",
    "quality:audits",
    "quality:scores",
    "quality:score-enter",
]


def test_anonymous_visitors_are_sent_to_the_login_page(client, setup):
    for method, url in [("get", reverse(name)) for name in LISTS] + object_urls(setup):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/dang-nhap/" in response.url, url


def test_an_outsider_gets_404_for_every_object_of_p(world, setup, login):
    client = login(world.outsider)
    for method, url in object_urls(setup):
        assert getattr(client, method)(url).status_code == 404, url
    page = text(client.get(reverse("quality:processes")))
    assert "Kiểm soát tài liệu" not in page and "Thẩm định hồ sơ" not in page


def test_a_division_sees_its_own_processes_not_its_departments(world, setup, login):
    client = login(world.officer_a1)
    page = text(client.get(reverse("quality:processes")))
    assert "Thẩm định hồ sơ khen thưởng" in page and "Kiểm soát tài liệu" not in page
    assert client.get(reverse("quality:process", args=[setup["own"].pk])).status_code == 404
    assert client.get(reverse("quality:process-edit", args=[setup["division"].pk])).status_code == 403
    assert client.get(reverse("quality:process-create")).status_code == 403


def test_the_focal_point_sees_the_department_and_its_divisions_not_the_sibling(world, setup, login):
    page = text(login(world.focal_a).get(reverse("quality:processes")))
    assert "Kiểm soát tài liệu" in page and "Thẩm định hồ sơ khen thưởng" in page
    assert "Quy trình của Sở B" not in page


def test_the_list_flags_the_review_due_and_the_late_findings(world, setup, login):
    client = login(world.focal_a)
    page = text(client.get(reverse("quality:processes")))
    row = page.split(f'id="process-{setup["division"].pk}"')[1].split("</tr>")[0]
    assert "review-due" in row and "1 quá hạn" in row and "table-warning" in page
    own_row = page.split(f'id="process-{setup["own"].pk}"')[1].split("</tr>")[0]
    assert "review-due" not in own_row and "quá hạn" not in own_row
    due = text(client.get(reverse("quality:processes"), {"flag": "review_due"}))
    assert "Thẩm định hồ sơ khen thưởng" in due and "Kiểm soát tài liệu" not in due
    late = text(client.get(reverse("quality:processes"), {"flag": "late_findings"}))
    assert "Thẩm định hồ sơ khen thưởng" in late and "Kiểm soát tài liệu" not in late


def test_the_unit_filter_takes_the_units_below_and_the_search_ignores_diacritics(world, setup, login):
    client = login(world.focal_a)
    below = text(client.get(reverse("quality:processes"), {"org": "P-A-1"}))
    assert "Thẩm định hồ sơ khen thưởng" in below and "Kiểm soát tài liệu" not in below
    found = text(client.get(reverse("quality:processes"), {"q": "kiem soat tai lieu"}))
    assert "Kiểm soát tài liệu" in found and "Thẩm định hồ sơ" not in found
    assert client.get(reverse("quality:processes"), {"status": "nonsense"}).status_code == 200


def test_the_focal_point_registers_a_process_linked_to_a_procedure_it_sees(world, setup, login):
    mine = make_procedure(world.units["P-A-1"], components=complete_components("Thủ tục khen thưởng đột xuất"))
    theirs = make_procedure(world.units["P-B"], components=complete_components("Thủ tục của Sở B"))
    client = login(world.focal_a)
    form = text(client.get(reverse("quality:process-create")))
    assert "Thủ tục khen thưởng đột xuất" in form and "Thủ tục của Sở B" not in form
    data = {
        "organisation": world.units["P-A-1"].pk,
        "code": "QT-06",
        "name": "Khen thưởng đột xuất",
        "edition": "1",
        "effective_on": "01/03/2026",
        "next_review_on": "01/03/2027",
        "announcement": setup["announced"].pk,
        "procedures": [mine.pk],
    }
    response = client.post(reverse("quality:process-create"), data)
    process = QualityProcess.objects.get(code="QT-06")
    assert response.status_code == 302 and response.url == reverse("quality:process", args=[process.pk])
    assert list(process.procedures.all()) == [mine] and process.created_by == world.focal_a
    refused = client.post(reverse("quality:process-create"), {**data, "code": "QT-07", "procedures": [theirs.pk]})
    assert refused.status_code == 200 and f"Thủ tục {theirs.pk} không có trong danh sách." in text(refused)


def test_a_second_process_with_a_code_in_force_is_refused_in_vietnamese(world, setup, login):
    data = {
        "organisation": world.units["P-A"].pk,
        "code": "QT-01",
        "name": "Trùng mã",
        "edition": "2",
        "effective_on": "01/03/2026",
    }
    response = login(world.focal_a).post(reverse("quality:process-create"), data)
    assert response.status_code == 200
    assert "đang áp dụng: ban hành lần mới từ trang của quy trình đó" in text(response)
    assert not QualityProcess.objects.filter(name="Trùng mã").exists()


def test_an_announcement_of_another_agency_is_refused(world, setup, login):
    other = f.announcement(world.units["P-B"], number="5/QĐ-SB")
    process = setup["own"]
    from tinhgon.quality import services

    process.announcement = other
    with pytest.raises(Exception, match="Quyết định công bố phải của đơn vị chủ trì"):
        services.process_save(process=process)


def test_a_new_edition_supersedes_the_one_in_force_and_the_page_shows_both(world, setup, login):
    client = login(world.focal_a)
    old = setup["own"]
    form = text(client.get(reverse("quality:process-new-edition", args=[old.pk])))
    assert 'value="Kiểm soát tài liệu"' in form and 'value="2"' in form
    data = {"name": "Kiểm soát tài liệu (sửa đổi)", "edition": "2", "effective_on": f"{today():%d/%m/%Y}"}
    response = client.post(reverse("quality:process-new-edition", args=[old.pk]), data)
    new = QualityProcess.objects.get(name="Kiểm soát tài liệu (sửa đổi)")
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == ProcessStatus.SUPERSEDED and old.ended_on == today()
    assert new.previous == old and new.organisation == old.organisation and new.code == "QT-01"
    page = text(client.get(reverse("quality:process", args=[new.pk])))
    assert "Lần 1" in page and "Lần 2" in page and "Đã được thay thế" in page
    assert "Thay thế quy trình ISO" in page and "Ban hành quy trình ISO" in page  # the audit trail, in Vietnamese
    again = client.post(reverse("quality:process-new-edition", args=[old.pk]), data)
    assert (
        again.status_code == 302
        and QualityProcess.objects.filter(code="QT-01", organisation=old.organisation).count() == 2
    )


def test_abolishing_needs_a_reason_and_a_manager(world, setup, login):
    url = reverse("quality:process-abolish", args=[setup["division"].pk])
    assert login(world.officer_a1).post(url, {"abolish-reason": "Không dùng"}).status_code == 403
    client = login(world.focal_a)
    client.post(url, {"abolish-reason": ""})
    setup["division"].refresh_from_db()
    assert setup["division"].status == ProcessStatus.IN_FORCE
    client.post(url, {"abolish-reason": "Thay bằng quy trình điện tử"})
    setup["division"].refresh_from_db()
    assert setup["division"].status == ProcessStatus.ABOLISHED and setup["division"].end_note
    listed = text(client.get(reverse("quality:processes")))
    assert "Thẩm định hồ sơ khen thưởng" not in listed  # the register lists the processes in force by default
    assert "Thẩm định hồ sơ khen thưởng" in text(client.get(reverse("quality:processes"), {"status": ""}))


def test_the_register_workbook_has_the_filtered_rows_with_real_dates(world, setup, login):
    response = login(world.focal_a).get(reverse("quality:processes-xlsx"), {"org": "P-A-1"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert download_names(response) == (
        f"Sổ quy trình ISO 9001 ngày {today():%d-%m-%Y}.xlsx",
        f"So quy trinh ISO 9001 ngay {today():%d-%m-%Y}.xlsx",
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(rows) == 1 and rows[0][1] == "QT-05" and rows[0][9] == 1
    assert rows[0][4].date() == setup["division"].effective_on
    assert sheet.freeze_panes == "C4" and sheet.auto_filter.ref


def test_an_internal_audit_and_its_findings_through_the_pages(world, setup, login):
    client = login(world.focal_a)
    data = {
        "organisation": world.units["P-A"].pk,
        "title": "Đánh giá nội bộ đợt 2",
        "conducted_on": f"{today():%d/%m/%Y}",
        "auditors": "Trưởng đoàn: Trần Thị C",
        "processes": [setup["own"].pk],
    }
    response = client.post(reverse("quality:audits"), data)
    audit = InternalAudit.objects.get(title="Đánh giá nội bộ đợt 2")
    assert response.status_code == 302 and list(audit.processes.all()) == [setup["own"]]
    url = reverse("quality:audit", args=[audit.pk])
    no_due = {"finding-process": setup["own"].pk, "finding-category": "major", "finding-description": "Chưa có"}
    refused = client.post(url, no_due)
    assert "Điểm không phù hợp cần có hạn khắc phục." in text(refused)
    client.post(url, {**no_due, "finding-due_on": "31/12/2030"})
    client.post(url, {"finding-category": "observation", "finding-description": "Nên cải tiến biểu mẫu"})
    assert audit.findings.count() == 2
    page = text(client.get(url))
    assert "Không phù hợp nặng" in page and "Hệ thống chung" in page


def test_processes_of_another_agency_are_refused_in_an_audit(world, setup):
    from django.core.exceptions import ValidationError

    from tinhgon.quality import services

    with pytest.raises(ValidationError, match="không thuộc cơ quan được đánh giá"):
        services.internal_audit_save(
            internal_audit=InternalAudit(
                organisation=world.units["P-A"], title="Sai", conducted_on=today(), auditors="A"
            ),
            processes=[setup["sibling"]],
        )


def test_the_process_owner_records_the_correction_without_seeing_the_audit(world, setup, login):
    client = login(world.officer_a1)
    finding = setup["late"]
    assert client.get(reverse("quality:audit", args=[setup["audit"].pk])).status_code == 404
    page = text(client.get(reverse("quality:finding", args=[finding.pk])))
    assert "Cập nhật khắc phục" in page and "Đánh giá nội bộ năm 2026" in page and 'name="category"' not in page
    closing = {"row_version": finding.row_version, "closed_on": f"{today():%d/%m/%Y}", "corrective_action": ""}
    refused = client.post(reverse("quality:finding", args=[finding.pk]), closing)
    assert "Ghi hành động khắc phục đã thực hiện trước khi đóng." in text(refused)
    done = {**closing, "corrective_action": "Đã bổ sung phiếu kiểm soát"}
    assert client.post(reverse("quality:finding", args=[finding.pk]), done).status_code == 302
    finding.refresh_from_db()
    assert finding.closed_on == today() and finding.category == FindingCategory.MINOR


def test_an_officer_of_another_division_cannot_correct_it(world, setup, login):
    user = UserFactory(username="officer_b")
    MembershipFactory(user=user, organisation=world.units["P-B"], role=Role.OFFICER)
    assert login(user).get(reverse("quality:finding", args=[setup["late"].pk])).status_code == 404
    assert login(world.oversight).post(reverse("quality:finding", args=[setup["late"].pk]), {}).status_code == 403


def test_a_stale_correction_is_refused_with_the_input_kept(world, setup, login):
    finding = setup["late"]
    stale = finding.row_version
    AuditFinding.objects.get(pk=finding.pk).save()
    data = {"row_version": stale, "corrective_action": "Nội dung tôi vừa nhập"}
    response = login(world.officer_a1).post(reverse("quality:finding", args=[finding.pk]), data)
    assert response.status_code == 200 and "Nội dung tôi vừa nhập" in text(response)
    assert "người khác cập nhật" in text(response)


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_run_a_fixed_number_of_queries(world, setup, login):
    client = login(world.focal_a)
    urls = [reverse(name) for name in ("quality:processes", "quality:audits", "quality:announcements")]
    urls.append(reverse("quality:process", args=[setup["own"].pk]))
    before = [_count(client, url) for url in urls]
    for n in range(8):
        unit = world.units["P-A-1"] if n % 2 else world.units["P-A"]
        process = f.process(unit, code=f"QT-{n + 10}", name=f"Quy trình {n}")
        audit = f.internal_audit(world.units["P-A"], [process, setup["own"]], title=f"Đợt {n}")
        f.finding(audit, process)
        f.finding(audit, setup["own"], due_in=10)
        f.announcement(world.units["P-A"], number=f"{n + 20}/QĐ-SA", signed_on=date(2024, 1, 1) + timedelta(days=n))
    assert [_count(client, url) for url in urls] == before
