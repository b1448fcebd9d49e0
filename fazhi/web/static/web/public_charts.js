// The public page's chart: its data sit in the element's data-chart attribute (JSON), because the
// Content-Security-Policy forbids inline script. ECharts is served by fazhi from static/vendor.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("public-chart");
    if (!el || typeof echarts === "undefined") { return; }
    var data = JSON.parse(el.getAttribute("data-chart"));
    // One row per bar (a CSSOM change, which the CSP allows, unlike a style attribute).
    el.style.height = Math.max(160, 48 + 30 * data.values.length) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      title: { text: data.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.names, inverse: true, axisLabel: { interval: 0, width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: data.values, itemStyle: { color: "#b71c1c" }, label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
