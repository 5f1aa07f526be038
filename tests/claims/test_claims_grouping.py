"""Grouping: key-word weights, and the blocked computation that a large corpus takes."""

import numpy as np
import pytest

from sayso.claims.grouping import (cluster, find_claims, groups, items_of, relayed, similarities, views,
                                   word_matrix)
from sayso.model import Article, Attribution, Entity

CUT = 0.45  # high enough that the one-story seed article falls apart into several groups


def test_rare_key_words_weigh_more_than_the_story_s_common_ones():
    texts = ["Clinton said the temperament of Trump is a problem", "Clinton spoke about the temperament question",
             "Clinton said the economy is growing", "Clinton said jobs are coming back",
             "Clinton said taxes will rise", "Sanders visited Ohio"]
    m = word_matrix(texts)
    overlap = (m @ m.T).toarray()
    assert overlap[0, 1] > overlap[2, 3] > 0  # "temperament" is rare here, "Clinton" is everywhere
    assert np.allclose(np.diag(overlap), 1.0)
    assert overlap[0, 5] < overlap[0, 1]


def partition(labels, idx):
    out = {}
    for i, c in zip(idx, labels):
        out.setdefault(c, set()).add(int(i))
    return {frozenset(s) for s in out.values()}


def test_blocks_give_the_claims_one_matrix_gives(seed_items, encoder):
    v = views(seed_items, encoder)
    everything = np.arange(len(seed_items))
    dense = partition(cluster(similarities(v, everything, everything), CUT), everything)
    parts = groups(v, CUT, block=7)
    assert len(parts) > 1 and sorted(np.concatenate(parts).tolist()) == everything.tolist()
    blocked = set()
    for idx in parts:
        labels = cluster(similarities(v, idx, idx), CUT) if len(idx) > 1 else [0]
        blocked |= partition(labels, idx)
    assert blocked == dense


def test_overlapping_contents_of_one_article_are_one_claim(seed_items, encoder):
    v = views(seed_items, encoder)
    assert v.joined
    i, j = next(iter(v.joined))
    sim = similarities(v, np.array([i]), np.array([j]))
    assert sim[0, 0] == 1.0


def attributed(text: str, said: list[tuple[str, str, str, str | None]], start: int = 0) -> Article:
    """An article of ``text`` with one attribution per (source, cue, content, entity id), each found in the
    sentence of the text where its content first occurs."""
    article = Article(text=text)
    ents = {}
    for n, (source, cue, content, entity) in enumerate(said):
        c = text.index(content)
        at = text.rfind(".", 0, c) + 1
        q, s = text.index(cue, at), text.index(source, at)
        if entity and entity not in ents:
            ents[entity] = Entity(id=entity, name=source, mentions=[(s, s + len(source))])
        article.attributions.append(Attribution(id=f"a{n}", kind="indirect", cue=[(q, q + len(cue))],
                                                content=[(c, c + len(content))], source=[(s, s + len(source))],
                                                entity=entity))
    article.entities = list(ents.values())
    return article


def test_saying_someone_never_said_it_is_no_relaying():
    text = ("Trump's campaign said he had never suggested the U.S. should use a database to track Muslims. "
            "The campaign said Trump suggested a database.")
    article = attributed(text, [
        ("Trump's campaign", "said", "he had never suggested the U.S. should use a database to track Muslims",
         "campaign"),
        ("he", "had never suggested", "the U.S. should use a database to track Muslims", "trump"),
        ("The campaign", "said", "Trump suggested a database.", "campaign"),
        ("Trump", "suggested", "a database.", "trump"),
    ])
    items = items_of("a", article)
    assert relayed(items[0], items) == []  # a denial that he said it, not a report of what he said
    assert relayed(items[2], items) == [items[3]]


def test_a_claim_is_labelled_with_what_its_denials_and_allegations_are_about(encoder, monkeypatch):
    defence = ["Trump University was a professionally run company with a valuable education",
               "Trump University was a well run school that gave a valuable education",
               "Trump University was a professional company which offered a valuable education",
               "Trump University was a well run company giving students a valuable education"]
    fraud = "Trump University defrauded thousands of its students"
    text = " ".join(f"{d}, spokesman {k} said." for k, d in enumerate(defence)) + (
        f" {fraud}, the lawyer said. Trump denied that Trump University defrauded its students. "
        "The attorney general alleged that Trump University defrauded its students.")
    said = [(f"spokesman {k}", "said", d, f"s{k}") for k, d in enumerate(defence)] + [
        ("the lawyer", "said", fraud, "lawyer"),
        ("Trump", "denied", "that Trump University defrauded its students", "trump"),
        ("The attorney general", "alleged", "that Trump University defrauded its students", "ag")]
    items = items_of("a", attributed(text, said))
    (claim,) = find_claims(items, encoder, threshold=0.0)
    assert claim.label in (fraud, "Trump University defrauded its students")
    stances = {m.cue + ":" + m.content[:20]: m.stance for m in claim.members}
    assert stances["denied:that Trump Universit"] == "denies"
    # without the pull of what is disputed the defence, said four times, would label the claim
    monkeypatch.setattr("sayso.claims.grouping.CONTESTED_WEIGHT", 0.0)
    (claim,) = find_claims(items, encoder, threshold=0.0)
    assert claim.label in defence


def test_a_given_partition_replaces_the_clustering(seed_items, encoder):
    # every attribution of the seed article in one claim, but the headline's alone
    given = [1 if it.attribution.kind == "headline" else 0 for it in seed_items]
    claims = find_claims(seed_items, encoder, partition=given)
    assert sorted(len(c.members) for c in claims) == [1, len(seed_items) - 1]
    (big,) = [c for c in claims if len(c.members) > 1]
    assert all(m.ref.attribution_id != seed_items[given.index(1)].attribution.id for m in big.members)
    assert any(big.label in it.content for it in seed_items if it.attribution.kind != "headline")
    with pytest.raises(ValueError, match="claim numbers"):
        find_claims(seed_items, encoder, partition=given[:-1])


def test_the_labelled_partition_follows_the_labels_and_leaves_the_rest_alone():
    from sayso.evaluate.claims import Label, labelled_partition

    text = "Ann said the bridge is safe. Bob said the bridge is unsafe. Cy said taxes will rise."
    article = attributed(text, [("Ann", "said", "the bridge is safe", "ann"),
                                ("Bob", "said", "the bridge is unsafe", "bob"),
                                ("Cy", "said", "taxes will rise", "cy")])
    labels = [Label(article="x", split="train", content=att.content, cue=att.cue, claim="bridge", stance=stance,
                    part="dev") for att, stance in zip(article.attributions[:2], ("asserts", "denies"))]
    items = items_of("x", article)
    numbers = labelled_partition(labels, {"x": article}, items)
    assert numbers[0] == numbers[1] != numbers[2]
