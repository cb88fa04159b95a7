// Document library: confirm destructive actions; upload a folder with each file's relative path.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-folder-upload]");
  if (!form) return;
  event.preventDefault();
  const data = new FormData();
  for (const input of form.querySelectorAll("input[type=hidden]")) data.append(input.name, input.value);
  for (const file of form.querySelector("input[type=file]").files) {
    data.append("files", file);
    data.append("relative_path", file.webkitRelativePath || file.name);
  }
  const response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
  window.location.assign(response.url || window.location.href);
});
