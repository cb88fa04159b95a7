/* The form wizard's browser side: live visibility and computed values (decided by the server),
   cascading selects over /ref/ endpoints, repeatable table rows, warning highlights. */
(function () {
  "use strict";
  var form = document.querySelector("[data-fd-form]");
  if (!form) return;

  function setDisabled(node, hidden) {
    node.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (hidden) { if (!el.disabled) { el.disabled = true; el.dataset.fdDisabled = "1"; } }
      else if (el.dataset.fdDisabled) { el.disabled = false; delete el.dataset.fdDisabled; }
    });
  }

  function apply(state) {
    var hidden = {};
    state.hidden.forEach(function (id) { hidden[id] = true; });
    form.querySelectorAll("[data-fd-node]").forEach(function (node) {
      var isHidden = !!hidden[node.dataset.fdNode];
      node.hidden = isHidden;
    });
    form.querySelectorAll("[data-fd-node]").forEach(function (node) {
      if (node.hidden) setDisabled(node, true);
    });
    form.querySelectorAll("[data-fd-node]").forEach(function (node) {
      if (!node.hidden && !node.closest("[hidden]")) setDisabled(node, false);
    });
    Object.keys(state.computed || {}).forEach(function (path) {
      var out = form.querySelector('[data-fd-computed="' + path + '"]');
      var value = state.computed[path];
      if (out) out.textContent = value === null || value === undefined ? "" : value;
    });
    form.querySelectorAll("output[data-fd-computed]").forEach(function (out) {
      if (!(out.dataset.fdComputed in (state.computed || {}))) out.textContent = "";
    });
  }

  var timer = null, seq = 0;
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var data = new FormData(form);
      form.querySelectorAll("[data-fd-disabled]").forEach(function (el) { if (el.name) data.append(el.name, el.value); });
      data.set("wizard_action", "state");
      var mine = ++seq;
      fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) { if (state && mine === seq) apply(state); })
        .catch(function () {});
    }, 250);
  }
  form.addEventListener("change", refresh);
  form.addEventListener("input", function (ev) { if (ev.target.matches("input[type=text], input[inputmode]")) refresh(); });

  // Inputs inside nodes the server rendered hidden stay out of the POST.
  form.querySelectorAll("[data-fd-node][hidden]").forEach(function (node) { setDisabled(node, true); });

  // "Other, please specify" text: shown when a specify option is chosen.
  function syncOther(box) {
    var values = (box.dataset.fdSpecify || "").split(" ");
    var field = box.closest(".fd-field");
    var chosen = Array.prototype.some.call(field.querySelectorAll("input:checked, option:checked"), function (el) {
      return values.indexOf(el.value) >= 0;
    });
    box.hidden = !chosen;
  }
  form.querySelectorAll("[data-fd-specify]").forEach(function (box) {
    syncOther(box);
    box.closest(".fd-field").addEventListener("change", function () { syncOther(box); });
  });

  // Cascading selects: one select per level; the hidden input holds the deepest chosen code.
  form.querySelectorAll("[data-fd-cascade]").forEach(function (box) {
    var url = box.dataset.fdCascade;
    var input = box.querySelector("input[type=hidden]");
    var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-fd-level]"));
    selects.forEach(function (select, level) {
      select.disabled = level > 0 && !select.options[1];
      select.addEventListener("change", function () {
        for (var i = level + 1; i < selects.length; i++) {
          selects[i].length = 1; selects[i].disabled = true;
        }
        input.value = select.value || (level > 0 ? selects[level - 1].value : "");
        if (!select.value || level + 1 >= selects.length) { input.dispatchEvent(new Event("change", { bubbles: true })); return; }
        var next = selects[level + 1];
        fetch(url + "?parent=" + encodeURIComponent(select.value), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            data.items.forEach(function (item) { next.add(new Option(item.name, item.code)); });
            next.disabled = data.items.length === 0;
          });
      });
    });
  });

  // Repeatable tables: add a row from the template, delete a row.
  form.querySelectorAll("[data-fd-table]").forEach(function (box) {
    var body = box.querySelector("[data-fd-rows]");
    var template = box.querySelector("template[data-fd-template]");
    box.querySelector("[data-fd-add]").addEventListener("click", function () {
      var index = parseInt(box.dataset.fdNext, 10);
      box.dataset.fdNext = index + 1;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      var first = body.lastElementChild.querySelector("input");
      if (first) first.focus();
    });
    box.addEventListener("click", function (ev) {
      var del = ev.target.closest("[data-fd-delete]");
      if (!del) return;
      del.closest("tr").remove();
      refresh();
    });
  });

  // Leaving a step (issue 22). A valid step is saved by whatever button leaves it, so only a step that
  // would not be kept asks first: edits typed since the page loaded (a page left by a link or closed
  // loses them) and a step shown with errors (a tab or 上一步 keeps it in the draft, not in the answers).
  var dirty = false, submitting = false, checking = false;
  var unsaved = form.dataset.fdUnsaved === "1";
  function edited(ev) {
    if (ev.target.name && ev.target.name.indexOf("wizard_") !== 0) dirty = true;
  }
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("pageshow", function (ev) { if (ev.persisted) submitting = false; });
  window.addEventListener("beforeunload", function (ev) {
    if (submitting || !(dirty || unsaved)) return;
    ev.preventDefault();
    ev.returnValue = "";
  });

  function go(button) {
    submitting = true;
    if (form.requestSubmit) { form.requestSubmit(button); return; }
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
    form.appendChild(hidden);
    form.submit();
  }
  // Tabs, 上一步 and later pages (调查问卷): ask the server whether this step would be kept.
  form.addEventListener("click", function (ev) {
    var button = ev.target.closest('button[name="wizard_goto_step"], button[name="wizard_goto_page"]');
    if (!button || button.disabled || !(dirty || unsaved)) return;
    ev.preventDefault();
    if (checking) return;
    checking = true;
    var data = new FormData(form);
    data.set("wizard_action", "check");
    fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.json() : { valid: false }; })
      .catch(function () { return { valid: false }; })
      .then(function (result) {
        checking = false;
        if (result.valid || window.confirm(form.dataset.fdLeave)) go(button);
      });
  });

  // Highlight the inputs that warnings name.
  (form.dataset.fdWarn || "").split(" ").forEach(function (name) {
    if (!name) return;
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) { el.classList.add("fd-warn"); });
  });

  // The error summary (issue 21 §2): focused on load so a screen reader reads it first; each link puts the
  // cursor in its input (following the anchor alone only scrolls).
  var summary = document.getElementById("fd-error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (ev) {
      var link = ev.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      ev.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
  }
})();
