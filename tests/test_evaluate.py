"""sayso's metrics agree with the reference scorer on the same predictions."""

import json
import subprocess
import sys

import pytest

from sayso.evaluate.metrics import normalise, score
from sayso.evaluate.polnear import load_split
from sayso.evaluate.run import as_prediction
from sayso.model import Article
from sayso.pipeline import annotate_many


def test_normalise_strips_punctuation_and_merges():
    text = 'He said: "yes, now." Then'
    assert normalise(text, [(8, 20)]) == ((10, 18),)
    assert normalise(text, [(10, 14), (15, 19)]) == ((10, 18),)
    assert normalise(text, [(8, 9)]) == ()


def test_metrics_equal_the_reference_scorer(polnear_dir, tmp_path):
    gold = load_split(polnear_dir, "dev")
    some = gold[:12]
    preds = {}
    for g, art in zip(some, annotate_many(Article(text=g.text) for g in some)):
        preds[g.name] = as_prediction(art)
    path = tmp_path / "pred.jsonl"
    path.write_text("".join(json.dumps({"doc": n, "attributions": p}) + "\n" for n, p in preds.items()))
    ours = score((g.text, [vars(a) for a in g.attributions], preds.get(g.name, [])) for g in gold)
    ref_json = tmp_path / "ref.json"
    scorer = polnear_dir.parent.parent / "score_attributions.py"
    subprocess.run([sys.executable, str(scorer), "--data", str(polnear_dir), "--split", "dev",
                    "--json", str(ref_json), str(path)], check=True, capture_output=True)
    ref = json.loads(ref_json.read_text())
    assert ours["counts"] == ref["counts"]
    for role in ("cue", "source", "content"):
        for kind in ("exact", "token"):
            for k in ("p", "r", "f", "tp", "n_pred", "n_gold"):
                assert ours["roles"][role][kind][k] == pytest.approx(ref["roles"][role][kind][k], abs=1e-12)
    for name, val in ref["attribution"].items():
        assert ours["attribution"][name] == pytest.approx(val, abs=1e-12)
    assert ours["attribution"]["overlap"]["tp"] > 0


@pytest.mark.slow
def test_dev_floor(polnear_dir):
    """The core floor on PolNeAR dev: overlap+source F1 >= 0.55 and content token F1 >= 0.70."""
    from sayso.evaluate.run import evaluate_polnear

    result = evaluate_polnear(polnear_dir, "dev")
    assert result["attribution"]["overlap_source"]["f"] >= 0.55
    assert result["roles"]["content"]["token"]["f"] >= 0.70


def test_polnear_publishers_are_named_as_their_outlets(polnear_dir):
    from sayso.evaluate.polnear import PUBLISHERS, read_metadata
    from sayso.outlets import KNOWN, outlet_name

    meta = read_metadata(polnear_dir)
    row = meta["wash-post_2016-09-07_republican-seeks-new-clinton-inq"]
    assert (row["publisher"], row["outlet"]) == ("wash-post", "The Washington Post")
    assert "None" not in row.values() and "" not in row.values()
    # every key of the corpus is named, by the name its outlet's pages get from their host
    assert {r["publisher"] for r in meta.values()} <= set(PUBLISHERS)
    assert set(PUBLISHERS.values()) <= {outlet_name(None, f"https://www.{host}/") for host in KNOWN}
    assert read_metadata(polnear_dir / "no-such-folder") == {}
