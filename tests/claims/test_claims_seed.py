"""The seed article's picture: who asserts, denies and doubts that Russia is trying to influence the election."""

import pytest

from sayso.claims import find_claims


@pytest.fixture(scope="module")
def russia(seed_items, encoder):
    claims = find_claims(seed_items, encoder)
    (claim,) = [c for c in claims if any(m.cue == "have accused" for m in c.members)]
    return claim


def stances(claim, name):
    return {m.stance for m in claim.members if m.speaker and name in m.speaker.name}


def test_the_claim_is_labelled_with_verbatim_words_of_the_article(russia, seed_article):
    assert russia.label in seed_article.text
    assert "influenc" in russia.label.lower() or "interfer" in russia.label.lower()
    assert "Russia" in russia.label


def test_accusers_assert_it(russia):
    assert stances(russia, "U.S. government and the Clinton campaign") == {"asserts"}


def test_putin_denies_it(russia):
    assert "denies" in stances(russia, "Putin")
    putin = [m for m in russia.members if m.speaker and "Putin" in m.speaker.name]
    assert any("no intention" in m.content and m.stance == "denies" for m in putin)


def test_pence_supports_it(russia):
    assert stances(russia, "Pence") == {"asserts"}


def test_trump_doubts_it(russia):
    assert stances(russia, "Trump") == {"doubts"}


def test_pence_contradicts_trump_and_putin_contradicts_the_accusers(russia):
    relation = {frozenset((e.a.name, e.b.name)): e.relation for e in russia.edges}
    assert relation[frozenset(("Mike Pence", "Donald Trump"))] == "contradict"
    assert relation[frozenset(("Vladimir Putin", "U.S. government and the Clinton campaign"))] == "contradict"
    assert relation[frozenset(("Mike Pence", "U.S. government and the Clinton campaign"))] == "agree"
    edge = next(e for e in russia.edges if {e.a.name, e.b.name} == {"Mike Pence", "Donald Trump"})
    refs = {(r.article_id, r.attribution_id) for r in edge.evidence}
    members = {(m.ref.article_id, m.ref.attribution_id): m for m in russia.members}
    assert refs and refs <= set(members)
    assert {members[r].speaker.name for r in refs} == {"Mike Pence", "Donald Trump"}


def test_outlets_passing_on_putin_only_report(russia):
    nbc = [m for m in russia.members if m.speaker and m.speaker.name == "NBC News"]
    assert nbc and {m.stance for m in nbc} == {"neutral"}


def test_json_shape(russia):
    data = russia.to_json()
    assert set(data) >= {"id", "label", "attributions", "edges"}
    for att in data["attributions"]:
        assert set(att) >= {"speaker", "stance", "content", "article_id", "attribution_id"}
        assert att["speaker"] is None or set(att["speaker"]) == {"id", "name", "aliases"}
    putin = next(a["speaker"] for a in data["attributions"] if a["speaker"] and a["speaker"]["id"] == "vladimir-putin")
    assert "Putin" in putin["aliases"]
    assert all(e["relation"] in ("agree", "contradict") and len(e["speakers"]) == 2 for e in data["edges"])


def test_every_member_content_is_verbatim(seed_items, encoder, seed_article):
    for claim in find_claims(seed_items, encoder):
        for m in claim.members:
            att = next(a for a in seed_article.attributions if a.id == m.ref.attribution_id)
            assert m.content == seed_article.span_text(att.content)
