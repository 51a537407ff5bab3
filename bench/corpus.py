"""Generate a benchmark corpus: N realistic bilingual pages (400–800 words each) in a fresh database.

    python bench/corpus.py --pages 10000 --db /tmp/bench.db

Bodies are Markdown with headings, paragraphs, lists, links to other corpus pages and the odd
table, drawn from seeded random text, so every run makes the same corpus.
"""

import argparse
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import database  # noqa: E402
from database.setup import create_database  # noqa: E402

WORDS = {
    "en": (
        "energy meter reading plant line machine cost saving peak load demand charge report audit "
        "dashboard alert sensor heat pump compressor air leak steam boiler efficiency baseline target "
        "production shift month year team engineer manager data analysis trend forecast tariff "
        "contract supplier grid solar battery storage lighting motor drive ventilation cooling "
        "process quality safety maintenance schedule budget invest payback result customer site"
    ).split(),
    "de": (
        "Energie Zähler Messwert Werk Linie Maschine Kosten Einsparung Lastspitze Leistungspreis "
        "Bericht Prüfung Übersicht Warnung Sensor Wärmepumpe Verdichter Druckluft Leckage Dampf "
        "Kessel Effizienz Grundlast Ziel Produktion Schicht Monat Jahr Team Ingenieur Leiterin Daten "
        "Analyse Entwicklung Prognose Tarif Vertrag Lieferant Netz Solar Speicher Beleuchtung Motor "
        "Antrieb Lüftung Kühlung Prozess Qualität Sicherheit Wartung Zeitplan Budget Investition "
        "Amortisation Ergebnis Kunde Standort größer über schnell günstig"
    ).split(),
}
GLUE = {
    "en": "the a of and to in for with on at by from is are was can will our your this that".split(),
    "de": "der die das ein eine und zu im für mit auf am von ist sind war kann wird unser Ihr dieser".split(),
}


def sentence(rng: random.Random, lang: str) -> str:
    words = [
        rng.choice(WORDS[lang] if rng.random() < 0.55 else GLUE[lang])
        for _ in range(rng.randint(8, 18))
    ]
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, lang: str, index: int, total: int) -> str:
    target_words = rng.randint(400, 800)
    parts, words = [f"# {sentence(rng, lang)[:60].rstrip('.')}"], 0
    while words < target_words:
        choice = rng.random()
        if choice < 0.12:
            parts.append(f"## {sentence(rng, lang)[:50].rstrip('.')}")
        elif choice < 0.22:
            parts.append("\n".join(f"- {sentence(rng, lang)}" for _ in range(rng.randint(2, 5))))
        elif choice < 0.25:
            parts.append("| a | b | c |\n|---|---|---|\n" + "\n".join(
                f"| {rng.randint(1, 999)} | {rng.choice(WORDS[lang])} | {rng.randint(1, 99)} % |" for _ in range(3)))  # fmt: skip
        else:
            text = " ".join(sentence(rng, lang) for _ in range(rng.randint(3, 6)))
            if rng.random() < 0.4:
                other = rng.randrange(total)
                text += f" [{rng.choice(WORDS[lang])}](/{lang}/page-{other:05d}/)"
            parts.append(text)
        words += len(parts[-1].split())
    return "\n\n".join(parts) + "\n"


def generate(db_path: Path, pages: int, seed: int = 2026) -> None:
    os.environ.setdefault("MAGNETIQ_ADMIN_PASSWORD", "benchmark-password-123")
    if db_path.exists():
        db_path.unlink()
    create_database(db_path, "bench@example.com", os.environ["MAGNETIQ_ADMIN_PASSWORD"])
    conn = database.connect(db_path)
    rng = random.Random(seed)
    rows = []
    for index in range(pages):
        title = {lang: sentence(rng, lang)[:70].rstrip(".") for lang in ("en", "de")}
        content = {lang: body(rng, lang, index, pages) for lang in ("en", "de")}
        excerpt = {lang: sentence(rng, lang) for lang in ("en", "de")}
        rows.append((f"page-{index:05d}", json.dumps(title, ensure_ascii=False), json.dumps(content, ensure_ascii=False),
                     json.dumps(excerpt, ensure_ascii=False)))  # fmt: skip
    with database.transaction(conn):
        conn.executemany(
            "INSERT INTO pages (slug, title, content, excerpt, status, published_at) "
            "VALUES (?, ?, ?, ?, 'published', '2026-01-01 00:00:00')",
            rows,
        )
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    generate(args.db, args.pages)
    print(f"Wrote {args.pages} bilingual pages to {args.db}")


if __name__ == "__main__":
    main()
