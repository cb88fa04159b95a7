/* Indicator grids (issue 21 §1): paste a block copied from a spreadsheet, and each cell's saved state.

   Paste: tab-separated rows (CRLF or LF) fill the grid from the focused cell, right over the input
   columns (computed and 「—」 cells are skipped) and down over the visible rows. Full-width digits and
   punctuation, 千分位 separators, spaces, "(123)" and "−" negatives are normalised to what the server
   reads (plain ASCII numbers); a value that cannot be read is kept as pasted and flagged on its cell.
   A single value pastes as the browser pastes it.

   Saved state (as DHIS2 shows it): a cell is "saved" (the page shows what the draft holds), "changed"
   (edited since) or "error"; the form says how many fields have changes not saved yet. Leaving the
   page with such changes asks first (wizard.js, beforeunload). Texts come from [data-fd-save-state]. */
(function () {
  "use strict";
  var form = document.querySelector("[data-fd-form]");
  var box = document.querySelector("[data-fd-save-state]");
  if (!form || !box) return;
  var stored = box.dataset.fdStored === "1";

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }

  // -- reading a pasted number ------------------------------------------------------------------
  var WIDE = { "，": ",", "．": ".", "。": ".", "－": "-", "−": "-", "＋": "+", "（": "(", "）": ")", "％": "%" };
  function normalise(raw) {
    var text = String(raw).replace(/[\uFF10-\uFF19]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xFF10 + 48); })
      .replace(/[，．。－−＋（）％]/g, function (c) { return WIDE[c]; })
      .replace(/[\s\u00A0\u3000]/g, "");
    if (text === "") return { ok: true, value: "" };
    var negative = false;
    var paren = /^\((.*)\)$/.exec(text);
    if (paren) { negative = true; text = paren[1]; }
    if (text.charAt(0) === "-") { negative = !negative; text = text.slice(1); }
    else if (text.charAt(0) === "+") text = text.slice(1);
    text = text.replace(/%$/, "");
    if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^\.\d+$/.test(text)) return { ok: false };
    text = text.replace(/,/g, "");
    if (text.charAt(0) === ".") text = "0" + text;
    return { ok: true, value: (negative && !/^0*(\.0*)?$/.test(text) ? "-" : "") + text };
  }

  // -- the grid as rows of input cells ----------------------------------------------------------
  function inputOf(td) {
    var input = td.querySelector("input");
    return input && !input.readOnly && !input.disabled && input.type !== "hidden" ? input : null;
  }
  function visibleRows(table) {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (tr) {
      return !tr.hidden && tr.offsetParent !== null;
    });
  }
  function cellLabel(td) {
    var th = td.parentNode.querySelector("th");
    var row = th && th.firstChild ? th.firstChild.textContent.trim() : "";
    var column = td.dataset.label;
    if (!column) {
      var head = td.closest("table").tHead.rows[0].cells[td.cellIndex];
      column = head ? head.textContent.trim() : "";
    }
    return row + " · " + column;
  }
  function clearPasteError(td) {
    td.querySelectorAll(".fd-paste-msg").forEach(function (p) { p.remove(); });
    if (td.dataset.fdPasteError) { delete td.dataset.fdPasteError; if (!td.querySelector("p.error")) td.classList.remove("has-error"); }
  }
  function flag(td, text) {
    var msg = document.createElement("p");
    msg.className = "error fd-paste-msg";
    msg.setAttribute("role", "alert");
    msg.textContent = say(box.dataset.fdPasteBad, { cell: cellLabel(td), text: text.trim() });
    td.appendChild(msg);
    td.classList.add("has-error");
    td.dataset.fdPasteError = "1";
  }
  function note(grid, text) {
    var old = grid.querySelector(".fd-paste-note");
    if (old) old.remove();
    if (!text) return;
    var p = document.createElement("p");
    p.className = "fd-paste-note";
    p.setAttribute("role", "status");
    p.textContent = text;
    grid.insertBefore(p, grid.firstChild);
  }

  form.addEventListener("paste", function (ev) {
    var input = ev.target;
    var td = input.closest && input.closest(".fd-grid-table td");
    if (!td || !inputOf(td) || !ev.clipboardData) return;
    var text = ev.clipboardData.getData("text/plain");
    var lines = text.replace(/(\r\n|\n|\r)$/, "").split(/\r\n|\n|\r/);
    if (lines.length === 1 && lines[0].indexOf("\t") < 0) return; // one value: the browser pastes it
    ev.preventDefault();
    var table = td.closest("table");
    var rows = visibleRows(table);
    var first = rows.indexOf(td.parentNode), column = td.cellIndex, left = 0, touched = [];
    lines.forEach(function (line, i) {
      var values = line.split("\t");
      var tr = rows[first + i];
      var cells = tr ? Array.prototype.filter.call(tr.cells, function (c) { return c.cellIndex >= column && inputOf(c); }) : [];
      values.forEach(function (raw, j) {
        var cell = cells[j];
        if (!cell) { if (raw.trim() !== "") left += 1; return; }
        var target = inputOf(cell), read = normalise(raw);
        clearPasteError(cell);
        target.value = read.ok ? read.value : raw.trim();
        if (!read.ok) flag(cell, raw);
        touched.push(target);
      });
    });
    touched.forEach(function (el) { el.dispatchEvent(new Event("input", { bubbles: true })); });
    if (touched.length) touched[touched.length - 1].dispatchEvent(new Event("change", { bubbles: true }));
    note(td.closest(".fd-grid"), left ? say(box.dataset.fdPasteLeft, { count: left }) : "");
  });

  // -- saved state ------------------------------------------------------------------------------
  var STATES = { saved: box.dataset.fdCellSaved, changed: box.dataset.fdCellChanged, error: box.dataset.fdCellError };
  function cellState(td, input) {
    if (input.value !== input.defaultValue) return "changed";
    if (input.dataset.fdCarryUnsaved) return ""; // 带入上期 put it in (grid_carry.js): not in the draft yet
    if (td.classList.contains("has-error")) return "error";
    return stored && input.value !== "" ? "saved" : "";
  }
  function showCell(td) {
    var input = inputOf(td);
    if (!input) return;
    var state = cellState(td, input);
    ["saved", "changed", "error"].forEach(function (s) { td.classList.toggle("fd-cell-" + s, s === state); });
    var hint = td.querySelector(".fd-cell-state");
    if (!hint) {
      hint = document.createElement("span");
      hint.className = "fd-sr-only fd-cell-state";
      td.insertBefore(hint, input.nextSibling);
    }
    hint.textContent = state ? STATES[state] : "";
    if (state) td.title = STATES[state]; else td.removeAttribute("title");
  }
  function changed(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }
  var pending = box.querySelector("[data-fd-pending-text]");
  function count() {
    var names = {};
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.name.indexOf("wizard_") === 0 || el.disabled) return;
      if (changed(el)) names[el.name] = true;
    });
    var n = Object.keys(names).length;
    pending.hidden = n === 0;
    pending.textContent = n ? say(box.dataset.fdPending, { count: n }) : "";
  }
  form.querySelectorAll(".fd-grid-table td").forEach(showCell);
  function edited(ev) {
    var td = ev.target.closest && ev.target.closest(".fd-grid-table td");
    if (td) {
      if (ev.type === "input" && ev.isTrusted) clearPasteError(td);
      showCell(td);
    }
    count();
  }
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
})();
