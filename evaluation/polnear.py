"""`newsflow eval quotes --gold SPLIT`: the whole pipeline over a PolNeAR split (brat standoff),
scored the way `dev-data/eval/score_polnear.py` scores `newsflow run` output.

PolNeAR (Newell, Margolin and Ruths, 2018) annotates attributions in US political news: a Source,
a Cue and a Content span joined by an event line. The scoring rules are the dev set's, kept
here (CI has no `../shared`) and reproduced exactly so both give the same figures:
- a gold attribution whose content holds a quoted span of 3+ words is a direct quote (its text is
  the quoted parts joined); one with a speech-verb cue and 4+ content words is reported speech;
- a direct quote is found when one of our direct quotes holds >= 50 % of its word tokens (a
  multiset share); our direct quotes matching no gold quote are false;
- speaker accuracy is over found quotes whose gold source is named (not a pronoun): right when our
  speaker's text, its `name` or its entity's name and the gold source share their core words
  (titles and articles left out) in either direction; pronoun sources are counted apart;
- reported-speech recall counts a gold reported content matched by any of our quotes.

Everything beyond the figures (misses, false quotes, speaker errors, each grouped by a pattern
read from the text around it) is there to study errors, not to score.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas import ContentType, Entity, Quote, QuoteKind, RawArticle, StageSettings
from workers.base import WorkItem
from workers.pipeline import run_stage
from workers.quotes.marks import find_marked_spans, paragraph_bounds

#: The scorer's speech-verb cue test for reported speech (its own list, not the stage's).
SPEECH = re.compile(
    r"\b(say|says|said|saying|tell|tells|told|add|adds|added|adding|state|states|stated|"
    r"write|writes|wrote|according|claim|claims|claimed|announce|announced|explain|explained|"
    r"note|noted|argue|argued|insist|insisted|warn|warned|ask|asked|tweet|tweeted|declare|declared)\b",
    re.I,
)
QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+)[\"\u201d]?")
TOK = re.compile(r"\w+")
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "him", "her"})
STOP = frozenset(
    {"the", "a", "an", "of", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president"}
    | {"minister", "said", "says"}
)
MIN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    text: str  # direct: the quoted parts joined; reported: the content span
    source: str
    cue: str = ""


@dataclass(frozen=True, slots=True)
class PolnearArticle:
    stem: str
    text: str  # the file as it is: first line the title
    direct: tuple[GoldAttribution, ...]
    reported: tuple[GoldAttribution, ...]

    @property
    def title(self) -> str:
        return self.text.strip().splitlines()[0].strip()


def is_split(path: Path) -> bool:
    return path.is_dir() and (path / "attributions").is_dir() and (path / "text").is_dir()


def _read_ann(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    spans: dict[str, str] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            spans[parts[0]] = parts[2]
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(p.split(":", 1) for p in parts[1].split(" ") if ":" in p))
    return spans, events


def load_split(split: Path) -> list[PolnearArticle]:
    """Articles with at least one annotation file (the first, in name order, as the scorer).
    The scorer matches documents by title, so of articles sharing a title only the last (in
    name order) is scored, here as there."""
    articles: dict[str, PolnearArticle] = {}
    for txt in sorted((split / "text").glob("*.txt")):
        anns = sorted((split / "attributions").glob(txt.stem + "_*.ann"))
        if not anns:
            continue
        spans, events = _read_ann(anns[0])
        direct, reported = [], []
        for ev in events:
            content = spans.get(ev.get("Content", ""), "")
            cue = spans.get(ev.get("Cue", ""), "")
            source = spans.get(ev.get("Source", ""), "")
            if not content:
                continue
            inner = " ".join(m.group(1) for m in QUOTED.finditer(content))
            if ("\u201c" in content or '"' in content) and len(TOK.findall(inner)) >= 3:
                direct.append(GoldAttribution(inner, source))
            elif SPEECH.search(cue) and len(TOK.findall(content)) >= 4:
                reported.append(GoldAttribution(content, source, cue))
        art = PolnearArticle(
            txt.stem, txt.read_text(encoding="utf-8"), tuple(direct), tuple(reported)
        )
        articles[art.title] = art  # the scorer's dict: the last one of a title wins
    return sorted(articles.values(), key=lambda a: a.stem)


def toks(text: str | None) -> Counter[str]:
    return Counter(t.lower() for t in TOK.findall(text or ""))


def share(a: Counter[str], b: Counter[str]) -> float:
    """The fraction of `a`'s tokens found in `b`."""
    total = sum(a.values())
    return sum((a & b).values()) / total if total else 0.0


def _core(c: Counter[str]) -> Counter[str]:
    return Counter({k: v for k, v in c.items() if k not in STOP}) or c


def speaker_names(quote: Quote, entities: dict[str, Entity]) -> list[str]:
    sp = quote.speaker
    if sp is None:
        return []
    names = [sp.text, sp.name or ""]
    entity = entities.get(sp.entity_id or "")
    if entity is not None:
        names.append(entity.name)
    return [n for n in names if n.strip()]


def speaker_right(source: str, quote: Quote, entities: dict[str, Entity]) -> bool:
    gs = toks(source)
    return any(
        max(share(_core(toks(n)), gs), share(_core(gs), toks(n))) >= MIN_SHARE
        for n in speaker_names(quote, entities)
    )


def pronoun_ok(quote: Quote, entities: dict[str, Entity]) -> bool:
    """The scorer's test for a pronoun source: kept as a pronoun, or resolved to a person."""
    sp = quote.speaker
    if sp is None or not sp.text:
        return False
    entity = entities.get(sp.entity_id or "")
    return sp.text.lower() in PRONOUNS or (entity is not None and entity.type.value == "PERSON")


def predict(
    articles: list[PolnearArticle], settings: StageSettings
) -> tuple[list[WorkItem], float]:
    """The real stages over each article as a text file is read (first line the title); returns
    the items and the quote stage's CPU seconds."""
    from workers.cleaning import CleaningStage
    from workers.entities import EntityStage
    from workers.quotes import QuoteStage

    items = []
    for art in articles:
        title, _, body = art.text.partition("\n")
        raw = RawArticle(id=art.stem, title=title.strip(), body=body, content_type=ContentType.TEXT)
        items.append(WorkItem(raw=raw))
    quote_cpu = 0.0
    stages = (CleaningStage(settings), EntityStage(settings), QuoteStage(settings))
    for lo in range(0, len(items), settings.nlp_batch_size):
        batch = items[lo : lo + settings.nlp_batch_size]
        for stage in stages:
            cpu = time.process_time()
            run_stage(stage, batch)
            if stage.name.value == "quotes":
                quote_cpu += time.process_time() - cpu
    return items, quote_cpu


def _where(text: str, quote: str) -> int:
    """Offset of a gold quote in the cleaned text (its first words), or -1."""
    words = TOK.findall(quote)[:6]
    if not words:
        return -1
    m = re.search(r"\W+".join(map(re.escape, words)), text)
    return m.start() if m else -1


def miss_pattern(text: str, at: int) -> str:
    """A coarse class of a missed direct quote from what stands before its opening mark."""
    if at < 0:
        return "not in cleaned text"
    mark = at - 1
    while mark >= 0 and text[mark] in " \n":
        mark -= 1
    if mark < 0 or text[mark] not in "\"“'‘":
        return "no opening mark before it (mid-quote split or unmarked)"
    p_start = text.rfind("\n", 0, mark) + 1
    before = text[p_start:mark].rstrip()
    words = before.split()
    last = words[-1].lower().strip(",;") if words else ""
    if not before:
        return "opens its paragraph"
    if before.endswith(":"):
        return "after a colon"
    if before[-1] in '.!?”"':
        return "later sentence (after another sentence or quote)"
    if last.endswith("ing"):
        return "after a participle"
    if "that" in [w.lower() for w in words[-8:]]:
        return "inside a reported clause"
    if before.endswith(","):
        return "after a comma"
    return "partial quote inside a sentence"


def _marked(text: str, at: int) -> bool:
    bounds = paragraph_bounds(text, None)
    return any(s.start <= at < s.end for s in find_marked_spans(text, bounds))


def evaluate_split(split: Path, settings: StageSettings) -> dict[str, Any]:
    articles = load_split(split)
    started = time.perf_counter()
    items, quote_cpu = predict(articles, settings)
    scores = score_items(articles, items, split.name)
    n = len(articles)
    scores["quote_stage_cpu_ms_per_article"] = round(1000 * quote_cpu / n, 2) if n else 0.0
    scores["seconds"] = round(time.perf_counter() - started, 1)
    return scores


def score_items(articles: list[PolnearArticle], items: list[WorkItem], name: str) -> dict[str, Any]:
    """The scorer's figures (and the grouped errors) for the stages' output on `articles`; an
    item that failed counts as a missing document (all its gold quotes missed)."""
    tp = fp = fn = sp_ok = sp_n = pr_ok = pr_n = hit = rep_n = missing = 0
    misses: list[dict[str, Any]] = []
    false: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    missed_reported: list[dict[str, Any]] = []
    for art, item in zip(articles, items, strict=True):
        if item.failure is not None or item.cleaned is None:
            missing += 1
            fn += len(art.direct)
            rep_n += len(art.reported)
            continue
        text = item.cleaned.text
        ents = {e.id: e for e in item.entities}
        ours = [q for q in item.quotes if q.kind is QuoteKind.DIRECT]
        used: set[int] = set()
        for g in art.direct:
            gt = toks(g.text)
            scores = [share(gt, toks(q.text)) for q in ours]
            best = max(range(len(ours)), key=scores.__getitem__, default=None)
            if best is None or scores[best] < MIN_SHARE:
                fn += 1
                at = _where(text, g.text)
                pattern = miss_pattern(text, at)
                if at >= 0 and pattern != "no opening mark before it (mid-quote split or unmarked)":
                    pattern += "" if _marked(text, at) else " [marks not paired]"
                misses.append({"id": art.stem, "pattern": pattern, "gold": g.text[:120]})
                continue
            tp += 1
            used.add(best)
            if not g.source:
                continue
            q = ours[best]
            if g.source.strip().lower() in PRONOUNS:
                pr_n += 1
                pr_ok += pronoun_ok(q, ents)
                continue
            sp_n += 1
            if speaker_right(g.source, q, ents):
                sp_ok += 1
            else:
                wrong.append(
                    {
                        "id": art.stem,
                        "pattern": _speaker_pattern(q),
                        "gold": g.source[:80],
                        "ours": q.speaker.text if q.speaker else None,
                        "name": q.speaker.name if q.speaker else None,
                        "quote": q.text[:60],
                    }
                )
        for i, q in enumerate(ours):
            if i in used:
                continue
            qt = toks(q.text)
            if not any(share(qt, toks(g.text)) >= MIN_SHARE for g in art.direct):
                fp += 1
                false.append(
                    {
                        "id": art.stem,
                        "pattern": _false_pattern(q, text),
                        "reported_in_gold": any(
                            share(qt, toks(g.text)) >= MIN_SHARE for g in art.reported
                        ),
                        "ours": q.text[:120],
                    }
                )
        for g in art.reported:
            rep_n += 1
            gt = toks(g.text)
            if any(share(gt, toks(q.text)) >= MIN_SHARE for q in item.quotes):
                hit += 1
            else:
                missed_reported.append(
                    {"id": art.stem, "pattern": f"cue: {g.cue.lower()}", "gold": g.text[:120]}
                )
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    figures = {
        "direct P": round(p, 3),
        "direct R": round(r, 3),
        "direct F1": round(f, 3),
        "speaker acc": round(sp_ok / sp_n, 3) if sp_n else 0.0,
        "reported R": round(hit / rep_n, 3) if rep_n else 0.0,
    }
    n = len(articles)
    return {
        "row": {
            "stage": "quotes",
            "set": name,
            "items": n,
            "figures": figures,
            "baseline": None,
        },
        "articles": n,
        "missing_docs": missing,
        "gold_direct": tp + fn,
        "gold_reported": rep_n,
        "speakers_named": sp_n,
        "speakers_pronoun": pr_n,
        "pronoun_kept_or_resolved": round(pr_ok / pr_n, 3) if pr_n else 0.0,
        "counts": {"tp": tp, "fp": fp, "fn": fn, "speaker_ok": sp_ok, "reported_hit": hit},
        "misses_by_pattern": _grouped(misses),
        "false_by_pattern": _grouped(false),
        "speaker_errors_by_pattern": _grouped(wrong),
        "reported_missed_by_cue": _grouped(missed_reported),
    }


def _false_pattern(q: Quote, text: str) -> str:
    if "''" in text[max(0, q.start - 1) : q.start + 2] or "``" in text[q.start : q.start + 2]:
        # typewriter doubled apostrophes: a quote to a reader, but not to the scorer's gold rule
        return "marked with '' (the gold reads no quote there)"
    return "with a cue" if q.cue else "no cue of its own"


def _speaker_pattern(q: Quote) -> str:
    sp = q.speaker
    if sp is None:
        return "no speaker"
    if sp.entity_id is None:
        return "unresolved (no entity)"
    if sp.text.lower() in PRONOUNS:
        return "pronoun resolved to another person"
    return "another named speaker"


def _grouped(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """{pattern: {"count": n, "examples": [...]}} with the largest groups first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["pattern"], []).append(
            {k: v for k, v in row.items() if k != "pattern"}
        )
    return {
        k: {"count": len(v), "examples": v}
        for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    }
