// ECharts from JSON embedded in the page: <div class="echart" data-chart="ID"></div> + {{ spec|json_script:"ID" }}.
// spec: {type: "bar"|"line", categories, series: [{name, data, axis}], axes, unit} or
//       {type: "bar", horizontal: true, categories, series, unit, max} (a ranking, the first category on top) or
//       {type: "heatmap", x, y, data: [[x, y, n]], max}. Rendered as SVG; the table behind each chart is on the page.
// Values are written as the page writes them (tinhgon/core/formatting.py): spec.format ("number", "percent",
// "money"), or spec.formats with one per axis, says which; the default is "number". 10.000.000, 18,97%, never
// ECharts' own "10,000,000".
(function () {
  // 1234567.5 → "1.234.567,5": a dot groups thousands, a comma marks decimals; `places` fixes the decimals.
  function number(value, places) {
    if (value == null || value === "" || !isFinite(Number(value))) return value == null ? "" : String(value);
    const n = Number(value);
    let text = places == null ? String(Math.round(n * 100) / 100) : n.toFixed(places);
    const negative = text.startsWith("-");
    if (negative) text = text.slice(1);
    const [whole, fraction] = text.split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (negative && Number(text) !== 0 ? "-" : "") + grouped + (fraction ? "," + fraction : "");
  }
  // For each kind: how an axis label is written (short) and how a value is written (tooltips, data labels).
  const FORMATS = {
    number: { axis: (v) => number(v), value: (v) => number(v) },
    percent: { axis: (v) => number(v) + "%", value: (v) => (v == null ? "" : number(v, 2) + "%") },
    money: { axis: (v) => number(v, 0), value: (v) => (v == null ? "" : number(v, 0) + " đồng") },
  };
  const format = (kind) => FORMATS[kind] || FORMATS.number;
  const axisFormats = (spec, count) =>
    Array.from({ length: count }, (_, i) => format((spec.formats || [])[i] || spec.format));

  function option(spec) {
    if (spec.type === "heatmap") {
      const f = format(spec.format);
      return {
        tooltip: { position: "top", valueFormatter: (v) => (Array.isArray(v) ? f.value(v[2]) : f.value(v)) },
        grid: { left: 160, right: 20, top: 10, bottom: 70 },
        xAxis: { type: "category", data: spec.x, splitArea: { show: true }, axisLabel: { rotate: 45 } },
        yAxis: { type: "category", data: spec.y, splitArea: { show: true } },
        visualMap: { min: 0, max: Math.max(spec.max || 0, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0, show: false },
        series: [{ type: "heatmap", data: spec.data, label: { show: true, formatter: (p) => f.value(p.value[2]) } }],
      };
    }
    if (spec.horizontal) {
      const f = format(spec.format);
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: f.value },
        grid: { left: 10, right: 50, top: 10, bottom: 30, containLabel: true },
        xAxis: { type: "value", name: spec.unit || "", max: spec.max || null, axisLabel: { formatter: f.axis } },
        yAxis: { type: "category", data: spec.categories, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
        series: spec.series.map((s) => ({
          name: s.name, type: "bar", data: s.data, label: { show: true, position: "right", formatter: (p) => f.value(p.value) },
        })),
      };
    }
    const axes = spec.axes || [spec.unit || ""];
    const formats = axisFormats(spec, axes.length);
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: axes.length > 1 ? 80 : 20, top: 40, bottom: 80, containLabel: false },
      xAxis: { type: "category", data: spec.categories, axisLabel: { rotate: spec.categories.length > 4 ? 30 : 0, interval: 0 } },
      // An axis of shares already writes "%" on every label; its name "%" would say it twice.
      yAxis: axes.map((name, i) => ({
        type: "value", name: formats[i] === FORMATS.percent && name === "%" ? "" : name, axisLabel: { formatter: formats[i].axis },
      })),
      series: spec.series.map((s) => ({
        name: s.name, type: spec.type || "bar", data: s.data, yAxisIndex: s.axis || 0,
        tooltip: { valueFormatter: formats[s.axis || 0].value },
      })),
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
  // For the browser tests: the formatter the charts use.
  window.tinhgonCharts = { number, option };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
