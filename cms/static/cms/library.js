// Document library: upload a folder with each file's relative path. (data-confirm on the delete buttons is
// static/js/behaviours.js, loaded on every page: a second handler here would ask twice.)

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
