"""The seed article: a careful reader's list of who said what, and through whom."""

import pytest

from sayso.ingest import read_path
from sayso.pipeline import annotate


@pytest.fixture(scope="module")
def seed(seed_page):
    return annotate(read_path(seed_page))


@pytest.fixture(scope="module", params=["fast", "accurate"])
def seed_in_mode(request, seed, seed_page):
    return seed if request.param == "fast" else annotate(read_path(seed_page), mode="accurate")


def speaker(art, att):
    ent = art.entity(att.entity)
    return ent.name if ent else None


def said_by(art, fragment):
    """Speakers of the attributions whose content holds ``fragment``."""
    return {speaker(art, a) for a in art.attributions if fragment in art.span_text(a.content)}


@pytest.mark.parametrize("fragment, who", [
    ("Russia Is Not Trying To Influence The Election", "Vladimir Putin"),
    ("directing the attacks", "Clinton"),
    ("shrugged off the accusations", "NBC News"),
    ("no intention", "Vladimir Putin"),
    ("the U.S. is using Russia to distract voters", "Vladimir Putin"),
    ("I want to calm down everybody", "Vladimir Putin"),
    ("We don't know whether", "Vladimir Putin"),
    ("She may correct her position, too", "Vladimir Putin"),
    ("well-oiled system of distracting the voters", "Vladimir Putin"),
    ("Sacrificing Russian-American relations", "Vladimir Putin"),
    ("Mike Pence agrees with the Obama administration", "Reuters"),
    ("there is evidence implicating Russia", "Mike Pence"),
    ("the evidence continues to point in that direction", "Mike Pence"),
    ("There should be severe consequences to Russia", "Mike Pence"),
    ("Russia's involvement", "Donald Trump"),
])
def test_each_claim_has_its_speaker(seed, fragment, who):
    assert who in said_by(seed, fragment)


def test_putin_is_one_entity_with_his_role(seed):
    (putin,) = [e for e in seed.entities if "Putin" in e.name]
    assert putin.name == "Vladimir Putin"
    assert putin.kind == "person"
    assert "Russian President" in putin.roles
    mentioned = {seed.text[s:e] for s, e in putin.mentions}
    assert {"Putin", "Vladimir Putin"} <= mentioned


def test_pence_keeps_his_role(seed):
    (pence,) = [e for e in seed.entities if e.name.endswith("Pence")]
    assert pence.kind == "person"
    assert "Republican vice presidential candidate" in pence.roles


def test_putin_quotes_come_via_tass(seed_in_mode):
    seed = seed_in_mode
    tass = {e.id for e in seed.entities if "TASS" in e.name}
    assert tass
    for fragment in ("I want to calm down everybody", "Sacrificing Russian-American relations"):
        (att,) = [a for a in seed.attributions
                  if fragment in seed.span_text(a.content) and speaker(seed, a) == "Vladimir Putin"]
        assert set(att.via) & tass, fragment
        assert att.kind == "direct"


def test_putin_words_in_nbc_report_come_via_nbc(seed_in_mode):
    seed = seed_in_mode
    nbc = next(e.id for e in seed.entities if e.name == "NBC News")
    (att,) = [a for a in seed.attributions if "he had \"no intention\"" in seed.span_text(a.content)
              and speaker(seed, a) == "Vladimir Putin" and seed.span_text(a.cue).startswith("told")]
    assert att.via == [nbc]


def test_outlets_are_outlets(seed):
    kinds = {e.name: e.kind for e in seed.entities}
    assert kinds["NBC News"] == kinds["Reuters"] == "outlet"


def test_headline_kind(seed):
    (head,) = [a for a in seed.attributions if a.kind == "headline"]
    assert seed.span_text(head.cue) == "Says"


def test_every_span_is_verbatim(seed, validate):
    validate(seed.to_json())


def test_each_content_says_whom_it_is_about(seed_in_mode):
    """Reuters' report names Pence, Obama and Clinton; NBC's names Putin; Trump's doubt is read through the
    "he" of its nested source. Obama never speaks here: he is named, with no entity."""
    seed = seed_in_mode

    def about(fragment, who):
        (att,) = [a for a in seed.attributions if fragment in seed.span_text(a.content) and speaker(seed, a) == who]
        return {sub.name: sub for sub in att.about}

    reuters = about("Mike Pence agrees with the Obama administration", "Reuters")
    assert {"Mike Pence", "Obama"} <= set(reuters)
    assert reuters["Mike Pence"].entity == next(e.id for e in seed.entities if e.name == "Mike Pence")
    assert reuters["Obama"].entity is None and reuters["Obama"].kind == "person"
    assert "Vladimir Putin" in about("shrugged off the accusations", "NBC News")
    (doubt,) = [a for a in seed.attributions if seed.span_text(a.content).startswith("that he doubts")]
    trump = next(e.id for e in seed.entities if e.name == "Donald Trump")
    assert [(seed.span_text(s.mentions), s.entity) for s in doubt.about] == [("he", trump)]
    for att in seed.attributions:  # every mention lies inside the content, in the order of the content
        firsts = [s.mentions[0] for s in att.about]
        assert firsts == sorted(firsts)
        for sub in att.about:
            assert all(any(s <= a and b <= e for s, e in att.content) for a, b in sub.mentions)
