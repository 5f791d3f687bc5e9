"""Reports go up the real chain (issue 13): a division head sends the division's report to the department, whose
office (focal point or leader) returns it with a reason or accepts it into the department's aggregate; the
department sends its own to the province the same way. Who sends never receives their own report."""

from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from tinhgon.accounts.permissions import Policy
from tinhgon.audit.models import AuditLogEntry
from tinhgon.audit.transitions import TransitionRefused
from tinhgon.core import inbox
from tinhgon.core.dates import today
from tinhgon.reports import services
from tinhgon.reports.models import Report, Status
from tinhgon.reports.periods import Kind, current

pytestmark = pytest.mark.django_db

REASON = "Số liệu nhiệm vụ quá hạn chưa khớp với phụ lục; đề nghị rà soát lại."


def policy_of(user) -> Policy:
    return Policy(user, user.memberships_in_force())


def quarterly(world, code) -> Report:
    p = current(Kind.QUARTERLY, today())
    report = services.report_create(organisation=world.units[code], kind=Kind.QUARTERLY, year=p.year, number=p.number)
    return services.report_write(report=report, results="Đã hoàn thành các nhiệm vụ trong quý.")


def stored(report) -> Report:
    return Report.objects.get(pk=report.pk)


def post(client, name, report, **data):
    return client.post(
        reverse(f"reports:{name}", args=[report.pk]), {"started_from": stored(report).row_version, **data}
    )


def test_a_division_head_sends_the_divisions_report(world, login):
    report = quarterly(world, "P-A-1")
    response = post(login(world.head_a1), "submit", report)
    assert response.status_code == 302
    assert stored(report).status == Status.SUBMITTED and stored(report).submitted_by == world.head_a1


def test_an_officer_writes_but_does_not_send(world, login):
    report = quarterly(world, "P-A-1")
    assert post(login(world.officer_a1), "submit", report).status_code == 403
    assert stored(report).status == Status.DRAFT


def test_the_department_office_returns_it_with_its_reason(world, login):
    report = quarterly(world, "P-A-1").submit(by=world.head_a1)
    assert post(login(world.focal_a), "return", report, reason=REASON).status_code == 302
    back = stored(report)
    assert back.status == Status.RETURNED and back.return_reason == REASON and back.received_by == world.focal_a
    assert not back.is_locked
    entry = AuditLogEntry.objects.filter(action="reports.report.returned", object_id=str(report.pk)).get()
    assert entry.actor == world.focal_a and entry.changes["return_reason"][1] == REASON


def test_a_return_without_a_reason_is_refused_and_changes_nothing(world, login):
    report = quarterly(world, "P-A-1").submit()
    client = login(world.focal_a)
    response = client.post(reverse("reports:return", args=[report.pk]), {"reason": "  "}, follow=True)
    assert "Cần ghi rõ lý do trả lại" in response.content.decode()
    assert stored(report).status == Status.SUBMITTED


def test_the_division_sees_the_reason_fixes_and_sends_again(world, login):
    report = quarterly(world, "P-A-1").submit()
    stored(report).send_back(REASON)
    head = login(world.head_a1)
    page = head.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="return-reason"' in page and REASON in page and "Gửi lại" in page
    services.report_write(report=report, started_from=stored(report).row_version, results="Đã sửa số liệu.")
    assert post(head, "submit", report).status_code == 302
    again = stored(report)
    assert again.status == Status.SUBMITTED and again.results == "Đã sửa số liệu."


def test_accepting_counts_the_report_in_the_departments_aggregate(world, login):
    division = quarterly(world, "P-A-1").submit()
    department = quarterly(world, "P-A")
    policy = policy_of(world.focal_a)
    rows = services.children(department, policy)
    assert [r.report for r in rows] == [division] and services.aggregate(rows)["tasks"]["due"] == 0
    assert not rows[0].accepted  # waiting: shown, not counted
    assert post(login(world.focal_a), "accept", division).status_code == 302
    assert stored(division).status == Status.ACCEPTED and stored(division).is_locked
    assert services.children(department, policy)[0].accepted


def test_who_sends_a_report_cannot_accept_it(world, login):
    report = quarterly(world, "P-A").submit(by=world.focal_a)
    client = login(world.focal_a)
    assert post(client, "accept", report).status_code == 403
    assert post(client, "return", report, reason=REASON).status_code == 403
    assert stored(report).status == Status.SUBMITTED


def test_the_province_office_receives_the_departments_report(world, login):
    report = quarterly(world, "P-A").submit(by=world.leader_a)
    assert post(login(world.focal_p), "accept", report).status_code == 302
    assert stored(report).status == Status.ACCEPTED and stored(report).received_by == world.focal_p


def test_a_sibling_department_cannot_receive(world, login):
    report = quarterly(world, "P-A-1").submit()
    outsider = login(world.outsider)
    assert post(outsider, "accept", report).status_code == 404
    assert post(outsider, "return", report, reason=REASON).status_code == 404
    assert stored(report).status == Status.SUBMITTED


def test_a_second_accept_is_refused_in_vietnamese(world):
    report = quarterly(world, "P-A-1").submit()
    stored(report).accept()
    with pytest.raises(TransitionRefused, match="đã được thực hiện"):
        stored(report).accept()


def test_a_draft_cannot_be_accepted_or_returned(world):
    report = quarterly(world, "P-A-1")
    with pytest.raises(TransitionRefused):
        stored(report).accept()
    with pytest.raises(TransitionRefused):
        stored(report).send_back(REASON)


def test_the_office_finds_the_reports_waiting_for_it_in_its_to_do_list(world):
    report = quarterly(world, "P-A-1").submit()
    items = [i for i in inbox.items_for(policy_of(world.focal_a)) if i.kind == "reports.to_receive"]
    assert [i.url for i in items] == [reverse("reports:detail", args=[report.pk])]
    # the province office receives departments' reports, not divisions'
    assert not [i for i in inbox.items_for(policy_of(world.focal_p)) if i.kind == "reports.to_receive"]


def test_the_division_finds_its_returned_report_with_the_reason(world):
    report = quarterly(world, "P-A-1").submit()
    stored(report).send_back(REASON)
    items = [i for i in inbox.items_for(policy_of(world.officer_a1)) if i.kind == "reports.returned"]
    assert [i.note for i in items] == [REASON]


# API -----------------------------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def endpoint(report, verb) -> str:
    return f"/api/v1/reports/{report.pk}/{verb}/"


def test_the_api_returns_with_a_reason(world):
    report = quarterly(world, "P-A-1").submit()
    response = api(world.focal_a).post(endpoint(report, "return"), {"reason": REASON}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "returned" and response.json()["return_reason"] == REASON


def test_the_api_refuses_a_return_without_a_reason(world):
    report = quarterly(world, "P-A-1").submit()
    assert api(world.focal_a).post(endpoint(report, "return"), {}, format="json").status_code == 400
    assert stored(report).status == Status.SUBMITTED


def test_the_api_accepts_once_then_answers_409(world):
    report = quarterly(world, "P-A-1").submit()
    client = api(world.focal_a)
    first = client.post(endpoint(report, "accept"), {}, format="json")
    assert first.status_code == 200 and first.json()["received_by"] == world.focal_a.username
    assert client.post(endpoint(report, "accept"), {}, format="json").status_code == 409


def test_the_api_refuses_the_sender_and_hides_from_outsiders(world):
    report = quarterly(world, "P-A-1").submit()
    assert api(world.head_a1).post(endpoint(report, "accept"), {}, format="json").status_code == 403
    assert api(world.outsider).post(endpoint(report, "accept"), {}, format="json").status_code == 404
