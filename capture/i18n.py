"""Answers in the visitor's language, from the same message catalogs as the static site."""

import json
from functools import cache
from pathlib import Path

from flask import current_app, request

CATALOGS = Path(__file__).resolve().parent.parent / "content_templates" / "i18n"


@cache
def catalog(lang: str) -> dict[str, str]:
    return json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))


@cache
def available_languages() -> tuple[str, ...]:
    """The catalogs ship with the code: read once per process, not on every request."""
    return tuple(sorted(path.stem for path in CATALOGS.glob("*.json")))


def request_language(form_lang: object = None) -> str:
    """The form's `lang` field, else the best Accept-Language match, else the site default."""
    site = current_app.config["SITE"]
    languages = [lang for lang in site.languages if lang in available_languages()]
    if isinstance(form_lang, str) and form_lang in languages:
        return form_lang
    return request.accept_languages.best_match(languages) or site.default_language


def message(lang: str, key: str, **values) -> str:
    text = catalog(lang)[key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def field_error(lang: str, key: str, field: str, **values) -> str:
    """An error that names the field by its label in the visitor's language."""
    label = catalog(lang).get(f"field_{field}", field.replace("_", " "))
    return message(lang, key, field=label, **values)
