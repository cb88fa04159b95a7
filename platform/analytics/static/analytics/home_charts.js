/* The administrator home's charts (analytics/admin/home_charts.html): bars by region and the 13-month
   trend, drawn by ECharts from the panel's json_script data. Tooltips use renderMode "richText" (drawn in
   the chart): the HTML tooltip inserts style="" markup the Content-Security-Policy blocks. */
(function () {
  "use strict";

  function draw() {
    var barsNode = document.getElementById("aq-bars"), trendNode = document.getElementById("aq-trend-chart");
    if (!barsNode || !trendNode || !window.echarts) { return; }
    var bars = JSON.parse(document.getElementById("aq-bars-data").textContent);
    var trend = JSON.parse(document.getElementById("aq-trend-data").textContent);
    var b = window.echarts.init(barsNode);
    b.setOption({
      animation: false, tooltip: {trigger: "axis", renderMode: "richText"}, legend: {data: [bars.labels.reported, bars.labels.approved]},
      grid: {left: 40, right: 10, bottom: 60, containLabel: true},
      xAxis: {type: "category", data: bars.regions, axisLabel: {interval: 0, rotate: bars.regions.length > 4 ? 45 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: [{name: bars.labels.reported, type: "bar", data: bars.reported, itemStyle: {color: "#5b8ff9"}},
               {name: bars.labels.approved, type: "bar", data: bars.approved, itemStyle: {color: "#1b8666"}}]
    });
    var t = window.echarts.init(trendNode);
    t.setOption({
      animation: false, tooltip: {trigger: "axis", renderMode: "richText"}, grid: {left: 50, right: 20, bottom: 50, containLabel: true},
      xAxis: {type: "category", data: trend.months, axisLabel: {rotate: 45}},
      yAxis: {type: "value", name: trend.name},
      series: [{name: trend.name, type: "line", data: trend.values, connectNulls: false, smooth: true, symbolSize: 6}]
    });
    window.addEventListener("resize", function () { b.resize(); t.resize(); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
