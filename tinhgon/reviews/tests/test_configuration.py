"""Configuration data: the question bank is versioned (a set in use is frozen), milestones and parameters are
managed in the admin; service guards that keep plans inside their organisation."""

from django.core.exceptions import ValidationError

import pytest

from tinhgon.reviews import services
from tinhgon.reviews.models import Question, QuestionSet
from tinhgon.reviews.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_question_set_in_use_is_frozen_and_a_new_version_copies_it(world, admin_client):
    bank = QuestionSet.current()
    url = f"/quan-tri/reviews/questionset/{bank.pk}/change/"
    assert 'name="questions-0-text"' in admin_client.get(url).content.decode()  # unused: editable
    f.publish(world, world.units["P-A"])
    services.round_add_all_published(round=f.round_for(world))
    page = admin_client.get(url).content.decode()
    assert 'name="questions-0-text"' not in page and bank.questions.first().text in page

    admin_client.post("/quan-tri/reviews/questionset/", {"action": "new_version", "_selected_action": [bank.pk]})
    copy = QuestionSet.objects.get(code=bank.code, version=bank.version + 1)
    assert not copy.is_current and copy.questions.count() == bank.questions.count()
    data = {"code": copy.code, "version": copy.version, "title": copy.title, "is_current": "on"}
    data.update({"questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0})
    admin_client.post(f"/quan-tri/reviews/questionset/{copy.pk}/change/", data)
    assert QuestionSet.current() == copy and not QuestionSet.objects.get(pk=bank.pk).is_current
    assert Question.objects.filter(question_set=bank).count() == copy.questions.count()


def test_configuration_pages_are_for_administrators_only(world, client):
    client.force_login(world.focal_a)
    assert client.get("/quan-tri/reviews/milestone/").status_code == 302  # to the admin login


def test_a_plan_only_takes_procedures_of_its_organisation(world):
    other = f.publish(world, world.units["P-B"], "Thủ tục của sở B")
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        services.round_add_procedure(round=f.round_for(world, org=world.units["P-A"]), procedure=other)


def test_a_move_on_a_form_changed_meanwhile_is_refused(world):
    f.publish(world, world.units["P-A"])
    (review,) = services.round_add_all_published(round=f.round_for(world))
    f.filled(review)
    review.submit()
    seen_by_other_tab = type(review).objects.get(pk=review.pk)
    review.send_back("Bổ sung")
    with pytest.raises(ValidationError, match="Không thể kiểm soát"):
        seen_by_other_tab.control()  # it still says "submitted", the stored row says "returned"
