// ECharts from JSON embedded in the page: <div class="echart" data-chart="ID"></div> + {{ spec|json_script:"ID" }}.
// spec: {type: "bar"|"line", categories, series: [{name, data, axis}], axes, unit} or
//       {type: "bar", horizontal: true, categories, series, unit, max} (a ranking, the first category on top) or
//       {type: "heatmap", x, y, data: [[x, y, n]], max}. Rendered as SVG; the table behind each chart is on the page.
(function () {
  const decimal = (value) => (value == null ? "" : String(value).replace(".", ",")); // 82,25: the Vietnamese comma
  function option(spec) {
    if (spec.type === "heatmap") {
      return {
        tooltip: { position: "top" },
        grid: { left: 160, right: 20, top: 10, bottom: 70 },
        xAxis: { type: "category", data: spec.x, splitArea: { show: true }, axisLabel: { rotate: 45 } },
        yAxis: { type: "category", data: spec.y, splitArea: { show: true } },
        visualMap: { min: 0, max: Math.max(spec.max || 0, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0, show: false },
        series: [{ type: "heatmap", data: spec.data, label: { show: true } }],
      };
    }
    if (spec.horizontal) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: decimal },
        grid: { left: 10, right: 50, top: 10, bottom: 30, containLabel: true },
        xAxis: { type: "value", name: spec.unit || "", max: spec.max || null },
        yAxis: { type: "category", data: spec.categories, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
        series: spec.series.map((s) => ({
          name: s.name, type: "bar", data: s.data, label: { show: true, position: "right", formatter: (p) => decimal(p.value) },
        })),
      };
    }
    const axes = spec.axes || [spec.unit || ""];
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: axes.length > 1 ? 80 : 20, top: 40, bottom: 80, containLabel: false },
      xAxis: { type: "category", data: spec.categories, axisLabel: { rotate: spec.categories.length > 4 ? 30 : 0, interval: 0 } },
      yAxis: axes.map((name) => ({ type: "value", name: name })),
      series: spec.series.map((s) => ({ name: s.name, type: spec.type || "bar", data: s.data, yAxisIndex: s.axis || 0 })),
    };
  }
  function init() {
    if (!window.echarts) return;
    document.querySelectorAll(".echart[data-chart]").forEach((el) => {
      const source = document.getElementById(el.dataset.chart);
      if (!source) return;
      const chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(JSON.parse(source.textContent)));
      window.addEventListener("resize", () => chart.resize());
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
