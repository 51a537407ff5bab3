"""Markdown to safe HTML."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import database
from generator.markup import make_converter, to_html

MARKDOWN_ALPHABET = "ab Ü*_`[]()!<>&#-|\\\n  /:.x1"


def test_shortcut_gives_the_same_html_as_stock_markdown_on_the_demo(demo_db_path):
    fast, stock = make_converter(), make_converter(shortcut=False)
    bodies = [
        text
        for (content,) in database.connect(demo_db_path).execute("SELECT content FROM pages")
        for text in json.loads(content).values()
    ]
    assert len(bodies) >= 16
    for body in bodies:
        assert fast.reset().convert(body) == stock.reset().convert(body)


@settings(max_examples=300, deadline=None)
@given(st.text(MARKDOWN_ALPHABET, max_size=120))
def test_shortcut_gives_the_same_html_as_stock_markdown_on_any_text(text):
    assert make_converter().convert(text) == make_converter(shortcut=False).convert(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_no_input_produces_script_or_event_handlers(text):
    html = to_html(
        f"<script>x</script>{text}<img src=/a onerror=alert(1)><a href='javascript:x'>y</a>"
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_markdown_features_survive_sanitising():
    html = to_html(
        "# Über uns\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\n[l](/en/x/)"
    )
    assert '<h1 id="über-uns">' in html and "<table>" in html
    assert '<code class="language-python">' in html and '<a href="/en/x/">' in html
