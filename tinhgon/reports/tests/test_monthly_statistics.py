"""The monthly statistics of the periodic report (reports.figures.decided_by_month): the procedures each decision
made new, amended, replaced or abolished, counted in the report month its effective date falls in and split by group
(internal A, internal B, ordinary O). Kế hoạch cải cách hành chính of Trà Vinh (QĐ 258/QĐ-UBND, 2024; the seed in
shared/seeds) asks the agencies for these figures every month."""

from datetime import date

import pytest

from tinhgon.procedures.constants import Change, Group
from tinhgon.procedures.models import PublicationDecision
from tinhgon.procedures.services import decision_add_item, decision_issue, version_start_next
from tinhgon.reports import services
from tinhgon.reports.figures import procedures_figures
from tinhgon.reports.periods import Kind, period
from tinhgon.reviews.tests import factories as rf
from tinhgon.test import DECISION_GROUNDS

pytestmark = pytest.mark.django_db

# With the default cut-off day 15, quarter I/2026 runs 15/12/2025 – 14/03/2026: its months end on 14/01, 14/02, 14/03.
QUARTER = period(Kind.QUARTERLY, 2026, 1)
_numbers = iter(range(300, 999))


def decide(world, changes, on: date, issue: bool = True) -> PublicationDecision:
    decision = PublicationDecision.objects.create(
        number=f"{next(_numbers)}/QĐ-UBND",
        issuer=world.units["P"],
        signed_on=on,
        signer="Nguyễn Văn A",
        effective_on=on,
        **DECISION_GROUNDS,
    )
    for version, change in changes:
        decision_add_item(decision=decision, version=version, change=change)
    if issue:
        decision_issue(decision=decision)
    return decision


def amended(world, procedure, on: date):
    draft = version_start_next(procedure=procedure)
    draft.submit()
    draft.control()
    decide(world, [(draft, Change.AMENDED)], on)


@pytest.fixture
def quarter_of_decisions(world):
    unit = world.units["P-A"]
    a1 = rf.publish(world, unit, "A1", on=date(2026, 1, 10))
    rf.publish(world, unit, "A2", on=date(2026, 1, 10))
    o1 = rf.publish(world, unit, "Cấp phép lữ hành", on=date(2026, 1, 12), group=Group.ORDINARY)
    rf.publish(world, unit, "B1", on=date(2026, 1, 20), group=Group.B)
    amended(world, a1, date(2026, 1, 20))
    decide(world, [(o1.published_version(), Change.ABOLISHED)], date(2026, 2, 20))


def months(world) -> list[dict]:
    return procedures_figures([world.units["P-A"]], QUARTER)["decided_by_month"]


def counted(month: dict) -> dict:
    """The month's non-zero counts as {(group, change): n}."""
    return {(g, c): n for g, changes in month["by_group"].items() for c, n in changes.items() if n}


def test_the_quarter_has_one_row_per_report_month(world):
    assert [(m["month"], m["start"], m["end"]) for m in months(world)] == [
        ("tháng 01/2026", "2025-12-15", "2026-01-14"),
        ("tháng 02/2026", "2026-01-15", "2026-02-14"),
        ("tháng 03/2026", "2026-02-15", "2026-03-14"),
    ]


def test_each_month_counts_what_the_decisions_effective_in_it_changed_by_group(world, quarter_of_decisions):
    assert [counted(m) for m in months(world)] == [
        {("A", "new"): 2, ("O", "new"): 1},
        {("B", "new"): 1, ("A", "amended"): 1},
        {("O", "abolished"): 1},
    ]


def test_a_draft_decision_is_not_counted(world, quarter_of_decisions):
    version = rf.publish(world, world.units["P-A"], "A3", on=date(2026, 1, 10)).published_version()
    decide(world, [(version, Change.ABOLISHED)], date(2026, 3, 1), issue=False)
    assert counted(months(world)[2]) == {("O", "abolished"): 1}


def test_the_report_page_shows_the_monthly_statistics(world, login, quarter_of_decisions):
    report = services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=2026, number=1)
    page = login(world.focal_a).get(f"/bao-cao/{report.pk}/").content.decode()
    table = page[page.index('id="decided-by-month"') :]
    assert '<td class="text-nowrap">02/2026</td>' in table
    assert 'title="Thủ tục hành chính cho người dân, doanh nghiệp">Thông thường' in table


def test_the_reports_api_gives_the_monthly_statistics(world, api, quarter_of_decisions):
    report = services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=2026, number=1)
    data = api(world.focal_a).get(f"/api/v1/reports/{report.pk}/").json()
    january = data["figures"]["procedures"]["decided_by_month"][0]
    assert january["by_group"]["O"]["new"] == 1 and january["by_group"]["A"]["new"] == 2


def test_an_outsider_reads_neither_the_page_nor_the_figures(world, login, api, quarter_of_decisions):
    report = services.report_create(organisation=world.units["P-A"], kind=Kind.QUARTERLY, year=2026, number=1)
    assert login(world.outsider).get(f"/bao-cao/{report.pk}/").status_code == 404
    assert api(world.outsider).get(f"/api/v1/reports/{report.pk}/").status_code == 404
