"""An accessible multi-format publication pipeline: one Markdown source, many outputs.

Imports stay lazy: ``publish`` starts fast and loads a stage only when used.
"""

__version__ = "0.1.0"
