// 审核人标记 (issue 21 §3): while a report is returned, mark each flagged cell of this step at its input —
// the cell outlined, a visible note after the input, and the note named by the input's aria-describedby.
// The flagged inputs' names come in #rp-flagged (JSON), the note's text in the list's data-flag-note.
document.addEventListener("DOMContentLoaded", function () {
  var data = document.getElementById("rp-flagged");
  var list = document.getElementById("flagged");
  var form = document.querySelector("form[data-fd-form]");
  if (!data || !list || !form) return;
  var label = list.getAttribute("data-flag-note") || "";
  JSON.parse(data.textContent).forEach(function (name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    if (!inputs.length) return;
    var box = inputs[0].closest("td, .fd-field") || inputs[0].parentNode;
    var id = "rp-flag-" + name;
    if (!document.getElementById(id)) {
      var note = document.createElement("span");
      note.id = id;
      note.className = "rp-flag-note";
      note.setAttribute("data-testid", "flag-note");
      note.textContent = label;
      box.appendChild(note);
    }
    box.classList.add("rp-flagged");
    inputs.forEach(function (input) {
      var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(id) < 0) ids.push(id);
      input.setAttribute("aria-describedby", ids.join(" "));
    });
  });
});
