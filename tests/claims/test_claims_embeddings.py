"""The content encoder: rows in the order asked, each text run once, the cache on disk read back."""

from __future__ import annotations

import numpy as np

from sayso.claims import Encoder
from sayso.claims.embeddings import text_key

TEXTS = [
    "Russia is trying to influence the U.S. election, and the evidence continues to point in that direction, "
    "the vice-presidential nominee said on Thursday after a briefing from intelligence officials.",
    "Putin denied it",
    "we have no intention of influencing the election campaign",
    "he doubts Russia's involvement",
]


def test_rows_come_in_the_order_asked_whatever_order_they_are_computed_in():
    mixed = Encoder().encode(TEXTS)
    one_by_one = np.stack([Encoder().encode([t])[0] for t in TEXTS])
    assert mixed.shape == (len(TEXTS), 384)
    assert np.allclose(mixed, one_by_one, atol=1e-5)
    assert np.allclose(np.linalg.norm(mixed, axis=1), 1.0, atol=1e-5)
    # different texts, different vectors: a row put in another's place would show
    sims = mixed @ mixed.T
    assert (np.argmax(sims, axis=1) == np.arange(len(TEXTS))).all()


def test_a_text_asked_twice_is_computed_once():
    enc = Encoder()
    out = enc.encode([TEXTS[1], TEXTS[2], TEXTS[1]])
    assert enc.computed == 2
    assert np.array_equal(out[0], out[2])
    enc.encode([TEXTS[2]])
    assert enc.computed == 2


def test_a_second_run_reads_the_vectors_from_the_cache_folder(tmp_path):
    first = Encoder(cache_dir=tmp_path)
    vecs = first.encode(TEXTS)
    assert first.computed == len(TEXTS)
    again = Encoder(cache_dir=tmp_path)
    assert np.array_equal(again.encode(list(reversed(TEXTS))), vecs[::-1])
    assert again.computed == 0


def test_a_torn_cache_file_is_computed_again(tmp_path):
    vecs = Encoder(cache_dir=tmp_path).encode(TEXTS)
    key = text_key(TEXTS[2])
    path = tmp_path / key[:2] / f"{key}.npy"
    path.write_bytes(path.read_bytes()[:40])  # a run stopped in the middle of writing it
    again = Encoder(cache_dir=tmp_path)
    assert np.allclose(again.encode(TEXTS), vecs, atol=1e-6)
    assert again.computed == 1
    assert np.load(path).shape == (384,)
