// The page editor's link picker: insert a Markdown link to published content at the cursor.
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
    const link = `[${label}](${option.value})`;
    const start = text.selectionStart ?? text.value.length;
    const end = text.selectionEnd ?? start;
    text.setRangeText(link, start, end, "end");
    text.focus();
  });
});
