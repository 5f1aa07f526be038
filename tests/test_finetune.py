"""Fine-tuning: the pack, the stage that runs without spaCy, the int8 layers, and the model it joins into."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sayso.evaluate.polnear import load_split
from sayso.finetune import batches, legal_start, spans
from sayso.network import LABELS


def test_spans_are_runs_of_one_role():
    tags = [LABELS.index(t) for t in
            ["O", "B-SOURCE", "I-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "I-CUE", "I-CUE", "O", "B-CUE"]]
    assert spans(tags) == {("SOURCE", 1, 3), ("CUE", 3, 4), ("CONTENT", 4, 6), ("CUE", 6, 8), ("CUE", 9, 10)}


def test_legal_start_and_batches():
    tags = np.array([LABELS.index("I-CUE"), LABELS.index("I-CUE"), 0])
    assert [LABELS[t] for t in legal_start(tags)] == ["B-CUE", "I-CUE", "O"]
    assert LABELS[tags[0]] == "I-CUE"  # the caller's array is left alone
    import random

    pieces = [(0, 0, n) for n in range(1, 101)]
    order = batches(list(pieces), 8, random.Random(0))
    assert sorted(p for b in order for p in b) == sorted(pieces) and max(map(len, order)) == 8


def test_tuned_layers_round_trip_through_int8(tmp_path):
    import torch

    from sayso.attribution.encoder import load_tuned, save_tuned

    torch.manual_seed(0)
    state = {"layer.0.w": torch.randn(64, 32) * 0.05, "layer.0.b": torch.randn(64)}
    save_tuned(tmp_path / "e.pt", state)
    back = load_tuned(tmp_path / "e.pt")
    step = state["layer.0.w"].abs().amax(1, keepdim=True) / 127
    assert back["layer.0.w"].dtype == torch.float32
    assert bool(((back["layer.0.w"] - state["layer.0.w"]).abs() <= step * 0.51 + 1e-6).all())
    assert torch.allclose(back["layer.0.b"], state["layer.0.b"], atol=1e-3)
    save_tuned(tmp_path / "again.pt", back)  # saving what was read back changes nothing
    assert all(torch.equal(v, load_tuned(tmp_path / "again.pt")[k]) for k, v in back.items())


@pytest.fixture(scope="module")
def nlp():
    from sayso.nlp import load

    return load("fast")


@pytest.fixture(scope="module")
def tuned(tmp_path_factory, polnear_dir, nlp):
    """A pack of 3 train and 2 dev articles, and a member fine-tuned on it for 2 batches, in a process where
    spaCy cannot be imported."""
    from sayso.training import Example, pack

    root = tmp_path_factory.mktemp("finetune")
    sets = {}
    for split, n in (("train", 3), ("dev", 2)):
        golds = load_split(polnear_dir, split)[:n]
        docs = nlp.pipe((g.text for g in golds), disable=["sayso"])
        sets[split] = [Example(g, d, None, d.tensor) for g, d in zip(golds, docs)]
    sizes = pack(polnear_dir, root / "pack", sets=sets, log=lambda s: None, layers=(2, 4))
    assert sizes["model.safetensors"] < 40 * 2**20  # the embedding rows of the pack's word pieces only
    code = ("import sys; sys.modules['spacy'] = None; from sayso.finetune import main; "
            f"sys.exit(main([{str(root / 'pack')!r}, {str(root / 'member')!r}, '--epochs', '2', '--max-batches', '2', "
            "'--device', 'cpu', '--batch-size', '2', '--minutes', '600']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    records = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert [r["epoch"] for r in records] == [1, 2]
    assert all(r["dev_loss"] > 0 and set(r["dev_f1"]) == {"source", "cue", "content"} for r in records)
    return root, sets


def test_a_pack_is_written_again_when_its_layers_or_features_are_others(tuned):
    """``make train`` reuses a pack only while it holds the layers asked for and features computed by the
    rules as they are: one written before a change to the rules or the cue lexicon is stale."""
    import shutil

    from sayso.training import features_key, pack_is_current

    root, _ = tuned
    stale = root / "stale-pack"
    shutil.copytree(root / "pack", stale)
    meta = json.loads((stale / "meta.json").read_text())
    assert meta["features"] == features_key() and meta["layers"] == [2, 4]
    assert pack_is_current(stale, (2, 4)) and not pack_is_current(stale, (2, 4, 6))
    (stale / "meta.json").write_text(json.dumps({**meta, "features": "0" * 16}))
    assert not pack_is_current(stale, (2, 4))
    (stale / "meta.json").unlink()
    assert not pack_is_current(stale, (2, 4))


def _write_model(member, record, examples, out):
    """The model of one fine-tuned member, written to ``out`` as ``sayso train`` writes it (calibrated on
    ``examples``); returns it and the examples it encoded."""
    from sayso.training import combine, encode_for, featurize, finish

    model = combine([member])
    dev = encode_for(model, examples)
    featurize(dev, model.vocab)
    finish(model, dev, out, {"data": "x", "finetuned": True, "heads": [record], "seconds": {}}, log=lambda s: None)
    return model, dev


def test_a_finetuned_member_joins_a_model_that_loads_and_stays_verbatim(tuned, tmp_path):
    import torch

    from sayso.attribution.encoder import TokenEncoder, load_tuned
    from sayso.attribution.tagger import Tagger
    from sayso.training import tuned_tagger

    root, sets = tuned
    member, record = tuned_tagger(root / "member" / "tuned.pt")
    assert record["epoch"] in (1, 2) and record["seed"] == 13 and len(record["history"]) == 2
    # the tuned layers differ from MiniLM's as shipped, the frozen embeddings do not
    plain = TokenEncoder().model.encoder.state_dict()
    tuned_state = member.encoders[0].model.encoder.state_dict()
    assert any(not torch.allclose(v, plain[k], atol=1e-2) for k, v in tuned_state.items())

    model, dev = _write_model(member, record, sets["dev"], tmp_path / "model")
    assert isinstance(dev[0].enc, list) and len(dev[0].enc) == 1
    config = json.loads((tmp_path / "model" / "config.json").read_text())
    assert config["encoders"] == ["encoder-0.pt"] and config["heads"][0]["network"]["tensor_width"] == 0
    # fine-tuning wrote the layers in int8 already: the model ships them as they were
    written = torch.load(root / "member" / "tuned.pt", map_location="cpu", weights_only=True)
    assert written["scales"] and all(written["encoder"][k].dtype == torch.int8 for k in written["scales"])
    shipped = load_tuned(tmp_path / "model" / "encoder-0.pt")
    assert all(torch.equal(v, shipped[k]) for k, v in load_tuned(root / "member" / "tuned.pt").items())
    loaded = Tagger.load(tmp_path / "model")
    ex = dev[0]
    want = model.emissions(ex.enc, ex.tensor, ex.feats)
    got = loaded.emissions(loaded.encode([ex.doc])[0], ex.tensor, ex.feats)
    assert np.allclose(got, want, atol=1e-4)  # the head reads no parser vectors: tensor_width 0
    assert np.allclose(loaded.emissions(loaded.encode([ex.doc])[0], np.zeros_like(ex.tensor), ex.feats), want, atol=1e-4)
    text = ex.doc.text
    for f in next(loaded.pipe([ex.doc])):
        for s, e in [*f.source, *f.cue, *f.content]:
            assert 0 <= s < e <= len(text) and text[s:e].strip()


def test_a_deeper_pack_makes_a_model_that_reads_its_layers(tuned, tmp_path):
    from sayso.attribution.tagger import Tagger
    from sayso.finetune import run
    from sayso.training import combine, pack, tuned_tagger

    root, sets = tuned
    pack(Path("unused"), tmp_path / "deep", sets=sets, log=lambda s: None)  # the layers of the shipped members
    meta = json.loads((tmp_path / "deep" / "meta.json").read_text())
    encoder = json.loads((tmp_path / "deep" / "encoder" / "config.json").read_text())
    assert meta["layers"] == [2, 4, 6] and encoder["num_hidden_layers"] == 6
    run(tmp_path / "deep", tmp_path / "member", epochs=1, batch_size=2, device="cpu", max_batches=1, log=lambda s: None)
    member, record = tuned_tagger(tmp_path / "member" / "tuned.pt")
    with pytest.raises(ValueError, match="different layers"):  # a member of the four-layer pack does not join it
        combine([member, tuned_tagger(root / "member" / "tuned.pt")[0]])
    _, dev = _write_model(member, record, sets["dev"], tmp_path / "model")
    assert json.loads((tmp_path / "model" / "config.json").read_text())["layers"] == [2, 4, 6]
    loaded = Tagger.load(tmp_path / "model")
    assert loaded.encode([dev[0].doc])[0][0].shape == (len(dev[0].doc), 3, 384)


def test_minutes_cut_the_epochs_to_what_fits(tuned, tmp_path):
    from sayso.finetune import run

    root, _ = tuned
    lines = []
    history = run(root / "pack", tmp_path, epochs=3, batch_size=2, device="cpu", minutes=0.001, max_batches=3,
                  log=lines.append)
    assert [h["epoch"] for h in history] == [1]
    assert json.loads(lines[0])["epochs"] == 1
    assert (tmp_path / "tuned.pt").exists()


def test_the_average_of_the_last_epochs_is_their_mean_and_is_scored(tuned, tmp_path):
    """``--average-from``: the averaged member is the mean of the epochs' weights, scored on dev as one more
    record, and it loads as a member does."""
    import torch

    from sayso.finetune import run, running_mean
    from sayso.training import tuned_tagger

    epochs = [[{"w": torch.randn(3, 2), "b": torch.randn(2)}] for _ in range(3)]
    mean = None
    for n, weights in enumerate(epochs, 1):
        mean = running_mean(mean, weights, n)
    for k in ("w", "b"):
        assert torch.allclose(mean[0][k], torch.stack([e[0][k] for e in epochs]).mean(0), atol=1e-6)
    assert not torch.equal(epochs[0][0]["w"], mean[0]["w"])

    root, _ = tuned
    history = run(root / "pack", tmp_path, epochs=3, batch_size=2, device="cpu", max_batches=2, average_from=2,
                  log=lambda s: None)
    assert [h["epoch"] for h in history] == [1, 2, 3, "average"] and history[-1]["from"] == 2
    assert history[-1]["dev_loss"] > 0 and set(history[-1]["dev_f1"]) == {"source", "cue", "content"}
    member, record = tuned_tagger(tmp_path / "averaged.pt")
    assert record["epoch"] == "2-3" and record["history"][-1]["epoch"] == "average"
    best = torch.load(tmp_path / "tuned.pt", weights_only=True)
    averaged = torch.load(tmp_path / "averaged.pt", weights_only=True)
    assert set(averaged["head"]) == set(best["head"]) and set(averaged["encoder"]) == set(best["encoder"])
    assert any(not torch.equal(averaged["head"][k], best["head"][k]) for k in best["head"])


def test_batched_best_paths_are_the_viterbi_paths():
    """The fine-tuning stage's batched Viterbi (torch, padded) finds each sequence's path as the decoder's
    does (numpy, one sequence)."""
    import torch

    from sayso.attribution.tagger import viterbi
    from sayso.finetune import best_paths
    from sayso.network import allowed_starts, allowed_transitions

    rng = np.random.default_rng(3)
    trans = np.where(allowed_transitions(), rng.normal(size=(7, 7)), -1e4)
    start = np.where(allowed_starts(), rng.normal(size=7), -1e4)
    end = rng.normal(size=7)
    lengths = [1, 4, 9, 12]
    scores = rng.normal(size=(4, 12, 7)) * 2
    mask = np.arange(12)[None] < np.array(lengths)[:, None]
    got = best_paths(*(torch.from_numpy(a) for a in (scores, mask, trans, start, end))).numpy()
    for k, n in enumerate(lengths):
        assert got[k, :n].tolist() == viterbi(scores[k, :n], trans, start, end)
