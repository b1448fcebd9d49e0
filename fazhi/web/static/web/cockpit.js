// The 驾驶舱's charts (ECharts, served from static/vendor). Data come from the json_script element
// #cockpit-data; each chart element links to the indicator or records behind it (links[i]).
// No inline script: the CSP forbids it.
(function () {
  "use strict";
  var RED = "#b8232f";

  function go(links) {
    return function (params) {
      var url = links && links[params.dataIndex];
      if (url) { window.location.href = url; }
    };
  }

  function trendOption(d) {
    return {
      color: [RED],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "暂无数据" : v + d.unit; } },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.labels },
      yAxis: { type: "value", name: d.unit },
      series: [{ type: "line", data: d.values, connectNulls: false, symbolSize: 10, label: { show: true } }]
    };
  }

  // Horizontal bars: unit and register names are long, and stay readable on a 390 px phone.
  function barOption(d, color) {
    return {
      color: [color],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: d.values, barMaxWidth: 22, label: { show: true, position: "right" }, cursor: "pointer" }]
    };
  }

  function init() {
    var source = document.getElementById("cockpit-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var d = data[el.getAttribute("data-chart")];
      if (!d || !d.labels || !d.labels.length) { return; }
      var kind = el.getAttribute("data-chart");
      if (kind !== "trend") {
        // Through the CSSOM (allowed by the CSP, unlike a style attribute): 28 px per bar.
        el.style.height = Math.max(160, d.labels.length * 28 + 40) + "px";
      }
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(kind === "trend" ? trendOption(d) : barOption(d, kind === "overdue" ? "#b26a00" : RED));
      chart.on("click", go(d.links));
      el.classList.add("chart-drawn");
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
