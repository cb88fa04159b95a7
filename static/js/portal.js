/* Small progressive enhancements for the portal: SMS code buttons and the password strength meter. */
(function () {
  "use strict";
  function csrf() {
    var el = document.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }
  // <button data-sms-url="..." data-sms-fields="mobile"> posts the named fields and counts down.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-sms-url]");
    if (!btn) return;
    ev.preventDefault();
    var form = btn.closest("form");
    var body = new FormData();
    (btn.dataset.smsFields || "mobile").split(",").forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      body.append(name, input ? input.value : "");
    });
    var out = form.querySelector("[data-sms-result]");
    btn.disabled = true;
    fetch(btn.dataset.smsUrl, { method: "POST", body: body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (out) { out.textContent = data.message; out.className = data.ok ? "help" : "error"; }
        if (!data.ok) { btn.disabled = false; return; }
        var left = 60, label = btn.textContent;
        var timer = setInterval(function () {
          left -= 1;
          btn.textContent = label + " (" + left + ")";
          if (left <= 0) { clearInterval(timer); btn.textContent = label; btn.disabled = false; }
        }, 1000);
      })
      .catch(function () { btn.disabled = false; });
  });
  // Password strength meter: length and character classes, shown as 弱/中/强.
  function score(pw) {
    var s = 0;
    if (pw.length >= 8) s++;
    if (pw.length >= 12) s++;
    if (/[a-z]/.test(pw) && /[A-Z]/.test(pw)) s++;
    if (/\d/.test(pw)) s++;
    if (/[^A-Za-z0-9]/.test(pw)) s++;
    return Math.min(s, 4);
  }
  document.querySelectorAll("input[data-strength]").forEach(function (input) {
    var meter = document.createElement("div");
    meter.className = "strength";
    meter.innerHTML = "<span></span>";
    var label = document.createElement("div");
    label.className = "strength-label";
    label.setAttribute("aria-live", "polite");
    input.after(meter, label);
    var holder = input.closest("[data-strength-labels]");
    var names = ((holder && holder.dataset.strengthLabels) || "weak,weak,fair,strong,very strong").split(",");
    var colors = ["#c62828", "#c62828", "#f4b400", "#2e7d32", "#1b5e20"];
    input.addEventListener("input", function () {
      var s = score(input.value);
      meter.firstChild.style.width = (input.value ? (s + 1) * 20 : 0) + "%";
      meter.firstChild.style.background = colors[s];
      label.textContent = input.value ? names[s] : "";
    });
  });
})();
