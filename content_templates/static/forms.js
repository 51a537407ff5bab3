/* Progressive enhancement of the lead forms: post JSON, show field errors inline, stay on the
   page. Without this script the same forms post as plain HTML and the service redirects. */
(function () {
  "use strict";
  var query = new URLSearchParams(window.location.search);
  var loadedAt = Date.now();

  function fill(form, name, value) {
    var field = form.elements[name];
    if (!field || !value) return;
    if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === value; })) {
      field.add(new Option(value, value));  // the visitor's own zone, though not in the list
    }
    field.value = value;
  }

  function showErrors(form, errors) {
    Object.keys(errors).forEach(function (name) {
      var field = form.elements[name];
      var slot = form.querySelector("#" + name + "-error");
      if (field && field.setAttribute) field.setAttribute("aria-invalid", "true");
      if (slot) { slot.textContent = errors[name]; slot.hidden = false; }
    });
    var first = form.querySelector("[aria-invalid=true]");
    if (first) first.focus();
  }

  function clearErrors(form) {
    form.querySelectorAll(".error").forEach(function (slot) { slot.hidden = true; slot.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
  }

  function spellDates(form) {  /* the chosen date and time as the page's language writes them */
    form.querySelectorAll("output[data-spells]").forEach(function (line) {
      var field = form.elements[line.dataset.spells];
      var format = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: "full", timeStyle: "short" });
      function spell() {
        var chosen = field.value ? new Date(field.value) : null;
        line.textContent = chosen && !isNaN(chosen) ? format.format(chosen) : "";
      }
      field.addEventListener("input", spell);
      spell();
    });
  }

  function enhance(form) {
    spellDates(form);
    ["utm_source", "utm_medium", "utm_campaign"].forEach(function (name) { fill(form, name, query.get(name)); });
    try { fill(form, "timezone", Intl.DateTimeFormat().resolvedOptions().timeZone); } catch (ignored) {}
    form.noValidate = true;  // this script shows the service's own, translated messages
    var status = form.querySelector(".form-status");
    var button = form.querySelector("button[type=submit]");
    var idempotencyKey = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(form);
      var data = {};
      new FormData(form).forEach(function (value, name) { data[name] = value; });
      data.form_started_ms = String(Date.now() - loadedAt);
      status.textContent = status.dataset.sending;
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": idempotencyKey },
        body: JSON.stringify(data)
      }).then(function (response) {
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      }).then(function (answer) {
        if (answer.status >= 200 && answer.status < 300) {
          form.querySelectorAll(".field, .privacy-note, button").forEach(function (node) { node.hidden = true; });
          if (navigator.sendBeacon) {
            navigator.sendBeacon(new URL("/api/events", form.action).href, JSON.stringify(
              { event_type: form.dataset.event, event_category: form.dataset.event, page_path: location.pathname }));
          }
          status.textContent = answer.body.message || "";
          if (answer.body.download_url) {
            var link = document.createElement("a");
            link.href = answer.body.download_url;
            link.textContent = answer.body.download_label || answer.body.download_url;
            status.appendChild(document.createTextNode(" "));
            status.appendChild(link);
          }
        } else if (answer.status === 422 && answer.body.errors) {
          status.textContent = status.dataset.fix;
          showErrors(form, answer.body.errors);
        } else {
          status.textContent = answer.body.message || status.dataset.failed;
        }
      }).catch(function () {
        status.textContent = status.dataset.failed;
      }).then(function () { button.disabled = false; });
    });
  }

  document.querySelectorAll("form[data-enhance]").forEach(enhance);

  var downloadSlot = document.querySelector("[data-download-link]");
  var download = query.get("download");
  if (downloadSlot && download && download.indexOf(downloadSlot.dataset.capture) === 0) {
    downloadSlot.querySelector("a").href = download;
    downloadSlot.hidden = false;
  }
}());
