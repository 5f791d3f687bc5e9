"""Quality in the to-do list (core/inbox.py, quality/inbox.py): a finding past its correction date reaches the unit
that corrects it and the managers of the audited agency; a process whose review date has come reaches its owner unit
and the agency's managers; a month of 766 scores entered but not published reaches who publishes it. Nobody else,
on the home page and at /api/v1/inbox/ alike, in a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.permissions import Policy
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.core import inbox
from tinhgon.core.dates import today
from tinhgon.quality.constants import FindingCategory
from tinhgon.quality.tests import factories as f

pytestmark = pytest.mark.django_db

LATE, REVIEW, PUBLISH = "quality.finding_late", "quality.review_due", "quality.score_to_publish"


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def items(user, kind: str) -> list:
    return [item for item in inbox.items_for(policy_of(user)) if item.kind == kind]


@pytest.fixture
def officer_b(world):
    user = UserFactory(username="officer_b")
    MembershipFactory(user=user, organisation=world.units["P-B"], role=Role.OFFICER)
    return user


@pytest.fixture
def waiting(world):
    """P-A's system: a division process past its review date and a late finding on it; a department process with a
    finding not yet due and one closed; a draft month of the division's 766 scores."""
    announced = f.announcement(world.units["P-A"])
    division = f.process(
        world.units["P-A-1"], code="QT-05", name="Thẩm định khen thưởng", review_in=-2, announcement=announced
    )
    own = f.process(world.units["P-A"], code="QT-01", name="Kiểm soát tài liệu", announcement=announced)
    audit = f.internal_audit(world.units["P-A"], [division, own], title="Đánh giá nội bộ năm 2026")
    late = f.finding(audit, division, category=FindingCategory.MAJOR, due_in=-4, description="Thiếu phiếu")
    f.finding(audit, own, due_in=10)
    f.finding(audit, own, due_in=-20, corrective_action="Đã sửa", closed_on=today())
    draft = f.score(world.units["P-A-1"], date(2026, 5, 1))
    return {"division": division, "own": own, "late": late, "draft": draft, "announced": announced}


def test_the_process_owner_sees_the_late_finding_with_its_audit(world, waiting):
    [item] = items(world.officer_a1, LATE)
    assert item.url == reverse("quality:finding", args=[waiting["late"].pk])
    assert item.label == "Không phù hợp nặng quá hạn khắc phục" and item.note == "Đánh giá nội bộ năm 2026"
    assert item.organisation == world.units["P-A-1"].name and item.due == waiting["late"].due_on
    assert item.overdue_on(today())


def test_the_agencys_managers_see_it_and_nobody_outside(world, waiting, officer_b):
    assert len(items(world.focal_a, LATE)) == 1 and len(items(world.leader_a, LATE)) == 1
    assert items(world.outsider, LATE) == [] and items(officer_b, LATE) == []
    assert items(world.focal_p, LATE) == []  # the province's focal point: P-A's audit, not theirs


def test_a_closed_finding_or_one_not_yet_due_waits_for_nobody(world, waiting):
    late = waiting["late"]
    late.corrective_action, late.closed_on = "Đã bổ sung", today()
    late.save()
    assert items(world.officer_a1, LATE) == [] and items(world.focal_a, LATE) == []


def test_a_process_due_for_review_reaches_its_unit_and_the_agencys_focal_point(world, waiting, officer_b):
    """The focal point of the agency whose decision announced the system sees its divisions' processes too."""
    [item] = items(world.officer_a1, REVIEW)
    assert item.url == reverse("quality:process", args=[waiting["division"].pk])
    assert item.label == "Quy trình ISO quá hạn rà soát" and "QT-05" in item.title
    assert [i.url for i in items(world.focal_a, REVIEW)] == [item.url]
    assert items(officer_b, REVIEW) == [] and items(world.outsider, REVIEW) == []


def test_a_superseded_or_abolished_process_is_not_due_for_review(world, waiting):
    waiting["division"].abolish("Không còn sử dụng")
    assert items(world.officer_a1, REVIEW) == []


def test_a_draft_month_waits_for_who_publishes_it(world, waiting):
    [item] = items(world.head_a1, PUBLISH)
    assert item.url == reverse("quality:score", args=[waiting["draft"].pk]) and "05/2026" in item.title
    assert items(world.officer_a1, PUBLISH) == []  # an officer enters, the head publishes
    assert items(world.focal_a, PUBLISH) == []  # the department's own months, not each division's
    waiting["draft"].publish()
    assert items(world.head_a1, PUBLISH) == []


def test_the_home_page_and_the_api_list_them(world, waiting, login, api):
    page = login(world.officer_a1).get("/").content.decode()
    assert "Không phù hợp nặng quá hạn khắc phục" in page and "Quy trình ISO quá hạn rà soát" in page
    kinds = {i["kind"] for i in api(world.officer_a1).get("/api/v1/inbox/").json()}
    assert {LATE, REVIEW} <= kinds
    assert not {LATE, REVIEW, PUBLISH} & {i["kind"] for i in api(world.outsider).get("/api/v1/inbox/").json()}


def test_the_home_page_queries_do_not_grow_with_the_items(world, waiting, login):
    client = login(world.focal_a)
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    audit, announced = waiting["late"].audit, waiting["announced"]
    for n in range(5):
        process = f.process(
            world.units["P-A-1"], code=f"QT-{n + 10}", name=f"Quy trình {n}", review_in=-1, announcement=announced
        )
        f.finding(audit, process, due_in=-1)
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(before)
    assert len(items(world.focal_a, LATE)) == 6 and len(items(world.focal_a, REVIEW)) == 6
