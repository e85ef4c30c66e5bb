"""The document stage: read a manuscript, parse it once into the typed model, transform it.

Nothing here writes an output; every writer in ``pipeline.formats`` and ``pipeline.audio``
reads the ``Document`` this stage returns.
"""
