/* 分析: draw each question's counts with ECharts — single choice as a pie, multiple choice as bars,
   matrices as grouped bars (one series per option). Every chart node names its data (json_script) in
   data-chart-source: one node in the per-question view, one per choice question on the all-questions page. */
(function () {
  "use strict";
  if (!window.echarts) { return; }

  function option(data) {
    if (data.type === "pie") {
      return {
        tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}: {c} ({d}%)" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["0%", "62%"], center: ["50%", "45%"], label: { formatter: "{b}\n{c} ({d}%)" },
                   data: data.options.map(function (name, i) { return { name: name, value: data.counts[i] }; }) }]
      };
    }
    if (data.type === "bar") {
      return {
        tooltip: { trigger: "axis", renderMode: "richText" },
        grid: { left: 40, right: 16, bottom: 60, top: 24, containLabel: true },
        xAxis: { type: "category", data: data.options, axisLabel: { interval: 0, rotate: data.options.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.counts, label: { show: true, position: "top" }, barMaxWidth: 48 }]
      };
    }
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 40, right: 16, bottom: 70, top: 24, containLabel: true },
      xAxis: { type: "category", data: data.rows, axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) { return { type: "bar", name: s.name, data: s.data, barMaxWidth: 32 }; })
    };
  }

  var charts = [];
  var nodes = document.querySelectorAll("[data-chart-source]");
  Array.prototype.forEach.call(nodes, function (node) {
    var source = document.getElementById(node.getAttribute("data-chart-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    var settings = option(data);
    settings.animation = nodes.length === 1;  // a page of many charts draws them at once, without animation
    chart.setOption(settings);
    node.setAttribute("data-rendered", data.type);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
