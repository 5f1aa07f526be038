"""Grouping: key-word weights, and the blocked computation that a large corpus takes."""

import numpy as np
import pytest

from sayso.claims.grouping import (SIDE, AttributionRef, Claim, ClaimMember, Speaker, communities, edges,
                                   find_claims, items_of, links, nearest, relayed, similarities, views,
                                   word_matrix)
from sayso.claims import grouping
from sayso.claims.stance import STANCES
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


def test_blocks_link_the_pairs_one_matrix_links(seed_items, encoder, monkeypatch):
    v = views(seed_items, encoder)
    everything = np.arange(len(seed_items))
    sim = similarities(v, everything, everything)
    rows, cols, sims = links(v, CUT, block=7, neighbours=None)
    assert 0 < len(rows) < len(seed_items) * (len(seed_items) - 1) // 2
    assert (rows < cols).all()
    expected = {(int(i), int(j)) for i, j in zip(*np.nonzero(sim >= CUT)) if i < j}
    assert set(zip(rows.tolist(), cols.tolist())) == expected
    assert np.allclose(sims, sim[rows, cols])
    whole = links(v, CUT, block=len(seed_items), neighbours=None)
    assert (whole[0] == rows).all() and (whole[1] == cols).all() and np.allclose(whole[2], sims)
    # a corpus too large for BLOCK rows at once is cut into blocks of BLOCK_CELLS similarities
    monkeypatch.setattr(grouping, "BLOCK_CELLS", 3 * len(seed_items))
    calls = []
    monkeypatch.setattr(grouping, "similarities", lambda v, r, *a: calls.append(len(r)) or similarities(v, r, *a))
    small = links(v, CUT, neighbours=None)
    assert max(calls) == 3 and sum(calls) == len(seed_items)
    assert (small[0] == rows).all() and (small[1] == cols).all() and np.allclose(small[2], sims)


def test_a_pair_stays_linked_when_it_is_among_the_nearest_of_either_item():
    rng = np.random.default_rng(3)
    n, k = 40, 4
    pairs = {(int(i), int(j)) for i, j in rng.integers(0, n, (400, 2)) if i < j}
    rows, cols = (np.array(x) for x in zip(*sorted(pairs)))
    sims = rng.choice([0.4, 0.5, 0.6, 0.7], len(rows))  # many ties: broken by the other item's number
    kept = nearest(rows, cols, sims, n, k)

    def best(i):
        mine = [(-s, j if a == i else a) for a, j, s in zip(rows, cols, sims) if i in (a, j)]
        return {other for _, other in sorted(mine)[:k]}

    expected = [(a, b) for a, b in zip(rows.tolist(), cols.tolist()) if b in best(a) or a in best(b)]
    assert list(zip(kept[0].tolist(), kept[1].tolist())) == expected
    sim_of = dict(zip(zip(rows.tolist(), cols.tolist()), sims.tolist()))
    assert kept[2].tolist() == [sim_of[p] for p in expected]
    assert len(expected) < len(rows)
    assert all(len(best(i)) <= k for i in range(n))


def test_links_cut_to_the_nearest_as_they_come_are_those_cut_at_the_end(seed_items, encoder, monkeypatch):
    v = views(seed_items, encoder)
    n = len(seed_items)
    every = links(v, 0.2, block=5, neighbours=None)
    at_end = nearest(*every, n, 3)
    assert len(at_end[0]) < len(every[0])
    monkeypatch.setattr(grouping, "_LINKS_HELD", 1)  # cut after nearly every block
    calls = []
    monkeypatch.setattr(grouping, "nearest", lambda *a: calls.append(len(a[0])) or nearest(*a))
    as_they_come = links(v, 0.2, block=5, neighbours=3)
    assert len(calls) > 2
    assert all(np.array_equal(x, y) for x, y in zip(as_they_come, at_end))


def test_any_rows_and_columns_are_compared_as_in_the_whole_matrix(seed_items, encoder):
    v = views(seed_items, encoder)
    n = len(seed_items)
    everything = np.arange(n)
    whole = similarities(v, everything, everything)
    assert any(len(p) > 1 for p in v.pieces)  # some items are compared by their best piece
    rng = np.random.default_rng(0)
    rows, cols = rng.permutation(n)[: n // 2], rng.permutation(n)  # neither is a run: copied, not sliced
    assert np.allclose(similarities(v, rows, cols), whole[np.ix_(rows, cols)], atol=1e-6)
    assert np.allclose(similarities(v, everything[3:9], everything[5:]), whole[3:9, 5:], atol=1e-6)
    assert (np.diag(whole) == 1).all()


def test_the_best_piece_of_each_group_of_rows_is_what_reduceat_finds():
    rng = np.random.default_rng(1)
    counts = np.array([1, 3, 1, 1, 5, 2, 1])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    m = rng.random((counts.sum(), 40)).astype(np.float32)
    assert np.array_equal(grouping._group_max(m, starts), np.maximum.reduceat(m, starts, axis=0))


def clique_pairs(members, weight):
    return [(i, j, weight) for k, i in enumerate(members) for j in members[k + 1:]]


def hub_graph():
    # two tight groups (0-4, 5-9), and item 10 linked to all of them as strongly as they are linked inside
    pairs = clique_pairs(list(range(5)), 0.8) + clique_pairs(list(range(5, 10)), 0.8) + [
        (i, 10, 0.8) for i in range(10)] + [(4, 5, 0.5)]
    return [np.array(x) for x in zip(*pairs)]


def test_an_item_linked_to_everything_does_not_join_two_propositions(monkeypatch):
    monkeypatch.setattr("sayso.claims.grouping.LEAST_GRAPH_WEIGHT", 0.0)  # weighed on its own
    rows, cols, sims = hub_graph()
    labels = communities(12, rows, cols, sims, threshold=0.35, resolution=1.0)
    assert len({labels[i] for i in range(5)}) == 1 and len({labels[i] for i in range(5, 10)}) == 1
    assert labels[0] != labels[5]
    assert labels[11] not in labels[:11]  # linked to nothing: a claim of its own
    assert labels == communities(12, rows, cols, sims, threshold=0.35, resolution=1.0)  # seeded
    assert labels[:2] == [0, 0] and sorted(set(labels)) == list(range(len(set(labels))))


def test_a_small_graph_is_weighed_as_part_of_a_corpus():
    # the same eleven items alone hold little link weight: weighed as if inside a larger corpus, their links
    # suffice to make one claim
    rows, cols, sims = hub_graph()
    labels = communities(12, rows, cols, sims, threshold=0.35, resolution=1.0)
    assert len(set(labels[:11])) == 1 and labels[11] != labels[0]


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
    one = [0] * len(items)
    (claim,) = find_claims(items, encoder, partition=one)
    assert claim.label in (fraud, "Trump University defrauded its students")
    stances = {m.cue + ":" + m.content[:20]: m.stance for m in claim.members}
    assert stances["denied:that Trump Universit"] == "denies"
    # without the pull of what is disputed the defence, said four times, would label the claim
    monkeypatch.setattr("sayso.claims.grouping.CONTESTED_WEIGHT", 0.0)
    (claim,) = find_claims(items, encoder, partition=one)
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


def test_edges_pair_every_speaker_with_a_side_on_their_own_evidence():
    """Agreement and contradiction edges of a claim of many speakers, against the plain reading: for each pair
    of speakers who take a side, every member of theirs on their side, in member order."""
    rng = np.random.default_rng(3)
    people = [Speaker(id=f"s{k}", name=f"Speaker {k}") for k in range(30)]
    members = [ClaimMember(ref=AttributionRef("art", f"a{k}"), speaker=people[rng.integers(30)] if k % 7 else None,
                           stance=str(rng.choice(STANCES)), content="x", cue="said", kind="indirect")
               for k in range(400)]
    claim = Claim(id="c1", label="x", label_ref=members[0].ref, members=members)
    found = edges(claim)

    votes = {}
    for m in members:
        if m.speaker is not None and m.stance in SIDE:
            votes.setdefault(m.speaker.id, []).append(SIDE[m.stance])
    side = {sid: 1 if sum(v) > 0 else -1 for sid, v in votes.items() if sum(v) != 0}
    ids = list(side)
    def evidence(a, b):
        return [m.ref for m in members
                if m.speaker and m.speaker.id in (a, b) and SIDE.get(m.stance) == side[m.speaker.id]]

    expected = [(a, b, "agree" if side[a] == side[b] else "contradict", evidence(a, b))
                for n, a in enumerate(ids) for b in ids[n + 1:]]
    assert [(e.a.id, e.b.id, e.relation, e.evidence) for e in found] == expected
    assert {e.relation for e in found} == {"agree", "contradict"} and len(found) > 100


def test_a_sentence_shared_by_copies_of_an_article_is_parsed_once(seed_article, monkeypatch):
    from sayso.claims import negation

    items, copies = items_of("seed", seed_article), items_of("copy", seed_article)
    parsed = []

    def counted(texts):
        texts = list(texts)
        parsed.extend(texts)
        return negation.parse(texts)

    monkeypatch.setattr(grouping, "parse", counted)
    parses = grouping.Parses(items + copies)
    assert len(parsed) == len(set(parsed)) <= len(items)  # each sentence once, copies or not
    for it, twin in zip(items, copies):
        assert parses.docs[id(it)] is parses.docs[id(twin)]
        start, end = it.attribution.content[0]
        assert parses.span(twin, start, end).text == parses.span(it, start, end).text != ""


def test_copies_of_an_article_group_as_the_article_alone(seed_article, encoder, monkeypatch):
    monkeypatch.setattr(grouping, "LEAST_GRAPH_WEIGHT", 0.0)  # weighed on its own: the article makes several claims
    items = items_of("seed", seed_article)
    both = items + items_of("copy", seed_article)
    first = grouping.copies(both)
    n = len(items)
    assert (first[n:] == first[:n]).all() and (first[:n] <= np.arange(n)).all()
    once, twice = find_claims(items, encoder), find_claims(both, encoder)

    def grouped(claims, article):
        return sorted(sorted(m.ref.attribution_id for m in c.members if m.ref.article_id == article)
                      for c in claims)

    assert len(once) > 5
    assert grouped(twice, "seed") == grouped(once, "seed") == grouped(twice, "copy")
    assert all({m.ref.article_id for m in c.members} == {"seed", "copy"} for c in twice)
