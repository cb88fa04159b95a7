/* Small page behaviours declared with data- attributes, so no page needs an inline handler, <script>
   or style="" attribute (the Content-Security-Policy forbids them; see CONTENT_SECURITY_POLICY):

   data-action="print" | "back"     a button that prints the page / goes back in history
   data-autosubmit                  a select (or input) that submits its form when it changes
   data-confirm="question"          a form (on submit) or a button/link (on click) that asks first
   data-width="42"                  sets style.width to 42% (progress and share bars)
   data-css-var="--name" data-css-value="3"   sets a CSS custom property on the element

   Styles set through the CSSOM (element.style) are allowed by the policy; elements added later (htmx
   swaps, fetch-rendered fragments) get theirs as they arrive. */
(function () {
  "use strict";
  if (window.behavioursLoaded) { return; }  // included by several panels of one page: listen once
  window.behavioursLoaded = true;

  function applyStyles(root) {
    if (!root || !root.querySelectorAll) { return; }
    var nodes = Array.prototype.slice.call(root.querySelectorAll("[data-width], [data-css-var]"));
    if (root.matches && root.matches("[data-width], [data-css-var]")) { nodes.push(root); }
    nodes.forEach(function (node) {
      if (node.hasAttribute("data-width")) {
        var share = parseFloat(node.getAttribute("data-width"));
        node.style.width = (isFinite(share) ? Math.max(0, Math.min(100, share)) : 0) + "%";
      }
      if (node.hasAttribute("data-css-var")) {
        node.style.setProperty(node.getAttribute("data-css-var"), node.getAttribute("data-css-value") || "");
      }
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-action], [data-confirm]") : null;
    if (!target || target.tagName === "FORM") { return; }
    if (target.hasAttribute("data-confirm") && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var action = target.getAttribute("data-action");
    if (action === "print") { event.preventDefault(); window.print(); }
    else if (action === "back") { event.preventDefault(); window.history.back(); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form && field.hasAttribute && field.hasAttribute("data-autosubmit")) { field.form.submit(); }
  });

  function start() {
    applyStyles(document);
    new MutationObserver(function (records) {
      records.forEach(function (record) { record.addedNodes.forEach(applyStyles); });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
