// The media library's upload form, enhanced: drop files onto it, and watch the progress while
// they travel. Without JavaScript the same form posts as it is and the results page follows.
document.querySelectorAll("form[data-upload]").forEach((form) => {
  const input = form.querySelector("input[type=file]");
  const bar = form.querySelector("progress");
  const status = form.querySelector("[data-upload-status]");
  ["dragenter", "dragover"].forEach((name) => form.addEventListener(name, (event) => {
    event.preventDefault();
    form.classList.add("dropping");
  }));
  ["dragleave", "drop"].forEach((name) => form.addEventListener(name, () => form.classList.remove("dropping")));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    input.files = event.dataTransfer.files;
    status.textContent = `${form.dataset.ready} ${input.files.length}`;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      bar.hidden = false;
      bar.value = Math.round((100 * progress.loaded) / progress.total);
      status.textContent = `${bar.value} %`;
    });
    request.addEventListener("load", () => {
      document.open();
      document.write(request.responseText); // the results page, as without JavaScript
      document.close();
    });
    request.addEventListener("error", () => { status.textContent = form.dataset.failed; });
    request.send(new FormData(form));
  });
});
