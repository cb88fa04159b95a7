/* Registration wizard: 企业规模 follows 所属行业 and last year's figures (computed by the server,
   wizard_action=size); a "recompute" button next to the size does the same on demand. */
(function () {
  "use strict";
  var form = document.querySelector("[data-fd-form]");
  var sizeNode = form && form.querySelector('[data-fd-node="size"]');
  var template = document.getElementById("ent-size-recompute");
  if (!sizeNode || !template) return;
  var save = form.querySelector("button[name=wizard_action][value=save]");
  var submit = form.querySelector("button[name=wizard_action][value=next]");
  if (save && template.dataset.saveLabel) save.textContent = template.dataset.saveLabel;
  if (submit && template.dataset.isLast && template.dataset.submitLabel) {
    submit.textContent = template.dataset.submitLabel;
  }
  var tools = template.content.firstElementChild.cloneNode(true);
  var help = sizeNode.querySelector(".help");
  sizeNode.insertBefore(tools, help || null);
  var note = tools.querySelector(".ent-size-note");
  var button = tools.querySelector(".ent-size-button");

  var seq = 0;
  function recompute(announce) {
    var data = new FormData(form);
    data.set("wizard_action", "size");
    var mine = ++seq;
    return fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (result) {
        if (!result || mine !== seq) return;
        if (result.size) {
          var radio = sizeNode.querySelector('input[name="size"][value="' + result.size + '"]');
          if (radio && !radio.checked) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
        }
        if (announce || result.size) note.textContent = result.message;
      })
      .catch(function () {});
  }

  button.addEventListener("click", function (ev) { ev.preventDefault(); recompute(true); });
  var watched = ["industry", "revenue_last_year", "employees_last_year", "assets_last_year"];
  var timer = null;
  form.addEventListener("change", function (ev) {
    if (watched.indexOf(ev.target.name) < 0 && !(ev.target.closest && ev.target.closest('[data-fd-node="industry"]'))) return;
    clearTimeout(timer);
    timer = setTimeout(function () { recompute(false); }, 300);
  });
})();
