"""Fine-tune MiniLM's layers jointly with the shipped tagger's heads, and score dev after each epoch.

An experiment behind rows of the model card's "What was tried" table, not part of the package: it did not
beat the frozen encoder, so nothing here ships. It starts from the shipped model (both heads, their tag and
transition scores averaged as at decoding), or with ``--fresh`` from one new head, unfreezes MiniLM's
transformer layers from ``--first-layer`` on (the word-piece embeddings stay frozen), and trains the encoder
and the heads together on PolNeAR train, with the training pieces and batches of ``sayso train``. Dev is
encoded again with the tuned layers and decoded as ``sayso eval --mode accurate`` does; epoch 0 is the
shipped model (not scored with ``--fresh``). It writes nothing but a JSON line per epoch on stdout and, with
``--out``, each epoch's weights.

    python docs/finetune.py ../shared/data/polnear --cache build/tagger-cache --epochs 3
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from pathlib import Path

import torch

from sayso import training as T
from sayso.attribution.encoder import LAYERS, TokenEncoder
from sayso.attribution.tagger import MODEL_DIR, Calibration, Tagger


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Joint(torch.nn.Module):
    """The heads as the tagger decodes them: mean tag scores under the mean CRF potentials."""

    def __init__(self, nets):
        super().__init__()
        self.nets = torch.nn.ModuleList(nets)

    def transitions(self):
        ts = [n.transitions() for n in self.nets]
        return torch.stack([t[0] for t in ts]).mean(0), torch.stack([t[1] for t in ts]).mean(0)

    @property
    def end(self):
        return torch.stack([n.end for n in self.nets]).mean(0)

    def loss(self, enc, tensor, feats, tags, mask):
        scores = torch.stack([n.emissions(enc, tensor, feats, mask) for n in self.nets]).mean(0)
        net = type(self.nets[0])  # the CRF's forward algorithm and path score, over the averaged potentials
        return (net.log_partition(self, scores, mask) - net.gold_score(self, scores, tags, mask)).sum() / mask.sum()


def encode_pieces(te: TokenEncoder, examples, pieces) -> torch.Tensor:
    """(B, n, layers, 384) encoder states of the training pieces, with gradients, windowed as at inference."""
    states = te.states([te.pieces(examples[k].doc[s:e]) for k, s, e in pieces])
    n = max(len(v) for v in states)
    return torch.stack([torch.nn.functional.pad(v, (0, 0, 0, 0, 0, n - len(v))) for v in states])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="PolNeAR folder (train/, dev/)")
    ap.add_argument("--cache", type=Path, default=Path("build/tagger-cache"), help="sayso train's cache")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr-encoder", type=float, default=4e-5)
    ap.add_argument("--lr-heads", type=float, default=3e-4)
    ap.add_argument("--first-layer", type=int, default=0, help="first trainable transformer layer (0-based)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--fresh", action="store_true",
                    help="train one new head (initialised as sayso train does) instead of the shipped heads")
    ap.add_argument("--out", type=Path, help="folder for each epoch's weights")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    train_set = T.prepare(args.data, "train", args.cache, log)
    dev_set = T.prepare(args.data, "dev", args.cache, log)
    base = Tagger.load(MODEL_DIR)
    T.featurize(list(train_set) + list(dev_set), base.vocab)
    te = TokenEncoder(LAYERS)
    for p in te.model.parameters():
        p.requires_grad_(False)
    enc_params = [p for layer in te.model.encoder.layer[args.first_layer :] for p in layer.parameters()]
    for p in enc_params:
        p.requires_grad_(True)
    nets = [T.build_network(base.vocab.sizes(), len(LAYERS), **T.NETWORK)] if args.fresh else list(base.nets)
    head_params = [p for n in nets for p in n.parameters()]
    joint = Joint(nets)

    def evaluate(epoch: int) -> None:
        te.model.eval()
        with torch.inference_mode():
            encs = te.encode_many([ex.doc for ex in dev_set])
        dev = [dataclasses.replace(ex, enc=e) for ex, e in zip(dev_set, encs)]
        preds = T.predict(Tagger(nets, base.vocab, Calibration([], []), base.config), dev)  # sets eval mode
        head = T.headline(T.score((ex.gold.text, T.gold_roles(ex.gold), p) for ex, p in zip(dev, preds)))
        print(json.dumps({"epoch": epoch, "dev": head, "mean": round(sum(head.values()) / len(head), 2)}), flush=True)
        te.model.train()
        for n in nets:
            n.train()

    if not args.fresh:
        evaluate(0)
    te.model.train()
    for n in nets:
        n.train()
    pieces = T._chunks(train_set)
    size = 16
    optim = torch.optim.AdamW([{"params": enc_params, "lr": args.lr_encoder},
                               {"params": head_params, "lr": args.lr_heads}], weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        optim, max_lr=[args.lr_encoder, args.lr_heads], pct_start=0.1, anneal_strategy="linear",
        total_steps=args.epochs * ((len(pieces) + size - 1) // size))
    rng = random.Random(args.seed)
    for epoch in range(1, args.epochs + 1):
        order = T.batches(pieces, size, rng)
        t0, total = time.time(), 0.0
        for b, batch in enumerate(order, 1):
            _, tensor, feats, tags, mask = T._batch(train_set, batch)
            loss = joint.loss(encode_pieces(te, train_set, batch), tensor, feats, tags, mask)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(enc_params + head_params, 5.0)
            optim.step()
            sched.step()
            total += loss.item()
            if b % 20 == 0:
                log(f"epoch {epoch}: batch {b}/{len(order)}, loss {total / b:.4f}, {time.time() - t0:.0f} s")
        log(f"epoch {epoch}: {time.time() - t0:.0f} s, loss {total / len(order):.4f}")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            torch.save({"encoder": {k: v.half() for k, v in te.model.state_dict().items()},
                        "heads": [{k: v.half() for k, v in n.state_dict().items()} for n in nets]},
                       args.out / f"epoch-{epoch}.pt")
        evaluate(epoch)


if __name__ == "__main__":
    main()
