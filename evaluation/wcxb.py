"""Reader for article-extraction sets in the WCXB layout: `ground-truth.json` ({id: {articleBody,
url, title}}) beside `html/<id>.html` or `html/<id>.html.gz`."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

GROUND_TRUTH = "ground-truth.json"


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str | None
    title: str | None
    gold: str
    html: str


def is_wcxb(path: Path) -> bool:
    """A folder holding ground-truth.json and html/."""
    return path.is_dir() and (path / GROUND_TRUTH).is_file() and (path / "html").is_dir()


def _read_html(root: Path, key: str) -> str:
    plain = root / "html" / f"{key}.html"
    if plain.exists():
        return plain.read_text(errors="replace")
    with gzip.open(root / "html" / f"{key}.html.gz", "rt", errors="replace") as fh:
        return fh.read()


def read_pages(root: Path) -> Iterator[Page]:
    """Pages in ground-truth order. A page whose HTML file is missing raises FileNotFoundError:
    a set with holes would score a different set of pages than the shared scorer does."""
    gold = json.loads((root / GROUND_TRUTH).read_text(encoding="utf-8"))
    for key, entry in gold.items():
        yield Page(
            id=str(key),
            url=entry.get("url"),
            title=entry.get("title"),
            gold=entry.get("articleBody") or "",
            html=_read_html(root, key),
        )
