"""The plan lists' FilterSets (plans/filters.py) on the pages: what they select, and hostile parameters shown as
form errors (an empty list), never a server error."""

from django.urls import reverse

import pytest

from tinhgon.plans.models import Indicator
from tinhgon.plans.tests import factories as f

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def plans(world):
    return {
        "p": f.plan(world.units["P"], title="KE HOACH TINH 2026", year=2026),
        "a": f.plan(world.units["P-A"], title="KE HOACH SO A 2025", year=2025),
    }


def rows(page: str, *plans) -> list[bool]:
    return [f'id="plan-{plan.pk}"' in page for plan in plans]


def test_the_plan_list_filters_by_issuer_code(world, plans, login):
    page = text(login(world.focal_p).get(reverse("plans:plans"), {"issuer": "P-A"}))
    assert rows(page, plans["a"], plans["p"]) == [True, False]


def test_the_plan_list_filters_by_year(world, plans, login):
    page = text(login(world.focal_p).get(reverse("plans:plans"), {"year": "2026"}))
    assert rows(page, plans["p"], plans["a"]) == [True, False]


def test_the_plan_list_shows_the_children_of_a_plan_when_asked(world, plans, login):
    child = f.plan(world.units["P-A"], title="KE HOACH CON", year=2026, parent_plan=plans["p"])
    page = text(login(world.focal_p).get(reverse("plans:plans"), {"parent_plan": plans["p"].pk}))
    assert rows(page, child, plans["a"]) == [True, False]


def test_the_issuers_offered_are_those_of_the_plans_the_user_sees(world, plans, login):
    f.plan(world.units["Q"], title="Kế hoạch tỉnh Q")
    page = text(login(world.leader_a).get(reverse("plans:plans")))
    assert 'value="P-A"' in page and 'value="Q"' not in page


@pytest.mark.parametrize(
    "params",
    [{"year": "0"}, {"year": "abc"}, {"issuer": "Q"}, {"kind": "x" * 500}, {"parent_plan": "abc"}, {"trang": "abc"}],
)
def test_hostile_plan_list_parameters_are_answered_with_the_page(world, plans, login, params):
    assert login(world.focal_p).get(reverse("plans:plans"), params).status_code == 200


def test_a_bad_year_is_a_form_error_and_lists_nothing(world, plans, login):
    page = text(login(world.focal_p).get(reverse("plans:plans"), {"year": "0"}))
    assert "invalid-feedback" in page and rows(page, plans["p"], plans["a"]) == [False, False]


def test_an_issuer_out_of_sight_is_a_form_error(world, plans, login):
    theirs = f.plan(world.units["Q"], title="Kế hoạch tỉnh Q")
    page = text(login(world.leader_a).get(reverse("plans:plans"), {"issuer": "Q"}))
    assert "invalid-feedback" in page and rows(page, theirs) == [False]


def test_the_indicator_list_filters_by_source(world, login):
    Indicator.objects.create(name="CHI TIEU TAY", target=1, organisation=world.units["P"])
    Indicator.objects.create(name="CHI TIEU TU DONG", target=1, organisation=world.units["P"], source="review_coverage")
    page = text(login(world.focal_p).get(reverse("plans:indicators"), {"source": "manual"}))
    assert "CHI TIEU TAY" in page and "CHI TIEU TU DONG" not in page


@pytest.mark.parametrize("params", [{"plan": "x"}, {"source": "nope"}, {"organisation": "Y" * 41}])
def test_hostile_indicator_list_parameters_are_form_errors(world, login, params):
    response = login(world.focal_p).get(reverse("plans:indicators"), params)
    assert response.status_code == 200 and (
        "text-danger small" in text(response) or "invalid-feedback" in text(response)
    )


def test_a_malformed_score_is_a_message_not_an_error(world, login):
    from tinhgon.plans.models import Scorecard, ScoreCriterion

    card = Scorecard.objects.create(organisation=world.units["P-A"], year=2026, title="Chỉ số")
    leaf = ScoreCriterion.objects.create(scorecard=card, code="1", title="Tiêu chí", max_points=10)
    url = reverse("plans:scorecard-self-assess", args=[card.pk])
    post = {"criterion": leaf.pk, "self_score": "mười", "evidence": ""}
    response = login(world.focal_a).post(url, post, follow=True)
    assert response.status_code == 200 and "nhập điểm là một số" in text(response)


def test_a_criterion_of_another_scorecard_is_404(world, login):
    from tinhgon.plans.models import Scorecard, ScoreCriterion

    card = Scorecard.objects.create(organisation=world.units["P-A"], year=2026, title="Chỉ số")
    other = Scorecard.objects.create(organisation=world.units["Q-A"], year=2026, title="Chỉ số")
    theirs = ScoreCriterion.objects.create(scorecard=other, code="1", title="Tiêu chí", max_points=10)
    post = {"criterion": theirs.pk, "self_score": "5", "evidence": ""}
    assert login(world.focal_a).post(reverse("plans:scorecard-self-assess", args=[card.pk]), post).status_code == 404


def test_a_clean_indicator_list_shows_no_filter_error(world, login):
    page = text(login(world.focal_p).get(reverse("plans:indicators")))
    assert "text-danger small" not in page and "invalid-feedback" not in page
