"""The translatable fields of a submitted form, read the same way for every kind of content:
one text per field and supported language, within its limit, the default language's required
ones present; stored as JSON holding only supported languages, sorted."""

import json

from babel.numbers import format_decimal

from .i18n import _, staff_language


def read_texts(form, fields: dict[str, int], languages, default_language: str,
               required: tuple[str, ...], errors: dict) -> dict[str, dict[str, str]]:  # fmt: skip
    """{field: {language: text}}; what is wrong goes into `errors` under `field.language`."""
    texts: dict[str, dict[str, str]] = {name: {} for name in fields}
    for name, limit in fields.items():
        for lang in languages:
            key = f"{name}.{lang}"
            text = form.get(key, "").replace("\r\n", "\n").strip()
            if len(text) > limit:
                errors[key] = _("at most %(limit)s characters (%(given)s given)",
                                limit=number(limit), given=number(len(text)))  # fmt: skip
            elif "\x00" in text:
                errors[key] = _("contains a NUL character")
            elif text:
                texts[name][lang] = text
    for name in required:
        key = f"{name}.{default_language}"
        if key not in errors and not texts[name].get(default_language):
            errors[key] = _("required in the default language (%(lang)s)", lang=default_language)
    return texts


def one_line(text: str, limit: int) -> bool:
    """At most `limit` characters and no control characters (no line breaks, tabs, NULs)."""
    return len(text) <= limit and not any(ord(c) < 32 for c in text)


def number(value: int) -> str:
    """1,000 for English readers, 1.000 for German ones."""
    return format_decimal(value, locale=staff_language())


def as_json(texts: dict[str, dict[str, str]]) -> dict[str, str]:
    """Equal content is equal text: keys sorted, non-ASCII kept readable."""
    return {
        name: json.dumps(value, ensure_ascii=False, sort_keys=True) for name, value in texts.items()
    }
