"""`search`: editors' full-text search, on SQLite (FTS5) and PostgreSQL (text search); no input
can break the query."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import database
from database.backends import is_postgres
from database.search import fts_query, search_pages, tsquery


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


HOSTILE = ['"', '""', "'", "AND", "OR", "NOT", "NEAR", "NEAR(a b, 2)", "*", "-", "-energy", "energy -",
           "(", ")", "((energy", "energy)", "title:energy", "^energy", "{a b}", "", "   ", "a AND OR b",
           "\x00", "ü*", '"energy', "energy\"*", ":", "+", "$", "\\"]  # fmt: skip


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises(demo_db_path, text):
    conn = database.connect(demo_db_path)
    assert isinstance(search_pages(conn, text), list)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_any_text_is_a_valid_query(demo_db_path, text):
    conn = database.connect(demo_db_path)
    assert isinstance(search_pages(conn, text, lang="de"), list)


def test_finds_drafts_and_scheduled_pages_marked(demo_db_path):
    conn = database.connect(demo_db_path)
    draft = search_pages(conn, "Preistabellen")
    assert [(h.slug, h.lang, h.status) for h in draft] == [("pricing", "de", "draft")]
    scheduled = search_pages(conn, "dashboards coming", lang="en")
    assert [(h.slug, h.status) for h in scheduled] == [("platform-2027", "scheduled")]
    assert search_pages(conn, "imprint", lang="en")[0].status == "published"


def test_all_words_must_match_the_last_as_a_prefix_and_accents_fold(demo_db_path):
    conn = database.connect(demo_db_path)
    assert {h.slug for h in search_pages(conn, "energy monit")} == {"services"}
    assert {h.slug for h in search_pages(conn, "energy elephant")} == set()
    umlauts = search_pages(conn, "zahlern", lang="de")  # typed without the umlaut
    assert umlauts and any("[Zählern]" in hit.snippet for hit in umlauts)
    if not is_postgres(conn):  # PostgreSQL stems too, so "zahl…" also finds Zählerplan
        assert all("[Zählern]" in hit.snippet for hit in umlauts)


def test_query_building():
    assert fts_query('energy "meter') == '"energy" "meter"*'
    assert fts_query("AND (NEAR") == '"AND" "NEAR"*'
    assert fts_query("--") is None
    assert tsquery("energy & !meter's") == "'energy' & 'meter' & 's':*"
    assert tsquery("--") is None


def test_search_command(run_cli, demo_db_path):
    code, out, _ = run_cli("--db", demo_db_path, "search", "Entwurf", "--lang", "de")
    assert code == 0 and "pricing (de) [draft]" in out
