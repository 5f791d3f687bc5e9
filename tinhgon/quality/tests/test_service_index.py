"""The QĐ 766 index: a unit's monthly scores within each component group's maximum (refused above it, in
Vietnamese), one row per unit per month, the total as the sum of the parts, published by the unit's head or the
focal point and never edited once published; the table of units by month with their rank; the public page, which
shows published months only, to anyone, in a fixed number of queries."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tinhgon.core.dates import today
from tinhgon.quality import services
from tinhgon.quality.constants import ScoreStatus
from tinhgon.quality.models import ServiceIndexComponent, ServiceIndexScore
from tinhgon.quality.tests import factories as f

pytestmark = pytest.mark.django_db

PUBLIC = "/cong-khai/chi-so-766/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAY = date(2026, 5, 1)
JUNE = date(2026, 6, 1)


def text(response) -> str:
    return response.content.decode()


def components() -> dict[str, ServiceIndexComponent]:
    return {c.code: c for c in services.active_components()}


def entry(unit, month="05/2026", **points) -> dict:
    values = {f"c_{code}": "10" for code in components()}
    values.update({f"c_{code}": value for code, value in points.items()})
    return {"organisation": unit.pk, "month": month, "note": "", **values}


def test_the_seeded_groups_are_the_five_of_the_decision_worth_100_points():
    found = {c.name: c.max_points for c in services.active_components()}
    assert found == {
        "Công khai, minh bạch": 18,
        "Tiến độ, kết quả giải quyết": 20,
        "Số hóa hồ sơ": 22,
        "Cung cấp dịch vụ trực tuyến": 22,
        "Mức độ hài lòng": 18,
    }
    assert services.max_total(services.active_components()) == 100


def test_a_score_above_a_groups_maximum_is_refused_in_vietnamese(world, login):
    data = entry(world.units["P-A"], **{"cong-khai-minh-bach": "18,5"})
    response = login(world.focal_a).post(reverse("quality:score-enter"), data)
    assert response.status_code == 200
    assert "Điểm “Công khai, minh bạch” tối đa 18 điểm." in text(response)
    assert not ServiceIndexScore.objects.exists()


def test_the_service_refuses_it_too_whatever_the_caller(world):
    points = {c: Decimal(10) for c in services.active_components()}
    points[components()["muc-do-hai-long"]] = Decimal("18.25")
    with pytest.raises(ValidationError) as refused:
        services.score_save(score=ServiceIndexScore(organisation=world.units["P-A"], month=MAY), points=points)
    assert refused.value.messages == ["Điểm “Mức độ hài lòng” tối đa 18 điểm (đã nhập 18,25)."]
    assert not ServiceIndexScore.objects.exists()


def test_a_negative_score_and_an_empty_form_are_refused(world, login):
    client = login(world.focal_a)
    negative = client.post(reverse("quality:score-enter"), entry(world.units["P-A"], **{"so-hoa-ho-so": "-1"}))
    assert "Điểm “Số hóa hồ sơ” không được âm." in text(negative)
    empty = {"organisation": world.units["P-A"].pk, "month": "05/2026"}
    assert "Nhập điểm ít nhất một nhóm chỉ số." in text(client.post(reverse("quality:score-enter"), empty))
    assert not ServiceIndexScore.objects.exists()


def test_the_unit_enters_its_month_and_the_total_is_the_sum(world, login):
    data = entry(world.units["P-A"], **{"cong-khai-minh-bach": "16,5", "muc-do-hai-long": "17.25"})
    data["evidence"] = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    response = login(world.focal_a).post(reverse("quality:score-enter"), data)
    score = ServiceIndexScore.objects.get()
    assert response.status_code == 302 and response.url == reverse("quality:score", args=[score.pk])
    assert score.month == MAY and score.total == Decimal("63.75") and score.status == ScoreStatus.DRAFT
    assert score.entered_by == world.focal_a and score.evidence.name.endswith(".pdf")
    page = text(login(world.focal_a).get(response.url))
    assert "63,75" in page and "Tệp minh chứng" in page


def test_a_second_entry_for_the_same_month_is_refused(world, login):
    f.score(world.units["P-A"], MAY)
    response = login(world.focal_a).post(reverse("quality:score-enter"), entry(world.units["P-A"], "05/2026"))
    assert response.status_code == 200
    assert "Đơn vị P-A đã có điểm tháng 05/2026: mở bản đã nhập để sửa." in text(response)
    assert ServiceIndexScore.objects.count() == 1
    with pytest.raises(ValidationError, match="đã có điểm tháng 05/2026"):
        f.score(world.units["P-A"], date(2026, 5, 20))


def test_a_month_is_typed_as_mm_yyyy_and_a_date_is_refused(world, login):
    client = login(world.focal_a)
    assert "Nhập tháng theo dạng mm/yyyy" in text(
        client.post(reverse("quality:score-enter"), entry(world.units["P-A"], "31/05/2026"))
    )
    assert client.post(reverse("quality:score-enter"), entry(world.units["P-A"], "2026-06")).status_code == 302
    assert ServiceIndexScore.objects.get().month == JUNE


def test_an_officer_enters_only_for_the_units_of_its_scope(world, login):
    client = login(world.officer_a1)
    form = text(client.get(reverse("quality:score-enter")))
    assert f'value="{world.units["P-A-1"].pk}"' in form and f'value="{world.units["P-A"].pk}"' not in form
    refused = client.post(reverse("quality:score-enter"), entry(world.units["P-A"]))
    assert refused.status_code == 200 and not ServiceIndexScore.objects.exists()
    assert login(world.oversight).get(reverse("quality:score-enter")).status_code == 403


def test_who_publishes_a_month(world, login):
    division = f.score(world.units["P-A-1"], MAY)
    department = f.score(world.units["P-A"], MAY)
    assert login(world.officer_a1).post(reverse("quality:score-publish", args=[division.pk])).status_code == 403
    # the division head publishes the division's month, not the department's (unit scope)
    assert login(world.head_a1).post(reverse("quality:score-publish", args=[department.pk])).status_code == 404
    assert login(world.head_a1).post(reverse("quality:score-publish", args=[division.pk])).status_code == 302
    assert login(world.focal_a).post(reverse("quality:score-publish", args=[department.pk])).status_code == 302
    division.refresh_from_db()
    department.refresh_from_db()
    assert division.status == department.status == ScoreStatus.PUBLISHED
    assert division.published_by == world.head_a1 and division.published_on == today()


def test_a_published_month_is_corrected_only_after_it_is_withdrawn(world, login):
    score = f.score(world.units["P-A"], MAY, publish=True)
    client = login(world.focal_a)
    response = client.post(reverse("quality:score", args=[score.pk]), entry(world.units["P-A"]), follow=True)
    assert "thu hồi công khai trước khi sửa" in text(response)
    with pytest.raises(ValidationError, match="thu hồi công khai trước khi sửa"):
        services.score_save(score=score, points=f.points(Decimal(12)))
    client.post(reverse("quality:score-withdraw", args=[score.pk]))
    score.refresh_from_db()
    assert score.status == ScoreStatus.DRAFT
    data = {**entry(world.units["P-A"]), "row_version": score.row_version, "note": "Sửa theo kết quả trên Cổng"}
    data.update({f"c_{code}": "12" for code in components()})
    assert client.post(reverse("quality:score", args=[score.pk]), data).status_code == 302
    score.refresh_from_db()
    assert score.total == 60 and score.note == "Sửa theo kết quả trên Cổng"
    page = text(client.get(reverse("quality:score", args=[score.pk])))
    assert "Thu hồi công khai điểm Bộ chỉ số 766 tháng" in page and "Công khai điểm Bộ chỉ số 766 tháng" in page


def test_publishing_twice_is_refused_with_a_message(world, login):
    score = f.score(world.units["P-A"], MAY, publish=True)
    response = login(world.focal_a).post(reverse("quality:score-publish", args=[score.pk]), follow=True)
    assert "đã được thực hiện" in text(response)


def test_the_table_ranks_the_units_each_month(world, login):
    f.score(world.units["P-A"], MAY, each=Decimal(15))
    f.score(world.units["P-A-1"], MAY, each=Decimal(12))
    f.score(world.units["P-A-1"], JUNE, each=Decimal(16), publish=True)
    f.score(world.units["P-B"], MAY, each=Decimal(18))  # not in P-A's scope
    page = text(login(world.focal_a).get(reverse("quality:scores"), {"nam": 2026}))
    table = page.split('id="score-table"')[1]
    assert "Đơn vị P-A-1" in table and "Đơn vị P-B" not in table
    assert table.count("hạng 1/2") == 1 and table.count("hạng 2/2") == 1 and "hạng 1/1" in table
    assert "fst-italic" in table  # drafts are told apart


def test_the_evidence_is_served_to_who_sees_the_score(world, login):
    score = services.score_save(
        score=ServiceIndexScore(organisation=world.units["P-A"], month=MAY),
        points=f.points(),
        evidence=SimpleUploadedFile("mc.pdf", PDF, content_type="application/pdf"),
    )
    assert login(world.officer_a1).get(reverse("quality:score-evidence", args=[score.pk])).status_code == 404
    assert login(world.focal_a).get(reverse("quality:score-evidence", args=[score.pk])).status_code == 200


def test_the_public_page_shows_published_months_only_to_anyone(world, client):
    assert "Chưa có kết quả nào được công khai." in text(client.get(PUBLIC))
    f.score(world.units["P-A"], MAY, each=Decimal(15), publish=True)
    f.score(world.units["P-B"], MAY, each=Decimal(17), publish=True)
    f.score(world.units["P-A"], JUNE, each=Decimal(18))  # a draft month
    response = client.get(PUBLIC)
    page = text(response)
    assert response.status_code == 200
    assert "tháng 05/2026" in page and 'value="2026-06"' not in page and "06/2026" not in page
    month = page.split('id="month-scores"')[1].split("</table>")[0]
    assert month.index("Đơn vị P-B") < month.index("Đơn vị P-A") and "85" in month and "75" in month
    assert 'data-chart="chart-ranking"' in page and "vendor/echarts/echarts.min.js" in page
    asked = text(client.get(PUBLIC, {"thang": "2026-06"}))  # a draft month asked for: the latest published one
    assert "90" not in asked.split('id="month-scores"')[1].split("</table>")[0]
    assert client.get(PUBLIC, {"thang": "x" * 50}).status_code in (200, 400)


def test_a_withdrawn_month_leaves_the_public_page(world, client):
    score = f.score(world.units["P-A"], MAY, publish=True)
    assert "Đơn vị P-A" in text(client.get(PUBLIC))
    score.withdraw()
    assert "Đơn vị P-A" not in text(client.get(PUBLIC))


def _count(client, url, **params) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_pages_run_a_fixed_number_of_queries(world, client, login):
    f.score(world.units["P-A"], MAY, publish=True)
    public_before = _count(client, PUBLIC)
    signed_in = login(world.focal_a)
    table_before = _count(signed_in, reverse("quality:scores"), nam=2026)
    enter_before = _count(signed_in, reverse("quality:score-enter"))
    for n, unit in enumerate(["P-A-1", "P-B", "P-X", "P-VP"]):
        for month in (MAY, JUNE, date(2026, 7, 1)):
            if (unit, month) != ("P-A", MAY):
                f.score(world.units[unit], month, each=Decimal(10 + n), publish=True)
    client.logout()
    assert _count(client, PUBLIC) == public_before
    signed_in = login(world.focal_a)
    assert _count(signed_in, reverse("quality:scores"), nam=2026) == table_before
    assert _count(signed_in, reverse("quality:score-enter")) == enter_before


def test_a_changed_maximum_applies_to_the_next_entry(world):
    group = components()["cong-khai-minh-bach"]
    group.max_points = Decimal(20)
    group.save()
    points = {c: Decimal(10) for c in services.active_components()}
    points[components()["cong-khai-minh-bach"]] = Decimal(19)
    score = services.score_save(score=ServiceIndexScore(organisation=world.units["P-A"], month=MAY), points=points)
    assert score.total == Decimal(59)
    assert services.max_total(services.active_components()) == 102
