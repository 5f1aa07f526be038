"""The labelled set and the grouping metrics."""

from pathlib import Path

import pytest

from sayso.attribution.quotes import find_quotes
from sayso.claims.grouping import NEIGHBOURS
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


def test_eval_claims_scores_a_labelled_subset(polnear_dir, tmp_path):
    """`sayso eval claims` end to end on four labelled articles (two of each part): it extracts them, groups
    every attribution, and scores the labelled ones; a labelled grouping scores 1, and a much finer
    resolution cannot join more of a claim's members."""
    import json

    from click.testing import CliRunner

    from sayso.cli import main

    keep = {"nyt_2016-04-08_tensions-flare-after-sanders-cal", "huff-post_2015-11-08_ben-carson-defends-himself-again",
            "huff-post_2016-08-11_donald-trump-is-now-calling-obam",
            "politico_2016-08-11_pence-blames-media-for-trump-s-o"}
    data = json.loads(LABELS.read_text())
    data["attributions"] = [a for a in data["attributions"] if a["article"] in keep]
    wanted = {a["claim"] for a in data["attributions"]}
    data["claims"] = [c for c in data["claims"] if c["id"] in wanted]
    subset = tmp_path / "subset.json"
    subset.write_text(json.dumps(data))

    def scored(*options):
        out = tmp_path / "result.json"
        run = CliRunner().invoke(main, ["eval", "claims", str(subset), "--data", str(polnear_dir),
                                        "--cache", str(tmp_path / "cache"), "--json", str(out), *options])
        assert run.exit_code == 0, run.output
        return run.output, json.loads(out.read_text())

    table, shipped = scored()
    assert "dev " in table and "heldout " in table
    # the rules read no attribution inside a quotation: a label whose cue is quoted ("''I don't think you are
    # qualified ...,'' Sanders said") names words the extractor gives to the quotation's speaker
    quoted = sum(any(s <= c0 and c1 <= e for s, e in find_quotes(read_text(
        polnear_dir / a["split"] / "text" / f"{a['article']}.txt"))) for a in data["attributions"]
        for c0, c1 in a["cue"][:1])
    assert 0 < quoted < 10
    assert shipped["labelled"] == len(data["attributions"])
    assert shipped["matched"] >= shipped["labelled"] - quoted - 2
    for part in ("dev", "heldout"):
        r = shipped[part]
        assert 0 < r["bcubed"]["f1"] <= 1 and 0 <= r["stance_accuracy"] <= 1
        read = sum(r["stance_confusion"].values())  # the labelled attributions the extractor found
        assert r["attributions"] - shipped["unmatched"] <= read <= r["attributions"]
    _, labelled = scored("--labelled-grouping")
    assert all(labelled[p]["bcubed"]["f1"] == 1.0 for p in ("dev", "heldout"))
    _, fine = scored("--resolution", "1000")
    assert fine["resolution"] == 1000
    assert fine["all"]["bcubed"]["recall"] <= shipped["all"]["bcubed"]["recall"]
    assert fine["all"]["bcubed"]["recall"] < 1.0
    assert shipped["neighbours"] == NEIGHBOURS and f"links to the {NEIGHBOURS} nearest kept" in table
    every_table, every = scored("--neighbours", "0")
    assert every["neighbours"] is None and "every link kept" in every_table
