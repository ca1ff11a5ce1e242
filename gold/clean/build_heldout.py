# ruff: noqa: E501
"""A held-out gold set, written after the cleaner was tuned on `gold.jsonl` and scored once
before any change: its layouts and noise phrasings (BBC-style "Image source," lines, Unsplash
credits, "Listen to this article", Twitter handles, AP copyright trailers, tip-line prompts,
"Additional reporting by") appear nowhere in the development set.

Run: `.venv/bin/python gold/clean/build_heldout.py` -> writes `heldout.jsonl` (same format).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

ITEMS = [
    {
        "id": "ho-bbcstyle-text",
        "format": "text",
        "raw": """Teachers in Northmoor vote to strike over class sizes

Image source, Getty Images
Image caption, Teachers marched through the city centre in March

Teachers in Northmoor have voted to strike next month in a dispute over class sizes, their union has said.

Of the members who voted, 81% backed walkouts on three days in October.

The union says some primary classes now have 36 pupils. "Nobody can teach 36 children properly, however hard they try," said regional secretary Alan Prior.

Related Topics
Northmoor
Education

More on this story
Schools face budget squeeze, heads warn
Published 2 days ago""",
        "expected": {
            "title": "Teachers in Northmoor vote to strike over class sizes",
            "text": """Teachers in Northmoor have voted to strike next month in a dispute over class sizes, their union has said.

Of the members who voted, 81% backed walkouts on three days in October.

The union says some primary classes now have 36 pupils. "Nobody can teach 36 children properly, however hard they try," said regional secretary Alan Prior.""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho-apwire-text",
        "format": "text",
        "raw": """Storm knocks out power to 200,000 homes

BAYPORT (AP) — A powerful storm swept across the coast overnight, knocking out power to about 200,000 homes and businesses and toppling trees onto roads, officials said Wednesday.

Utility crews from three neighbouring states were on their way to help, and the power company warned that some customers could be without electricity until the weekend.

"This is the worst damage we have seen since 2011," company spokesperson Dana Whitfield said.

No deaths were reported.

Associated Press writer Carl Jensen contributed to this report.

Copyright 2024 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission.""",
        "expected": {
            "title": "Storm knocks out power to 200,000 homes",
            "text": """BAYPORT (AP) — A powerful storm swept across the coast overnight, knocking out power to about 200,000 homes and businesses and toppling trees onto roads, officials said Wednesday.

Utility crews from three neighbouring states were on their way to help, and the power company warned that some customers could be without electricity until the weekend.

"This is the worst damage we have seen since 2011," company spokesperson Dana Whitfield said.

No deaths were reported.""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho-social-text",
        "format": "text",
        "raw": """Local bakery wins national bread award

Listen to this article · 3 min

A family bakery in Ashford has won the national award for the best sourdough loaf, beating more than 400 entries.

Photo by Lena Morris on Unsplash

Owner Priya Shah, who started the bakery in her garage eight years ago, said she was "still in shock." Her loaf uses flour from a mill two miles away.

The judges praised its "deep, almost sweet crust."

Follow Tom Baker on Twitter: @tombakernews

Do you have a story for us? Email tips@ashfordecho.example

Additional reporting by Sara Quinn""",
        "expected": {
            "title": "Local bakery wins national bread award",
            "text": """A family bakery in Ashford has won the national award for the best sourdough loaf, beating more than 400 entries.

Owner Priya Shah, who started the bakery in her garage eight years ago, said she was "still in shock." Her loaf uses flour from a mill two miles away.

The judges praised its "deep, almost sweet crust.\"""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho-italian-text",
        "format": "text",
        "raw": """Nuova linea del tram a Verduno, lavori al via a settembre

I lavori per la nuova linea del tram di Verduno cominceranno a settembre e dureranno circa tre anni, ha annunciato lunedì il Comune.

La linea collegherà la stazione centrale con l'ospedale e il nuovo quartiere universitario, con quattordici fermate.

«È l'opera pubblica più importante degli ultimi vent'anni», ha detto l'assessore ai trasporti Giulia Rinaldi.

Leggi anche: Traffico, la città è tra le più congestionate d'Italia

Iscriviti alla newsletter per ricevere le notizie del giorno

Riproduzione riservata ©""",
        "expected": {
            "title": "Nuova linea del tram a Verduno, lavori al via a settembre",
            "text": """I lavori per la nuova linea del tram di Verduno cominceranno a settembre e dureranno circa tre anni, ha annunciato lunedì il Comune.

La linea collegherà la stazione centrale con l'ospedale e il nuovo quartiere universitario, con quattordici fermate.

«È l'opera pubblica più importante degli ultimi vent'anni», ha detto l'assessore ai trasporti Giulia Rinaldi.""",
            "highlights": [],
            "language": "it",
        },
    },
    {
        "id": "ho-listicle-text",
        "format": "text",
        "raw": """Five changes to the bus network from Monday

Buses in the eastern suburbs will change from Monday as the transport authority rolls out the first stage of its network redesign.

The main changes are:

1. Route 12 will run every 10 minutes instead of every 15.
2. Route 40 will no longer serve the hospital; route 41 replaces it.
3. Night buses will run on Thursdays as well as at weekends.

Passengers can check their journeys on the authority's website.

ADVERTISING

Click here to download the new network map (PDF)""",
        "expected": {
            "title": "Five changes to the bus network from Monday",
            "text": """Buses in the eastern suburbs will change from Monday as the transport authority rolls out the first stage of its network redesign.

The main changes are:

Route 12 will run every 10 minutes instead of every 15.

Route 40 will no longer serve the hospital; route 41 replaces it.

Night buses will run on Thursdays as well as at weekends.

Passengers can check their journeys on the authority's website.""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho-news-html",
        "format": "html",
        "raw": """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Mine reopens after safety review - The Northern Star</title>
<meta property="og:title" content="Mine reopens after safety review"><script>window.__INITIAL_STATE__={"user":null,"paywall":true}</script></head>
<body><div id="app"><div class="top-bar"><a href="/">The Northern Star</a><span>Tuesday 4 June 2024</span><a href="/e-edition">Today's paper</a><a href="/account">My account</a></div>
<div class="breaking-banner">BREAKING: Flood warning issued for River Tarn</div>
<main><div class="story"><span class="kicker">Mining</span><h1>Mine reopens after safety review</h1>
<p class="standfirst">Workers return to Greyfell pit three months after a tunnel collapse</p>
<div class="author-box"><img src="/a.png"><span>Owen Hughes</span><span>Industry reporter</span><time>4 June 2024, 9:14am</time></div>
<div class="story-body">
<p>The Greyfell coal mine reopened on Monday, three months after a tunnel collapse that trapped four workers for eleven hours.</p>
<p>An independent review found that roof supports in the affected tunnel had been spaced too far apart, and the operator has since replaced them across the mine.</p>
<div class="inline-promo"><p>Get the Northern Star app for breaking news alerts</p><a href="/app">Download now</a></div>
<p>"We owe it to the families to get this right," said site manager Fiona Clegg. "Nobody goes underground until the inspectors are happy."</p>
<p>The four workers, who were rescued unhurt, have returned to work.</p>
<div class="paywall-fade"><p>Already a subscriber? <a href="/login">Log in</a></p></div>
</div></div>
<div class="more-stories"><h2>More stories</h2><div class="card"><a href="/s1"><h3>River Tarn flood warning issued</h3></a></div><div class="card"><a href="/s2"><h3>Council tax to rise by 4.9%</h3></a></div></div></main>
<footer><p>The Northern Star is part of Star Media Group. Registered in England No. 123456.</p></footer></div></body></html>""",
        "expected": {
            "title": "Mine reopens after safety review",
            "text": """Workers return to Greyfell pit three months after a tunnel collapse

The Greyfell coal mine reopened on Monday, three months after a tunnel collapse that trapped four workers for eleven hours.

An independent review found that roof supports in the affected tunnel had been spaced too far apart, and the operator has since replaced them across the mine.

"We owe it to the families to get this right," said site manager Fiona Clegg. "Nobody goes underground until the inspectors are happy."

The four workers, who were rescued unhurt, have returned to work.""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho-blog-html",
        "format": "html",
        "raw": """<html><head><title>Why the old town hall matters | Heritage Notes</title></head><body>
<div class="header"><h2 class="site-title">Heritage Notes</h2><p class="tagline">A blog about the buildings we live with</p></div>
<div class="post-wrapper"><h1 class="post-title">Why the old town hall matters</h1><div class="post-info">March 12, 2024 by Edith Marsh · 5 Comments</div>
<div class="entry">
<p>The old town hall in Kelso Street is due to be sold next month, and with it may go one of the finest Victorian interiors in the county.</p>
<p>Built in 1871, the hall has a painted ceiling by a local artist, Thomas Aird, that was covered with plaster in the 1960s and only rediscovered in 2019.</p>
<p><img src="ceiling.jpg"><br><em>The painted ceiling after cleaning in 2020. Photo © Heritage Notes</em></p>
<p>The council says it cannot afford the repairs. A trust set up by residents has until April to raise an offer.</p>
<p>If you want to help, the trust meets every Thursday at the library.</p>
</div>
<div class="post-footer">Filed under: <a>Buildings</a>, <a>Kelso</a> | <a href="#respond">Leave a comment</a></div>
<div class="jp-relatedposts"><h3>Related</h3><p><a href="/a">The lost cinemas of Kelso</a></p><p><a href="/b">Saving the corn exchange</a></p></div>
<div class="comments"><h3>5 thoughts on "Why the old town hall matters"</h3>
<div class="comment"><p class="meta">Jim R. says:</p><p>I had my wedding reception there in 1978. It would be a crime to lose it.</p></div>
<div class="comment"><p class="meta">Anne says:</p><p>Is there a way to donate online?</p></div></div>
<div class="sidebar"><h3>Archives</h3><ul><li>February 2024</li><li>January 2024</li></ul><h3>Subscribe via email</h3><p>Enter your email address to subscribe to this blog and receive notifications of new posts by email.</p></div>
</div></body></html>""",
        "expected": {
            "title": "Why the old town hall matters",
            "text": """The old town hall in Kelso Street is due to be sold next month, and with it may go one of the finest Victorian interiors in the county.

Built in 1871, the hall has a painted ceiling by a local artist, Thomas Aird, that was covered with plaster in the 1960s and only rediscovered in 2019.

The council says it cannot afford the repairs. A trust set up by residents has until April to raise an offer.

If you want to help, the trust meets every Thursday at the library.""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho-portuguese-html",
        "format": "html",
        "raw": """<!doctype html><html lang="pt"><head><meta charset="utf-8"><title>Porto de Santa Luzia bate recorde de movimentação</title></head><body>
<header><nav><a href="/">Início</a> <a href="/economia">Economia</a> <a href="/politica">Política</a> <a href="/esportes">Esportes</a></nav></header>
<article><h1>Porto de Santa Luzia bate recorde de movimentação</h1><p class="autor">Por Rafael Costa</p>
<p>O porto de Santa Luzia movimentou 41 milhões de toneladas de carga no primeiro semestre, um recorde para o período, informou a administração portuária nesta segunda-feira.</p>
<p>O crescimento foi puxado pelas exportações de soja e de minério de ferro, que subiram 18% em relação ao mesmo período do ano passado.</p>
<p>“Estamos perto do limite da nossa capacidade”, disse o presidente do porto, Henrique Matos, que defende a construção de um novo terminal.</p>
<div class="leia-tambem"><strong>Leia também:</strong> <a href="/x">Governo anuncia investimento em ferrovias</a></div>
<p>As obras do novo terminal ainda dependem de licença ambiental.</p></article>
<div class="compartilhe">Compartilhe: <a>Facebook</a> <a>WhatsApp</a></div>
<div class="lgpd">Utilizamos cookies para melhorar sua experiência. Ao continuar navegando, você concorda com nossa política de privacidade. <button>Aceitar</button></div>
<footer>© 2024 Jornal do Litoral. Todos os direitos reservados.</footer></body></html>""",
        "expected": {
            "title": "Porto de Santa Luzia bate recorde de movimentação",
            "text": """O porto de Santa Luzia movimentou 41 milhões de toneladas de carga no primeiro semestre, um recorde para o período, informou a administração portuária nesta segunda-feira.

O crescimento foi puxado pelas exportações de soja e de minério de ferro, que subiram 18% em relação ao mesmo período do ano passado.

“Estamos perto do limite da nossa capacidade”, disse o presidente do porto, Henrique Matos, que defende a construção de um novo terminal.

As obras do novo terminal ainda dependem de licença ambiental.""",
            "highlights": [],
            "language": "pt",
        },
    },
    {
        "id": "ho-liveblog-html",
        "format": "html",
        "raw": """<html><head><title>Election night: what we know so far</title></head><body>
<div class="masthead"><a href="/">The Courier</a><a href="/live">Live</a><a href="/signup">Sign up</a></div>
<main><h1>Election night: what we know so far</h1><div class="live-badge">LIVE</div><p class="updated">Last updated 11:52pm</p>
<section class="summary"><h2>Key points</h2><ul class="summary-points"><li>Turnout estimated at 67%, up from 61%.</li><li>Polls closed at 10pm; first results expected after midnight.</li></ul></section>
<div class="live-body">
<p>Polls have closed across the region and counting is under way at 14 centres.</p>
<p>Early estimates suggest turnout was around 67%, which would be the highest for a regional election in two decades.</p>
<p>Both main parties have said they are "cautiously optimistic," though neither has released internal figures.</p>
</div>
<div class="share-tools"><button>Share</button><button>Copy link</button></div>
<div class="newsletter"><h3>Election Extra</h3><p>Sign up to receive results straight to your inbox.</p><input placeholder="Email address"><button>Sign me up</button></div></main>
<footer>Terms · Privacy · Cookie settings · Accessibility</footer></body></html>""",
        "expected": {
            "title": "Election night: what we know so far",
            "text": """Polls have closed across the region and counting is under way at 14 centres.

Early estimates suggest turnout was around 67%, which would be the highest for a regional election in two decades.

Both main parties have said they are "cautiously optimistic," though neither has released internal figures.""",
            "highlights": [
                "Turnout estimated at 67%, up from 61%.",
                "Polls closed at 10pm; first results expected after midnight.",
            ],
            "language": "en",
        },
    },
    {
        "id": "ho-dutch-text",
        "format": "text",
        "raw": """Gemeente Veldhoven plant duizend nieuwe woningen

Foto: ANP

De gemeente Veldhoven wil de komende tien jaar duizend nieuwe woningen bouwen op het terrein van de voormalige suikerfabriek.

Een derde van de woningen moet sociale huur worden, zei wethouder Mark de Vries dinsdag. „We hebben vooral betaalbare huizen nodig voor jongeren”, aldus De Vries.

Omwonenden maken zich zorgen over het verkeer. De gemeente organiseert in mei een informatieavond.

Lees ook: Huizenprijzen stijgen weer in de regio

Deel dit artikel""",
        "expected": {
            "title": "Gemeente Veldhoven plant duizend nieuwe woningen",
            "text": """De gemeente Veldhoven wil de komende tien jaar duizend nieuwe woningen bouwen op het terrein van de voormalige suikerfabriek.

Een derde van de woningen moet sociale huur worden, zei wethouder Mark de Vries dinsdag. „We hebben vooral betaalbare huizen nodig voor jongeren”, aldus De Vries.

Omwonenden maken zich zorgen over het verkeer. De gemeente organiseert in mei een informatieavond.""",
            "highlights": [],
            "language": "nl",
        },
    },
]


#: A second held-out round, written after the first round's fixes and scored once, untouched.
ITEMS_2 = [
    {
        "id": "ho2-sports-text",
        "format": "text",
        "raw": """Rovers clinch title with late winner

Rovers' players celebrate after the final whistle
PA Images

Rovers won the league title on Saturday with a 1-0 win at Castle Park, sealed by a header from substitute Danny Cole two minutes from time.

"I have waited my whole career for a moment like this," said captain Lee Marsh, 34.

The club's first title since 1989 was celebrated by around 3,000 travelling fans.

MATCH STATS
Possession: 54% - 46%
Shots on target: 6 - 2

Get the latest sport news straight to your phone
Download our free app

Most Popular
Cole: 'I just closed my eyes and jumped'
Ticket details for the open-top bus parade""",
        "expected": {
            "title": "Rovers clinch title with late winner",
            "text": """Rovers won the league title on Saturday with a 1-0 win at Castle Park, sealed by a header from substitute Danny Cole two minutes from time.

"I have waited my whole career for a moment like this," said captain Lee Marsh, 34.

The club's first title since 1989 was celebrated by around 3,000 travelling fans.

MATCH STATS

Possession: 54% - 46%

Shots on target: 6 - 2""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho2-tech-html",
        "format": "html",
        "raw": """<html><head><title>Regulator opens inquiry into app store fees</title></head><body>
<div class="nav-wrap"><ul><li><a href="/">Tech</a></li><li><a href="/reviews">Reviews</a></li><li><a href="/deals">Deals</a></li></ul></div>
<div class="article"><h1>Regulator opens inquiry into app store fees</h1>
<div class="meta">By <span class="author">Lina Park</span> · <time>May 2, 2024</time> · <a href="#comments">12 comments</a></div>
<div class="disclosure">When you buy through links on our site, we may earn an affiliate commission.</div>
<div class="content">
<p>The competition regulator said on Thursday it had opened a formal inquiry into the fees charged by the two largest mobile app stores.</p>
<p>Developers have complained for years that the 30% commission on in-app purchases is unfair and leaves them little choice.</p>
<blockquote><p>"We want to know whether these markets are working for developers and for consumers," the regulator's chief executive, Omar Said, said in a statement.</p></blockquote>
<p>Both companies said they would cooperate with the inquiry.</p>
<div class="related-inline"><span>Related:</span> <a href="/r">The app store wars, explained</a></div>
</div>
<div class="author-bio"><p>Lina Park is a senior reporter covering technology policy. She previously worked at the Daily Ledger.</p></div>
</div>
<div id="comments"><h2>12 comments</h2><div class="c"><p>About time someone looked at this.</p></div></div>
</body></html>""",
        "expected": {
            "title": "Regulator opens inquiry into app store fees",
            "text": """The competition regulator said on Thursday it had opened a formal inquiry into the fees charged by the two largest mobile app stores.

Developers have complained for years that the 30% commission on in-app purchases is unfair and leaves them little choice.

"We want to know whether these markets are working for developers and for consumers," the regulator's chief executive, Omar Said, said in a statement.

Both companies said they would cooperate with the inquiry.""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho2-french-text",
        "format": "text",
        "raw": """Le festival de jazz de Clairmont affiche complet

Publié le 12/07/2024 à 18h05

Le festival de jazz de Clairmont, qui ouvre vendredi, affiche complet pour la première fois de son histoire, avec 45 000 billets vendus.

Les organisateurs ont ajouté une scène gratuite sur la place du marché pour accueillir ceux qui n'ont pas pu obtenir de place.

« Nous ne nous attendions pas à un tel succès », a reconnu la directrice du festival, Sophie Laurent.

Abonnez-vous à notre newsletter

Partager sur Facebook
Partager sur X""",
        "expected": {
            "title": "Le festival de jazz de Clairmont affiche complet",
            "text": """Le festival de jazz de Clairmont, qui ouvre vendredi, affiche complet pour la première fois de son histoire, avec 45 000 billets vendus.

Les organisateurs ont ajouté une scène gratuite sur la place du marché pour accueillir ceux qui n'ont pas pu obtenir de place.

« Nous ne nous attendions pas à un tel succès », a reconnu la directrice du festival, Sophie Laurent.""",
            "highlights": [],
            "language": "fr",
        },
    },
    {
        "id": "ho2-science-html",
        "format": "html",
        "raw": """<!DOCTYPE html><html><head><title>Astronomers spot water vapour on distant planet</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Astronomers spot water vapour on distant planet"}</script></head>
<body><header><a href="/">Science Today</a><form><input name="q" placeholder="Search"></form></header>
<main><article><h1>Astronomers spot water vapour on distant planet</h1>
<p class="dek">The finding makes the planet a prime target for future telescopes</p>
<figure><img src="planet.jpg"><figcaption>An artist's impression of the planet. Illustration: Science Today</figcaption></figure>
<p>Astronomers have detected water vapour in the atmosphere of a planet orbiting a small star 120 light years away, according to a study published on Wednesday.</p>
<p>The planet, about twice the size of Earth, orbits within the zone where temperatures could allow liquid water on its surface.</p>
<p>"This does not mean there is life there," said co-author Dr. Elena Petrova. "But it means we now know where to look."</p>
<div class="ad-container"><div class="ad-label">Advertisement</div></div>
<p>The team used 14 hours of observations from a space telescope to measure how starlight filtered through the planet's atmosphere.</p>
<p class="tags">Topics: <a>Space</a> <a>Exoplanets</a></p>
</article>
<section class="newsletter-signup"><h2>Get Science Today in your inbox</h2><p>The week's biggest discoveries, every Friday.</p></section></main>
<footer><p>Science Today © 2024</p></footer></body></html>""",
        "expected": {
            "title": "Astronomers spot water vapour on distant planet",
            "text": """The finding makes the planet a prime target for future telescopes

Astronomers have detected water vapour in the atmosphere of a planet orbiting a small star 120 light years away, according to a study published on Wednesday.

The planet, about twice the size of Earth, orbits within the zone where temperatures could allow liquid water on its surface.

"This does not mean there is life there," said co-author Dr. Elena Petrova. "But it means we now know where to look."

The team used 14 hours of observations from a space telescope to measure how starlight filtered through the planet's atmosphere.""",
            "highlights": [],
            "language": "en",
        },
    },
    {
        "id": "ho2-court-text",
        "format": "text",
        "raw": """Landlord fined for ignoring damp in family flat

A landlord has been fined 18,000 after failing to fix damp and mould in a flat where a family with two young children lived for three years.

Magistrates heard that the council served four repair notices, all of which were ignored.

"The conditions were appalling," said the council's head of housing, Ray Dunn. "No family should have to live like that."

The landlord, who did not attend the hearing, was also ordered to pay 4,500 in costs.

Got a story? Contact our newsdesk on 01632 960123

Comments are closed.""",
        "expected": {
            "title": "Landlord fined for ignoring damp in family flat",
            "text": """A landlord has been fined 18,000 after failing to fix damp and mould in a flat where a family with two young children lived for three years.

Magistrates heard that the council served four repair notices, all of which were ignored.

"The conditions were appalling," said the council's head of housing, Ray Dunn. "No family should have to live like that."

The landlord, who did not attend the hearing, was also ordered to pay 4,500 in costs.""",
            "highlights": [],
            "language": "en",
        },
    },
]


def write(items: list[dict], name: str) -> None:
    path = HERE / name
    with path.open("w", encoding="utf-8") as fh:
        for item in items:
            fmt = item["format"]
            raw = {
                "id": item["id"],
                "source": "heldout",
                "body": item["raw"],
                "content_type": "text/html" if fmt == "html" else "text/plain",
            }
            entry = {"id": item["id"], "format": fmt, "layout": "heldout", "raw": raw}
            entry["expected"] = item["expected"]
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} items to {path}")


def main() -> None:
    write(ITEMS, "heldout.jsonl")
    write(ITEMS_2, "heldout2.jsonl")


if __name__ == "__main__":
    main()
