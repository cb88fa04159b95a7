// 上报: the severe warnings' dialog (each needs its 审核说明); 批量导出: select all.
(function () {
  var dialog = document.getElementById("fl-explain");
  if (dialog && dialog.showModal) {
    document.querySelectorAll("[data-fl-open]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.showModal(); });
    });
    dialog.querySelectorAll("[data-fl-close]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
    if (dialog.dataset.open) { dialog.showModal(); }
  }
  document.querySelectorAll("[data-fl-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      all.closest("form").querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
    });
  });
})();
