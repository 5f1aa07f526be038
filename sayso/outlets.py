"""Outlets: the name a news site goes by, from its host name.

A page that does not name its site (no ``og:site_name``, no publisher in its metadata) is known by its host,
and a record of a dump may carry only a URL. The host is a poor outlet name: people write "The New York
Times", not "nytimes.com", and a repeat of a quote credits the outlet that had it first only where its
article names that outlet (:mod:`sayso.claims.spread`). :data:`KNOWN` maps the registered domains of
well-known English-language news outlets to their names; any other host is kept as it is, without "www.".
A name a page gives its site is kept, but a known outlet goes by one name: "POLITICO" is Politico, and
"Washington Post" The Washington Post, so that one outlet is one row of the corpus's outlets whether its
pages name themselves or not.

>>> outlet_name(None, "https://www.nytimes.com/2016/09/05/world/putin.html")
'The New York Times'
>>> outlet_name("edition.cnn.com", None), outlet_name("Harbor Daily", "https://harbor.example/a")
('CNN', 'Harbor Daily')
>>> outlet_name(None, "https://www.harbor-daily.example/story")
'harbor-daily.example'
>>> outlet_name("POLITICO", "https://www.politico.com/story"), outlet_name("Huffington Post", None)
('Politico', 'HuffPost')
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Registered domain -> (name, other names the outlet goes by in articles). A subdomain has its parent's
#: name ("edition.cnn.com" is CNN) unless it is listed itself ("news.yahoo.com").
KNOWN: dict[str, tuple[str, tuple[str, ...]]] = {
    "abcnews.go.com": ("ABC News", ()),
    "aljazeera.com": ("Al Jazeera", ()),
    "apnews.com": ("Associated Press", ("AP",)),
    "axios.com": ("Axios", ()),
    "bbc.co.uk": ("BBC", ()),
    "bbc.com": ("BBC", ()),
    "bloomberg.com": ("Bloomberg", ()),
    "breitbart.com": ("Breitbart", ("Breitbart News",)),
    "businessinsider.com": ("Business Insider", ()),
    "buzzfeednews.com": ("BuzzFeed News", ()),
    "buzzfeed.com": ("BuzzFeed", ()),
    "cbc.ca": ("CBC", ()),
    "cbsnews.com": ("CBS News", ()),
    "chicagotribune.com": ("Chicago Tribune", ()),
    "cnbc.com": ("CNBC", ()),
    "cnn.com": ("CNN", ()),
    "csmonitor.com": ("The Christian Science Monitor", ("Christian Science Monitor",)),
    "dailycaller.com": ("The Daily Caller", ("Daily Caller",)),
    "dailymail.co.uk": ("Daily Mail", ()),
    "economist.com": ("The Economist", ()),
    "foxnews.com": ("Fox News", ()),
    "ft.com": ("Financial Times", ()),
    "huffingtonpost.com": ("HuffPost", ("Huffington Post", "The Huffington Post")),
    "huffpost.com": ("HuffPost", ("Huffington Post", "The Huffington Post")),
    "independent.co.uk": ("The Independent", ()),
    "latimes.com": ("Los Angeles Times", ("LA Times", "L.A. Times")),
    "motherjones.com": ("Mother Jones", ()),
    "msnbc.com": ("MSNBC", ()),
    "nationalreview.com": ("National Review", ()),
    "nbcnews.com": ("NBC News", ()),
    "news.yahoo.com": ("Yahoo News", ()),
    "newsweek.com": ("Newsweek", ()),
    "npr.org": ("NPR", ()),
    "nydailynews.com": ("New York Daily News", ()),
    "nypost.com": ("New York Post", ()),
    "nytimes.com": ("The New York Times", ("New York Times",)),
    "pbs.org": ("PBS", ()),
    "politico.com": ("Politico", ()),
    "politico.eu": ("Politico Europe", ("Politico",)),
    "reuters.com": ("Reuters", ()),
    "rt.com": ("RT", ("Russia Today",)),
    "salon.com": ("Salon", ()),
    "slate.com": ("Slate", ()),
    "tass.com": ("TASS", ()),
    "thedailybeast.com": ("The Daily Beast", ("Daily Beast",)),
    "theatlantic.com": ("The Atlantic", ()),
    "theguardian.com": ("The Guardian", ()),
    "thehill.com": ("The Hill", ()),
    "theintercept.com": ("The Intercept", ()),
    "time.com": ("Time", ()),
    "telegraph.co.uk": ("The Telegraph", ()),
    "usatoday.com": ("USA Today", ()),
    "vox.com": ("Vox", ()),
    "washingtonexaminer.com": ("Washington Examiner", ("The Washington Examiner",)),
    "washingtonpost.com": ("The Washington Post", ("Washington Post",)),
    "washingtontimes.com": ("The Washington Times", ("Washington Times",)),
    "westernjournal.com": ("The Western Journal", ("Western Journal",)),
    "wsj.com": ("The Wall Street Journal", ("Wall Street Journal",)),
}
_BY_NAME = {name.lower(): (name, aliases) for name, aliases in KNOWN.values()}


def _by_alias() -> dict[str, str]:
    names: dict[str, set[str]] = {}
    for name, aliases in KNOWN.values():
        for alias in aliases:
            names.setdefault(alias.lower(), set()).add(name)
    # "Politico" is Politico, and one of Politico Europe's other names: a name is never read as an alias
    return {alias: next(iter(found)) for alias, found in names.items() if len(found) == 1 and alias not in _BY_NAME}


#: Another name of exactly one known outlet, lower-cased -> that outlet's name.
_BY_ALIAS = _by_alias()
#: A host name as an outlet: dotted words, no spaces ("nytimes.com", "www.example.co.uk").
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", re.I)


def host(url: str | None) -> str | None:
    """A URL's host, lower-cased, without its port or a leading "www." (None for no URL or no host).

    >>> host("https://WWW.Example.com:8080/a?b=1"), host("not a url")
    ('example.com', None)
    """
    if not url:
        return None
    try:
        name = urlsplit(url.strip()).hostname
    except ValueError:  # an unmatched bracket in the host part ("http://[::1")
        return None
    if not name or "." not in name:
        return None
    return name.lower().removeprefix("www.")


def known(hostname: str) -> tuple[str, tuple[str, ...]] | None:
    """The (name, other names) of the known outlet a host belongs to, the longest listed domain first."""
    parts = hostname.lower().removeprefix("www.").split(".")
    for k in range(len(parts) - 1):
        hit = KNOWN.get(".".join(parts[k:]))
        if hit is not None:
            return hit
    return None


def outlet_name(outlet: str | None, url: str | None) -> str | None:
    """The name to record for an article's outlet: ``outlet`` when it is a name (a known outlet's own name
    when it is one of its names, written any way), the known name of a host (``outlet`` itself when it is a
    host name, else the URL's), or the host as it is."""
    given = (outlet or "").strip()
    if given and not _HOST.match(given):
        key = " ".join(given.split()).lower()
        hit = _BY_NAME.get(key)
        return hit[0] if hit else _BY_ALIAS.get(key, given)
    where = given.lower().removeprefix("www.") if given else host(url)
    if not where:
        return None
    hit = known(where)
    return hit[0] if hit else where


def names_of(outlet: str) -> tuple[str, ...]:
    """Every name an outlet goes by in articles: its own and, for a known outlet (by any of its names, as a
    record may give it, or by its host), the others ("The New York Times", "New York Times").

    >>> names_of("Washington Post")
    ('Washington Post', 'The Washington Post')
    """
    key = " ".join(outlet.split()).lower()
    hit = (_BY_NAME.get(key) or _BY_NAME.get(_BY_ALIAS.get(key, "").lower())
           or (known(outlet) if _HOST.match(outlet) else None))
    if hit is None:
        return (outlet,)
    return tuple(dict.fromkeys((outlet, hit[0], *hit[1])))
