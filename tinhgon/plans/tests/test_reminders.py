from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, include, path, reverse

import pytest
from icalendar import Calendar

from tinhgon import urls as root_urls
from tinhgon.accounts.models import NotifyBy, Role
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.core.dates import today
from tinhgon.plans import feed_urls, reminders, services
from tinhgon.plans.models import Assignment
from tinhgon.plans.tests import factories as f
from tinhgon.test import download_names

# Until tinhgon/plans/urls.py (which includes feed_urls) is wired into the root URLconf, mount feed_urls here.
urlpatterns = list(root_urls.urlpatterns)
if "plans" not in get_resolver(root_urls).namespace_dict:
    urlpatterns.append(path("ke-hoach/", include((feed_urls.urlpatterns, "plans"))))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def work(world):
    """P issues a plan: P-A leads a task due in 3 days, P-A-1 one overdue by 5 days and one completed, P-B one due
    in 30 days (outside the 7-day window)."""
    day = today()
    u = world.units
    plan = f.plan(
        u["P"],
        title="Kế hoạch cải cách TTHC",
        period_start=day - timedelta(days=90),
        period_end=day + timedelta(days=90),
    )
    soon = f.task(plan, u["P-A"], code="1", title="Rà soát quy trình nội bộ", deadline=day + timedelta(days=3))
    late = f.task(plan, u["P-A-1"], code="2", title="Số hóa hồ sơ lưu trữ", deadline=day - timedelta(days=5))
    done = f.task(plan, u["P-A-1"], code="3", title="Niêm yết thủ tục", deadline=day - timedelta(days=2))
    far = f.task(plan, u["P-B"], code="4", title="Tập huấn nghiệp vụ", deadline=day + timedelta(days=30))
    services.assignment_report(assignment=done.assignments.get(), progress=100, completed_on=day - timedelta(days=3))
    return {"plan": plan, "soon": soon, "late": late, "done": done, "far": far}


def by_recipient():
    return {m.to[0]: m for m in mail.outbox}


def test_digest_mails_each_user_their_units_and_leaders_what_is_late_below(world, work):
    outcome = reminders.send_deadline_digests(days=7)
    sent = by_recipient()
    assert outcome.sent == len(sent)
    day = today()
    late_date = f"{day - timedelta(days=5):%d/%m/%Y}"
    soon_date = f"{day + timedelta(days=3):%d/%m/%Y}"

    officer = sent[world.officer_a1.email]
    assert officer.subject.startswith("[tinhgon] Nhắc hạn nhiệm vụ ngày")
    assert "1 quá hạn" in officer.subject
    assert "Số hóa hồ sơ lưu trữ" in officer.body and late_date in officer.body and "trễ 5 ngày" in officer.body
    assert "Đơn vị P-A-1" in officer.body and "Kế hoạch cải cách TTHC" in officer.body
    for absent in ("Rà soát quy trình nội bộ", "Niêm yết thủ tục", "Tập huấn nghiệp vụ", "CẤP DƯỚI"):
        assert absent not in officer.body
    html, mimetype = officer.alternatives[0]
    assert mimetype == "text/html" and "Số hóa hồ sơ lưu trữ" in html and late_date in html

    leader = sent[world.leader_a.email]  # agency leader of P-A: own task due soon + P-A-1 late below
    assert "1 sắp đến hạn" in leader.subject and "1 quá hạn ở đơn vị cấp dưới" in leader.subject
    own, below = leader.body.split("CẤP DƯỚI")
    assert "Rà soát quy trình nội bộ" in own and soon_date in own and "Số hóa hồ sơ lưu trữ" not in own
    assert "* Đơn vị P-A-1 (1)" in below and "Số hóa hồ sơ lưu trữ" in below

    focal = sent[world.focal_p.email]  # focal point of the province: nothing of its own, late units below
    assert "Số hóa hồ sơ lưu trữ" in focal.body and "Rà soát quy trình nội bộ" not in focal.body

    # Nothing to say: the admin and oversight of P (no own assignments, not leaders), the outsider.
    for user in (world.admin, world.oversight, world.outsider, world.outsider_admin):
        assert user.email not in sent
    assert set(sent) == {
        u.email for u in (world.officer_a1, world.head_a1, world.leader_a, world.focal_a, world.focal_p, world.chair_p)
    }


def test_digest_window_follows_days(world, work):
    reminders.send_deadline_digests(days=40)
    assert "Tập huấn nghiệp vụ" not in by_recipient()[world.leader_a.email].body
    head_b = UserFactory(username="head_b")
    MembershipFactory(user=head_b, organisation=world.units["P-B"], role=Role.OFFICER)
    mail.outbox.clear()
    reminders.send_deadline_digests(days=40)
    assert "Tập huấn nghiệp vụ" in by_recipient()[head_b.email].body
    mail.outbox.clear()
    reminders.send_deadline_digests(days=7)
    assert head_b.email not in by_recipient()


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_count_does_not_depend_on_the_number_of_users_or_assignments(world, work):
    small = count_queries(lambda: reminders.send_deadline_digests(days=7))
    day = today()
    for i in range(8):
        unit = world.units["P-B"] if i % 2 else world.units["P-X"]
        user = UserFactory(username=f"extra{i}")
        MembershipFactory(user=user, organisation=unit, role=Role.UNIT_HEAD if i % 3 else Role.OFFICER)
        f.task(work["plan"], unit, code=f"x{i}", title=f"Việc thêm {i}", deadline=day - timedelta(days=i + 1))
    mail.outbox.clear()
    big = count_queries(lambda: reminders.send_deadline_digests(days=7))
    assert len(mail.outbox) > 6 + 4
    assert big == small <= 5


def test_command_dry_run_sends_nothing_then_sends(world, work):
    out = StringIO()
    call_command("send_deadline_digests", "--dry-run", "--days", "7", stdout=out)
    assert mail.outbox == []
    assert world.officer_a1.email in out.getvalue() and "Sẽ gửi 6 thư" in out.getvalue()
    call_command("send_deadline_digests", stdout=StringIO())
    assert len(mail.outbox) == 6


def test_who_chose_no_mail_gets_no_reminder(world, work):
    world.officer_a1.notify_by = NotifyBy.NONE
    world.officer_a1.save()
    outcome = reminders.send_deadline_digests(dry_run=True)
    assert world.officer_a1.email not in [address for m in outcome.messages for address in m.to]
    assert len(outcome.messages) == 5


def test_background_task_sends_the_same_digest(world, work):
    result = reminders.send_deadline_digests_task.enqueue(days=7)
    assert result.return_value == 6 and len(mail.outbox) == 6


def test_notifications_page_shows_the_digest_and_feed_addresses(world, work, login):
    client = login(world.leader_a)
    response = client.get(reverse("plans:notifications"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rà soát quy trình nội bộ" in html and "Số hóa hồ sơ lưu trữ" in html and 'id="below"' in html
    assert reminders.ical_token_for_user(world.leader_a) in html
    assert reminders.ical_token_for_org(world.units["P-A"], world.leader_a) in html
    assert login(world.admin).get(reverse("plans:notifications")).status_code == 200


def test_notifications_page_needs_login(client):
    assert client.get(reverse("plans:notifications")).status_code == 302


def events(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_user_feed_lists_open_assignments_as_all_day_events(world, work, client):
    url = reverse("plans:ical-user", args=[reminders.ical_token_for_user(world.officer_a1)])
    found = events(client.get(url))
    late = work["late"].assignments.get()
    assert list(found) == [f"assignment-{late.pk}@tinhgon"]  # completed one left out
    event = found[f"assignment-{late.pk}@tinhgon"]
    assert event.decoded("DTSTART") == late.due_on and event.decoded("DTEND") == late.due_on + timedelta(days=1)
    assert str(event["SUMMARY"]) == "Số hóa hồ sơ lưu trữ – Đơn vị P-A-1"
    assert "Kế hoạch cải cách TTHC" in str(event["DESCRIPTION"]) and "http://testserver/" in str(event["DESCRIPTION"])
    assert events(client.get(url)).keys() == found.keys()  # stable UIDs


def test_org_feed_covers_the_subtree_and_needs_plans_view(world, work, client):
    token = reminders.ical_token_for_org(world.units["P-A"], world.leader_a)
    found = events(client.get(reverse("plans:ical-org", args=["P-A", token])))
    expected = Assignment.objects.open().filter(organisation__code__in=["P-A", "P-A-1"])
    assert set(found) == {f"assignment-{a.pk}@tinhgon" for a in expected} and len(found) == 2


@pytest.mark.parametrize(
    "make",
    [
        lambda w: ("P-A", reminders.ical_token_for_org(w.units["P-A"], w.outsider)),  # outsider may not view P-A
        lambda w: ("P-B", reminders.ical_token_for_org(w.units["P-A"], w.leader_a)),  # token of another unit
        lambda w: ("P-A", reminders.ical_token_for_user(w.leader_a)),  # a user token is not an org token
        lambda w: ("P-A", reminders.ical_token_for_org(w.units["P-A"], w.leader_a)[:-2] + "xx"),  # tampered
        lambda w: ("NOPE", reminders.ical_token_for_org(w.units["P-A"], w.leader_a)),
    ],
)
def test_bad_org_tokens_are_404(world, work, client, make):
    code, token = make(world)
    assert client.get(reverse("plans:ical-org", args=[code, token])).status_code == 404


def test_bad_user_tokens_are_404(world, work, client):
    good = reminders.ical_token_for_user(world.officer_a1)
    assert (
        client.get(reverse("plans:ical-user", args=[good[:-1] + ("B" if good.endswith("A") else "A")])).status_code
        == 404
    )
    org_token = reminders.ical_token_for_org(world.units["P-A"], world.leader_a)
    assert client.get(reverse("plans:ical-user", args=[org_token])).status_code == 404
    world.officer_a1.is_active = False
    world.officer_a1.save()
    assert client.get(reverse("plans:ical-user", args=[good])).status_code == 404


def test_an_org_feed_whose_user_left_the_unit_is_404(world, work, client):
    token = reminders.ical_token_for_org(world.units["P-A"], world.leader_a)
    world.leader_a.memberships.update(is_active=False)
    assert client.get(reverse("plans:ical-org", args=["P-A", token])).status_code == 404


def test_a_user_feed_lists_nothing_once_the_user_left_their_units(world, work, client):
    token = reminders.ical_token_for_user(world.officer_a1)
    world.officer_a1.memberships.update(is_active=False)
    assert events(client.get(reverse("plans:ical-user", args=[token]))) == {}


def test_an_org_feed_lists_only_what_its_user_may_see(world, work, client):
    """The assignments listed are drawn from Assignment.objects.visible_to(the token user's policy): what the
    tasks page of that user would show below the unit, nothing of a sibling unit."""
    token = reminders.ical_token_for_org(world.units["P-A"], world.leader_a)
    found = events(client.get(reverse("plans:ical-org", args=["P-A", token])))
    far = work["far"].assignments.get()  # P-B's
    assert f"assignment-{far.pk}@tinhgon" not in found


def test_the_notifications_page_draws_from_what_the_user_may_see(world, work, login):
    html = login(world.officer_a1).get(reverse("plans:notifications")).content.decode()
    assert "Số hóa hồ sơ lưu trữ" in html and "Tập huấn nghiệp vụ" not in html


def test_a_feed_is_shown_inline_under_the_name_of_its_unit(world, work, client):
    token = reminders.ical_token_for_org(world.units["P-A"], world.leader_a)
    response = client.get(reverse("plans:ical-org", args=["P-A", token]))
    assert response["Content-Disposition"].startswith("inline;")
    assert download_names(response) == ("Nhiệm vụ · Đơn vị P-A.ics", "Nhiem vu Don vi P-A.ics")
