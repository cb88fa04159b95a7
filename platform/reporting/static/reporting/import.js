// 上报导入: the template link follows the month chosen, since the template is made for that month.
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("a[data-template-link]");
  const month = document.getElementById("id_period");
  if (!link || !month) return;
  month.addEventListener("change", () => {
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("period", month.value);
    link.href = url.pathname + url.search;
    const label = document.querySelector("[data-template-period]");
    if (label) label.textContent = month.value;
  });
});
