"""Reform areas (lĩnh vực cải cách hành chính, ReformArea): seeded in order, one list for tasks and indicators, on the
indicator pages and forms, in the API and its filters; a hostile area parameter is a 400, never a 500."""

from datetime import date

from django.urls import reverse

import pytest

from tinhgon.plans.models import Indicator, ReformArea
from tinhgon.plans.tests import factories as f

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicators/"
TASKS = "/api/v1/tasks/"
SEEDED = [
    ("chi-dao-dieu-hanh", "Công tác chỉ đạo, điều hành"),
    ("the-che", "Cải cách thể chế"),
    ("thu-tuc-hanh-chinh", "Cải cách thủ tục hành chính"),
    ("to-chuc-bo-may", "Cải cách tổ chức bộ máy"),
    ("che-do-cong-vu", "Cải cách chế độ công vụ"),
    ("tai-chinh-cong", "Cải cách tài chính công"),
    ("chinh-quyen-so", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
]


def area(code: str) -> ReformArea:
    return ReformArea.objects.get(code=code)


@pytest.fixture
def indicators(world):
    """Three indicators of P: one on procedures, one on the civil service, one without an area."""
    org = world.units["P"]
    return {
        "procedures": Indicator.objects.create(
            name="Tỷ lệ hồ sơ giải quyết đúng hạn", target=100, organisation=org, area=area("thu-tuc-hanh-chinh")
        ),
        "service": Indicator.objects.create(
            name="Tỷ lệ công chức bố trí đúng vị trí việc làm", target=90, organisation=org, area=area("che-do-cong-vu")
        ),
        "none": Indicator.objects.create(name="Số sáng kiến được công nhận", target=7, organisation=org),
    }


def names(response) -> list[str]:
    return [row["indicator"].name for row in response.context["rows"]]


def test_the_seven_areas_are_seeded_in_the_order_of_the_cchc_index():
    assert list(ReformArea.objects.values_list("code", "name")) == SEEDED


def test_the_indicator_page_filters_by_area(world, login, indicators):
    response = login(world.oversight).get(reverse("plans:indicators"), {"area": "che-do-cong-vu"})
    assert response.status_code == 200
    assert names(response) == ["Tỷ lệ công chức bố trí đúng vị trí việc làm"]


def test_the_indicator_page_lists_those_without_an_area_under_null(world, login, indicators):
    response = login(world.oversight).get(reverse("plans:indicators"), {"area": "null"})
    assert names(response) == ["Số sáng kiến được công nhận"]
    assert "Chưa phân lĩnh vực" in response.content.decode()


def test_the_indicator_page_shows_each_indicators_area(world, login, indicators):
    text = login(world.oversight).get(reverse("plans:indicators")).content.decode()
    assert "Cải cách chế độ công vụ" in text and "Cải cách thủ tục hành chính" in text


def test_the_indicator_page_shows_a_page_at_a_time_keeping_the_filter(world, login, indicators, monkeypatch):
    from tinhgon.plans import indicator_views

    monkeypatch.setattr(indicator_views, "PER_PAGE", 1)
    client = login(world.oversight)
    first = client.get(reverse("plans:indicators"), {"area": ""})
    second = client.get(reverse("plans:indicators"), {"area": "", "trang": 2})
    assert first.context["page"].paginator.count == 3 and len(names(first)) == 1
    assert names(first) != names(second)
    assert "area=&amp;trang=2" in first.content.decode()


@pytest.mark.parametrize("hostile", ["khong-co", "' OR 1=1 --", "x" * 300, "<script>", "1"])
def test_a_hostile_area_parameter_is_a_form_error_in_vietnamese_not_a_500(world, login, indicators, hostile):
    response = login(world.oversight).get(reverse("plans:indicators"), {"area": hostile})
    assert response.status_code == 200  # like the page's other filters (test_filters.py): the error under the field
    assert "Hãy chọn một lựa chọn hợp lệ" in str(response.context["filters"].errors["area"])
    assert response.context["rows"] == []


@pytest.mark.parametrize("url", [INDICATORS, TASKS])
def test_a_hostile_area_parameter_in_the_api_is_a_400(api, world, url):
    assert api(world.oversight).get(url, {"area": "khong-co"}).status_code == 400


def test_the_indicator_form_sets_the_area(world, login, indicators):
    data = {
        "name": "Tỷ lệ văn bản QPPL được rà soát",
        "area": area("the-che").pk,
        "organisation": world.units["P"].pk,
        "unit": "%",
        "direction": "gte",
        "target": "100",
        "period": "yearly",
        "source": "manual",
    }
    response = login(world.focal_p).post(reverse("plans:indicators"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Indicator.objects.get(name=data["name"]).area.code == "the-che"


def test_the_indicator_detail_names_its_area(world, login, indicators):
    response = login(world.oversight).get(reverse("plans:indicator", args=[indicators["service"].pk]))
    assert "Cải cách chế độ công vụ" in response.content.decode()


def test_the_api_sets_an_indicator_area_by_code_and_filters_by_it(api, world, indicators):
    body = {"name": "Tỷ lệ chi đúng quy chế chi tiêu nội bộ", "target": "100", "organisation": "P"}
    created = api(world.focal_p).post(INDICATORS, {**body, "area": "tai-chinh-cong"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["area"] == "tai-chinh-cong"
    listed = api(world.oversight).get(INDICATORS, {"area": "tai-chinh-cong"}).json()
    assert [row["name"] for row in listed["results"]] == [body["name"]]


def test_the_api_refuses_an_unknown_area_on_an_indicator(api, world):
    body = {"name": "Chỉ tiêu", "target": "1", "organisation": "P", "area": "khong-co"}
    assert api(world.focal_p).post(INDICATORS, body, format="json").status_code == 400


def test_a_task_carries_its_area_in_the_api_and_on_its_page(api, world, login):
    plan = f.plan(world.units["P"], period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    task = f.task(plan, world.units["P-A"], area=area("to-chuc-bo-may"))
    assert api(world.oversight).get(f"{TASKS}{task.pk}/").json()["area"] == "to-chuc-bo-may"
    assert api(world.oversight).get(TASKS, {"area": "to-chuc-bo-may"}).json()["count"] == 1
    text = login(world.oversight).get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "Cải cách tổ chức bộ máy" in text


def test_the_task_form_offers_the_areas(world, login):
    plan = f.plan(world.units["P"], period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    form = login(world.focal_p).get(reverse("plans:task-add", args=[plan.pk])).context["form"]
    assert [label for _, label in form.fields["area"].choices][:2] == ["(chưa phân lĩnh vực)", SEEDED[0][1]]


# The Excel task import: the group headings of a plan's table name the areas ----------------------------------------


def _rows(*headings_and_tasks):
    return [
        [code, title] if lead is None else [code, title, lead, "", "", "30/06/2026", ""]
        for code, title, lead in headings_and_tasks
    ]


def test_an_area_heading_in_the_task_import_sets_the_area_of_the_tasks_below(world):
    from tinhgon.plans.excel_import import import_tasks
    from tinhgon.plans.tests.test_excel_import import xlsx

    plan = f.plan(world.units["P"], period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    rows = _rows(
        ("I", "CẢI CÁCH THỂ CHẾ", None),
        ("1", "Rà soát văn bản quy phạm pháp luật", "P-A"),
        ("1.1", "Nhóm nhiệm vụ theo dõi thi hành pháp luật", None),  # a sub-heading keeps its area
        ("2", "Theo dõi thi hành pháp luật", "P-A"),
        ("II", "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ, CHÍNH PHỦ SỐ", None),
        ("3", "Số hóa hồ sơ", "P-A"),
    )
    result = import_tasks(xlsx(rows), plan=plan, by=world.focal_p)
    assert result.ok, [str(e) for e in result.errors]
    areas = dict(plan.tasks.values_list("code", "area__code"))
    assert areas == {"1": "the-che", "2": "the-che", "3": "chinh-quyen-so"}


def test_a_task_import_without_area_headings_keeps_the_areas_set_in_the_app(world):
    from tinhgon.plans.excel_import import import_tasks
    from tinhgon.plans.tests.test_excel_import import xlsx

    plan = f.plan(world.units["P"], period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    from tinhgon.plans.tests.test_excel_import import HEADERS

    task = f.task(plan, world.units["P-A"], code="1", title="Số hóa hồ sơ", area=area("chinh-quyen-so"))
    rows = [[*row, f"NV-{task.pk}"] for row in _rows(("1", "Số hóa hồ sơ, kết quả", "P-A"))]
    result = import_tasks(xlsx(rows, [*HEADERS, "Mã nhiệm vụ"]), plan=plan, by=world.focal_p)
    assert result.ok and result.updated == 1
    assert plan.tasks.get().area.code == "chinh-quyen-so"


def test_the_areas_are_edited_in_the_admin(admin_client):
    response = admin_client.post(
        "/quan-tri/plans/reformarea/add/",
        {"order": 8, "code": "tac-dong-cchc", "name": "Tác động của cải cách hành chính", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert admin_client.get("/quan-tri/plans/reformarea/").status_code == 200
    assert ReformArea.objects.last().name == "Tác động của cải cách hành chính"
