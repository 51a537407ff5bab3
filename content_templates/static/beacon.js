/* Privacy-friendly page view: no cookies, nothing stored in the browser; skipped on DNT/GPC. */
(function (d, n, l) {
  var s = d.currentScript, u = s && s.dataset.endpoint;
  if (!u || n.doNotTrack === "1" || n.globalPrivacyControl) return;
  var q = new URLSearchParams(l.search), e = { event_type: "page_view", page_path: l.pathname, referrer: d.referrer };
  ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (k) {
    if (q.get(k)) e[k] = q.get(k);
  });
  var b = JSON.stringify(e);  /* a string body is sent as text/plain: no CORS preflight */
  if (n.sendBeacon) n.sendBeacon(u, b); else fetch(u, { method: "POST", body: b, keepalive: true });
}(document, navigator, location));
