/* 带入上期 in the indicator grid (issue 21 §1): cells the server filled from approved reports.

   The server (formdefs/forms/adapters.py GridAdapter.carried_input, reporting/carry.py) puts a carried value
   into an EMPTY cell and marks every cell it knows a carry for:
     data-fd-carry         the carried value (last year's columns; 本年1-本月 when 本月 was known)
     data-fd-carry-source  where it comes from (「2025-11 已审核」)
     data-fd-carry-base    本年1-本月 only: last month's approved cumulative (January: 0) ...
     data-fd-carry-month   ... plus this month's input, by name
     data-fd-carry-unsaved the value was put in by this page (not in the draft yet)
     data-fd-carry-cleared the clerk cleared this carried cell (the draft says so): it stays empty
   Here: a note says where a carried value came from; a last-year cell edited away from its carry gets ↺;
   本年1-本月 follows 本月 as it is typed or pasted until the clerk types into it or empties it, and when it
   differs from base + 本月 a hint offers the expected number (「应为 5,616（2025-11 已审核）· 采用」). The
   values the clerk typed, and the cells the clerk emptied, are never replaced: only ↺ and 采用, pressed,
   write into a cell.
   Texts come from this script tag's data attributes (no inline scripts: CSP). */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var T = me.dataset;
  var form = document.querySelector("[data-fd-form]");
  var mine = false; // input events this script sends
  var states = [];

  function say(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }
  function parse(text) {
    var t = String(text).replace(/[,\s\u00A0]/g, "");
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(t) ? t.replace(/^\+/, "") : null;
  }
  function decimals(t) { var i = t.indexOf("."); return i < 0 ? 0 : t.length - i - 1; }
  function add(a, b) {
    var d = Math.max(decimals(a), decimals(b));
    var r = (Number(a) + Number(b)).toFixed(d);
    if (d) r = r.replace(/\.?0+$/, "");
    return r === "-0" ? "0" : r;
  }
  function same(a, b) {
    var x = parse(a), y = parse(b);
    return x !== null && y !== null && Number(x) === Number(y);
  }
  function shown(t) { return Number(t).toLocaleString("zh-CN", { maximumFractionDigits: 6 }); }
  function fire(input) {
    mine = true;
    try {
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    } finally { mine = false; }
  }
  function button(cls, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    return b;
  }

  // -- the sparkline on focus: an indicator's last 13 approved months (JSON in #fd-trends) --------------
  // The wizard's grid inputs are named <grid>__<row>__<column>; the review page's grid rows carry
  // data-row inside [data-fd-grid=<grid>] and their cells are made focusable here.
  function trends() {
    var data = document.getElementById("fd-trends");
    if (!data) return;
    var info = JSON.parse(data.textContent), rows = info.rows || {};
    var panel = null, shownRow = null, phone = window.matchMedia("(max-width: 640px)");
    var NS = "http://www.w3.org/2000/svg";
    function rowOf(el) {
      if (el.name && el.name.indexOf(info.grid + "__") === 0) return el.name.split("__")[1];
      var tr = el.closest && el.closest("[data-fd-grid='" + info.grid + "'] tr[data-row]");
      return tr ? tr.dataset.row : null;
    }
    // On a phone the sparkline goes inline under the focused row, where it covers nothing: at the foot of
    // the wizard's card (a cell of its own spanning the card), or in a row of its own under the review
    // table's row (that table scrolls sideways in its box; the panel stays in view). On a wider screen: at
    // the foot of the wizard's grid, after the review page's grid box.
    var inline = null, last = null;
    function detach() {
      if (inline && inline.parentNode) inline.parentNode.removeChild(inline);
    }
    function under(tr, inWizard) {
      if (inWizard) {
        if (!inline || inline.tagName !== "TD") { detach(); inline = document.createElement("td"); inline.className = "fd-trend-cell"; }
        if (inline.parentNode !== tr) tr.appendChild(inline);
        return inline;
      }
      if (!inline || inline.tagName !== "TR") {
        detach();
        inline = document.createElement("tr");
        inline.className = "fd-trend-row";
        inline.appendChild(document.createElement("td"));
      }
      inline.firstChild.colSpan = tr.cells.length;
      if (inline.previousElementSibling !== tr) tr.parentNode.insertBefore(inline, tr.nextSibling);
      return inline.firstChild;
    }
    function draw(rowId, anchor) {
      var row = rows[rowId];
      var tr = anchor.closest("tr[data-row], .fd-grid-table tbody tr");
      var grid = anchor.closest(".fd-grid, [data-fd-grid]");
      var inWizard = !!anchor.closest(".fd-grid");
      if (!row || !grid) return;
      last = { rowId: rowId, anchor: anchor };
      var host;
      if (phone.matches && tr) {
        host = under(tr, inWizard);
      } else {
        detach();
        host = inWizard ? grid : grid.parentNode;
      }
      if (rowId === shownRow && panel && panel.parentNode === host) return;
      shownRow = rowId;
      if (!panel) {
        panel = document.createElement("figure");
        panel.className = "fd-trend";
        panel.setAttribute("aria-live", "polite");
      }
      if (panel.parentNode !== host) {
        if (host === grid.parentNode) host.insertBefore(panel, grid.nextSibling); else host.appendChild(panel);
      }
      panel.textContent = "";
      var points = row.points;
      var caption = document.createElement("figcaption");
      caption.textContent = say(points.length ? T.trendTitle : T.trendNone, { label: row.label, count: points.length });
      panel.appendChild(caption);
      if (!points.length) return;
      var values = points.map(function (p) { return p[1]; });
      var min = Math.min.apply(null, values), max = Math.max.apply(null, values);
      var W = 160, H = 36, pad = 3, span = max - min || 1;
      function x(i) { return points.length === 1 ? W / 2 : pad + i * (W - 2 * pad) / (points.length - 1); }
      function y(v) { return max === min ? H / 2 : H - pad - (v - min) * (H - 2 * pad) / span; }
      var svg = document.createElementNS(NS, "svg");
      svg.setAttribute("viewBox", "0 0 " + W + " " + H);
      svg.setAttribute("width", W);
      svg.setAttribute("height", H);
      svg.setAttribute("aria-hidden", "true");
      var line = document.createElementNS(NS, "polyline");
      line.setAttribute("points", points.map(function (p, i) { return x(i).toFixed(1) + "," + y(p[1]).toFixed(1); }).join(" "));
      svg.appendChild(line);
      var iMin = values.indexOf(min), iMax = values.indexOf(max);
      [[iMin, "fd-trend-min"], [iMax, "fd-trend-max"]].forEach(function (m) {
        var dot = document.createElementNS(NS, "circle");
        dot.setAttribute("cx", x(m[0]).toFixed(1));
        dot.setAttribute("cy", y(values[m[0]]).toFixed(1));
        dot.setAttribute("r", "2.5");
        dot.setAttribute("class", m[1]);
        svg.appendChild(dot);
      });
      panel.appendChild(svg);
      var range = document.createElement("p");
      range.className = "fd-trend-range";
      range.textContent = say(T.trendRange, { min: shown(min), min_month: points[iMin][0], max: shown(max), max_month: points[iMax][0] })
        + (row.unit ? " " + row.unit : "");
      panel.appendChild(range);
      // The months as text (the picture's alternative): visually hidden, read by screen readers.
      var list = document.createElement("p");
      list.className = "fd-sr-only fd-trend-months";
      list.textContent = points.map(function (p) { return p[0] + " " + shown(p[1]); }).join("；");
      panel.appendChild(list);
    }
    document.querySelectorAll("[data-fd-grid='" + info.grid + "'] tr[data-row] td").forEach(function (td) {
      if (rows[td.parentNode.dataset.row]) td.tabIndex = 0;
    });
    document.addEventListener("focusin", function (ev) {
      var rowId = rowOf(ev.target);
      if (rowId) draw(rowId, ev.target);
    });
    // Turned between phone and wider: the panel moves to where that width shows it.
    var moved = function () { if (last) { shownRow = null; draw(last.rowId, last.anchor); } };
    if (phone.addEventListener) phone.addEventListener("change", moved); else if (phone.addListener) phone.addListener(moved);
  }

  function expected(s) {
    if (s.base === undefined) return s.carry;
    var month = s.month ? parse(s.month.value) : null;
    return month === null ? null : add(s.base, month);
  }

  function render(s) {
    var value = s.input.value, e = expected(s);
    var carried = e !== null && e !== undefined && same(value, e);
    if (s.base === undefined) {
      s.note.textContent = carried ? say(T.carried, { source: s.source }) : "";
      s.restore.hidden = carried || e === undefined;
      if (!s.restore.hidden) {
        s.restore.textContent = "↺ " + shown(e);
        s.restore.setAttribute("aria-label", say(T.restore, { value: shown(e) }));
      }
      s.restore.title = s.restore.getAttribute("aria-label") || "";
    } else {
      // January's base is 0 and its source says 「等于本月」 already.
      s.note.textContent = s.live && value !== "" ? say(Number(s.base) === 0 ? T.carried : T.carriedYtd, { source: s.source }) : "";
      var off = e !== null && !carried;
      s.hint.hidden = !off;
      if (off) {
        s.hintText.textContent = say(T.expected, { value: shown(e), source: s.source }) + " · ";
        s.adopt.setAttribute("aria-label", say(T.adoptLabel, { value: shown(e) }));
      }
    }
    s.note.hidden = !s.note.textContent;
    s.box.hidden = s.note.hidden && s.restore.hidden && (!s.hint || s.hint.hidden);
    s.td.classList.toggle("fd-carried", !!s.note.textContent && (s.base === undefined ? carried : s.live && value !== ""));
  }

  // The cells this page showed a carried value in, posted with the step (fd_carry_shown): one listed and
  // posted empty was cleared by the clerk, and the server does not fill it again. The server lists the ones
  // it filled; 本年1-本月 filled here (following 本月, or 采用) is added here.
  function listShown(s) {
    var list = s.td.closest(".fd-grid") && s.td.closest(".fd-grid").querySelector("input[name='fd_carry_shown']");
    var path = s.input.name.split("__").join(".");
    if (!list || (" " + list.value + " ").indexOf(" " + path + " ") >= 0) return;
    list.value = list.value ? list.value + " " + path : path;
  }

  (form ? form.querySelectorAll("input[data-fd-carry-source]") : []).forEach(function (input) {
    var td = input.closest("td");
    if (!td) return;
    var s = { input: input, td: td, source: input.dataset.fdCarrySource, carry: input.dataset.fdCarry };
    if (input.dataset.fdCarryBase !== undefined) {
      s.base = input.dataset.fdCarryBase;
      s.month = form.querySelector('input[name="' + input.dataset.fdCarryMonth + '"]');
    }
    s.box = document.createElement("div");
    s.box.className = "fd-carry";
    s.box.id = (input.id || input.name) + "-carry";
    s.note = document.createElement("span");
    s.note.className = "fd-carry-note";
    s.box.appendChild(s.note);
    s.restore = button("fd-carry-restore", "↺");
    s.restore.hidden = true;
    s.box.appendChild(s.restore);
    if (s.base !== undefined) {
      s.hint = document.createElement("span");
      s.hint.className = "fd-carry-hint";
      s.hintText = document.createElement("span");
      s.adopt = button("fd-carry-adopt", T.adopt);
      s.hint.appendChild(s.hintText);
      s.hint.appendChild(s.adopt);
      s.box.appendChild(s.hint);
      var e = expected(s);
      s.live = !input.dataset.fdCarryCleared && (input.value === "" || (e !== null && same(input.value, e)));
      s.adopt.addEventListener("click", function () {
        var value = expected(s);
        if (value === null) return;
        input.value = value;
        s.live = true;
        s.last = value;
        listShown(s);
        fire(input);
        render(s);
        input.focus();
      });
    }
    s.restore.addEventListener("click", function () {
      input.value = s.carry;
      s.last = s.carry;
      fire(input);
      render(s);
      input.focus();
    });
    s.last = input.value;
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + s.box.id);
    td.appendChild(s.box);
    states.push(s);
    render(s);
  });
  trends();
  if (!states.length) return;

  form.addEventListener("input", function (ev) {
    if (mine) return;
    var target = ev.target;
    states.forEach(function (s) {
      if (s.input === target) {
        // Typed, pasted or emptied by the clerk: 本年1-本月 stops following 本月 (采用 brings it back).
        if (s.base !== undefined) s.live = false;
        s.last = target.value;
        render(s);
      } else if (s.month === target) {
        // 本月 changed: a following 本年1-本月 takes base + 本月 — unless something else (a paste of the
        // whole block) wrote into it meanwhile.
        if (s.live && s.input.value === s.last) {
          var value = expected(s);
          s.input.value = value === null ? "" : value;
          s.last = s.input.value;
          if (value !== null) listShown(s);
          fire(s.input);
        }
        render(s);
      }
    });
  });
})();
