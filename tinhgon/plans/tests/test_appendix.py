"""A plan with its task appendix in Word and Excel (plans/appendix.py): the official layout, the tasks in the order
their numbers are read, units by name, the plan's rules and recurrences as plans word them; for readers only."""

import io
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tinhgon.plans.constants import ExecutingRule, Recurrence
from tinhgon.plans.tests import factories as f
from tinhgon.test import download_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    """Eleven tasks numbered 1 … 10 and 2.1 entered out of order, a regular one, one by rule, one with a formula."""
    plan = f.plan(world.units["P-A"], title="Kế hoạch cải cách hành chính năm 2026", number="12/KH-SA")
    plan.issued_on = date(2026, 2, 5)
    plan.save()
    for code in ["10", "2", "1", "3", "4", "5", "6", "7", "8", "9", "2.1"]:
        units = {"executing": [world.units["P-A-1"]], "deadline": date(2026, 6, 30)}
        f.task(plan, world.units["P-A"], code=code, title=f"Nhiệm vụ {code}", **units)
    f.task(plan, world.units["P-A"], code="11", title="Báo cáo định kỳ", recurrence=Recurrence.QUARTERLY)
    f.task(plan, world.units["P-A"], code="12", title="Phổ biến", executing_rule=ExecutingRule.DIVISIONS)
    f.task(plan, world.units["P-A"], code="13", title="=HYPERLINK(1)")
    return plan


def docx_of(response) -> Document:
    return Document(io.BytesIO(response.content))


def xlsx_of(response):
    return load_workbook(io.BytesIO(response.content))["Phụ lục nhiệm vụ"]


def appendix_rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in document.tables[-1].rows]


def test_the_word_file_has_the_plan_heading_then_a_landscape_appendix(world, plan, login):
    response = login(world.officer_a1).get(reverse("plans:plan-docx", args=[plan.pk]))
    document = docx_of(response)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "KẾ HOẠCH" in text and "Kèm theo Kế hoạch số 12/KH-SA ngày 05 tháng 02 năm 2026 của Đơn vị P-A" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in document.tables[0].rows[0].cells[1].text
    assert "Số: 12/KH-SA" in document.tables[0].rows[0].cells[0].text
    assert document.sections[0].orientation != WD_ORIENT.LANDSCAPE
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE


def test_the_appendix_lists_the_tasks_in_the_order_their_numbers_are_read(world, plan, login):
    rows = appendix_rows(docx_of(login(world.officer_a1).get(reverse("plans:plan-docx", args=[plan.pk]))))
    numbers = [row[0] for row in rows[1:]]
    assert numbers == ["1", "2", "2.1", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]


def test_the_appendix_names_units_and_words_rules_and_recurrences_as_plans_do(world, plan, login):
    rows = {
        row[0]: row
        for row in appendix_rows(docx_of(login(world.officer_a1).get(reverse("plans:plan-docx", args=[plan.pk]))))
    }
    assert rows["1"][2] == world.units["P-A"].name and rows["1"][4] == world.units["P-A-1"].name
    assert rows["11"][5] == "Định kỳ hằng quý"
    assert rows["12"][4] == ExecutingRule.DIVISIONS.label


def test_the_header_row_repeats_and_no_task_is_cut_across_pages(world, plan, login):
    table = docx_of(login(world.officer_a1).get(reverse("plans:plan-docx", args=[plan.pk]))).tables[-1]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_a_task_numbered_above_others_is_printed_in_bold(world, plan, login):
    table = docx_of(login(world.officer_a1).get(reverse("plans:plan-docx", args=[plan.pk]))).tables[-1]
    by_number = {row.cells[0].text: row for row in table.rows[1:]}
    assert by_number["2"].cells[1].paragraphs[0].runs[0].bold
    assert not by_number["2.1"].cells[1].paragraphs[0].runs[0].bold


def test_the_workbook_has_a_filter_frozen_header_and_landscape_print_setup(world, plan, login):
    sheet = xlsx_of(login(world.officer_a1).get(reverse("plans:plan-xlsx", args=[plan.pk])))
    assert sheet.auto_filter.ref.startswith("A4:G")
    assert sheet.freeze_panes == "B5"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$4:$4"


def test_deadlines_are_real_dates_shown_dd_mm_yyyy_and_formulas_stay_text(world, plan, login):
    sheet = xlsx_of(login(world.officer_a1).get(reverse("plans:plan-xlsx", args=[plan.pk])))
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=5)}
    deadline = cells["1"][5]
    assert deadline.is_date and deadline.number_format == "DD/MM/YYYY" and deadline.value.date() == date(2026, 6, 30)
    assert cells["13"][1].value == "=HYPERLINK(1)" and cells["13"][1].data_type == "s" and cells["13"][1].quotePrefix


def test_the_workbook_is_named_as_the_appendix_of_the_numbered_plan(world, plan, login):
    response = login(world.officer_a1).get(reverse("plans:plan-xlsx", args=[plan.pk]))
    assert download_names(response) == (
        "Phụ lục nhiệm vụ Kế hoạch 12-KH-SA.xlsx",
        "Phu luc nhiem vu Ke hoach 12-KH-SA.xlsx",
    )


def test_the_word_file_is_named_as_the_plan_and_its_appendix(world, plan, login):
    response = login(world.officer_a1).get(reverse("plans:plan-docx", args=[plan.pk]))
    assert download_names(response)[0] == "Kế hoạch 12-KH-SA và phụ lục nhiệm vụ.docx"


def test_an_unnumbered_plan_is_named_by_its_title(world, plan, login):
    plan.number = ""
    plan.save()
    response = login(world.officer_a1).get(reverse("plans:plan-docx", args=[plan.pk]))
    assert download_names(response)[0] == "Kế hoạch Kế hoạch cải cách hành chính năm 2026 và phụ lục nhiệm vụ.docx"


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login_page(world, plan, login):
    for name in ("plans:plan-docx", "plans:plan-xlsx"):
        assert login(world.outsider).get(reverse(name, args=[plan.pk])).status_code == 404
        response = Client().get(reverse(name, args=[plan.pk]))
        assert response.status_code == 302 and "/dang-nhap/" in response.url


def test_the_plan_page_links_both_files(world, plan, login):
    page = login(world.officer_a1).get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert reverse("plans:plan-docx", args=[plan.pk]) in page and reverse("plans:plan-xlsx", args=[plan.pk]) in page


def test_the_query_count_does_not_grow_with_the_tasks(world, plan, login):
    client = login(world.officer_a1)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("plans:plan-docx", args=[plan.pk]))
    for n in range(20, 40):
        f.task(plan, world.units["P-A"], code=str(n), executing=[world.units["P-A-1"], world.units["P-A"]])
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("plans:plan-docx", args=[plan.pk]))
    assert len(after) == len(before)
