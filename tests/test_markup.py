"""Markdown to safe HTML."""

import json
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

import database
from generator.markup import to_html

MARKDOWN_ALPHABET = "ab Ü*_`[]()!<>&#-|\\\n  /:.x1"


def test_the_demo_pages_keep_their_html_through_the_engine_change(demo_db_path):
    """CommonMark (cmark-gfm) gives the demo's bodies the HTML Python-Markdown gave them: a
    few pinned, the heading ids among them, since links to sections use them."""
    bodies = {
        slug: json.loads(content)
        for slug, content in database.connect(demo_db_path).execute(
            "SELECT slug, content FROM pages"
        )
    }
    home = to_html(bodies["home"]["de"])
    assert home.startswith(
        '<p><img src="/media/images/dashboard.svg" alt="Ein Dashboard"></p>\n<h1 id="energiedaten-mit-denen-sie-handeln-können">'
    )
    assert '<h2 id="warum-teams-uns-wählen">' in home and "\n<hr>\n" in home
    assert "<td>12–18 %</td>" in home and not home.endswith("\n")


def test_headings_get_unique_ids_in_any_script():
    html = to_html("# Über uns\n\n## Über uns\n\n## Über uns\n\n### Ça va? *Oui*\n\n## ?!")
    assert re.findall(r'id="([^"]*)"', html) == [
        "über-uns",
        "über-uns_1",
        "über-uns_2",
        "ça-va-oui",
        "section",
    ]
    assert '<h3 id="ça-va-oui">Ça va? <em>Oui</em></h3>' in html


def test_commonmark_lists_and_github_extensions():
    """What editors from GitHub, Hugo or Decap expect: two-space nested lists, strikethrough,
    bare links; task lists stay text (no form controls in bodies)."""
    html = to_html("- a\n  - b\n\n~~old~~ www.example.com\n\n- [x] done")
    assert "<li>a\n<ul>\n<li>b</li>" in html and "<del>old</del>" in html
    assert '<a href="http://www.example.com">www.example.com</a>' in html
    assert "<li>[x] done</li>" in html and "<input" not in html


class Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML (escaped text is only text)."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, list]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_no_input_produces_script_or_event_handlers(text):
    html = to_html(
        f"<script>x</script>{text}<img src=/a onerror=alert(1)><a href='javascript:x'>y</a>"
    )
    for tag, attributes in Elements(html).found:
        assert tag != "script"
        for name, value in attributes:
            assert not name.startswith("on") and not (value or "").strip().lower().startswith(
                "javascript:"
            )


def test_markdown_features_survive_sanitising():
    html = to_html(
        "# Über uns\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\n[l](/en/x/)"
    )
    assert '<h1 id="über-uns">' in html and "<table>" in html
    assert '<code class="language-python">' in html and '<a href="/en/x/">' in html


@settings(max_examples=300, deadline=None)
@given(st.text(MARKDOWN_ALPHABET, max_size=120))
def test_every_heading_of_any_text_has_an_id_of_its_own(text):
    html = to_html(text)
    ids = re.findall(r'<h[1-6] id="([^"]+)">', html)
    assert len(ids) == len(re.findall(r"<h[1-6]\b", html)) and len(set(ids)) == len(ids)
