/* The chart above a query's table (analytics/admin/query.html): 报送龙虎榜 as bars in rank order,
   年度报送企业数统计 as a months × regions heatmap, drawn by ECharts from the page's json_script data
   (query.chart()); drawn again when the filter drawer swaps the results in. Tooltips use renderMode "richText": the HTML tooltip's style="" is blocked by the CSP. */
(function () {
  "use strict";

  function option(c) {
    if (c.kind === "bar") {
      return {
        animation: false, tooltip: {trigger: "axis", renderMode: "richText"}, legend: {top: 0},
        grid: {left: 10, right: 20, top: 30, bottom: 10, containLabel: true},
        yAxis: {type: "category", data: c.categories, inverse: true},
        xAxis: {type: "value", minInterval: 1},
        series: c.series.map(function (s, i) {
          return {name: s.name, type: "bar", data: s.data, label: {show: true, position: "right"},
                  itemStyle: {color: i === 0 ? "#1b8666" : "#5b8ff9"}};
        })
      };
    }
    return {
      animation: false, tooltip: {renderMode: "richText"},
      grid: {left: 10, right: 10, top: 10, bottom: 60, containLabel: true},
      xAxis: {type: "category", data: c.x, splitArea: {show: true}},
      yAxis: {type: "category", data: c.y, splitArea: {show: true}},
      visualMap: {min: 0, max: Math.max(c.max, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0,
                  inRange: {color: ["#f0f7f4", "#1b8666"]}},
      series: [{type: "heatmap", data: c.data, label: {show: true}}]
    };
  }

  function draw() {
    var node = document.getElementById("aq-query-chart"), data = document.getElementById("aq-query-chart-data");
    if (!node || !data || !window.echarts) { return; }
    var c = JSON.parse(data.textContent);
    var rows = c.kind === "bar" ? c.categories.length : c.y.length;
    node.style.height = Math.max(220, Math.min(640, 60 + rows * (c.kind === "bar" ? 36 : 28))) + "px";
    var chart = window.echarts.init(node);
    chart.setOption(option(c));
    current = chart;
  }

  var current = null;
  window.addEventListener("resize", function () { if (current) { current.resize(); } });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  // the drawer's live filtering swaps the listing's results (chart included) in place: draw the new one
  document.addEventListener("w-swap:success", function () { current = null; draw(); });
}());
