"""Grouping: key-word weights, and the blocked computation that a large corpus takes."""

import numpy as np

from sayso.claims.grouping import cluster, groups, similarities, views, word_matrix

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
