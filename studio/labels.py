"""What the studio calls the names it stores (columns, fields, states, roles) in words, so that a
staff member reads "Erstellt (UTC)" rather than `created_at`. Each word is marked with `N_` for
the message extractor and translated when shown, by `label`."""

from .i18n import _


def N_(message: str) -> str:  # noqa: N802 (the name the extractor looks for)
    """Marks a message for the catalog without translating it yet."""
    return message


WORDS = {
    # people and contact details
    "id": N_("id"), "first_name": N_("first name"), "last_name": N_("last name"), "email": N_("email"),
    "company": N_("company"), "job_title": N_("job title"), "phone": N_("phone"),
    "utm_source": N_("UTM source"), "utm_medium": N_("UTM medium"), "utm_campaign": N_("UTM campaign"),
    # leads
    "registered_at": N_("registered"), "downloaded_at": N_("downloaded"), "created_at": N_("created"),
    "updated_at": N_("last changed"), "webinar": N_("webinar"), "whitepaper": N_("whitepaper"),
    "registration_source": N_("source"), "download_source": N_("source"), "lead_source": N_("source"),
    "attended": N_("attended"), "attendance_duration": N_("minutes attended"),
    "booking_type": N_("type of meeting"), "preferred_time": N_("preferred time (in the booking's time zone)"),
    "subject": N_("subject"), "message": N_("message"), "status": N_("status"), "lead_score": N_("lead score"),
    "urgency": N_("urgency"), "budget_range": N_("budget"), "assigned_to": N_("assigned to"),
    "meeting_notes": N_("notes"), "follow_up_required": N_("follow-up required"),
    "confirmed_at": N_("confirmed"), "cancelled_at": N_("cancelled"), "ip_address": N_("IP address"),
    "user_agent": N_("browser"), "consent_given": N_("consent given"), "download_ip": N_("IP address"),
    "registration_ip": N_("IP address"), "referrer": N_("referrer"), "send_reminder": N_("send a reminder"),
    "send_recording": N_("send the recording"), "language": N_("language"),
    # content fields
    "slug": N_("slug"), "template": N_("template"), "sort_order": N_("position"), "title": N_("title"),
    "excerpt": N_("excerpt"), "seo_title": N_("SEO title"), "meta_title": N_("SEO title"),
    "meta_description": N_("meta description"), "content": N_("body (Markdown)"),
    "description": N_("description"), "presenter_bio": N_("presenter bio"),
    "preview_content": N_("preview text"), "alt_text": N_("alt text"), "body": N_("in the body"),
    "presenter_avatar_id": N_("presenter photo"), "presentation_file_id": N_("slides"), "file_id": N_("file"), "thumbnail_id": N_("thumbnail"),
    "category": N_("category"), "tags": N_("tags"), "industry": N_("industry"),
    "timezone": N_("time zone"), "starts": N_("starts"), "deadline": N_("registration closes"),
    "duration_minutes": N_("duration (minutes)"), "max_participants": N_("seats"),
    "meeting_url": N_("meeting URL"), "recording_url": N_("recording URL"),
    "presenter_name": N_("presenter"), "registration_enabled": N_("registration open"),
    "scheduled_at": N_("starts"), "registration_deadline": N_("registration closes"),
    "is_featured": N_("featured"), "featured": N_("featured"), "published_at": N_("published"),
    "requires_registration": N_("registration required"), "lead_magnet_active": N_("offered on the site"),
    # settings
    "supported_languages": N_("supported languages"), "default_language": N_("default language"),
    "translation_fallback": N_("missing translations"), "site_url": N_("site address"),
    "capture_url": N_("capture service address"), "site_title": N_("site title"),
    "site_description": N_("site description"), "email_from_name": N_("sender name"),
    "email_from_address": N_("sender address"), "maintenance_mode": N_("maintenance mode"),
    # states and statuses
    "draft": N_("draft"), "scheduled": N_("scheduled"), "published": N_("published"), "trash": N_("in the trash"),
    "live": N_("live"), "completed": N_("completed"), "cancelled": N_("cancelled"), "pending": N_("pending"),
    "confirmed": N_("confirmed"), "no_show": N_("no show"),
    # roles, lists and kinds
    "viewer": N_("viewer"), "editor": N_("editor"), "admin": N_("admin"),
    "registrations": N_("Registrations"), "downloads": N_("Downloads"), "bookings": N_("Bookings"),
    "pages": N_("Pages"), "webinars": N_("Webinars"), "whitepapers": N_("Whitepapers"),
    "page": N_("page"),
    # mail: kinds and states of the outbox
    "mail.queued": N_("queued"), "mail.sending": N_("sending"), "mail.sent": N_("sent"),
    "mail.failed": N_("failed"), "mail.dropped": N_("dropped (no longer applies)"),
    "mail.registration_confirmation": N_("registration confirmed"), "mail.download_link": N_("download link"),
    "mail.download_confirm": N_("download, confirm the address"), "download_double_opt_in": N_("double opt-in for downloads"),
    "mail.booking_received": N_("booking received"), "mail.booking_confirmed": N_("booking confirmed"),
    "mail.booking_cancelled": N_("booking cancelled"), "mail.reminder_24h": N_("reminder, 24 hours"),
    "mail.reminder_1h": N_("reminder, 1 hour"), "mail.reminder": N_("reminder (24 hours, 1 hour)"), "mail.webinar_changed": N_("webinar moved"),
    "mail.webinar_cancelled": N_("webinar cancelled"), "mail.recording": N_("recording"),
    "mail.staff_new_lead": N_("new lead (to staff)"), "mail.staff_digest": N_("daily digest of new leads (to staff)"),
    "mail.staff_assigned": N_("a booking assigned (to its staff member)"),
    "lead_notification_mode": N_("how staff hear of new leads"), "mail.template_test": N_("test of a text"), "lead_notification_recipients": N_("staff to notify"),
    "marketing_consent": N_("consent to marketing mail"), "site_logo_id": N_("logo"),
    "brand_color": N_("brand colour"), "system_settings": N_("site settings"), "brand_font": N_("font"), "logo": N_("the site's logo"), "mail.campaign": N_("campaign"),
    "campaign.draft": N_("draft"), "campaign.scheduled": N_("scheduled"), "campaign.sending": N_("sending"),
    "campaign.sent": N_("sent"), "campaign.failed": N_("failed"),
    "build.queued": N_("waiting"), "build.running": N_("building"), "build.done": N_("done"),
    "build.failed": N_("failed"), "deploy.done": N_("deployed"), "deploy.failed": N_("failed"),
}  # fmt: skip


def label(name: str) -> str:
    """The word for a stored name in the staff member's language; a field of one language
    (`title.de`) keeps its language code."""
    if name in WORDS:  # a dotted word of its own (mail.sent)
        return _(WORDS[name])
    base, _dot, lang = name.partition(".")
    word = _(WORDS[base]) if base in WORDS else base.replace("_", " ")
    return f"{word} ({lang})" if lang else word
