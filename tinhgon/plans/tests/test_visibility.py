"""The plans' visibility rules (models' visible_to and permits) and the pages and downloads built on them: a unit
taking part in a provincial plan reads the plan and its tasks, but only its own part of each task; the task's lead
and the plan's issuer read every part; files are served only through the app's views."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.permissions import Policy
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.core.dates import today
from tinhgon.plans import services
from tinhgon.plans.models import (
    Assignment,
    Comment,
    Evidence,
    ExtensionRequest,
    Indicator,
    IndicatorValue,
    Plan,
    Scorecard,
    ScoreCriterion,
    Task,
)
from tinhgon.plans.tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% minh chung\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
D90 = timedelta(days=90)  # the plan runs past the deadlines set, in December too


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def visible(model, user) -> set:
    return set(model.objects.visible_to(policy_of(user)).values_list("pk", flat=True))


def text(response) -> str:
    return response.content.decode()


def pdf(name="bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def officer_b(world):
    """An officer of P-B, the sibling of P-A."""
    user = UserFactory(username="officer_b")
    MembershipFactory(user=user, organisation=world.units["P-B"], role=Role.OFFICER)
    return user


@pytest.fixture
def shared(world):
    """A provincial plan: task 1 led by P-VP and executed by P-A-1 and P-B, each with a report and evidence; task 2
    led by P-A with P-B coordinating."""
    u = world.units
    year = today().year
    plan = f.plan(u["P"], title="Kế hoạch tỉnh", year=year, period_end=max(date(year, 12, 31), today() + D90))
    one = f.task(plan, u["P-VP"], executing=[u["P-A-1"], u["P-B"]], deadline=today() + timedelta(days=20))
    two = f.task(plan, u["P-A"], code="2", coordinating=[u["P-B"]], deadline=today() + timedelta(days=20))
    parts = {
        "a1": one.assignments.get(organisation=u["P-A-1"]),
        "b": one.assignments.get(organisation=u["P-B"]),
        "vp": one.assignments.get(organisation=u["P-VP"]),
        "lead_a": two.assignments.get(organisation=u["P-A"]),
        "b2": two.assignments.get(organisation=u["P-B"]),
    }
    services.assignment_report(assignment=parts["b"], progress=40, report="BAO CAO CUA SO B")
    evidence = services.evidence_add(assignment=parts["b"], title="MINH CHUNG SO B", file=pdf())
    return {"plan": plan, "one": one, "two": two, "evidence": evidence, **parts}


# The rules ----------------------------------------------------------------------------------------------------------


def test_a_plan_is_visible_within_its_issuers_scope_and_to_the_units_assigned_in_it(world, shared, officer_b):
    plan = shared["plan"]
    department = f.plan(world.units["P-A"], title="Kế hoạch của sở A")
    assert visible(Plan, world.focal_p) == {plan.pk, department.pk}
    assert visible(Plan, officer_b) == {plan.pk}  # P-B has assignments in the provincial plan only
    assert visible(Plan, world.leader_a) == {plan.pk, department.pk}
    assert visible(Plan, world.outsider) == set()


def test_a_division_reads_the_plans_its_department_executes(world):
    """Issue 13: officers of a division got 404 on the provincial plan their Sở executes."""
    plan = f.plan(world.units["P"], title="Kế hoạch tỉnh giao sở A")
    f.task(plan, world.units["P-VP"], executing=[world.units["P-A"]])
    assert plan.pk in visible(Plan, world.officer_a1)
    assert plan.pk not in visible(Plan, world.outsider)


def test_a_unit_does_not_read_the_plans_a_sibling_executes(world, officer_b):
    plan = f.plan(world.units["P"], title="Kế hoạch tỉnh giao sở A")
    f.task(plan, world.units["P-VP"], executing=[world.units["P-A"]])
    assert plan.pk not in visible(Plan, officer_b)


def test_a_task_is_visible_exactly_when_its_plan_is(world, shared):
    other = f.task(shared["plan"], world.units["P-VP"], code="3")  # nothing of P-A-1's in it
    assert visible(Task, world.officer_a1) == {shared["one"].pk, shared["two"].pk, other.pk}
    assert visible(Task, world.outsider_admin) == set()


def test_an_assignment_is_visible_to_its_unit_only_among_the_units_of_a_plan(world, shared, officer_b):
    assert visible(Assignment, world.officer_a1) == {shared["a1"].pk}
    assert visible(Assignment, officer_b) == {shared["b"].pk, shared["b2"].pk}


def test_the_tasks_lead_sees_every_part_of_its_task(world, shared):
    """P-A leads task 2: its leader gathers P-B's coordinating part; in task 1 P-A only sees P-A-1's, below it."""
    seen = visible(Assignment, world.leader_a)
    assert {shared["lead_a"].pk, shared["b2"].pk, shared["a1"].pk} == seen


def test_the_plans_issuer_sees_every_part(world, shared):
    assert visible(Assignment, world.focal_p) == set(Assignment.objects.values_list("pk", flat=True))


def test_the_rule_finds_the_same_parts_for_a_whole_tree_and_for_a_few_units(world, shared, officer_b, monkeypatch):
    """Assignment.visible_to shapes its query by the scope's size (ORed conditions for a whole tree, a union of ids
    for a few units): both shapes must give every user the same parts."""
    users = [world.officer_a1, officer_b, world.leader_a, world.focal_p, world.oversight, world.outsider]
    seen = {}
    for whole in (True, False):
        monkeypatch.setattr(Policy, "sees_whole_tree", lambda self, action, whole=whole: whole)
        seen[whole] = [visible(Assignment, user) for user in users]
    assert seen[True] == seen[False]
    assert [len(parts) for parts in seen[True]] == [1, 2, 3, 5, 5, 0]


def test_evidence_extensions_and_comments_follow_the_part_they_are_about(world, shared, officer_b):
    extension = services.extension_request(
        assignment=shared["b"], new_due_on=shared["b"].due_on + timedelta(days=9), reason="Chờ ý kiến"
    )
    about_b = Comment.objects.create(task=shared["one"], assignment=shared["b"], author=officer_b, text="Riêng")
    general = services.comment_add(task=shared["one"], author=officer_b, text="Chung")
    assert visible(Evidence, world.officer_a1) == set() and visible(Evidence, officer_b) == {shared["evidence"].pk}
    assert visible(ExtensionRequest, world.officer_a1) == set()
    assert visible(ExtensionRequest, world.focal_p) == {extension.pk}
    assert visible(Comment, world.officer_a1) == {general.pk}
    assert visible(Comment, officer_b) == {general.pk, about_b.pk}


def test_indicators_and_scorecards_are_visible_within_their_organisations_scope(world):
    indicator = Indicator.objects.create(name="Chỉ tiêu", target=90, organisation=world.units["P-A"])
    card = Scorecard.objects.create(organisation=world.units["P-A"], year=2026, title="Chỉ số")
    leaf = ScoreCriterion.objects.create(scorecard=card, code="1", title="Tiêu chí", max_points=10)
    assert visible(Indicator, world.leader_a) == {indicator.pk} and visible(Indicator, world.officer_a1) == set()
    assert visible(Scorecard, world.oversight) == {card.pk} and visible(Scorecard, world.outsider) == set()
    assert visible(ScoreCriterion, world.leader_a) == {leaf.pk} and visible(ScoreCriterion, world.outsider) == set()


def test_reporting_is_the_units_and_deciding_an_extension_is_the_issuers(world, shared):
    a1 = shared["a1"]
    assert a1.permits(policy_of(world.officer_a1), "plans.report")
    assert not a1.permits(policy_of(world.officer_a1), "plans.manage")
    assert a1.permits(policy_of(world.focal_p), "plans.manage")
    assert not a1.permits(policy_of(world.leader_a), "plans.manage")  # P-A manages its own plans, not P's


# Pages --------------------------------------------------------------------------------------------------------------


def test_the_task_page_lists_only_the_parts_the_user_may_see(world, shared, officer_b, login):
    page = text(login(world.officer_a1).get(reverse("plans:task", args=[shared["one"].pk])))
    assert f'id="assignment-{shared["a1"].pk}"' in page
    assert f'id="assignment-{shared["b"].pk}"' not in page
    assert "BAO CAO CUA SO B" not in page and "MINH CHUNG SO B" not in page


def test_the_plans_issuer_reads_every_report_on_the_task_page(world, shared, login):
    page = text(login(world.focal_p).get(reverse("plans:task", args=[shared["one"].pk])))
    assert "BAO CAO CUA SO B" in page and "MINH CHUNG SO B" in page


def test_a_sibling_units_report_page_is_404(world, shared, login):
    client = login(world.officer_a1)
    assert client.get(reverse("plans:assignment", args=[shared["b"].pk])).status_code == 404


def test_a_sibling_units_evidence_is_404(world, shared, login):
    client = login(world.officer_a1)
    assert client.get(reverse("plans:evidence-file", args=[shared["evidence"].pk])).status_code == 404


def test_the_outsider_gets_404_for_every_file(world, shared, login):
    attachment = services.attachment_add(plan=shared["plan"], title="Kế hoạch gốc", file=pdf("kh.pdf"))
    value = _value_with_evidence(world)
    client = login(world.outsider_admin)
    for url in [
        reverse("plans:evidence-file", args=[shared["evidence"].pk]),
        reverse("plans:attachment-file", args=[attachment.pk]),
        reverse("plans:indicator-value-file", args=[value.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def _value_with_evidence(world) -> IndicatorValue:
    from tinhgon.plans import indicators

    indicator = Indicator.objects.create(name="Hồ sơ đúng hạn", target=90, organisation=world.units["P-A"])
    span = indicators.periods_of(indicator)[0]
    return indicators.indicator_value_enter(indicator=indicator, span=span, value=95, evidence=pdf("so-lieu.pdf"))


def test_evidence_is_linked_to_and_served_by_its_download_view(world, shared, login):
    client = login(world.focal_p)
    url = reverse("plans:evidence-file", args=[shared["evidence"].pk])
    assert f'href="{url}"' in text(client.get(reverse("plans:task", args=[shared["one"].pk])))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"


def test_no_page_links_to_the_media_url(world, shared, login):
    services.attachment_add(plan=shared["plan"], title="Kế hoạch gốc", file=pdf("kh.pdf"))
    client = login(world.focal_p)
    for url in [
        reverse("plans:plan", args=[shared["plan"].pk]),
        reverse("plans:task", args=[shared["one"].pk]),
        reverse("plans:assignment", args=[shared["b"].pk]),
    ]:
        assert "/media/" not in text(client.get(url)), url


def test_a_plans_attachment_is_downloaded_by_whoever_sees_the_plan(world, shared, officer_b, login):
    attachment = services.attachment_add(plan=shared["plan"], title="Kế hoạch gốc", file=pdf("kh.pdf"))
    url = reverse("plans:attachment-file", args=[attachment.pk])
    assert f'href="{url}"' in text(login(officer_b).get(reverse("plans:plan", args=[shared["plan"].pk])))
    assert login(officer_b).get(url).status_code == 200


def test_an_indicator_values_evidence_is_downloaded_within_the_indicators_scope(world, login):
    value = _value_with_evidence(world)
    url = reverse("plans:indicator-value-file", args=[value.pk])
    page = text(login(world.leader_a).get(reverse("plans:indicator", args=[value.indicator_id])))
    assert f'href="{url}"' in page
    assert login(world.leader_a).get(url).status_code == 200
    assert login(world.officer_a1).get(url).status_code == 404  # P-A's indicator is above P-A-1


def test_the_plan_page_hides_lower_plans_the_user_may_not_see(world, shared, officer_b, login):
    f.plan(world.units["P-A"], title="KE HOACH RIENG CUA SO A", parent_task=shared["two"])
    page = text(login(officer_b).get(reverse("plans:plan", args=[shared["plan"].pk])))
    assert "KE HOACH RIENG CUA SO A" not in page
    assert "KE HOACH RIENG CUA SO A" in text(login(world.leader_a).get(reverse("plans:plan", args=[shared["plan"].pk])))


def test_a_sibling_may_not_manage_a_plan_it_only_takes_part_in(world, shared, officer_b, login):
    client = login(officer_b)
    assert client.get(reverse("plans:task-edit", args=[shared["one"].pk])).status_code == 403
    assert client.get(reverse("plans:task-import", args=[shared["plan"].pk])).status_code == 403


def test_the_task_import_of_an_unseen_plan_is_404(world, shared, login):
    department = f.plan(world.units["P-A"], title="Kế hoạch của sở A")
    client = login(world.outsider_admin)
    assert client.get(reverse("plans:task-import", args=[department.pk])).status_code == 404
    assert client.post(reverse("plans:task-import-confirm", args=[department.pk])).status_code == 404


def test_the_overdue_page_of_an_unseen_unit_is_404(world, login):
    client = login(world.leader_a)
    assert client.get(reverse("plans:overdue") + "?org=P-B").status_code == 404
    assert client.get(reverse("plans:overdue") + "?org=" + "X" * 900).status_code == 404
    assert client.get(reverse("plans:overdue") + "?org=P-A-1").status_code == 200


def test_my_assignments_list_only_my_units_parts(world, shared, officer_b, login):
    page = text(login(officer_b).get(reverse("plans:mine")))
    assert f"assignment-{shared['b'].pk}" in page and f"assignment-{shared['a1'].pk}" not in page


def test_a_sibling_departments_own_plan_is_404(world, login):
    theirs = f.plan(world.units["P-B"], title="Kế hoạch của sở B")
    task = f.task(theirs, world.units["P-B"])
    client = login(world.leader_a)
    assert client.get(reverse("plans:plan", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 404
    assert client.post(reverse("plans:task-delete", args=[task.pk])).status_code == 404
