// The page editor's pickers: insert a Markdown link to published content, or an image from the
// media library, at the cursor.
// Without JavaScript the list of links beside it can be copied by hand.
document.querySelectorAll("[data-link-picker]").forEach((picker) => {
  const text = document.getElementById(picker.dataset.for);
  const select = picker.querySelector("select");
  const button = picker.querySelector("[data-insert]");
  button.hidden = false;
  button.addEventListener("click", () => {
    const option = select.options[select.selectedIndex];
    if (!option) return;
    const label = option.textContent.split(": ").slice(1).join(": ");
    const link = option.dataset.markdown ?? `[${label}](${option.value})`; // images: their Markdown
    const start = text.selectionStart ?? text.value.length;
    const end = text.selectionEnd ?? start;
    text.setRangeText(link, start, end, "end");
    text.dispatchEvent(new Event("input", { bubbles: true })); // the live preview follows
    text.focus();
  });
});

// Live preview of a Markdown body while the editor types, rendered by the server with the
// build's own Markdown and sanitiser. Without JavaScript, "Preview (as saved)" shows the page.
document.querySelectorAll("textarea[data-live-preview]").forEach((text) => {
  const pane = document.createElement("section");
  pane.className = "live-preview";
  pane.lang = text.closest("[lang]")?.lang ?? "";
  pane.setAttribute("aria-label", `Preview of ${text.labels[0]?.textContent ?? "the text"}`);
  const body = document.createElement("div");
  pane.append(body);
  text.after(pane);
  const token = text.form.querySelector("input[name=csrf_token]").value;
  let timer, latest = 0;
  const render = async () => {
    const ticket = ++latest;
    const form = new FormData();
    form.append("csrf_token", token);
    form.append("markdown", text.value);
    const answer = await fetch(text.dataset.livePreview, { method: "POST", body: form });
    if (ticket !== latest) return; // a newer keystroke's preview is on its way
    body.innerHTML = answer.ok ? await answer.text() : "";
    pane.dataset.state = answer.ok ? "ok" : "failed";
  };
  text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
  render();
});
