/* 下级管理员维护: the manageable-region cascade (one select per level below one's own region,
   children from /ref/regions/?parent=CODE) and the skip-level flag shown for provinces only. */
(function () {
  "use strict";

  function deepestLevel(selects) {
    var level = 0;
    selects.forEach(function (select) {
      if (select.value) level = Number(select.dataset.regionLevel);
    });
    return level;
  }

  function toggleProvinceOnly(form, selects) {
    var province = deepestLevel(selects) === 1;
    form.querySelectorAll("input[data-province-only]").forEach(function (input) {
      var wrapper = input.closest(".sa-check") || input.parentElement;
      wrapper.hidden = !province;
      if (!province) input.checked = false;
    });
  }

  function reset(select) {
    var placeholder = select.options[0];
    select.innerHTML = "";
    select.appendChild(placeholder);
    select.value = "";
  }

  function init(form) {
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-region-level]"));
    selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        var below = selects.slice(index + 1);
        below.forEach(reset);
        toggleProvinceOnly(form, selects);
        var next = below[0];
        if (!next || !select.value) return;
        next.disabled = true;
        fetch(select.dataset.childrenUrl + "?parent=" + encodeURIComponent(select.value), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            data.items.forEach(function (item) {
              next.appendChild(new Option(item.name, item.code));
            });
          })
          .finally(function () { next.disabled = false; });
      });
    });
    toggleProvinceOnly(form, selects);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-testid=subordinate-form]").forEach(init);
  });
})();
