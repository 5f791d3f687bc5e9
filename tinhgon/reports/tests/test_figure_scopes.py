"""Each table of a periodic report says its scope (issue 14: one report read '16 procedures in force' and '18
published in scope' without saying why, and added group and level rows under one total)."""

from tinhgon.reports.documents import procedures_part, reviews_part

FIGURES = {
    "procedures": {
        "in_force": 16,
        "by_group": {"A": 10, "B": 6},
        "by_level": {"province": 12, "commune": 4},
        "by_field": [],
        "decided": {"new": 2, "amended": 0, "replaced": 0, "abolished": 2},
    },
    "reviews": {"published": 18, "reviewed": 18, "reviewed_pct": "100.00"},
}


def test_groups_and_levels_are_two_tables_each_adding_up_to_the_procedures_in_force():
    tables = {t.title: t for t in procedures_part(FIGURES).tables}
    by_group, by_level = (
        tables["Thủ tục đang có hiệu lực theo nhóm"],
        tables["Thủ tục đang có hiệu lực theo cấp thực hiện"],
    )
    for table in (by_group, by_level):
        *rows, total = table.rows
        assert sum(row[-1] for row in rows) == total[-1] == 16


def test_the_review_scope_says_why_it_differs_from_the_procedures_in_force():
    part = reviews_part(FIGURES)
    assert (
        "Phạm vi rà soát gồm 18 thủ tục đã công bố đến ngày chốt số liệu, kể cả thủ tục đã bãi bỏ, thay thế; "
        "số thủ tục đang có hiệu lực tại mục 1 (16) không tính các thủ tục này." in part.paragraphs
    )
    assert part.tables[0].rows[0][1].startswith("Thủ tục thuộc phạm vi rà soát")
