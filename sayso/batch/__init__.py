"""Batch extraction over web archives, JSONL dumps and folders of pages, on Dask, into Parquet shards.

>>> from sayso.batch import run_batch, iter_shard_articles            # doctest: +SKIP
>>> run_batch(["crawl.warc.gz"], "out/", workers=2).articles          # doctest: +SKIP
4812
>>> next(iter_shard_articles("out/"))                                 # doctest: +SKIP
('<urn:uuid:...>', Article(text='Harbor Bridge ...', ...))
"""

from .plan import PARTITION_SIZE, Partition, plan
from .run import Summary, run_batch, run_partition
from .shards import iter_shard_articles

__all__ = ["PARTITION_SIZE", "Partition", "Summary", "iter_shard_articles", "plan", "run_batch", "run_partition"]
