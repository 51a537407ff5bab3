"""The bilingual demo site's words: a fictional B2B company, Voltaic Systems."""

HOME = {
    "en": """![A dashboard](/media/images/dashboard.svg)

# Energy data you can act on

Voltaic Systems helps mid-sized manufacturers **measure, understand and cut** their energy costs.
Our platform connects to the meters you already have and turns raw readings into decisions.

[Book a consultation](/en/book/) [See the webinars](/en/webinars/)

---

## Why teams choose us

- Live dashboards for every site, line and machine
- Automatic anomaly alerts before the bill arrives
- ISO 50001 reports in minutes, not weeks

Read how we work on the [services page](/en/services/).

| Result | Typical value |
|---|---|
| Energy cost reduction | 12–18 % |
| Payback period | under 14 months |
| Sites connected in week one | 3 |
""",
    "de": """![Ein Dashboard](/media/images/dashboard.svg)

# Energiedaten, mit denen Sie handeln können

Voltaic Systems hilft mittelständischen Herstellern, ihre Energiekosten **zu messen, zu verstehen
und zu senken**. Unsere Plattform verbindet sich mit Ihren vorhandenen Zählern und macht aus
Rohdaten Entscheidungen.

[Beratung buchen](/de/book/) [Zu den Webinaren](/de/webinars/)

---

## Warum Teams uns wählen

- Live-Dashboards für jeden Standort, jede Linie und jede Maschine
- Automatische Warnungen bei Auffälligkeiten, bevor die Rechnung kommt
- ISO-50001-Berichte in Minuten statt Wochen

Lesen Sie auf der [Leistungsseite](/de/services/), wie wir arbeiten.

| Ergebnis | Typischer Wert |
|---|---|
| Senkung der Energiekosten | 12–18 % |
| Amortisationszeit | unter 14 Monaten |
| Angebundene Standorte in Woche eins | 3 |
""",
}

ABOUT = {
    "en": """# About Voltaic Systems

We are a team of 40 engineers and data scientists based in Munich and Leipzig. Since 2016 we
have connected more than 900 production sites across Europe.

## Our principles

1. **Measure first.** No recommendation without data.
2. **Small steps.** Every project pays for itself within a year.
3. **Your data stays yours.** Hosted in Germany, exportable at any time.

Questions? See our [contact page](/en/contact/).
""",
    "de": """# Über Voltaic Systems

Wir sind ein Team aus 40 Ingenieurinnen, Ingenieuren und Data Scientists in München und Leipzig.
Seit 2016 haben wir mehr als 900 Produktionsstandorte in ganz Europa angebunden.

## Unsere Grundsätze

1. **Erst messen.** Keine Empfehlung ohne Daten.
2. **Kleine Schritte.** Jedes Projekt rechnet sich innerhalb eines Jahres.
3. **Ihre Daten bleiben Ihre.** Gehostet in Deutschland, jederzeit exportierbar.

Fragen? Besuchen Sie unsere [Kontaktseite](/de/contact/).
""",
}

SERVICES = {
    "en": """# Services

## Energy monitoring

We install or connect sub-meters and stream readings every 15 seconds.

## Optimisation projects

| Package | Duration | Includes |
|---|---|---|
| Quick scan | 2 weeks | Site visit, meter plan, savings estimate |
| Pilot | 3 months | One site connected, dashboards, training |
| Roll-out | 6–12 months | All sites, alerts, ISO 50001 reporting |

## Training

Hands-on workshops for your energy managers, in English or German.

```text
Typical agenda: 09:00 basics · 11:00 dashboards · 14:00 alerts · 16:00 reporting
```
""",
    "de": """# Leistungen

## Energiemonitoring

Wir installieren oder verbinden Unterzähler und übertragen Messwerte alle 15 Sekunden.

## Optimierungsprojekte

| Paket | Dauer | Enthalten |
|---|---|---|
| Quick-Scan | 2 Wochen | Begehung, Zählerplan, Einsparschätzung |
| Pilot | 3 Monate | Ein Standort angebunden, Dashboards, Schulung |
| Roll-out | 6–12 Monate | Alle Standorte, Warnungen, ISO-50001-Berichte |

## Schulungen

Praxisnahe Workshops für Ihre Energiemanager, auf Deutsch oder Englisch.

```text
Typischer Ablauf: 09:00 Grundlagen · 11:00 Dashboards · 14:00 Warnungen · 16:00 Berichte
```
""",
}

CONTACT = {
    "en": """# Contact

**Voltaic Systems GmbH**
Leopoldstraße 12, 80802 München, Germany

- Phone: +49 89 1234 5678
- Email: [hello@voltaic.example](mailto:hello@voltaic.example)

Prefer a call with an engineer? [Book a consultation](/en/book/).
""",
    "de": """# Kontakt

**Voltaic Systems GmbH**
Leopoldstraße 12, 80802 München

- Telefon: +49 89 1234 5678
- E-Mail: [hello@voltaic.example](mailto:hello@voltaic.example)

Lieber ein Gespräch mit einem Ingenieur? [Beratung buchen](/de/book/).
""",
}

PRIVACY = {
    "en": """# Privacy policy

## What we collect

When you register for a webinar, download a whitepaper or book a consultation we store the
details you enter in the form. Our page statistics use no cookies and store no full IP address.

## Your rights

You may ask for a copy of your data or its erasure at any time: write to
[privacy@voltaic.example](mailto:privacy@voltaic.example).
""",
    "de": """# Datenschutzerklärung

## Was wir erheben

Wenn Sie sich für ein Webinar anmelden, ein Whitepaper herunterladen oder eine Beratung buchen,
speichern wir die Angaben aus dem Formular. Unsere Seitenstatistik verwendet keine Cookies und
speichert keine vollständige IP-Adresse.

## Ihre Rechte

Sie können jederzeit Auskunft über Ihre Daten oder deren Löschung verlangen: schreiben Sie an
[privacy@voltaic.example](mailto:privacy@voltaic.example).
""",
}

IMPRINT = {
    "en": """# Imprint

Voltaic Systems GmbH · Leopoldstraße 12 · 80802 München

- Managing directors: Anna Weber, Jonas Keller
- Register court: Amtsgericht München, HRB 123456
- VAT ID: DE123456789
""",
    "de": """# Impressum

Voltaic Systems GmbH · Leopoldstraße 12 · 80802 München

- Geschäftsführung: Anna Weber, Jonas Keller
- Registergericht: Amtsgericht München, HRB 123456
- USt-IdNr.: DE123456789
""",
}

DRAFT = {
    "en": "# Pricing (draft)\n\nNot ready yet: pricing tables are still being approved.\n",
    "de": "# Preise (Entwurf)\n\nNoch nicht fertig: die Preistabellen werden noch abgestimmt.\n",
}

SCHEDULED = {
    "en": "# Announcing our 2027 platform\n\nA new generation of dashboards is coming soon.\n",
    "de": "# Unsere Plattform 2027\n\nEine neue Generation von Dashboards kommt bald.\n",
}

PAGES = [
    # slug, template, title, excerpt, body, status, published offset in days (None: unset)
    ("home", "home", {"en": "Energy data you can act on", "de": "Energiedaten, mit denen Sie handeln können"},
     {"en": "Measure, understand and cut energy costs.", "de": "Energiekosten messen, verstehen und senken."},
     HOME, "published", -120),
    ("about", "default", {"en": "About us", "de": "Über uns"},
     {"en": "Engineers and data scientists in Munich and Leipzig.", "de": "Ingenieure und Data Scientists in München und Leipzig."},
     ABOUT, "published", -110),
    ("services", "default", {"en": "Services", "de": "Leistungen"},
     {"en": "Monitoring, optimisation projects and training.", "de": "Monitoring, Optimierungsprojekte und Schulungen."},
     SERVICES, "published", -100),
    ("contact", "default", {"en": "Contact", "de": "Kontakt"},
     {"en": "How to reach us.", "de": "So erreichen Sie uns."}, CONTACT, "published", -90),
    ("privacy", "legal", {"en": "Privacy policy", "de": "Datenschutz"}, None, PRIVACY, "published", -90),
    ("imprint", "legal", {"en": "Imprint", "de": "Impressum"}, None, IMPRINT, "published", -90),
    ("pricing", "default", {"en": "Pricing", "de": "Preise"}, None, DRAFT, "draft", None),
    ("platform-2027", "default", {"en": "Our 2027 platform", "de": "Unsere Plattform 2027"}, None,
     SCHEDULED, "published", 60),
]  # fmt: skip

PRESENTER_BIO = {
    "en": "Dr. Lena Hoffmann leads energy analytics at Voltaic Systems.",
    "de": "Dr. Lena Hoffmann leitet die Energieanalyse bei Voltaic Systems.",
}

WEBINARS = [
    # slug, title, description, offset days, status, max participants, recording url
    ("energy-monitoring-101", {"en": "Energy monitoring 101", "de": "Energiemonitoring 101"},
     {"en": "A one-hour introduction: which meters you need, what to measure first, and how fast it pays off.",
      "de": "Eine einstündige Einführung: welche Zähler Sie brauchen, was Sie zuerst messen und wie schnell es sich rechnet."},
     21, "scheduled", 100, None),
    ("iso-50001-in-practice", {"en": "ISO 50001 in practice", "de": "ISO 50001 in der Praxis"},
     {"en": "How three manufacturers passed their audit with automated reports. Small group, live Q&A.",
      "de": "Wie drei Hersteller ihr Audit mit automatischen Berichten bestanden. Kleine Gruppe, Live-Fragerunde."},
     10, "scheduled", 3, None),
    ("peak-load-management", {"en": "Peak load management", "de": "Lastspitzenmanagement"},
     {"en": "Cut demand charges by shifting loads. The recording is available.",
      "de": "Leistungspreise senken durch Lastverschiebung. Die Aufzeichnung ist verfügbar."},
     -30, "completed", 200, "https://video.voltaic.example/peak-load-management"),
]  # fmt: skip

WHITEPAPERS = [
    # slug, title, description, preview, category, pdf lines
    ("energy-cost-benchmark-2026",
     {"en": "Energy cost benchmark 2026", "de": "Energiekosten-Benchmark 2026"},
     {"en": "What 900 production sites pay for energy, by industry and size.",
      "de": "Was 900 Produktionsstandorte für Energie zahlen, nach Branche und Größe."},
     {"en": "Median energy cost per unit fell 4 % in 2026, but the spread between the best and the worst quartile grew.",
      "de": "Die mittleren Energiekosten pro Stück sanken 2026 um 4 %, doch der Abstand zwischen bestem und schlechtestem Quartil wuchs."},
     "report",
     ["Key findings", "1. Median cost per unit fell 4 percent.", "2. Best quartile pays 31 percent less."]),
    ("iso-50001-checklist",
     {"en": "ISO 50001 checklist", "de": "ISO-50001-Checkliste"},
     {"en": "Twelve steps to your first energy management audit.",
      "de": "Zwölf Schritte zu Ihrem ersten Energiemanagement-Audit."},
     {"en": "From the energy policy to the management review: a practical checklist with templates.",
      "de": "Von der Energiepolitik bis zur Managementbewertung: eine praktische Checkliste mit Vorlagen."},
     "guide",
     ["Checklist", "1. Write the energy policy.", "2. Name the energy team.", "3. Measure baselines."]),
]  # fmt: skip

FULL_WEBINAR_ATTENDEES = [
    ("Maria", "Schmidt", "maria.schmidt@example.com", "Schmidt Metallbau"),
    ("Tom", "Becker", "tom.becker@example.com", "Becker Kunststoffe"),
    ("Eva", "Wagner", "eva.wagner@example.com", "Wagner Foods"),
]

CONSENT_WORDING = {
    "en": "Yes, send me Voltaic Systems' news on energy efficiency by mail now and then. "
    "I can unsubscribe at any time.",
    "de": "Ja, schicken Sie mir gelegentlich Neuigkeiten von Voltaic Systems zur Energieeffizienz "
    "per Mail. Ich kann mich jederzeit abmelden.",
}
