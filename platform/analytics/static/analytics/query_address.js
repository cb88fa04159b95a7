/* 数据查询 (analytics/admin/query.html): Wagtail's filter drawer writes its filters into the address without
   the empty ones, so a field whose default is not empty (报表月份 of 企业信息变更查询), emptied to mean 全部,
   came back as its default on a reload or a shared link. Such fields carry data-aq-keep-empty
   (analytics.forms.QueryForm); their empty values stay in the address. So does the empty marker of the
   columns' and indicators' checkboxes (analytics.forms.TickBoxes): nothing ticked is refused, not the default. */
(function () {
  "use strict";

  document.addEventListener("w-swap:reflect", function (event) {
    var drawer = document.getElementById("filters-drilldown");
    if (!drawer || !event.detail || !event.detail.requestUrl) {
      return;
    }
    var keep = {};
    drawer.querySelectorAll("[data-aq-keep-empty][name]").forEach(function (field) { keep[field.name] = true; });
    var params = new URLSearchParams();
    new URL(event.detail.requestUrl, window.location.href).searchParams.forEach(function (value, key) {
      if (key.indexOf("_w_") !== 0 && (value.trim() !== "" || keep[key])) {
        params.append(key, value);
      }
    });
    event.preventDefault();
    window.history.replaceState(null, "", "?" + params.toString());
  });
})();
