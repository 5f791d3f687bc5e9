"""The review team of a plan (Tổ thống kê, rà soát) and forms given to named officers: who may join, who may be given
a form, the officer's to-do list, the audit trail, the pages and their query counts."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tinhgon.accounts.models import Role
from tinhgon.accounts.permissions import Policy
from tinhgon.accounts.tests.factories import MembershipFactory, UserFactory
from tinhgon.audit.models import AuditLogEntry
from tinhgon.core import inbox
from tinhgon.notifications.models import Notification
from tinhgon.reviews import services
from tinhgon.reviews.constants import TeamRole
from tinhgon.reviews.models import ReviewTeam
from tinhgon.reviews.tests import factories as f

pytestmark = pytest.mark.django_db

DEADLINE = date(2030, 6, 30)


@pytest.fixture
def review(world):
    f.parameters()
    procedure = f.publish(world, world.units["P-A-1"])
    return services.round_add_procedure(round=f.round_for(world, deadline=DEADLINE), procedure=procedure)


@pytest.fixture
def team(review):
    return services.team_save(round=review.round, decision_number="15/QĐ-SNV", signer="Nguyễn Văn A")


def officer(world, username="officer_a1_bis"):
    user = UserFactory(username=username, full_name="Trần Thị Bình")
    MembershipFactory(user=user, organisation=world.units["P-A-1"], role=Role.OFFICER)
    return user


def policy_of(user) -> Policy:
    return Policy(user=user, memberships=list(user.memberships_in_force()))


def kinds_for(user, review) -> set[str]:
    url = reverse("reviews:review", args=[review.pk])
    return {item.kind for item in inbox.items_for(policy_of(user)) if item.url == url}


def urls_of(review) -> list[tuple[str, str]]:
    round_pk = review.round_id
    return [
        ("get", reverse("reviews:team", args=[round_pk])),
        ("post", reverse("reviews:team", args=[round_pk])),
        ("post", reverse("reviews:team-member-add", args=[round_pk])),
        ("post", reverse("reviews:team-member-remove", args=[round_pk])),
        ("post", reverse("reviews:round-assign", args=[round_pk])),
        ("post", reverse("reviews:review-assign", args=[review.pk])),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_team_page(client, review):
    for method, url in urls_of(review):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url


def test_an_outsider_gets_404_on_every_team_page(world, review, login):
    client = login(world.outsider)
    for method, url in urls_of(review):
        assert getattr(client, method)(url).status_code == 404, url


def test_an_officer_sees_the_team_but_may_not_change_it_or_assign(world, review, team, login):
    client = login(world.officer_a1)
    assert client.get(reverse("reviews:team", args=[review.round_id])).status_code == 200
    for method, url in urls_of(review)[1:]:
        assert getattr(client, method)(url).status_code == 403, url


def test_the_focal_point_sets_up_the_team_with_its_decision(world, review, login):
    client = login(world.focal_a)
    url = reverse("reviews:team", args=[review.round_id])
    data = {"team-name": "Tổ thống kê, rà soát TTHC nội bộ giai đoạn 2022-2025", "team-decision_number": "15/QĐ-SNV"}
    data |= {"team-decision_date": "02/11/2022", "team-signer": "Nguyễn Văn A", "team-signer_title": "Giám đốc"}
    assert client.post(url, data).status_code == 302
    team = ReviewTeam.objects.get(round=review.round)
    assert (team.decision_number, team.decision_date) == ("15/QĐ-SNV", date(2022, 11, 2))
    assert "Quyết định số 15/QĐ-SNV ngày 02/11/2022" in client.get(url).content.decode()


def test_a_member_is_listed_with_role_and_unit_name(world, review, team, login):
    client = login(world.focal_a)
    url = reverse("reviews:team-member-add", args=[review.round_id])
    client.post(url, {"member-user": world.officer_a1.pk, "member-role": TeamRole.LEADER, "member-position": "CV"})
    page = client.get(reverse("reviews:team", args=[review.round_id])).content.decode()
    assert "Tổ trưởng" in page and "Đơn vị P-A-1" in page
    assert team.members.get().user == world.officer_a1


def test_a_person_outside_the_plans_organisation_cannot_join_the_team(world, team):
    for person in (world.focal_p, world.outsider):  # the province above P-A, another province
        with pytest.raises(ValidationError, match="không công tác tại Đơn vị P-A"):
            services.team_member_add(team=team, user=person)
    assert not team.members.exists()


def test_the_team_has_one_leader(world, team):
    services.team_member_add(team=team, user=world.leader_a, role=TeamRole.LEADER)
    with pytest.raises(ValidationError, match="đã có tổ trưởng"):
        services.team_member_add(team=team, user=world.focal_a, role=TeamRole.LEADER)


def test_with_a_team_only_a_member_may_be_given_a_form(world, review, team):
    with pytest.raises(ValidationError, match="không phải thành viên Tổ"):
        services.review_assign(review=review, assignee=world.officer_a1)
    services.team_member_add(team=team, user=world.officer_a1)
    assert services.review_assign(review=review, assignee=world.officer_a1).assignee == world.officer_a1


def test_a_team_member_who_may_not_fill_in_the_form_is_refused(world, review, team):
    services.team_member_add(team=team, user=world.leader_a, role=TeamRole.LEADER)
    with pytest.raises(ValidationError, match="không có quyền điền phiếu"):
        services.review_assign(review=review, assignee=world.leader_a)


def test_without_a_team_the_assignee_must_be_allowed_to_fill_in_the_form(world, review):
    with pytest.raises(ValidationError, match="không có quyền điền phiếu"):
        services.review_assign(review=review, assignee=world.leader_a)  # an agency leader does not fill forms
    assert services.review_assign(review=review, assignee=world.officer_a1).assignee == world.officer_a1


def test_the_assigned_officer_finds_the_form_in_their_to_do_list_with_the_plans_deadline(world, review):
    review.deadline = None
    review.save()
    services.review_assign(review=review, assignee=world.officer_a1)
    items = [i for i in inbox.items_for(policy_of(world.officer_a1)) if i.kind == "reviews.assigned_to_me"]
    assert [(i.url, i.due) for i in items] == [(reverse("reviews:review", args=[review.pk]), DEADLINE)]


def test_another_officer_of_the_same_unit_does_not_see_it_as_theirs(world, review):
    colleague = officer(world)
    assert kinds_for(colleague, review) == {"reviews.to_fill"}  # unassigned: the unit's form
    services.review_assign(review=review, assignee=world.officer_a1)
    assert kinds_for(colleague, review) == set()
    assert kinds_for(world.officer_a1, review) == {"reviews.assigned_to_me"}


def test_reassignment_is_audited_with_both_officers(world, review):
    colleague = officer(world)
    services.review_assign(review=review, assignee=world.officer_a1)
    services.review_assign(review=review, assignee=colleague)
    entries = AuditLogEntry.objects.filter(action="reviews.review.assigned", object_id=str(review.pk))
    assert entries.count() == 2
    assert entries.order_by("-id").first().changes["assignee_id"] == [world.officer_a1.pk, colleague.pk]


def test_the_officer_is_told_of_the_assignment(world, review):
    services.review_assign(review=review, assignee=world.officer_a1, by=world.focal_a)
    told = Notification.objects.get(recipient=world.officer_a1, kind="reviews.review.assigned")
    assert told.for_action and told.url == reverse("reviews:review", args=[review.pk])


def test_a_member_still_holding_forms_cannot_be_removed(world, review, team):
    member = services.team_member_add(team=team, user=world.officer_a1)
    services.review_assign(review=review, assignee=world.officer_a1)
    with pytest.raises(ValidationError, match="đang được giao 1 phiếu"):
        services.team_member_remove(member=member)
    services.review_assign(review=review, assignee=None)
    services.team_member_remove(member=member)
    assert not team.members.exists()


def test_the_plans_page_gives_ticked_forms_to_a_member_and_filters_mine(world, review, team, login):
    services.team_member_add(team=team, user=world.officer_a1)
    client = login(world.focal_a)
    response = client.post(
        reverse("reviews:round-assign", args=[review.round_id]),
        {"reviews": [review.pk], "assignee": world.officer_a1.pk},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.assignee == world.officer_a1
    mine = login(world.officer_a1).get(reverse("reviews:round", args=[review.round_id]) + "?giao=toi")
    assert review.procedure.code in mine.content.decode()
    theirs = login(world.focal_a).get(reverse("reviews:round", args=[review.round_id]) + "?giao=toi")
    assert review.procedure.code not in theirs.content.decode()


def test_a_malformed_assignee_filter_is_a_400_in_vietnamese(world, review, login):
    response = login(world.focal_a).get(reverse("reviews:round", args=[review.round_id]) + "?giao=abc")
    assert response.status_code == 400 and "“Giao cho” không hợp lệ" in response.content.decode()


def test_assigning_from_the_form_page_refuses_someone_not_allowed(world, review, login):
    client = login(world.focal_a)
    client.post(reverse("reviews:review-assign", args=[review.pk]), {"assignee": world.outsider.pk})
    review.refresh_from_db()
    assert review.assignee is None


def test_the_team_page_runs_a_constant_number_of_queries(world, review, team, login):
    client = login(world.focal_a)
    url = reverse("reviews:team", args=[review.round_id])
    services.team_member_add(team=team, user=world.officer_a1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        services.team_member_add(team=team, user=officer(world, f"member{n}"))
    services.review_assign(review=review, assignee=world.officer_a1)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_review_document_names_the_assigned_officer(world, review):
    from tinhgon.procedures.tests.test_documents import blocks
    from tinhgon.reviews.documents import review_docx

    world.officer_a1.full_name = "Lê Thị Rà Soát"
    world.officer_a1.save()
    services.review_assign(review=review, assignee=world.officer_a1)
    assert "Người rà soát | Lê Thị Rà Soát" in blocks(review_docx(review))
