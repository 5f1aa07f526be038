"""The labelled set and the grouping metrics."""

from pathlib import Path

import pytest

from sayso.errors import InputError
from sayso.evaluate.claims import bcubed, load_labels, pairwise
from sayso.evaluate.polnear import read_text

LABELS = Path(__file__).resolve().parents[2] / "sayso" / "claims" / "data" / "polnear-train-claims.json"


def test_the_set_is_big_enough_and_split():
    labels = load_labels(LABELS)
    assert len(labels) >= 150 and len({lab.claim for lab in labels}) >= 20
    assert {lab.part for lab in labels} == {"dev", "heldout"}
    assert all(lab.split == "train" for lab in labels)


def test_excerpts_are_the_corpus_text_at_the_offsets(polnear_dir):
    for lab in load_labels(LABELS):
        text = read_text(polnear_dir / lab.split / "text" / f"{lab.article}.txt")
        content = " ".join(text[s:e] for s, e in lab.content)
        assert content.startswith(lab.excerpt.removesuffix("..."))


def test_bcubed_and_pairwise():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(gold, {"a": 1, "b": 1, "c": 1, "d": 1})
    assert (p, r) == (0.5, 1.0)
    p, r, f = pairwise(gold, {"a": 1, "b": 2, "c": 3, "d": 4})
    assert (p, r, f) == (1.0, 0.0, 0.0)


def test_a_bad_label_file_is_an_input_error(tmp_path):
    bad = tmp_path / "labels.json"
    bad.write_text('{"schema": "other"}')
    with pytest.raises(InputError, match="labels.json"):
        load_labels(bad)
