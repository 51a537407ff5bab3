"""The capture service's few pages of its own (unsubscribe, confirm a download): a sentence and
at most one button that posts back to the same address. Mail scanners open every link in a
mail, so a GET only ever shows such a page; the act is the POST."""

from markupsafe import escape


def simple_page(lang: str, title: str, text: str, button: str | None = None) -> str:
    form = f'<form method="post"><button>{escape(button)}</button></form>' if button else ""
    return (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{escape(title)}</title></head>'
            f"<body><main><h1>{escape(title)}</h1><p>{escape(text)}</p>{form}</main></body></html>")  # fmt: skip
