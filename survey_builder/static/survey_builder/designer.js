/* The questionnaire designer's small helpers (问卷发布和统计, steps 1–5). Server-rendered with htmx partials:
 * every write goes through the page's form to the designer's services; this file only
 *  - saves a field when it is left (htmx, #sb-autosave) and asks before leaving with unsaved typing,
 *  - turns a pasted multi-line list into one option per line, Enter in an option into "add the next one",
 *  - drags questions, options and rows to reorder them (SortableJS; ↑/↓ buttons stay for keyboard and phone),
 *  - asks before 删除, switches the live preview between desktop and phone width,
 *  - step 1: shows 行业门类 only for that target, filters the region tree; step 4: 全部必填.
 * No inline script or handler anywhere (the Content-Security-Policy forbids them). */
(function () {
  "use strict";

  var form = document.getElementById("sb-design");
  if (!form) return;
  var designer = form.hasAttribute("data-designer");
  var dirty = false;
  var previewWidth = "desktop";

  // -- leaving the page ------------------------------------------------------------------------
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.dataset.unsaved || "";
  });

  // Enter in a one-line field saves the step (the first submit button in the page would be a step tab).
  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || event.isComposing || input.tagName !== "INPUT" || input.matches("[data-item]")) return;
    if (input.type === "checkbox" || input.type === "radio") return;
    event.preventDefault();
    if (input.matches("[data-region-search]")) return;
    var save = form.querySelector("button[name=action][value=save]");
    if (save) save.click();
  });

  // -- step 1: 行业门类 only for "chosen sections"; the region tree's search and parent boxes ------------
  var sections = form.querySelector("[data-field=sections]");
  function targetChanged() {
    var chosen = form.querySelector("input[name=target]:checked");
    if (sections) sections.hidden = !chosen || chosen.value !== "sections";
  }
  if (sections) {
    form.querySelectorAll("input[name=target]").forEach(function (r) { r.addEventListener("change", targetChanged); });
    targetChanged();
  }
  var regionSearch = form.querySelector("[data-region-search]");
  if (regionSearch) {
    regionSearch.addEventListener("input", function () {
      var words = regionSearch.value.trim();
      form.querySelectorAll(".sb-tree li").forEach(function (li) {
        var label = li.querySelector(":scope > label");
        var match = !words || (label && label.textContent.indexOf(words) >= 0) ||
          Array.prototype.some.call(li.querySelectorAll("label"), function (l) { return l.textContent.indexOf(words) >= 0; });
        li.hidden = !match;
        if (words && match) li.querySelectorAll(":scope > details").forEach(function (d) { d.open = true; });
      });
    });
  }

  // -- step 4: 全部必填 ---------------------------------------------------------------------------
  var allRequired = form.querySelector("[data-all-required]");
  if (allRequired) {
    var boxes = form.querySelectorAll("input[name$='-required']");
    allRequired.checked = boxes.length > 0 && Array.prototype.every.call(boxes, function (b) { return b.checked; });
    allRequired.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = allRequired.checked; });
      dirty = true;
    });
  }

  if (!designer) return;

  // -- step 2: the editor ------------------------------------------------------------------------
  // One hidden submit button and text outside the swapped editor carry operations started by a key, a paste or a drop.
  var opButton = document.createElement("button");
  opButton.type = "submit"; opButton.name = "op"; opButton.hidden = true; opButton.setAttribute("data-op-button", "");
  var opText = document.createElement("input");
  opText.type = "hidden"; opText.name = "op_text";
  form.appendChild(opButton); form.appendChild(opText);

  function submitOp(op, text) {
    opButton.value = op;
    opText.value = text || "";
    opButton.click();
  }

  // Requests sent or queued and not answered yet, on <html data-sb-pending> (what browser tests wait for).
  var pending = 0;
  function setPending(delta) {
    pending = Math.max(0, pending + delta);
    document.documentElement.setAttribute("data-sb-pending", String(pending));
  }
  setPending(0);
  form.addEventListener("submit", function () { if (window.htmx) setPending(1); }, true);
  document.addEventListener("htmx:afterRequest", function () { setPending(-1); });

  function autosave() {
    var trigger = document.getElementById("sb-autosave");
    if (trigger && window.htmx) { setPending(1); window.htmx.trigger(trigger, "sb-autosave"); }
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosave]")) autosave();
  });

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || event.isComposing || !input.matches("input[data-item]")) return;
    event.preventDefault();  // Enter would submit the first button of the form
    var parts = input.dataset.item.split(":");
    submitOp("item_after:" + parts.join(":"));
  });

  form.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.matches("input[data-item], textarea[data-paste-question]")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\r\n]/.test(text.trim())) return;  // one line: the browser pastes it as usual
    event.preventDefault();
    if (input.dataset.pasteQuestion) submitOp("question_paste:" + input.dataset.pasteQuestion, text);
    else submitOp("item_paste:" + input.dataset.item, text);
  });

  // 删除 asks first (the editor also has 撤销, one step back).
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.confirmOp) {
      var message = button.dataset.confirmOp === "question" ? form.dataset.confirmDelete : form.dataset.confirmItem;
      if (!window.confirm(message)) { event.preventDefault(); event.stopPropagation(); }
    }
  }, true);

  function setPreviewWidth(width) {
    previewWidth = width;
    var pane = document.getElementById("sb-preview");
    if (!pane) return;
    pane.classList.toggle("sb-phone", width === "phone");
    pane.querySelectorAll("[data-preview-width]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.previewWidth === width ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-preview-width]");
    if (button) setPreviewWidth(button.dataset.previewWidth);
  });

  function sortables(root) {
    if (!window.Sortable) return;
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (list.dataset.sortableReady) return;
      list.dataset.sortableReady = "1";
      window.Sortable.create(list, {
        handle: ".sb-handle", draggable: list.dataset.sortable === "questions" ? ".sb-question" : ".sb-item",
        // No animation: its transforms would be style attributes that the drag ghost (a clone) carries, which the
        // Content-Security-Policy refuses. The fallback (mouse and touch events) works the same on phones.
        animation: 0, forceFallback: true, fallbackOnBody: true,
        // The drag ghost is a clone of the dragged element: without a style attribute to copy, the CSP has none to refuse.
        onChoose: function (evt) { evt.item.removeAttribute("style"); },
        onEnd: function (evt) {
          if (evt.oldIndex === evt.newIndex) return;
          var ids = Array.prototype.map.call(list.querySelectorAll(":scope > [data-id]"), function (el) { return el.dataset.id; });
          submitOp(list.dataset.op + ":" + ids.join(","));
        }
      });
    });
  }

  // The question bank stays open while questions are inserted one after another (the editor is drawn again).
  var bankOpen = false;
  form.addEventListener("toggle", function (event) {
    if (event.target.id === "sb-bank") bankOpen = event.target.open;
  }, true);

  function afterDraw() {
    var editor = document.getElementById("sb-editor");
    if (!editor) return;
    var bank = document.getElementById("sb-bank");
    if (bank && bankOpen) bank.open = true;
    sortables(editor);
    setPreviewWidth(previewWidth);
    var focus = editor.dataset.focus && document.getElementById(editor.dataset.focus);
    if (focus) {
      focus.focus();
      if (focus.setSelectionRange) focus.setSelectionRange(focus.value.length, focus.value.length);
      editor.dataset.focus = "";
    }
  }

  // What is typed while a request is on its way is not in it: kept across the redraw and saved next.
  var typedSince = {};
  form.addEventListener("input", function (event) {
    var el = event.target;
    if (el.id && el.matches("[data-autosave]") && el.type !== "checkbox") typedSince[el.id] = el.value;
  });
  document.addEventListener("htmx:beforeRequest", function () { dirty = false; typedSince = {}; });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "sb-editor") return;
    var kept = false;
    Object.keys(typedSince).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && el.value !== typedSince[id]) { el.value = typedSince[id]; kept = true; }
    });
    typedSince = {};
    if (kept) { dirty = true; autosave(); }
  });
  document.addEventListener("htmx:afterSettle", afterDraw);
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    setPreviewWidth(previewWidth);
    var target = event.detail && event.detail.target;
    if (target && target.id === "sb-status" && target.classList.contains("sb-refused")) dirty = true;  // kept, not saved
  });
  document.addEventListener("htmx:responseError", function () { dirty = true; });
  document.addEventListener("DOMContentLoaded", afterDraw);
  if (document.readyState !== "loading") afterDraw();
})();
