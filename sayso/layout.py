"""The names that mark the output of ``sayso batch``, shared by the stage that writes it (``sayso.batch``) and
those that must tell it apart from input pages (``sayso.ingest``) or store it (``sayso.store``).

Kept apart from both, so that input enumeration, upstream of batch, never imports the batch package; the
rest of the folder's layout is ``sayso.batch.shards``'s own.
"""

#: File name ending of the shards of a batch output.
SHARD_SUFFIX = ".parquet"
#: The file that marks a folder as the output of ``sayso batch``.
BATCH_MANIFEST = "manifest.json"
