"""Quote spread: one quotation across outlets, first seen where and when, repeated with or without credit."""

import random

import pytest

from sayso.claims import items_of
from sayso.claims.spread import (MIN_WORDS, NEAR_MIN_WORDS, group_passages, names, near_exact, normal_words,
                                 quote_spread)
from sayso.model import Article
from sayso.outlets import outlet_name
from sayso.pipeline import annotate_many

QUOTE = "We have no intention of influencing the election campaign in the United States"


@pytest.fixture(scope="module")
def items():
    pages = [
        ("tass-1", "TASS", "2016-09-07", f'Putin Speaks\n\n"{QUOTE}," President Vladimir Putin told reporters.'),
        ("nbc-1", "NBC News", "2016-09-08",
         f'Putin Denies\n\n"{QUOTE}," Vladimir Putin said, according to TASS.'),
        ("blog-1", "Daily Blog", "2016-09-09",
         'Moscow Speaks\n\nPutin said "no intention of influencing the election campaign in the United States."'),
        ("other", "Other Times", "2016-09-09", 'Budget Vote\n\n"The budget will pass next week," Senator Maria Ruiz said.'),
    ]
    arts = [Article(text=t, outlet=o, published=d) for _, o, d, t in pages]
    out = []
    for (aid, *_), art in zip(pages, annotate_many(arts)):
        out += items_of(aid, art)
    return out


def test_one_quote_with_its_first_sighting_and_repeats(items):
    (quote,) = quote_spread(items)
    assert quote.first.outlet == "TASS" and quote.first.published == "2016-09-07"
    assert quote.outlets == ["NBC News", "Daily Blog"]
    assert QUOTE in quote.text


def test_credit_to_the_first_outlet(items):
    (quote,) = quote_spread(items)
    credit = {s.outlet: s.credits_first for s in quote.repeats}
    assert credit == {"NBC News": True, "Daily Blog": False}


def test_one_sighting_an_article_the_speakers_own(items):
    # NBC holds the quotation twice: Putin's words, and TASS's report of them ("..., Putin said, according to
    # TASS"); it repeats the quote once, as Putin's, and credits TASS through the report
    assert sum(1 for it in items if it.article_id == "nbc-1" and QUOTE in it.content) == 2
    (quote,) = quote_spread(items)
    assert [s.ref.article_id for s in quote.repeats] == ["nbc-1", "blog-1"]
    nbc = quote.repeats[0]
    assert nbc.speaker.name == "Vladimir Putin" and nbc.credits_first


def test_json(items):
    data = quote_spread(items)[0].to_json()
    assert data["first_seen"]["article_id"] == "tass-1"
    assert data["repeated_by"] == ["NBC News", "Daily Blog"]
    assert data["first_seen"]["speaker"]["name"] == "Vladimir Putin"


def _group_every_head(passages):
    """The plain reading of group_passages: compare each passage with the head of every group so far, first
    for holding, then for a near-exact repeat that shares a run of MIN_WORDS words."""
    def holds(longer, shorter):
        return any(longer[i:i + len(shorter)] == shorter for i in range(len(longer) - len(shorter) + 1))

    def runs(words):
        return {words[i:i + MIN_WORDS] for i in range(len(words) - MIN_WORDS + 1)}

    groups = []
    for i, words in enumerate(passages):
        ordered = [(passages[g[0]], g) for g in groups]
        pairs = [((words, head) if len(words) <= len(head) else (head, words), g) for head, g in ordered]
        found = next((g for (shorter, longer), g in pairs if holds(longer, shorter)), None)
        if found is None:
            found = next((g for (shorter, longer), g in pairs
                          if runs(shorter) & runs(longer) and near_exact(shorter, longer)), None)
        if found is None:
            groups.append([i])
        else:
            found.append(i)
    return groups


@pytest.mark.parametrize("seed", range(5))
def test_the_indexed_grouping_is_the_plain_one(seed):
    """Passages cut from a few shared sentences (so they hold one another, overlap without holding, or repeat
    runs of words) group exactly as comparing each with every head would group them."""
    rng = random.Random(seed)
    words = "we have no intention of influencing the election campaign in united states span is unsafe".split()
    sources = [tuple(rng.choice(words) for _ in range(rng.randint(8, 30))) for _ in range(6)]
    passages = []
    for _ in range(300):
        src = rng.choice(sources)
        start = rng.randint(0, len(src) - MIN_WORDS)
        passages.append(src[start:rng.randint(start + MIN_WORDS, len(src))])
    grouped = group_passages(passages)
    assert grouped == _group_every_head(passages)
    assert 1 < len(grouped) < len(passages)  # the case is not trivial: some passages joined, some did not
    # and some joined as near-exact repeats, holding their head or held by it neither
    assert any(not (" ".join(passages[i]) in " ".join(passages[g[0]]) or " ".join(passages[g[0]]) in
                    " ".join(passages[i])) for g in grouped for i in g[1:])
    with pytest.raises(ValueError, match="fewer than MIN_WORDS"):
        group_passages([passages[0], passages[0][:MIN_WORDS - 1]])


@pytest.mark.parametrize("a, b, one", [
    # transcripts of one quotation: a word changed, a word added, a bracket, an ellipsis's cut
    ("Our fight is to transform our country and to understand that we are in this together.",
     "our fight is to transform this country and to understand that we are in this together.", True),
    ("We have come a long way in the last nine months, and we will go further",
     "We have come a pretty long way in the last nine months, and we will go further", True),
    ("a total and complete shutdown of Muslims entering the United States until our country's representatives "
     "can figure out what is going on.",
     "Donald J. Trump is calling for a total and complete shutdown of Muslims entering the United States until "
     "our country\u2019s representatives can figure out what the [censored] is going on.", True),
    ("It\u2019s something I\u2019ve been talking about for a long time despite, frankly, being a big beneficiary "
     "of the law.", "It's something I've been talking about for a long time despite, frankly, being a big "
     "beneficiary of the laws. But I'm working for you now.", True),
    # an apostrophe written as an opening quotation mark is an apostrophe
    ("Donald Trump\u2018s ignorant view of Islam could make both our countries less safe",
     "Donald Trump's ignorant view of Islam could make both our countries less safe", True),
    # two sentences that share a phrase are two quotes
    ("There\u2019s a special place in hell for women who don\u2019t help each other.",
     "There is a special place in hell for women who vote for women just because they\u2019re women.", False),
    ("make sure our economy works for everyone, not just those at the top,",
     "To build an economy that works for everyone, not just those at the top, we have got to go big", False),
    # in a short passage a word or two more is another sentence
    ("Bad, bad things are going to happen,",
     "We're in a bubble, and when those rates are raised, a lot of bad things are going to happen,", False),
])
def test_near_exact_repeats_are_one_quote(a, b, one):
    assert (len(group_passages([normal_words(a), normal_words(b)])) == 1) is one


def test_near_exact_needs_enough_words():
    words = tuple("one two three four five six seven eight nine".split())
    assert len(words) < NEAR_MIN_WORDS and not near_exact(words[:-1] + ("ten",), words)


@pytest.mark.parametrize("text, name, named", [
    ("according to the New York Times's report", "The New York Times", True),
    ("POLITICO reported it first", "Politico", True),
    ("a political reporter asked", "Politico", False),  # a name inside a word names nothing
    ("a happy day", "AP", False),
    ("an AP reporter", "AP", True),
    ("a senator from Capitol Hill", "The Hill", False),
    ("Huff Post said", "huff-post", True),
])
def test_an_outlet_is_named_by_its_whole_words(text, name, named):
    assert names(text, name) is named


def test_a_repeat_credits_the_first_outlet_only_by_its_name():
    first = Article(text=f'Putin Speaks\n\n"{QUOTE}," Vladimir Putin told reporters.', outlet="Politico",
                    published="2016-09-07")
    political = Article(text=f'Moscow Speaks\n\n"{QUOTE}," Vladimir Putin told a political rally.',
                        outlet="Daily Blog", published="2016-09-08")
    named = Article(text=f'Moscow Again\n\n"{QUOTE}," Vladimir Putin said, as Politico reported.',
                    outlet="Other Times", published="2016-09-09")
    items = [it for aid, art in zip(("p", "b", "o"), annotate_many([first, political, named]))
             for it in items_of(aid, art)]
    (quote,) = quote_spread(items)
    assert [(s.outlet, s.credits_first) for s in quote.repeats] == [("Daily Blog", False), ("Other Times", True)]


def test_a_repeat_credits_an_outlet_known_by_its_host_by_the_name_it_goes_by():
    # the first article's page named no site, so its outlet is its host's outlet (sayso.outlets); repeats
    # name it as people do, in full or without "The"
    first = Article(text=f'Putin Speaks\n\n"{QUOTE}," Vladimir Putin told reporters.',
                    outlet=outlet_name(None, "https://www.nytimes.com/2016/09/07/world/putin.html"),
                    published="2016-09-07")
    full = Article(text=f'Moscow Speaks\n\n"{QUOTE}," Vladimir Putin said, as The New York Times reported.',
                   outlet="Daily Blog", published="2016-09-08")
    short = Article(text=f'Moscow Again\n\n"{QUOTE}," Vladimir Putin said, according to a New York Times report.',
                    outlet="Other Times", published="2016-09-09")
    host = Article(text=f'Moscow Once More\n\n"{QUOTE}," Vladimir Putin said at a press conference.',
                   outlet="Third Post", published="2016-09-10")
    items = [it for aid, art in zip("fsho", annotate_many([first, full, short, host]))
             for it in items_of(aid, art)]
    (quote,) = quote_spread(items)
    assert quote.first.outlet == "The New York Times"
    assert [(s.outlet, s.credits_first) for s in quote.repeats] == [
        ("Daily Blog", True), ("Other Times", True), ("Third Post", False)]


def test_a_repeat_credits_an_outlet_a_record_names_by_another_of_its_names():
    # a dump's record gave the outlet as "The Huffington Post", kept as given; a repeat writes its own name
    first = Article(text=f'Putin Speaks\n\n"{QUOTE}," Vladimir Putin told reporters.',
                    outlet="The Huffington Post", published="2016-09-07")
    repeat = Article(text=f'Moscow Speaks\n\n"{QUOTE}," Vladimir Putin said, as HuffPost reported.',
                     outlet="Daily Blog", published="2016-09-08")
    items = [it for aid, art in zip("fr", annotate_many([first, repeat])) for it in items_of(aid, art)]
    (quote,) = quote_spread(items)
    assert [(s.outlet, s.credits_first) for s in quote.repeats] == [("Daily Blog", True)]
