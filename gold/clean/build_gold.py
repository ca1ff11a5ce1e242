# ruff: noqa: E501
"""Renders the hand-written gold articles into raw pages and writes `gold.jsonl`.

Run: `.venv/bin/python gold/clean/build_gold.py` (from the project root).

The expected output of every item is the article as written in `articles_a.py`/`articles_b.py`
(body paragraphs, sub-headings, key points). The raw input wraps it in the furniture real pages
and feeds carry: navigation, cookie banners, share bars, captions with credits, related links,
newsletter prompts, ads, comment sections and scripts, in several different layouts so that no
single layout decides the score. The seed article is included as delivered, with its expected
text written by hand in `seed_expected.txt`.

One jsonl line: {"id", "format": "html"|"text", "layout", "raw": RawArticle fields,
"expected": {"title", "text", "highlights", "language"}}.
"""

from __future__ import annotations

import html
import json
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from articles_a import ARTICLES_A  # noqa: E402
from articles_b import ARTICLES_B  # noqa: E402


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def paragraphs(article: dict) -> list[str]:
    return [p.strip() for p in article["body"].split("\n\n") if p.strip()]


def expected_text(article: dict) -> str:
    return "\n\n".join(p.removeprefix("## ") for p in paragraphs(article))


def html_blocks(article: dict, tag: str = "p") -> list[str]:
    out = []
    for p in paragraphs(article):
        if p.startswith("## "):
            out.append(f"<h2>{esc(p[3:])}</h2>")
        else:
            out.append(f"<{tag}>{esc(p)}</{tag}>")
    return out


def key_points(article: dict, cls: str = "key-points") -> str:
    if not article["highlights"]:
        return ""
    items = "".join(f"<li>{esc(h)}</li>" for h in article["highlights"])
    return f'<ul class="{cls}">{items}</ul>'


def figure(caption: tuple[str, str]) -> str:
    text, credit = caption
    return (
        f'<figure class="wp-block-image"><img src="/img/{zlib.crc32(text.encode()) % 9999}.jpg" alt="">'
        f'<figcaption>{esc(text)} <span class="credit">{esc(credit)}</span></figcaption></figure>'
    )


def related_list(article: dict, heading: str = "Related stories") -> str:
    if not article["related"]:
        return ""
    items = "".join(
        f'<li><a href="/news/{i}">{esc(h)}</a></li>' for i, h in enumerate(article["related"])
    )
    return f'<section class="related"><h3>{heading}</h3><ul>{items}</ul></section>'


COOKIE = (
    '<div id="cookie-consent" class="cookie-banner"><p>We use cookies to personalise content and '
    "ads and to analyse our traffic. You can change your choices at any time.</p>"
    "<button>Accept all</button><button>Manage preferences</button></div>"
)
SCRIPTS = (
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
    'gtag("js", new Date()); var tpl = "<p>Injected paragraph that is not content</p>";</script>'
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle"}'
    "</script><style>.ad{display:block}</style>"
)


def head(article: dict, site: str) -> str:
    author = f'<meta name="author" content="{esc(article["byline"])}">' if article["byline"] else ""
    return (
        f'<!DOCTYPE html><html lang="{article.get("lang", "en")}"><head><meta charset="utf-8">'
        f"<title>{esc(article['title'])} | {site}</title>"
        f'<meta property="og:title" content="{esc(article["title"])}">{author}'
        f'<meta property="article:published_time" content="{article["date"]}T08:00:00Z">'
        f"{SCRIPTS}</head>"
    )


def nav(site: str) -> str:
    return (
        f'<header class="site-header"><a class="logo" href="/">{site}</a><nav><ul>'
        '<li><a href="/news">News</a></li><li><a href="/politics">Politics</a></li>'
        '<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>'
        '<li><a href="/culture">Culture</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>'
        '<a class="subscribe" href="/subscribe">Subscribe</a><a href="/login">Sign in</a></header>'
    )


def footer(site: str) -> str:
    return (
        '<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
        '<li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li>'
        f"</ul><p>© 2024 {site}. All rights reserved.</p></footer>"
    )


def share_bar() -> str:
    return (
        '<div class="share-buttons"><span>Share this article</span>'
        '<a href="https://facebook.com/sharer">Facebook</a><a href="https://x.com/intent">X</a>'
        '<a href="https://wa.me/">WhatsApp</a><a href="mailto:?">Email</a>'
        '<button class="copy-link">Copy link</button></div>'
    )


def comments_section(article: dict) -> str:
    items = "".join(
        f'<li class="comment"><div class="comment-author">reader{i}</div>'
        f'<div class="comment-body"><p>{esc(c)}</p></div><a class="reply">Reply</a></li>'
        for i, c in enumerate(article["comments"], 1)
    )
    listing = f'<ol class="comment-list">{items}</ol>' if items else ""
    return (
        f'<div id="comments" class="comments-area"><h2 class="comments-title">'
        f"{len(article['comments'])} thoughts on “{esc(article['title'])}”</h2>{listing}"
        '<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply'
        '</h3><form id="commentform"><p class="comment-notes">Your email address will not be '
        "published. Required fields are marked *</p>"
        '<p><label for="comment">Comment *</label><textarea id="comment"></textarea></p>'
        '<p><label for="author">Name *</label><input id="author"></p>'
        '<p><label for="email">Email *</label><input id="email"></p>'
        '<p><label for="url">Website</label><input id="url"></p>'
        '<p class="comment-form-cookies-consent"><input type="checkbox"><label>Save my name, '
        "email, and website in this browser for the next time I comment.</label></p>"
        '<p class="form-submit"><input type="submit" value="Post Comment"></p></form></div></div>'
    )


def byline_html(article: dict) -> str:
    if not article["byline"]:
        return ""
    return (
        f'<div class="byline">By <a rel="author" href="/author/x">{esc(article["byline"])}</a>'
        f' <time datetime="{article["date"]}">{article["date"]}</time></div>'
    )


def render_wordpress(a: dict) -> str:
    site = "The Harbour Herald"
    blocks = html_blocks(a)
    if a["captions"]:
        blocks.insert(1, figure(a["captions"][0]))
    blocks.insert(3, '<div class="ad-slot"><span>Advertisement</span><div id="ad-1"></div></div>')
    body = "".join(blocks)
    return (
        head(a, site) + f"<body class='single-post'>{COOKIE}{nav(site)}"
        '<div id="primary" class="content-area"><main id="main"><article class="post">'
        f'<header class="entry-header"><h1 class="entry-title">{esc(a["title"])}</h1>'
        f'{byline_html(a)}</header><div class="entry-content">{key_points(a)}{body}</div>'
        f'<footer class="entry-footer"><span class="cat-links">Posted in <a href="/c/news">News</a>'
        f"</span> {share_bar()}</footer></article>"
        f"{related_list(a, 'Related Posts')}{comments_section(a)}</main></div>"
        '<aside id="secondary" class="widget-area"><section class="widget"><h2>Newsletter</h2>'
        "<p>Get the day's top stories in your inbox every morning.</p>"
        '<form><input type="email" placeholder="Your email"><button>Sign up</button></form>'
        '</section><section class="widget"><h2>Recent Posts</h2><ul>'
        '<li><a href="/p/1">Harbour festival returns this weekend</a></li>'
        '<li><a href="/p/2">New cycle lanes open on Quay Street</a></li></ul></section></aside>'
        f"{footer(site)}</body></html>"
    )


def render_modern(a: dict) -> str:
    site = "Daily Ledger"
    blocks = html_blocks(a)
    if a["related"]:
        first = a["related"][0]
        blocks.insert(
            2,
            f'<p class="inline-link"><strong>Read more:</strong> <a href="/r">{esc(first)}</a></p>',
        )
    blocks.insert(
        4,
        '<div class="newsletter-promo"><p>Sign up for The Ledger Briefing, our free daily '
        "newsletter.</p><button>Sign up</button></div>",
    )
    fig = figure(a["captions"][0]) if a["captions"] else ""
    return (
        head(a, site) + f"<body>{nav(site)}<main><article>"
        f'<div class="article-header"><h1>{esc(a["title"])}</h1>{byline_html(a)}</div>{fig}'
        f'<section class="key-points"><h2>Key points</h2>{key_points(a, "points")}</section>'
        f'<div class="article-body">{"".join(blocks)}</div>{share_bar()}'
        '<div class="corrections"><a href="/corrections">Report an error</a></div></article>'
        '<aside class="most-read"><h2>Most read</h2><ol>'
        '<li><a href="/m/1">Five things to know before the markets open</a></li>'
        '<li><a href="/m/2">The best budget phones of the year, tested</a></li>'
        '<li><a href="/m/3">Opinion: Why the four-day week is here to stay</a></li></ol></aside>'
        f"{related_list(a, 'More on this story')}</main>{COOKIE}{footer(site)}</body></html>"
    )


def render_divsoup(a: dict) -> str:
    """An old CMS: table layout, paragraphs separated by <br><br>, inline font tags."""
    site = "Valley Times Online"
    parts = []
    for p in paragraphs(a):
        if p.startswith("## "):
            parts.append(f"<b>{esc(p[3:])}</b>")
        else:
            parts.append(esc(p))
    caption = ""
    if a["captions"]:
        text, credit = a["captions"][0]
        caption = (
            f'<table class="photo"><tr><td><img src="/p.jpg"></td></tr><tr><td class="cap">'
            f"<font size=1>{esc(text)} {esc(credit)}</font></td></tr></table>"
        )
    related = "".join(f'<a href="/s/{i}">{esc(h)}</a><br>' for i, h in enumerate(a["related"]))
    return (
        head(a, site) + '<body bgcolor="#ffffff"><table width="100%"><tr><td colspan="2">'
        f'<a href="/"><img src="/logo.gif" alt="{site}"></a> | <a href="/">Home</a> | '
        '<a href="/local">Local</a> | <a href="/weather">Weather</a> | <a href="/classifieds">'
        'Classifieds</a></td></tr><tr><td width="160" valign="top" class="leftnav">'
        '<a href="/news">News</a><br><a href="/sports">Sports</a><br><a href="/obits">Obituaries'
        '</a><br><a href="/contact">Contact Us</a><br><div class="ad">ADVERTISEMENT<br>'
        '<img src="/ad.gif"></div></td><td valign="top"><div id="story">'
        f'<h1 class="headline">{esc(a["title"])}</h1>'
        f'<span class="byline">By {esc(a["byline"] or "Staff")} | {a["date"]}</span><br><br>'
        f"{caption}<font face='Arial'>{'<br><br>'.join(parts)}</font><br><br>"
        '<div class="tools"><a href="/print">Print this story</a> | <a href="/email">Email this'
        " story</a></div><br><b>Related Stories:</b><br>"
        f"{related}</div></td></tr><tr><td colspan='2' class='footer'>Copyright © 2024 {site}. "
        "All rights reserved. This material may not be published, broadcast, rewritten or "
        "redistributed.</td></tr></table></body></html>"
    )


def render_comments(a: dict) -> str:
    """A local news blog with a lively comment thread under the article."""
    site = "Riverside Post"
    blocks = html_blocks(a)
    if a["captions"]:
        blocks.insert(0, figure(a["captions"][0]))
    return (
        head(a, site) + f"<body>{nav(site)}<div class='container'><div class='main-col'>"
        f'<div class="post"><h1 class="post-title">{esc(a["title"])}</h1>'
        f'<p class="post-meta">Posted by {esc(a["byline"] or "admin")} on {a["date"]} · '
        "4 min read</p>"
        f'<div class="post-body">{key_points(a)}{"".join(blocks)}</div>'
        '<div class="tags">Tags: <a href="/t/local">local</a>, <a href="/t/community">'
        "community</a></div>"
        f"{share_bar()}</div>{related_list(a, 'You may also like')}{comments_section(a)}</div>"
        '<div class="sidebar"><div class="widget"><h3>Follow us</h3><a href="/fb">Facebook</a> '
        '<a href="/ig">Instagram</a></div><div class="widget"><h3>Support local journalism</h3>'
        "<p>Become a member for less than the price of a coffee a week.</p>"
        '<a href="/join">Join now</a></div></div></div>'
        f"{footer(site)}{COOKIE}</body></html>"
    )


def render_amp(a: dict) -> str:
    """An AMP page: amp-img, amp-ad slots and 'story continues' markers inside the body."""
    site = "Metro Wire"
    blocks = html_blocks(a)
    blocks.insert(
        2,
        '<amp-ad width="300" height="250" type="doubleclick"></amp-ad>'
        '<p class="ad-label">Story continues below advertisement</p>',
    )
    fig = ""
    if a["captions"]:
        text, credit = a["captions"][0]
        fig = (
            '<figure><amp-img src="/a.jpg" width="800" height="450" layout="responsive"></amp-img>'
            f"<figcaption>{esc(text)} <small>{esc(credit)}</small></figcaption></figure>"
        )
    return (
        '<!doctype html><html amp lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(a['title'])}</title>"
        '<script async src="https://cdn.ampproject.org/v0.js"></script>'
        "<style amp-custom>body{font-family:sans-serif}</style></head><body>"
        f'<amp-sidebar id="menu" layout="nodisplay"><ul><li><a href="/">Home</a></li>'
        '<li><a href="/latest">Latest</a></li><li><a href="/video">Video</a></li></ul>'
        f'</amp-sidebar><header><a href="/">{site}</a><button on="tap:menu">Menu</button></header>'
        f"<article><h1>{esc(a['title'])}</h1>"
        f'<div class="meta"><span class="author">{esc(a["byline"] or "")}</span>'
        f" <time>{a['date']}</time></div>{fig}{key_points(a)}"
        f'<div class="article-text">{"".join(blocks)}</div></article>'
        f"{related_list(a, 'Recommended for you')}"
        '<amp-user-notification id="consent" layout="nodisplay"><p>This site uses cookies. '
        "By continuing to browse the site you are agreeing to our use of cookies.</p>"
        "<button>OK</button></amp-user-notification>"
        f"{footer(site)}</body></html>"
    )


def render_magazine(a: dict) -> str:
    """A magazine layout: standfirst, credit as its own paragraph, newsletter box in the body."""
    site = "The Weekly Review"
    blocks = html_blocks(a)
    if a["captions"]:
        text, credit = a["captions"][0]
        blocks.insert(
            1,
            f'<div class="media"><img src="/m.jpg"><p class="caption">{esc(text)}</p>'
            f'<p class="credit">{esc(credit)}</p></div>',
        )
    blocks.insert(
        3,
        '<aside class="inline-newsletter"><h4>The Morning Review</h4><p>Our editors\' pick of '
        "the day's news, delivered to your inbox.</p><a href='/nl'>Subscribe now</a></aside>",
    )
    return (
        head(a, site) + f"<body>{COOKIE}{nav(site)}<main><div class='article-wrap'>"
        f'<h1 class="title">{esc(a["title"])}</h1>{byline_html(a)}'
        f'<div class="body-copy">{key_points(a)}{"".join(blocks)}</div>'
        f"{share_bar()}{related_list(a, 'Read next')}</div></main>{footer(site)}</body></html>"
    )


# ---------------------------------------------------------------- plain-text layouts


def text_paragraphs(a: dict) -> list[str]:
    return [p.removeprefix("## ") for p in paragraphs(a)]


def render_seedlike(a: dict) -> str:
    """Like the shared seed: caption + credit under the title, bullets, inline 'See also'."""
    out = [a["title"], ""]
    if a["captions"]:
        text, credit = a["captions"][0]
        out += [text, credit, ""]
    for h in a["highlights"]:
        out.append(f"  • {h}")
    out.append("")
    ps = text_paragraphs(a)
    for i, p in enumerate(ps):
        out += [p, ""]
        if i == 2 and a["related"]:
            out += [f"See also  {a['related'][0]}", ""]
    out += [
        "Leave a Reply",
        "",
        "Your email address will not be published. Required fields are marked *",
    ]
    return "\n".join(out)


def render_wire(a: dict) -> str:
    """A wire feed: byline and timestamp lines, 'Read more' lines, a sign-up prompt."""
    out = [
        a["title"],
        f"By {a['byline']}" if a["byline"] else "",
        f"Updated {a['date']} 10:42 GMT",
        "",
    ]
    ps = text_paragraphs(a)
    for i, p in enumerate(ps):
        out += [p, ""]
        if i == 1 and a["related"]:
            out += [f"READ MORE: {a['related'][0]}", ""]
        if i == 3:
            out += ["Sign up here for our daily newsletter with the day's top stories.", ""]
    for r in a["related"][1:]:
        out += [f"Read more: {r}", ""]
    out += ["Share this article", "Copy link"]
    return "\n".join(out)


def render_crawler(a: dict) -> str:
    """A crawler's text dump of a whole page: menu items, ad markers, cookie notice at the end."""
    out = [
        "Skip to main content",
        "Home",
        "News",
        "Politics",
        "Business",
        "Sport",
        "",
        a["title"],
        "",
    ]
    if a["byline"]:
        out += [f"By {a['byline']}", f"Published {a['date']}", ""]
    if a["captions"]:
        text, credit = a["captions"][0]
        out += [f"{text} {credit}", ""]
    ps = text_paragraphs(a)
    for i, p in enumerate(ps):
        out += [p, ""]
        if i == 1:
            out += ["Advertisement", ""]
    out += [
        "Share on Facebook",
        "Share on X",
        "",
        "We use cookies to improve your experience on our site. By continuing to use this site you "
        "accept our cookie policy.",
        "Accept",
        "",
        "© 2024 All rights reserved",
    ]
    return "\n".join(out)


def render_blog(a: dict) -> str:
    """A blog copy: inline (AP Photo/...) captions, a 'Related:' list, a comment form."""
    out = [a["title"], ""]
    ps = text_paragraphs(a)
    for i, p in enumerate(ps):
        if i == 1 and a["captions"]:
            text, credit = a["captions"][0]
            out += [f"{text} {credit}", ""]
        out += [p, ""]
        if i == 2:
            out += ["Story continues below", ""]
    if a["related"]:
        out += ["Related:", *a["related"], ""]
    if a["comments"]:
        out += [f"{len(a['comments'])} Comments", ""]
        for c in a["comments"]:
            out += ["reader_" + str(zlib.crc32(c.encode()) % 97), c, "Reply", ""]
    out += [
        "Leave a comment",
        "Name *",
        "Email *",
        "Website",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Post Comment",
    ]
    return "\n".join(out)


def to_mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252: the classic crawler mistake ftfy repairs."""
    import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")

    return text.encode("utf-8").decode("sloppy-windows-1252")


def render_mojibake(a: dict) -> str:
    """Broken encoding, non-breaking spaces, '--' dashes, and a newsletter prompt."""
    ps = text_paragraphs(a)
    body = "\n\n".join(ps).replace(" — ", " -- ").replace(". ", ".\u00a0 ", 2)
    return to_mojibake(
        f"{a['title']}\n\n{body}\n\nSubscribe to our newsletter to get the latest news in your "
        "inbox.\n\nTags: water, weather, environment"
    )


def hard_wrap(text: str, width: int = 72) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return lines


def render_hardwrap(a: dict) -> str:
    """A mailing-list style feed with lines hard-wrapped at 72 columns."""
    out = [a["title"], ""]
    if a["byline"]:
        out += [f"By {a['byline']}", ""]
    for p in text_paragraphs(a):
        out += [*hard_wrap(p), ""]
    if a["related"]:
        out += [f"See also: {a['related'][0]}", ""]
    out += ["-- ", "To unsubscribe from this list, click here.", "Advertise with us"]
    return "\n".join(out)


RENDERERS = {
    "wordpress": render_wordpress,
    "modern": render_modern,
    "divsoup": render_divsoup,
    "comments": render_comments,
    "amp": render_amp,
    "magazine": render_magazine,
    "seedlike": render_seedlike,
    "wire": render_wire,
    "crawler": render_crawler,
    "blog": render_blog,
    "mojibake": render_mojibake,
    "hardwrap": render_hardwrap,
}


def build() -> list[dict]:
    items = []
    for a in ARTICLES_A + ARTICLES_B:
        is_html = a["format"] == "html"
        raw = {
            "id": a["slug"],
            "url": f"https://news.example/{a['slug']}",
            "source": "gold",
            "body": RENDERERS[a["template"]](a),
            "content_type": "text/html" if is_html else "text/plain",
            "published_at": f"{a['date']}T08:00:00Z",
        }
        items.append(
            {
                "id": a["slug"],
                "format": a["format"],
                "layout": a["template"],
                "raw": raw,
                "expected": {
                    "title": a["title"],
                    "text": expected_text(a),
                    "highlights": a["highlights"],
                    "language": a.get("lang", "en"),
                },
            }
        )
    seed_raw = (HERE / "seed_000.txt").read_text(encoding="utf-8")
    seed_expected = (HERE / "seed_expected.txt").read_text(encoding="utf-8").strip()
    items.append(
        {
            "id": "seed-000",
            "format": "text",
            "layout": "seed",
            "raw": {
                "id": "seed-000",
                "source": "seed",
                "body": seed_raw,
                "content_type": "text/plain",
            },
            "expected": {
                "title": "Putin privately says he is ready for ceasefire in Ukraine: Report",
                "text": seed_expected,
                "highlights": [
                    "Russia's war in Ukraine has lasted longer than President Vladimir Putin expected.",
                    "The NYT reported that Putin had been considering a ceasefire since the early "
                    "weeks of Russia's invasion.",
                    "He renewed that interest, but only on the condition that Russia could maintain "
                    "the conquered territory.",
                ],
                "language": "en",
            },
        }
    )
    return items


def main() -> None:
    items = build()
    path = HERE / "gold.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} items to {path}")


if __name__ == "__main__":
    main()
