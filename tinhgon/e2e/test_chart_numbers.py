"""Charts write their numbers as the page does (static/js/charts.js with the spec's format hint, drawn by the
vendored ECharts): 10.000.000 on an axis of đồng, 18,97% in a tooltip, never ECharts' own "10,000,000"."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAW = """(spec) => {
  const el = document.createElement("div");
  el.style.width = "700px";
  el.style.height = "320px";
  document.body.appendChild(el);
  window.echarts.init(el, null, { renderer: "svg" }).setOption(window.tinhgonCharts.option(spec));
  return Array.from(el.querySelectorAll("text")).map((t) => t.textContent);
}"""

COSTS = {
    "type": "bar",
    "categories": ["Sở Nội vụ", "Sở Tư pháp"],
    "series": [
        {"name": "Đã rà soát (thủ tục)", "data": [3, 5]},
        {"name": "Chi phí cắt giảm (đồng/năm)", "data": [10_000_000, 25_000_000], "axis": 1},
    ],
    "axes": ["thủ tục", "đồng/năm"],
    "formats": ["number", "money"],
}


def with_charts(page, live_server):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.add_script_tag(url=f"{live_server.url}/static/vendor/echarts/echarts.min.js")
    page.add_script_tag(url=f"{live_server.url}/static/js/charts.js")
    return page


def test_a_money_axis_groups_thousands_with_dots(offline_page, live_server):
    texts = with_charts(offline_page, live_server).evaluate(DRAW, COSTS)
    assert "10.000.000" in texts and "25.000.000" in texts
    assert not [t for t in texts if re.search(r"\d,\d{3}", t)], texts


def test_tooltips_write_money_in_dong_and_shares_with_a_decimal_comma(offline_page, live_server):
    page = with_charts(offline_page, live_server)
    money = page.evaluate(
        "(spec) => window.tinhgonCharts.option(spec).series[1].tooltip.valueFormatter(549915000)", COSTS
    )
    share = page.evaluate(
        """() => window.tinhgonCharts.option({type: "line", categories: ["T1"], series: [{name: "x", data: [18.97]}],
             format: "percent"}).series[0].tooltip.valueFormatter(18.97)"""
    )
    assert (money, share) == ("549.915.000 đồng", "18,97%")
