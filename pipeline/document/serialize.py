"""The document model as plain JSON data: for golden tests and the ``model`` format.

Every node becomes an object with its class name under ``"type"``; fields left
at their default are omitted so the files stay readable and diffs small.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pipeline.diagnostics import Diagnostic
from pipeline.document.model import Document


def to_data(value: object) -> Any:
    """Convert a model value (dataclass, tuple, enum, str...) to JSON-ready data."""
    if isinstance(value, Diagnostic):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"type": type(value).__name__}
        for item in dataclasses.fields(value):
            current = getattr(value, item.name)
            if item.default is not dataclasses.MISSING and current == item.default:
                continue
            out[item.name] = to_data(current)
        return out
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    return value


def to_json(document: Document) -> str:
    """Deterministic, human-diffable JSON for a document (without its source folder)."""
    data = to_data(dataclasses.replace(document, source_dir=""))
    data["references"] = [entry["id"] for entry in to_data(document.references)]
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
