"""Generated news pages (original texts) and web archives written with warcio, for the batch and reliability
tests."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

FIRST = ["Maria", "Tomas", "Ana", "Paul", "Grace", "Omar", "Lena", "Victor", "Ruth", "Daniel", "Irene", "Hugo"]
LAST = ["Delgado", "Reyes", "Whitcombe", "Harlan", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Brennan",
        "Castillo", "Novak", "Achebe"]
ROLES = ["Senator", "Mayor", "Governor", "Councilwoman", "Minister", "Commissioner"]
PLACES = ["Harbor City", "Riverton", "Lake Ardel", "Port Minna", "Eastvale", "Cold Springs"]
THINGS = ["the bridge repairs", "the school budget", "the new ferry line", "the water plant", "the housing plan",
          "the flood barrier", "the bus depot", "the library expansion"]
GROUPS = ["the Coastline Herald", "the city council", "the transport union", "the state auditor"]


@dataclass
class Page:
    """One generated news page: its url, headline and HTML."""

    url: str
    title: str
    html: str


def make_page(n: int) -> Page:
    """A short, original news page with direct quotes, reported speech and sourcing, varied by ``n``."""
    rnd = random.Random(n)
    a, b = rnd.sample(range(len(FIRST)), 2)
    speaker, rival = f"{FIRST[a]} {LAST[a]}", f"{FIRST[b]} {LAST[b]}"
    role, place, thing, group = rnd.choice(ROLES), rnd.choice(PLACES), rnd.choice(THINGS), rnd.choice(GROUPS)
    title = f"{LAST[a]} Says {place} Will Finish {thing.split(' ', 1)[1].title()} By Spring (No. {n})"
    paragraphs = [
        f"{role} {speaker} told reporters on Tuesday that {thing} would be finished before the spring rains.",
        f'"We made a promise to the people of {place}, and we are going to keep it," {LAST[a]} said after a '
        f"meeting at the town hall.",
        f"Her rival, {rival}, said he doubts the money will arrive in time for the work to begin.",
        f"According to {group}, the cost of {thing} has grown by a third since the plan was first approved.",
        f'"Nobody has shown us the numbers," {LAST[b]} said. "Until they do, we will keep asking."',
    ]
    rnd.shuffle(paragraphs[2:])
    url = f"https://news.example.org/{place.lower().replace(' ', '-')}/story-{n}"
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | Coastline Daily</title>\n'
        f'<link rel="canonical" href="{url}">\n'
        f'<meta property="og:site_name" content="Coastline Daily">\n'
        f'<meta property="og:title" content="{title}">\n'
        f"</head><body><nav>Home | Local | Sports</nav>\n<article><h1>{title}</h1>\n{body}\n</article>\n"
        f"<footer>Copyright 2026 Coastline Daily.</footer></body></html>"
    )
    return Page(url=url, title=title, html=html)


def write_warc(path: Path, records: list[tuple[str, bytes, str, str]], gzip: bool = True,
               headers: list[tuple[str, str]] | None = None) -> list[str]:
    """Write (url, body, content type, status) responses, each after its request, as warcio writes a crawl;
    ``headers`` are more HTTP headers for every response. Returns the WARC-Record-IDs of the responses."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    ids = []
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gzip)
        for url, body, content_type, status in records:
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "news.example.org")],
                                              is_http_request=True))
            http = StatusAndHeaders(status, [("Content-Type", content_type), *(headers or []),
                                             ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_record(request)
            writer.write_record(response)
            ids.append(response.rec_headers.get_header("WARC-Record-ID"))
    return ids


def html_records(pages: list[Page]) -> list[tuple[str, bytes, str, str]]:
    """The pages as 200 text/html responses."""
    return [(p.url, p.html.encode(), "text/html; charset=utf-8", "200 OK") for p in pages]
