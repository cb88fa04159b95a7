/* 分析: draw one question's counts with ECharts — single choice as a pie, multiple choice as bars,
   matrices as grouped bars (one series per option). The data comes from the page (json_script). */
(function () {
  "use strict";
  var node = document.getElementById("sb-chart");
  var source = document.getElementById("sb-chart-data");
  if (!node || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(node, null, { renderer: "svg" });
  var option;
  if (data.type === "pie") {
    option = {
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["0%", "62%"], center: ["50%", "45%"], label: { formatter: "{b}\n{c} ({d}%)" },
                 data: data.options.map(function (name, i) { return { name: name, value: data.counts[i] }; }) }]
    };
  } else if (data.type === "bar") {
    option = {
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 40, right: 16, bottom: 60, top: 24, containLabel: true },
      xAxis: { type: "category", data: data.options, axisLabel: { interval: 0, rotate: data.options.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: data.counts, label: { show: true, position: "top" }, barMaxWidth: 48 }]
    };
  } else {
    option = {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 40, right: 16, bottom: 70, top: 24, containLabel: true },
      xAxis: { type: "category", data: data.rows, axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) { return { type: "bar", name: s.name, data: s.data, barMaxWidth: 32 }; })
    };
  }
  chart.setOption(option);
  node.setAttribute("data-rendered", data.type);
  window.addEventListener("resize", function () { chart.resize(); });
})();
