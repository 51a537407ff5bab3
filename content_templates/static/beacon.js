/* Privacy-friendly page view: no cookies, nothing stored in the browser; skipped on DNT/GPC.
   Sent once, when the visitor leaves the page (hidden or unloaded): the request never competes
   with the page's own loading, browsers deliver a keepalive beacon after the page is gone, and an
   unreachable capture service leaves no error in the visitor's console. */
(function (d, w, n, l) {
  var s = d.currentScript, u = s && s.dataset.endpoint, sent = false;
  if (!u || n.doNotTrack === "1" || n.globalPrivacyControl) return;
  var q = new URLSearchParams(l.search), e = { event_type: "page_view", page_path: l.pathname, referrer: d.referrer };
  ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (k) {
    if (q.get(k)) e[k] = q.get(k);
  });
  function send() {
    if (sent) return;
    sent = true;
    var b = JSON.stringify(e);  /* a string body is sent as text/plain: no CORS preflight */
    if (n.sendBeacon) n.sendBeacon(u, b); else fetch(u, { method: "POST", body: b, keepalive: true });
  }
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") send(); });
  w.addEventListener("pagehide", send);
}(document, window, navigator, location));
