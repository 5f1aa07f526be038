"""Fine-tuning MiniLM's layers together with a tagging head: the stage of ``sayso train --finetune`` that
wants a GPU.

It needs torch and transformers and nothing else of sayso's dependencies (no spaCy), so it runs on a GPU
host as ``python -m sayso.finetune PACK OUT --device cuda``. Everything spaCy computes it reads from a
*pack*, which ``training.pack`` writes from the parsed and featurised splits:

- ``pieces.npz``: per split, the training pieces' word-piece ids, each token's first piece, feature ids and
  gold tags, and the offsets that cut them into pieces;
- ``encoder/``: MiniLM's config and weights, the embedding rows limited to the word pieces the pack uses
  (its ids are renumbered to match) and the layers limited to those the tagger reads;
- ``meta.json``: the layers read, the network's settings, the feature vocabulary.

It trains the encoder's layers (the word-piece embeddings stay frozen) and one new head jointly, with a
linear warm-up and decay. After each epoch it tags dev's pieces (CRF best path) and scores their spans, each
role's runs matched exactly: a proxy for the reference scores, which need spaCy to decode. It writes
``OUT/tuned.pt`` (the tuned layers and the head of the best epoch on that proxy, the layers in int8 as the
model ships them, the head in float16, with the feature vocabulary) and a JSON line per epoch to stdout.
``--minutes`` caps the run: the number of epochs is cut to what fits, measured on the first batches, before
the learning-rate schedule is fixed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from .attribution.encoder import TokenEncoder, quantize
from .network import LABELS, build_network

SPLITS = ("train", "dev")


def legal_start(tags: np.ndarray) -> np.ndarray:
    """A piece's gold tags as the CRF can score them: a piece cut inside a gold span starts with ``B-``,
    since no path starts with ``I-``."""
    if len(tags) and LABELS[tags[0]].startswith("I-"):
        tags = tags.copy()
        tags[0] = LABELS.index("B-" + LABELS[tags[0]][2:])
    return tags


def batches(pieces: list, size: int, rng: random.Random, length=lambda p: p[2] - p[1]) -> list[list]:
    """One epoch's batches of ``pieces`` (shuffled in place): pieces of similar ``length`` together (sorted
    within windows of 20 batches), the batches in random order."""
    rng.shuffle(pieces)
    order = []
    for w in range(0, len(pieces), size * 20):
        window = sorted(pieces[w : w + size * 20], key=length)
        order.extend(window[i : i + size] for i in range(0, len(window), size))
    rng.shuffle(order)
    return order


class Pack:
    """One split of a pack: ``piece(i)`` -> (word-piece ids, first piece per token, feature ids, gold tags)."""

    def __init__(self, arrays, split: str):
        self.ids, self.first, self.feats, self.tags, self.wp_off, self.tok_off = (
            arrays[f"{split}_{name}"] for name in ("ids", "first", "feats", "tags", "wp_off", "tok_off"))

    def __len__(self) -> int:
        return len(self.tok_off) - 1

    def piece(self, i: int):
        a, b = self.tok_off[i], self.tok_off[i + 1]
        return (self.ids[self.wp_off[i] : self.wp_off[i + 1]].astype(np.int64).tolist(),
                self.first[a:b].astype(np.int64).tolist(), self.feats[a:b].astype(np.int64), self.tags[a:b].astype(np.int64))


def write_pack(out: Path, splits: dict[str, list], layers: Sequence[int], network: dict,
               vocab: dict[str, list[str]], model_dir: Path, specials: tuple[int, int], features: str = "") -> dict:
    """Write a pack to ``out``. ``splits``: per split, its pieces as (word-piece ids, first piece per token,
    feature ids, gold tags); ``model_dir``: MiniLM's folder; ``specials``: its [CLS] and [SEP] ids;
    ``features``: the fingerprint of the code that computed the features (``training.features_key``), kept in
    meta.json. Returns the sizes written, in bytes."""
    import torch
    from safetensors.torch import load_file, save_file

    used = sorted({i for pieces in splits.values() for ids, *_ in pieces for i in ids})
    config = json.loads((model_dir / "config.json").read_text())
    keep = sorted(set(used) | {config.get("pad_token_id") or 0, *specials})
    renumber = {old: new for new, old in enumerate(keep)}
    out.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for split, pieces in splits.items():
        arrays[f"{split}_ids"] = np.array([renumber[i] for ids, *_ in pieces for i in ids], dtype=np.uint16)
        arrays[f"{split}_first"] = np.concatenate([np.asarray(f, dtype=np.int32) for _, f, _, _ in pieces])
        arrays[f"{split}_feats"] = np.concatenate([np.asarray(x, dtype=np.uint8) for _, _, x, _ in pieces])
        arrays[f"{split}_tags"] = np.concatenate([legal_start(np.asarray(t)).astype(np.uint8) for *_, t in pieces])
        arrays[f"{split}_wp_off"] = np.cumsum([0] + [len(p[0]) for p in pieces]).astype(np.int64)
        arrays[f"{split}_tok_off"] = np.cumsum([0] + [len(p[1]) for p in pieces]).astype(np.int64)
    np.savez_compressed(out / "pieces.npz", **arrays)
    state = load_file(str(model_dir / "model.safetensors"))
    depth = max(layers)
    kept = {}
    for name, value in state.items():
        name = name.removeprefix("bert.")
        if name.startswith("encoder.layer.") and int(name.split(".")[2]) >= depth:
            continue
        if name == "embeddings.word_embeddings.weight":
            value = value[torch.tensor(keep)]
        kept[name] = value.to(torch.float16).contiguous()
    (out / "encoder").mkdir(exist_ok=True)
    save_file(kept, str(out / "encoder" / "model.safetensors"))
    config.update(vocab_size=len(keep), num_hidden_layers=depth)
    (out / "encoder" / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    meta = {"layers": list(layers), "features": features, "network": network, "vocab": vocab,
            "specials": [renumber[i] for i in specials], "pieces": {s: len(p) for s, p in splits.items()}}
    (out / "meta.json").write_text(json.dumps(meta) + "\n")
    return {p.name: p.stat().st_size for p in [out / "pieces.npz", out / "encoder" / "model.safetensors"]}


def spans(tags: Sequence[int]) -> set[tuple[str, int, int]]:
    """(role, start, end) of each run of one role's tags: ``B-X I-X ...``, or an ``I-X`` run with no ``B-``."""
    out, role, start = set(), None, 0
    for t, tag in enumerate(list(tags) + [0]):
        lab = LABELS[tag]
        if role is not None and not (lab.startswith("I-") and lab[2:] == role):
            out.add((role, start, t))
            role = None
        if lab.startswith("B-") or (lab.startswith("I-") and role is None):
            role, start = lab[2:], t
    return out


def best_paths(scores, mask, trans, start, end):
    """Batched Viterbi: the best tag path of each sequence, (B, T) torch long, padding arbitrary."""
    import torch

    v = start + scores[:, 0]
    back = []
    for t in range(1, scores.shape[1]):
        cand = v[:, :, None] + trans[None]
        best, arg = cand.max(1)
        back.append(arg)
        v = torch.where(mask[:, t, None], best + scores[:, t], v)
    last = mask.sum(1) - 1
    tag = (v + end).argmax(1)
    path = [tag]
    for t in range(scores.shape[1] - 1, 0, -1):
        prev = back[t - 1].gather(1, tag[:, None]).squeeze(1)
        tag = torch.where(t <= last, prev, tag)  # past a sequence's end its tag stays put
        path.append(tag)
    return torch.stack(path[::-1], 1)


class Tuner:
    """MiniLM's layers and one head, trained together on a pack."""

    def __init__(self, pack: Path, device: str = "cpu", seed: int = 13):
        import torch
        from transformers import AutoModel

        self.torch = torch
        self.device = torch.device(device)
        self.meta = json.loads((pack / "meta.json").read_text())
        arrays = np.load(pack / "pieces.npz")
        self.splits = {s: Pack(arrays, s) for s in SPLITS}
        torch.manual_seed(seed)
        model = AutoModel.from_pretrained(pack / "encoder", dtype=torch.float32).to(self.device)
        self.encoder = TokenEncoder(tuple(self.meta["layers"]), model=model, specials=tuple(self.meta["specials"]))
        sizes = [len(v) + 1 for v in self.meta["vocab"].values()]
        self.head = build_network(sizes, len(self.meta["layers"]), **self.meta["network"]).to(self.device)
        for p in model.parameters():
            p.requires_grad_(False)
        self.tuned = [p for p in model.encoder.parameters()]
        for p in self.tuned:
            p.requires_grad_(True)

    def batch(self, split: str, items: Sequence[int]):
        """Encoder states (with gradients when enabled), feature ids, tags and mask of some pieces."""
        torch = self.torch
        pieces = [self.splits[split].piece(i) for i in items]
        states = self.encoder.states([(ids, first) for ids, first, _, _ in pieces])
        n = max(len(s) for s in states)
        enc = torch.stack([torch.nn.functional.pad(s, (0, 0, 0, 0, 0, n - len(s))) for s in states])
        feats = np.zeros((len(pieces), n, pieces[0][2].shape[1]), dtype=np.int64)
        tags = np.zeros((len(pieces), n), dtype=np.int64)
        mask = np.zeros((len(pieces), n), dtype=bool)
        for b, (*_, f, t) in enumerate(pieces):
            feats[b, : len(t)], tags[b, : len(t)], mask[b, : len(t)] = f, t, True
        to = lambda a: torch.from_numpy(a).to(self.device)  # noqa: E731
        return enc, torch.zeros((*enc.shape[:2], 0), device=self.device), to(feats), to(tags), to(mask)

    def loss(self, items: Sequence[int]):
        return self.head.loss(*self.batch("train", items))

    def evaluate(self, size: int = 32) -> dict:
        """Dev's loss per token and the exact-match F1 of its spans per role (percent), from the best paths."""
        torch = self.torch
        self.encoder.model.eval()
        self.head.eval()
        counts = {role: [0, 0, 0] for role in ("SOURCE", "CUE", "CONTENT")}  # found, gold, matched
        total, tokens = 0.0, 0
        dev = self.splits["dev"]
        with torch.inference_mode():
            trans, start = self.head.transitions()
            for b in range(0, len(dev), size):
                enc, tensor, feats, tags, mask = self.batch("dev", range(b, min(b + size, len(dev))))
                scores = self.head.emissions(enc, tensor, feats, mask)
                total += float(self.head.nll(scores, tags, mask).sum())
                tokens += int(mask.sum())
                paths = best_paths(scores, mask, trans, start, self.head.end).cpu().numpy()
                for k, n in enumerate(mask.sum(1).tolist()):
                    got, want = spans(paths[k, :n]), spans(tags[k, :n].tolist())
                    for role, c in counts.items():
                        g, w = {s for s in got if s[0] == role}, {s for s in want if s[0] == role}
                        c[0], c[1], c[2] = c[0] + len(g), c[1] + len(w), c[2] + len(g & w)
        self.encoder.model.train()
        self.head.train()
        f1 = {role.lower(): round(200 * m / (f + g), 2) if f + g else 0.0 for role, (f, g, m) in counts.items()}
        return {"dev_loss": round(total / tokens, 4), "dev_f1": f1, "dev_mean": round(sum(f1.values()) / 3, 2)}

    def state(self) -> dict:
        """The tuned layers as the model ships them (int8 with a scale per row, ``quantize``), the head in
        float16, and what is needed to rebuild them."""
        half = lambda m: {k: v.detach().to("cpu", self.torch.float16) for k, v in m.state_dict().items()}  # noqa: E731
        return {**quantize(self.encoder.model.encoder.state_dict()), "head": half(self.head),
                "layers": self.meta["layers"], "network": self.meta["network"], "vocab": self.meta["vocab"]}


def running_mean(mean: list[dict] | None, now: list[dict], n: int) -> list[dict]:
    """The mean of ``n`` sets of weights (state dicts, float32 copies) from the mean of the first ``n - 1``
    (None for the first) and the ``n``-th."""
    now = [{k: v.detach().float().clone() for k, v in weights.items()} for weights in now]
    return now if mean is None else [{k: m[k] + (w[k] - m[k]) / n for k in m} for m, w in zip(mean, now)]


def run(pack: Path, out: Path, epochs: int = 20, lr_encoder: float = 5e-5, lr_head: float = 2e-3,
        batch_size: int = 16, seed: int = 13, device: str | None = None, minutes: float | None = None,
        max_batches: int | None = None, average_from: int | None = None, log=print) -> list[dict]:
    """Fine-tune, choose the epoch on dev's span F1, write ``out/tuned.pt``; returns the per-epoch records.

    ``device``: a torch device (default: the GPU when torch sees one, else the CPU). ``max_batches`` stops
    each epoch early (a smoke test of the whole stage). ``average_from``: also average the weights of every
    epoch from that one to the last (the tail of the decaying schedule), score the average on dev as one
    more record (``"epoch": "average"``) and write it to ``out/averaged.pt``."""
    import torch

    t_start = time.time()
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    random.seed(seed)
    torch.backends.cuda.matmul.allow_tf32 = True
    tuner = Tuner(pack, device, seed)
    head_params = list(tuner.head.parameters())
    optim = torch.optim.AdamW([{"params": tuner.tuned, "lr": lr_encoder}, {"params": head_params, "lr": lr_head}],
                              weight_decay=1e-4)
    peaks = [lr_encoder, lr_head]
    train = tuner.splits["train"]
    pieces = list(range(len(train)))
    length = lambda i: train.tok_off[i + 1] - train.tok_off[i]  # noqa: E731
    rng = random.Random(seed)
    per_epoch = (len(pieces) + batch_size - 1) // batch_size
    if max_batches:
        per_epoch = min(per_epoch, max_batches)
    warm = per_epoch
    skip = 10 if per_epoch > 20 else 0  # batches not timed for --minutes
    t_warm = time.time()
    total = epochs * per_epoch
    step = 0
    history: list[dict] = []
    best = (-1.0, None)
    tuned_modules = (tuner.encoder.model.encoder, tuner.head)
    averaged: list[dict] | None = None  # the running mean of each module's weights, from epoch average_from on
    counted = 0
    for epoch in range(1, epochs + 1):
        t0, loss_sum = time.time(), 0.0
        order = batches(pieces, batch_size, rng, length)[:per_epoch]
        for b, items in enumerate(order, 1):
            for group, peak in zip(optim.param_groups, peaks):
                group["lr"] = peak * min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))
            loss = tuner.loss(items)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tuner.tuned + head_params, 5.0)
            optim.step()
            step += 1
            loss_sum += loss.item()
            if epoch == 1 and b == skip:
                t_warm = time.time()  # the first batches pay for warming up (allocation, kernel choice): not timed
            if epoch == 1 and b == min(skip + 30, per_epoch) and minutes:  # fit the epochs to the time given
                per_batch = (time.time() - t_warm) / (b - skip)
                spent = time.time() - t_start - b * per_batch  # loading and warming up: not epoch time
                fits = int((minutes * 60 - spent) / (per_batch * per_epoch * 1.1))
                if fits < epochs:
                    epochs, total = max(1, fits), max(1, fits) * per_epoch
                    log(json.dumps({"epochs": epochs, "seconds_per_batch": round(per_batch, 4)}))
        record = {"epoch": epoch, "loss": round(loss_sum / len(order), 4), "seconds": round(time.time() - t0, 1),
                  **tuner.evaluate()}
        history.append(record)
        log(json.dumps(record))
        if record["dev_mean"] > best[0]:
            best = (record["dev_mean"], {**tuner.state(), "epoch": epoch})
        if average_from is not None and epoch >= average_from:
            counted += 1
            with torch.no_grad():
                averaged = running_mean(averaged, [m.state_dict() for m in tuned_modules], counted)
        if epoch >= epochs:
            break
    settings = {"epochs": epochs, "lr_encoder": lr_encoder, "lr_head": lr_head, "batch_size": batch_size,
                "seed": seed, "device": device}
    out.mkdir(parents=True, exist_ok=True)
    torch.save({**best[1], "history": history, "settings": settings}, out / "tuned.pt")
    if averaged is not None:
        for module, weights in zip(tuned_modules, averaged):
            module.load_state_dict(weights)
        record = {"epoch": "average", "from": average_from, "to": epochs, **tuner.evaluate()}
        history.append(record)
        log(json.dumps(record))
        torch.save({**tuner.state(), "epoch": f"{average_from}-{epochs}", "history": history,
                    "settings": {**settings, "average_from": average_from}}, out / "averaged.pt")
    return history


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sayso.finetune",
        description="Fine-tune MiniLM's layers together with one tagging head, on a pack that `sayso train "
                    "polnear DIR --finetune ...` (training.pack) wrote; needs torch and transformers only. "
                    "Writes OUT/tuned.pt and one JSON line per epoch (dev loss and span F1) on stdout.")
    ap.add_argument("pack", type=Path, help="the pack's folder (build/finetune-pack by default in sayso train)")
    ap.add_argument("out", type=Path, help="where tuned.pt goes")
    ap.add_argument("--epochs", type=int, default=20, help="passes over train (default: %(default)s)")
    ap.add_argument("--lr-encoder", type=float, default=5e-5, help="peak learning rate of MiniLM's layers")
    ap.add_argument("--lr-head", type=float, default=2e-3, help="peak learning rate of the head")
    ap.add_argument("--batch-size", type=int, default=16, help="training pieces per batch")
    ap.add_argument("--seed", type=int, default=13, help="random seed (head initialisation, batch order)")
    ap.add_argument("--device", help="torch device (default: cuda when torch sees a GPU, else cpu)")
    ap.add_argument("--minutes", type=float, help="cut the epochs to what fits in this much time")
    ap.add_argument("--max-batches", type=int, help="batches per epoch at most (a smoke test)")
    ap.add_argument("--average-from", type=int, metavar="EPOCH", help="also write OUT/averaged.pt: the mean of "
                    "the weights of every epoch from this one to the last, scored on dev")
    args = ap.parse_args(argv)
    if not (args.pack / "meta.json").exists():
        print(f"{args.pack}: not a pack (no meta.json)", file=sys.stderr)
        return 2
    run(args.pack, args.out, args.epochs, args.lr_encoder, args.lr_head, args.batch_size, args.seed, args.device,
        args.minutes, args.max_batches, args.average_from, log=lambda s: print(s, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
