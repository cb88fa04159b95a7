/* Association page: ask before handing the filler role over (form[data-confirm]). */
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) ev.preventDefault();
  });
})();
