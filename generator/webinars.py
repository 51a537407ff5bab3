"""What a webinar page says about its webinar in schema.org Event data."""

import json
from datetime import timedelta

from .model import Webinar


def event_jsonld(webinar: Webinar, state: str, *, title: str, description: str, url: str, language: str,
                 organizer: str, organizer_url: str, image: str | None) -> str:  # fmt: skip
    """schema.org Event with the fields Google's event rich results require, safe inside <script>."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": title,
        "description": description,
        "startDate": webinar.scheduled_at.isoformat(),
        "endDate": (webinar.scheduled_at + timedelta(minutes=webinar.duration_minutes)).isoformat(),
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if state == "cancelled" else "EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": url},
        "inLanguage": language,
        "organizer": {"@type": "Organization", "name": organizer, "url": organizer_url},
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": url,
            "availability": "https://schema.org/" + ("InStock" if state == "open" else "SoldOut"),
            "validFrom": webinar.updated_at.isoformat(),
        },
    }
    if webinar.presenter_name:
        data["performer"] = {"@type": "Person", "name": webinar.presenter_name}
    if image:
        data["image"] = [image]
    return script_safe_json(data)


def script_safe_json(data) -> str:
    """JSON that cannot end its <script> element or open a comment there: <, > and & escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
