"""The studio speaks each staff member's language (`admin_users.language`; before sign-in, the
browser's). Messages are gettext catalogs: `translations/<lang>.po`, edited by hand or with any
PO editor, read with Babel when the studio starts (no compiled files to keep in step), and
checked by the tests: every message the studio shows has a translation with the same
placeholders."""

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, has_request_context, request

from database.messages import Message

# The studio's own languages, each named in itself; the site's languages are a setting.
STAFF_LANGUAGES = {"en": "English", "de": "Deutsch"}
CATALOGS = Path(__file__).parent / "translations"


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """English is the source language: its catalog is the messages themselves."""
    if lang == "en":
        return gettext.NullTranslations()
    with open(CATALOGS / f"{lang}.po", "rb") as source:
        messages = read_po(source, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def staff_language() -> str:
    if not has_request_context():
        return "en"
    staff = getattr(g, "staff", None)
    if staff is not None and staff.language in STAFF_LANGUAGES:
        return staff.language
    return request.accept_languages.best_match(tuple(STAFF_LANGUAGES)) or "en"


def gettext_(message: str) -> str:
    return catalog(staff_language()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return catalog(staff_language()).ngettext(singular, plural, n)


def _(message: str, **values) -> str:
    """The message in the staff member's language, with `%(name)s` placeholders filled."""
    text = gettext_(message)
    return text % values if values else text


def say(message) -> str:
    """A message from the shared rules (`database.messages.Message`) or already in words."""
    if isinstance(message, Message):
        return _(message.template, **message.values)
    return gettext_(message)


def install(environment) -> None:
    """`{{ _("…", name=value) }}` and `{% trans %}` in the studio's templates."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(gettext_, ngettext_, newstyle=True)
