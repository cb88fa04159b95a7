/* 报送进度 (analytics/admin/progress.html): the child regions' reported share as a map when the region's
   outline ships (static analytics/geo/<code>.json, loaded on demand), else as bars; clicking a region
   opens the page of its subregions (the table's links do the same without script). Tooltips are rich
   text: the HTML tooltip's style="" markup is blocked by the Content-Security-Policy. */
(function () {
  "use strict";
  var node = document.getElementById("aq-progress-chart");
  var dataNode = document.getElementById("aq-progress-data");
  if (!node || !dataNode || !window.echarts) { return; }
  var data = JSON.parse(dataNode.textContent);
  var byName = {};
  data.rows.forEach(function (r) { byName[r.name] = r; });
  var chart = window.echarts.init(node);

  function open(name) {
    var row = byName[name];
    if (row && row.url) { window.location.href = row.url; }
  }

  function tip(p) {
    var r = byName[p.name];
    if (!r) { return p.name; }
    return r.name + "\n" + data.labels.registered + ": " + r.registered + "\n" + data.labels.reported + ": " +
      r.reported_share + "\n" + data.labels.approved + ": " + r.approved_share;
  }

  function bars() {
    node.setAttribute("data-kind", "bars");
    var names = data.rows.map(function (r) { return r.name; });
    node.style.height = Math.max(220, 40 + names.length * 36) + "px";
    chart.resize();
    chart.setOption({
      animation: false, tooltip: {trigger: "item", renderMode: "richText", formatter: tip}, legend: {top: 0},
      grid: {left: 8, right: 48, top: 32, bottom: 8, containLabel: true},
      yAxis: {type: "category", data: names, inverse: true, triggerEvent: true},
      xAxis: {type: "value", max: 100},
      series: [
        {name: data.labels.reported, type: "bar", data: data.rows.map(function (r) { return r.reported_share; }),
         label: {show: true, position: "right"}, itemStyle: {color: "#5b8ff9"}},
        {name: data.labels.approved, type: "bar", data: data.rows.map(function (r) { return r.approved_share; }),
         label: {show: true, position: "right"}, itemStyle: {color: "#1b8666"}}
      ]
    }, true);
    chart.on("click", function (p) { open(p.componentType === "yAxis" ? p.value : p.name); });
  }

  function map(geo) {
    // The country is registered as "china": ECharts then adds the 南海诸岛 inset to it.
    var key = data.geo === "100000.json" ? "china" : "aq-" + data.geo;
    window.echarts.registerMap(key, geo);
    node.setAttribute("data-kind", "map");
    chart.setOption({
      animation: false,
      tooltip: {trigger: "item", renderMode: "richText", formatter: tip},
      visualMap: {min: 0, max: 100, text: ["100%", "0%"], calculable: false, orient: "horizontal", left: "center",
                  bottom: 0, inRange: {color: ["#fde8d7", "#f6b26b", "#1b8666"]}},
      series: [{name: data.labels.reported, type: "map", map: key, roam: false, selectedMode: false,
                label: {show: data.rows.length <= 15, fontSize: 11, color: "#1f2933", textBorderColor: "#fff", textBorderWidth: 2},
                emphasis: {label: {show: true}, itemStyle: {areaColor: "#5b8ff9"}},
                data: data.rows.map(function (r) { return {name: r.name, value: r.reported_share}; })}]
    }, true);
    chart.on("click", function (p) { open(p.name); });
    node.setAttribute("data-ready", "1");
  }

  if (!data.geo) { bars(); node.setAttribute("data-ready", "1"); return; }
  fetch(node.getAttribute("data-geo-base") + data.geo, {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(map)
    .catch(function () { bars(); node.setAttribute("data-ready", "1"); });
  if (window.ResizeObserver) { new window.ResizeObserver(function () { chart.resize(); }).observe(node); }
  else { window.addEventListener("resize", function () { chart.resize(); }); }
}());
