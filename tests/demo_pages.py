"""The demo site's pages that show each template of the default theme, shared by the page
checks (tests/test_page_checks.py) and the Lighthouse benchmark (bench/lighthouse_bench.py)."""

# Every template once, in every state a visitor can meet (path after /<lang>/).
TEMPLATES = {
    "home": "",
    "page": "about/",
    "legal": "privacy/",
    "webinar-list": "webinars/",
    "webinar-open": "webinars/energy-monitoring-101/",
    "webinar-full": "webinars/iso-50001-in-practice/",
    "webinar-recorded": "webinars/peak-load-management/",
    "whitepaper-list": "whitepapers/",
    "whitepaper": "whitepapers/energy-cost-benchmark-2026/",
    "booking": "book/",
    "thank-you-registration": "thank-you/registration/",
    "thank-you-download": "thank-you/download/",
    "thank-you-booking": "thank-you/booking/",
    "thank-you-confirm": "thank-you/confirm/",
    "not-found": "404.html",
    "search": "search/",
    "search-results": "search/?q=energ",
}
