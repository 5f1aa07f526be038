"""A hostile corpus: markup and script in every field that the web pages show, for the web and browser tests."""

from __future__ import annotations

from pathlib import Path

from sayso.model import Article

#: Markup and script that must stay text wherever they are shown: each would set ``window.__xss`` or open a
#: dialog if it ran, and the template ones would turn into 49 if a template evaluated them.
XSS = {
    "script": "<script>window.__xss='script'</script>",
    "img": "<img src=x onerror=\"window.__xss='img'\">",
    "svg": "<svg/onload=alert('svg')>",
    "attribute": "\"'><b onmouseover=alert('attribute')>",
    "closing": "</script><script>alert('closing')</script>",
    "template": "{{7*7}} ${7*7} {% raw %}",
    "iframe": "<iframe src=javascript:alert('iframe')></iframe>",
    "separators": "a\u2028b\u2029c",
}


def hostile_corpus(db: Path) -> Path:
    """Write a corpus whose every field a page shows carries markup and script: titles, outlets, authors,
    urls, article text, speakers' names and roles, and so claim labels and quotes. The attributions are found by the
    real pipeline, then the speakers renamed as a hostile batch output could name them. Claims computed."""
    from sayso.pipeline import annotate
    from sayso.store import CorpusWriter, connect
    from sayso.store.claims import recompute

    texts = [
        (f'"We will print {XSS["svg"]} as it is written," Ana Ruiz said on Monday. {XSS["closing"]}\n\n'
         f'"The tag {XSS["iframe"]} stays text on our pages," Omar Haddad said.\n\n'
         f"The council said that {XSS['template']} would be shown as written {XSS['separators']}."),
        ('"We will print the tags as they are written," Ana Ruiz said in a statement.\n\n'
         '"We will not print the tags as they are written," Omar Haddad told reporters.'),
        # a quotation of the first article repeated, so that the quote pages show its payload too
        f'"The tag {XSS["iframe"]} stays text on our pages," Omar Haddad said again on Friday.',
    ]
    conn = connect(db)
    writer = CorpusWriter(conn)
    names = {"Ana Ruiz": f"Ana {XSS['svg']} Ruiz", "Omar Haddad": f"Omar {XSS['attribute']} Haddad"}
    for n, body in enumerate(texts):
        title = f"Mayor Says {XSS['script']} Is Text ({n})"
        art = annotate(Article(text=f"{title}\n\n{body}", title=title, url=f"javascript:alert('url{n}')",
                               outlet=f"{XSS['img']} Post", author=XSS["attribute"], published=f"2026-05-0{n + 1}"))
        for ent in art.entities:
            if ent.name in names:
                ent.roles = [f"{XSS['img']} Mayor"]
                ent.name = names[ent.name]
        named = {e.name for e in art.entities}
        assert named >= {v for k, v in names.items() if k in body}, named
        writer.add(art, record=f"hostile-{n}", original=art.text)
    conn.close()
    summary = recompute(db)
    assert summary.claims > 0 and summary.quotes > 0
    return db
