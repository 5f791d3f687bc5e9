"""Notifications on every hand-off (issue 13): the person who acts next and the people who took part are told, in
the app at once and by e-mail as they chose; the one who made the move is not; nobody else is."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

import pytest

from tinhgon.accounts.models import NotifyBy, Role
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.audit import context as audit
from tinhgon.core.dates import today
from tinhgon.notifications.models import Notification
from tinhgon.plans import services as plan_services
from tinhgon.plans.tests import factories as plan_factories
from tinhgon.procedures.constants import Change, Status
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue
from tinhgon.procedures.tests.factories import complete_components, make_procedure
from tinhgon.reports import services as report_services
from tinhgon.reports.periods import Kind, current
from tinhgon.test import DECISION_GROUNDS

pytestmark = pytest.mark.django_db

REASON = "Thiếu căn cứ pháp lý của bước 2."


def told(user, kind=None):
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


def drafted_by(world, user):
    with audit.acting(user=user):
        return make_procedure(world.units["P-A-1"], components=complete_components("Thủ tục cấp phát văn phòng phẩm"))


def submitted_by(world, drafter, head):
    procedure = drafted_by(world, drafter)
    with audit.acting(user=head):
        procedure.latest_version().submit()
    return procedure


def test_a_submitted_procedure_reaches_the_focal_point_of_its_department(world):
    submitted_by(world, world.officer_a1, world.head_a1)
    [notification] = told(world.focal_a, "procedures.version.submitted")
    assert notification.for_action and notification.actor == world.head_a1
    assert notification.sentence == f"{world.head_a1.get_full_name()} đã trình thủ tục"


def test_a_submitted_procedure_does_not_reach_the_province_focal_point(world):
    submitted_by(world, world.officer_a1, world.head_a1)
    assert told(world.focal_p) == []


def test_who_makes_the_move_is_not_told_of_it(world):
    submitted_by(world, world.officer_a1, world.head_a1)
    assert told(world.head_a1, "procedures.version.submitted") == []


def test_a_returned_procedure_reaches_its_author_with_the_reason(world):
    procedure = submitted_by(world, world.officer_a1, world.head_a1)
    with audit.acting(user=world.focal_a):
        procedure.latest_version().send_back(REASON)
    [notification] = told(world.officer_a1, "procedures.version.returned")
    assert notification.note == REASON
    assert notification.url == reverse("procedures:detail", args=[procedure.pk])


def test_a_returned_procedure_asks_the_unit_head_to_submit_again(world):
    procedure = submitted_by(world, world.officer_a1, world.head_a1)
    with audit.acting(user=world.focal_a):
        procedure.latest_version().send_back(REASON)
    [notification] = told(world.head_a1, "procedures.version.returned")
    assert notification.for_action


def test_a_check_hands_nothing_to_the_other_focal_points(world):
    other = UserFactory(username="focal_a_2")
    MembershipFactory(user=other, organisation=world.units["P-A"], role=Role.FOCAL_POINT)
    procedure = submitted_by(world, world.officer_a1, world.head_a1)
    with audit.acting(user=world.focal_a):
        procedure.latest_version().control()
    assert not Notification.objects.filter(kind="procedures.version.checked", for_action=True).exists()
    informed = {n.recipient for n in Notification.objects.filter(kind="procedures.version.checked")}
    assert informed == {world.officer_a1, world.head_a1}  # who drafted and who submitted it


def test_a_decision_publishing_many_procedures_tells_each_author_once(world):
    with audit.acting(user=world.officer_a1):
        procedures = [
            make_procedure(world.units["P-A-1"], status=Status.CHECKED, components=complete_components(f"Thủ tục {n}"))
            for n in range(3)
        ]
    decision = PublicationDecision.objects.create(
        number="15/QĐ-SNV",
        issuer=world.units["P-A"],
        signed_on=today(),
        signer="Nguyễn Văn A",
        effective_on=today(),
        **DECISION_GROUNDS,
    )
    for procedure in procedures:
        decision_add_item(decision=decision, version=procedure.latest_version(), change=Change.NEW)
    with audit.acting(user=world.leader_a):
        decision_issue(decision=decision)
    [notification] = told(world.officer_a1, "procedures.decision.issued")
    assert notification.url == reverse("procedures:decision", args=[decision.pk])
    assert told(world.officer_a1, "procedures.version.scheduled") == []


def test_an_outsider_is_never_told(world):
    procedure = submitted_by(world, world.officer_a1, world.head_a1)
    with audit.acting(user=world.focal_a):
        procedure.latest_version().control()
    assert told(world.outsider) == [] and told(world.outsider_admin) == []


def test_a_move_rolled_back_tells_nobody(world):
    procedure = drafted_by(world, world.officer_a1)
    with pytest.raises(RuntimeError), transaction.atomic():
        with audit.acting(user=world.head_a1):
            procedure.latest_version().submit()
        raise RuntimeError
    assert Notification.objects.count() == 0


def quarterly(world, code):
    p = current(Kind.QUARTERLY, today())
    report = report_services.report_create(
        organisation=world.units[code], kind=Kind.QUARTERLY, year=p.year, number=p.number
    )
    return report_services.report_write(report=report, results="Đã hoàn thành.")


def test_a_report_sent_up_reaches_the_office_above(world):
    report = quarterly(world, "P-A-1")
    with audit.acting(user=world.head_a1):
        report.submit(by=world.head_a1)
    waiting = {n.recipient for n in Notification.objects.filter(kind="reports.report.submitted", for_action=True)}
    assert waiting == {world.focal_a, world.leader_a}


def test_a_returned_report_reaches_who_sent_it_with_the_reason(world):
    report = quarterly(world, "P-A-1")
    with audit.acting(user=world.head_a1):
        report.submit(by=world.head_a1)
    with audit.acting(user=world.focal_a):
        report.send_back("Bổ sung số liệu quý.", by=world.focal_a)
    [notification] = told(world.head_a1, "reports.report.returned")
    assert notification.note == "Bổ sung số liệu quý." and notification.for_action


@pytest.fixture
def assignment(world):
    plan = plan_factories.plan(world.units["P-A"], title="Kế hoạch CCHC", period_end=today() + timedelta(days=200))
    task = plan_factories.task(
        plan, world.units["P-A"], title="Rà soát quy trình nội bộ", executing=[world.units["P-A-1"]], deadline=today()
    )
    return task.assignments.get(organisation=world.units["P-A-1"])


def test_an_extension_request_reaches_who_decides_it(world, assignment):
    plan_services.extension_request(
        assignment=assignment, new_due_on=today() + timedelta(days=30), reason="Chờ ý kiến Sở Tư pháp", by=world.head_a1
    )
    decide = {n.recipient for n in Notification.objects.filter(kind="plans.extension.requested")}
    assert decide == {world.leader_a, world.focal_a}


def test_an_extension_decision_reaches_who_asked(world, assignment):
    with audit.acting(user=world.head_a1):
        request = plan_services.extension_request(
            assignment=assignment, new_due_on=today() + timedelta(days=30), reason="Chờ ý kiến", by=world.head_a1
        )
    with audit.acting(user=world.leader_a):
        request.refuse("Nhiệm vụ trọng tâm, không gia hạn.", by=world.leader_a)
    [notification] = told(world.head_a1, "plans.extension.refused")
    assert notification.note == "Nhiệm vụ trọng tâm, không gia hạn."


def test_a_leaders_comment_reaches_the_units_officers(world, assignment):
    plan_services.comment_add(task=assignment.task, assignment=assignment, author=world.leader_a, text="Khẩn trương.")
    told_ = {n.recipient for n in Notification.objects.filter(kind="plans.comment.created")}
    assert world.officer_a1 in told_ and world.head_a1 in told_ and world.leader_a not in told_


# E-mail ---------------------------------------------------------------------------------------------------------


def test_who_chose_immediate_mail_gets_one_after_the_commit(world, django_capture_on_commit_callbacks):
    world.focal_a.notify_by = NotifyBy.IMMEDIATE
    world.focal_a.email = "daumoi@snv.gov.vn"
    world.focal_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        submitted_by(world, world.officer_a1, world.head_a1)
    [message] = [m for m in mail.outbox if m.to == ["daumoi@snv.gov.vn"]]
    assert "đã trình thủ tục" in message.subject and "Thủ tục cấp phát văn phòng phẩm" in message.body


def test_the_daily_digest_sends_one_mail_then_nothing_more(world):
    world.focal_a.email = "daumoi@snv.gov.vn"
    world.focal_a.save()
    submitted_by(world, world.officer_a1, world.head_a1)
    call_command("send_notification_digests", stdout=StringIO())
    [message] = [m for m in mail.outbox if m.to == ["daumoi@snv.gov.vn"]]
    assert "1 việc chờ đồng chí xử lý" in message.subject and "[CẦN XỬ LÝ]" in message.body
    mail.outbox.clear()
    call_command("send_notification_digests", stdout=StringIO())
    assert mail.outbox == []


def test_who_chose_no_mail_gets_none(world):
    world.focal_a.email, world.focal_a.notify_by = "daumoi@snv.gov.vn", NotifyBy.NONE
    world.focal_a.save()
    submitted_by(world, world.officer_a1, world.head_a1)
    call_command("send_notification_digests", stdout=StringIO())
    assert [m for m in mail.outbox if "daumoi@snv.gov.vn" in m.to] == [] and len(told(world.focal_a)) == 1


# Pages ----------------------------------------------------------------------------------------------------------


def test_the_bell_counts_unread_notifications(world, login):
    submitted_by(world, world.officer_a1, world.head_a1)
    page = login(world.focal_a).get(reverse("home")).content.decode()
    assert 'id="unread-count">1<' in page


def test_opening_a_notification_marks_it_read_and_leads_to_its_page(world, login):
    procedure = submitted_by(world, world.officer_a1, world.head_a1)
    [notification] = told(world.focal_a)
    response = login(world.focal_a).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == reverse("procedures:detail", args=[procedure.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found(world, login):
    submitted_by(world, world.officer_a1, world.head_a1)
    [notification] = told(world.focal_a)
    assert login(world.leader_a).get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert told(world.focal_a)[0].read_at is None


def test_the_list_shows_only_ones_own(world, login):
    submitted_by(world, world.officer_a1, world.head_a1)
    assert REASON not in login(world.outsider).get(reverse("notifications:list")).content.decode()
    page = login(world.focal_a).get(reverse("notifications:list")).content.decode()
    assert "Thủ tục cấp phát văn phòng phẩm" in page and "Cần xử lý" in page


def test_the_choice_of_mail_is_saved(world, login):
    response = login(world.officer_a1).post(reverse("notifications:preference"), {"notify_by": NotifyBy.IMMEDIATE})
    assert response.status_code == 302
    world.officer_a1.refresh_from_db()
    assert world.officer_a1.notify_by == NotifyBy.IMMEDIATE


def test_a_forged_choice_is_refused_in_vietnamese(world, login):
    response = login(world.officer_a1).post(reverse("notifications:preference"), {"notify_by": "sms"})
    assert response.status_code == 400 and "Hãy chọn" in response.content.decode()


def test_mark_all_read(world, login):
    submitted_by(world, world.officer_a1, world.head_a1)
    login(world.focal_a).post(reverse("notifications:read-all"))
    assert Notification.objects.filter(recipient=world.focal_a).unread().count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("notifications:list")).status_code == 302


# API ------------------------------------------------------------------------------------------------------------


def test_the_api_lists_ones_own_with_the_reason(world, api):
    procedure = submitted_by(world, world.officer_a1, world.head_a1)
    with audit.acting(user=world.focal_a):
        procedure.latest_version().send_back(REASON)
    response = api(world.officer_a1).get("/api/v1/notifications/", {"unread": "true"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["note"] for r in rows if r["kind"] == "procedures.version.returned"] == [REASON]
    assert api(world.outsider).get("/api/v1/notifications/").json()["results"] == []


def test_the_api_marks_read_and_hides_anothers(world, api):
    submitted_by(world, world.officer_a1, world.head_a1)
    [notification] = told(world.focal_a)
    url = f"/api/v1/notifications/{notification.pk}/read/"
    assert api(world.leader_a).post(url).status_code == 404
    answer = api(world.focal_a).post(url)
    assert answer.status_code == 200 and answer.json()["read_at"]
    assert api(world.focal_a).post("/api/v1/notifications/read-all/").json() == {"marked": 0}
