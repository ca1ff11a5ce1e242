"""A deterministic, news-like benchmark corpus: templates and word lists, no downloads.

Throughput of NLP depends on what the text looks like (sentence length, how many names, quotes),
so the corpus imitates wire copy: a dateline, people with titles, organisations, places, direct
and reported quotes, and the noise a crawler brings (boilerplate lines; a quarter as HTML pages
with navigation, share bars and footers). The same seed always gives the same articles.
"""

from __future__ import annotations

import html
import random
from datetime import UTC, datetime, timedelta

from schemas import ContentType, RawArticle

FIRST = [
    "Maria",
    "Elena",
    "James",
    "Olga",
    "Rahul",
    "Fatima",
    "Thomas",
    "Ingrid",
    "Kwame",
    "Sofia",
    "Daniel",
    "Aiko",
    "Pedro",
    "Leila",
    "Viktor",
    "Grace",
    "Omar",
    "Hannah",
    "Lucas",
    "Mei",
    "Samuel",
    "Ana",
    "Dmitri",
    "Chloe",
    "Tariq",
    "Beatriz",
    "Henrik",
    "Nadia",
]
LAST = [
    "Alvarez",
    "Okafor",
    "Lindqvist",
    "Petrov",
    "Chen",
    "Haddad",
    "Novak",
    "Fischer",
    "Moreau",
    "Tanaka",
    "Kowalski",
    "Mensah",
    "Rossi",
    "Sandoval",
    "Ibrahim",
    "Brennan",
    "Dubois",
    "Castillo",
    "Nakamura",
    "Varga",
    "Osei",
    "Whitaker",
    "Romero",
    "Singh",
]
TITLES = [
    "Finance Minister",
    "Prime Minister",
    "President",
    "Senator",
    "spokesperson",
    "chief executive",
    "Foreign Minister",
    "mayor",
    "central bank governor",
    "Defence Secretary",
    "union leader",
    "professor",
]
ORGS = [
    "the European Commission",
    "the World Health Organization",
    "Reuters",
    "the Federal Reserve",
    "Siemens",
    "the United Nations",
    "NATO",
    "the International Monetary Fund",
    "Greenpeace",
    "Toyota",
    "the Bank of England",
    "Amnesty International",
    "the World Bank",
    "Microsoft",
    "the Red Cross",
    "the European Central Bank",
    "Airbus",
    "the African Union",
    "Shell",
    "the Supreme Court",
]
PLACES = [
    "Brussels",
    "Nairobi",
    "Lisbon",
    "Warsaw",
    "Jakarta",
    "Ottawa",
    "Lagos",
    "Geneva",
    "Madrid",
    "Seoul",
    "Istanbul",
    "Lima",
    "Berlin",
    "Manila",
    "Cairo",
    "Oslo",
    "Santiago",
    "Hanoi",
    "Athens",
    "Dublin",
    "Kyiv",
    "Toronto",
    "Mumbai",
    "Vienna",
]
COUNTRIES = [
    "France",
    "Kenya",
    "Portugal",
    "Poland",
    "Indonesia",
    "Canada",
    "Nigeria",
    "Switzerland",
    "Spain",
    "South Korea",
    "Turkey",
    "Peru",
    "Germany",
    "the Philippines",
    "Egypt",
    "Norway",
    "Chile",
    "Vietnam",
    "Greece",
    "Ireland",
    "Ukraine",
    "India",
]
TOPICS = [
    "the budget",
    "energy prices",
    "the ceasefire talks",
    "the trade agreement",
    "flood relief",
    "interest rates",
    "the election",
    "the vaccine rollout",
    "the port strike",
    "migration policy",
    "the climate summit",
    "housing costs",
    "the rail tender",
    "fishing quotas",
    "the pension reform",
]
VERBS = ["said", "told reporters", "added", "warned", "insisted", "argued", "noted", "explained"]
ADJ = [
    "sharp",
    "modest",
    "unexpected",
    "long-awaited",
    "contested",
    "fragile",
    "sweeping",
    "gradual",
]
NOUNS = ["decline", "increase", "agreement", "delay", "review", "package", "deadline", "compromise"]
BOILERPLATE = (
    "Advertisement",
    "Subscribe to our newsletter for the latest updates.",
    "Share this article",
    "Read more: Markets rally as investors weigh outlook",
    "Sign up for breaking news alerts",
    "(c) 2024 Newsflow Wire. All rights reserved.",
    "Follow us on social media",
)

_SENTENCES = (
    "{place}, {month} {day} - {org} on {weekday} announced a {adj} {noun} on {topic}, a move "
    "that officials in {country} had expected for weeks.",
    "The decision follows months of negotiations between {org} and the government of "
    "{country}, which has faced growing pressure over {topic}.",
    "{Title} {person} said the {noun} would take effect next month.",
    '"We cannot wait any longer, and the people of {country} know it," {person} {verb}. '
    '"This is about {topic}, not about politics."',
    "According to {person2}, a {title} who has followed the talks closely, the {noun} was "
    "{adj} but necessary.",
    "Analysts at {org2} said the figures pointed to a {adj} {noun} in the second half of the "
    "year, with {percent} percent of respondents expecting further changes.",
    "{person2} told {org2} that the plan had been discussed in {place2} as early as last spring.",
    '"It is a {adj} step," said {person}, speaking to journalists in {place}. '
    '"But it is a step in the right direction."',
    "Critics, including members of {org2}, argued that {topic} had been neglected for years "
    "and that the {noun} came too late for many families.",
    "The {noun} is expected to cost about {amount} billion euros over five years, the "
    "ministry said in a statement on {weekday}.",
    "{Person} later met officials from {country2} in {place2}, where protesters gathered "
    "outside the conference centre.",
    "In a separate development, {org} said it would review its position on {topic2} "
    "before the end of the quarter.",
    "{person2} warned that the {noun} could be reversed if {country} failed to meet the "
    "conditions set by {org2}.",
    "Residents of {place} said they had seen little change so far. \u201cPrices keep going up "
    "and nobody explains why,\u201d said {person3}, a teacher.",
    "The spokesperson for {org} declined to comment on the report.",
)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _slots(rng: random.Random) -> dict[str, str]:
    person, person2, person3 = _person(rng), _person(rng), _person(rng)
    title = rng.choice(TITLES)
    return {
        "person": person,
        "Person": person,
        "person2": person2,
        "person3": person3,
        "title": title,
        "Title": title[0].upper() + title[1:],
        "org": rng.choice(ORGS),
        "org2": rng.choice(ORGS),
        "place": rng.choice(PLACES),
        "place2": rng.choice(PLACES),
        "country": rng.choice(COUNTRIES),
        "country2": rng.choice(COUNTRIES),
        "topic": rng.choice(TOPICS),
        "topic2": rng.choice(TOPICS),
        "verb": rng.choice(VERBS),
        "adj": rng.choice(ADJ),
        "noun": rng.choice(NOUNS),
        "month": rng.choice(MONTHS),
        "day": str(rng.randint(1, 28)),
        "weekday": rng.choice(WEEKDAYS),
        "percent": str(rng.randint(5, 80)),
        "amount": f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
    }


def _paragraphs(rng: random.Random, words: int) -> list[str]:
    """Paragraphs of 2-4 sentences until about `words` words. Templates are dealt from a shuffled
    deck, so no sentence repeats within a cast; the cast changes with each new deck, as in a story
    that moves from one side of a dispute to the other."""
    paragraphs: list[str] = []
    count = 0
    slots = _slots(rng)
    deck: list[str] = []
    first = True
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if first:
                template, first = _SENTENCES[0], False
            else:
                if not deck:
                    deck = list(_SENTENCES[1:])
                    rng.shuffle(deck)
                    if paragraphs:
                        slots = _slots(rng)
                template = deck.pop()
            sentences.append(template.format(**slots))
        text = " ".join(sentences)
        paragraphs.append(text)
        count += len(text.split())
    return paragraphs


def _as_html(title: str, paragraphs: list[str], rng: random.Random) -> str:
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    ads = rng.sample(BOILERPLATE, 2)
    return (
        "<!DOCTYPE html><html><head><title>"
        f"{html.escape(title)} | Newsflow Wire</title>"
        "<script>window.dataLayer=[];</script><style>.ad{display:none}</style></head><body>"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
        '<li><a href="/business">Business</a></li></ul></nav>'
        f"<article><h1>{html.escape(title)}</h1>"
        f'<div class="share">{ads[0]}</div>{body}'
        f'<aside class="related"><h3>Related</h3><ul><li><a href="/a">{ads[1]}</a></li></ul>'
        "</aside></article><footer><p>(c) 2024 Newsflow Wire. All rights reserved.</p>"
        '<a href="/privacy">Privacy</a></footer></body></html>'
    )


def _as_text(paragraphs: list[str], rng: random.Random) -> str:
    lines = list(paragraphs)
    for _ in range(rng.randint(1, 3)):
        lines.insert(rng.randint(1, len(lines)), rng.choice(BOILERPLATE))
    return "\n\n".join(lines)


def generate(n: int, words: int = 600, seed: int = 8, html_share: float = 0.25) -> list[RawArticle]:
    """`n` distinct articles of about `words` words each (body text, before markup)."""
    rng = random.Random(seed)
    start = datetime(2024, 3, 1, tzinfo=UTC)
    articles: list[RawArticle] = []
    for i in range(n):
        paragraphs = _paragraphs(rng, words)
        slots = _slots(rng)
        title = f"{slots['Person']} says {slots['topic']} deal in {slots['country']} is close"
        is_html = rng.random() < html_share
        articles.append(
            RawArticle(
                id=f"bench-{seed}-{i:06d}",
                url=f"https://news.example.org/{seed}/{i:06d}",
                source="Newsflow Wire",
                title=title,
                body=_as_html(title, paragraphs, rng) if is_html else _as_text(paragraphs, rng),
                content_type=ContentType.HTML if is_html else ContentType.TEXT,
                published_at=start + timedelta(minutes=17 * i),
            )
        )
    return articles


def word_count(articles: list[RawArticle]) -> int:
    return sum(len(a.body.split()) for a in articles)
