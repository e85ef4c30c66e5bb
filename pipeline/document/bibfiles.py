"""Bibliography and CSL style files: found beside the source, read, checked, made CSL JSON.

pandoc reads ``bibliography:`` files of CSL JSON (``.json``), CSL YAML (``.yaml``,
``.yml``) and BibTeX (``.bib``, ``.bibtex``); so does this module, into CSL JSON items
(the data a CSL processor formats). BibTeX is read by bibtexparser, which keeps every
entry's line and decodes LaTeX accents; its fields are mapped to CSL's variables here.

Like the lexicon and images (``pipeline.document.inputs``), a file is read only when it
is a regular file inside the source's folder; anything else is a diagnostic naming the
file and, for a file that cannot be parsed, the line.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from pipeline.diagnostics import Diagnostic, diagnostic
from pipeline.document import infile

#: Larger bibliography files are refused (a guard, not a limit: 20,000 entries are 10 MB).
MAX_BYTES = 32 * 1024 * 1024

CslItem = dict[str, Any]
"""One CSL JSON item (``{"id": ..., "type": ..., "author": [...], ...}``)."""

_BIBTEX_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "manual": "book",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "misc": "article",
    "dataset": "dataset",
    "software": "software",
    "collection": "book",
}
#: BibTeX/BibLaTeX fields copied to a CSL variable as text.
_BIBTEX_FIELDS = {
    "title": "title",
    "booktitle": "container-title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "volume": "volume",
    "pages": "page",
    "publisher": "publisher",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "edition": "edition",
    "series": "collection-title",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "note": "note",
    "chapter": "chapter-number",
    "howpublished": "medium",
    "type": "genre",
}
_THESIS_GENRES = {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master's thesis"}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


@dataclass
class Loaded:
    """What the ``bibliography:`` files hold, and what was wrong with them."""

    items: dict[str, CslItem] = field(default_factory=dict)
    """Items by key, in file order (the first of a repeated key wins)."""
    problems: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    """Every file looked for (what a rebuild depends on)."""
    where: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Each item's file (as shown) and line, for diagnostics about it."""


def shown_path(document_path: str, name: str) -> str:
    """A file named in the front matter as diagnostics show it: beside the source's path
    (an absolute path or a URL as written)."""
    if name.startswith("/") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", name):
        return name
    return str(Path(document_path).parent / name)


def locate(name: str, source_dir: str) -> tuple[Path | None, str]:
    """The file ``name`` (relative to the source's folder) if its name may be read, else None
    and why not; ``infile.read`` then refuses what is not a regular file inside the folder."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if not name.strip() or pure.is_absolute() or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", name):
        return None, "is not a relative path inside the source's folder"
    file = Path(source_dir).joinpath(*pure.parts)
    if not os.path.lexists(file):
        return None, "does not exist"
    return file, ""


def read_text(file: Path, shown: str, folder: Path) -> tuple[str | None, Diagnostic | None]:
    """A file's text (UTF-8, with or without a byte-order mark), or a diagnostic: only a
    regular file inside ``folder`` is read (not a FIFO, a device, a loop or a link out)."""
    data = infile.read(file, folder, MAX_BYTES)
    if isinstance(data, infile.Refused):
        return None, diagnostic("B001", f"bibliography file {data.message}", shown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, diagnostic("B002", "is not UTF-8; save it as UTF-8", shown, line)
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def load(names: Iterable[str], document_path: str, source_dir: str) -> Loaded:
    """Read every ``bibliography:`` file, in order."""
    loaded = Loaded()
    for name in names:
        shown = shown_path(document_path, name)
        if source_dir:
            loaded.files.append(Path(source_dir).joinpath(*PurePosixPath(name).parts))
        kind = Path(name).suffix.lower()
        if kind not in (".json", ".yaml", ".yml", ".bib", ".bibtex"):
            loaded.problems.append(
                diagnostic(
                    "B003",
                    f"bibliography '{name}' is not CSL JSON (.json), CSL YAML (.yaml, .yml) "
                    "or BibTeX (.bib)",
                    shown,
                )
            )
            continue
        file, why = locate(name, source_dir)
        if file is None:
            loaded.problems.append(diagnostic("B001", f"bibliography file {why}", shown))
            continue
        text, problem = read_text(file, shown, Path(source_dir))
        if text is None:
            loaded.problems.extend([problem] if problem else [])
            continue
        if kind == ".json":
            items, problems = _csl_json(text, shown)
        elif kind in (".yaml", ".yml"):
            items, problems = _csl_yaml(text, shown)
        else:
            items, problems = _bibtex(text, shown)
        loaded.problems.extend(problems)
        for line, item in items:
            key = item["id"]
            if key in loaded.items:
                message = f"key '{key}' is already defined; this entry is left out"
                loaded.problems.append(diagnostic("B005", message, shown, line))
                continue
            clean, dropped = normalised(item)
            if dropped:
                message = f"entry '{key}': {', '.join(dropped)} cannot be read; left out"
                loaded.problems.append(diagnostic("B005", message, shown, line))
            loaded.items[key] = clean
            loaded.where[key] = (shown, line)
    return loaded


# --------------------------------------------------------------------------- CSL data

#: CSL 1.0.2's item types; any other is read as ``article``.
CSL_TYPES = frozenset(
    [
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ]
)
_NAME_VARIABLES = frozenset(
    [
        "author",
        "chair",
        "collection-editor",
        "compiler",
        "composer",
        "container-author",
        "contributor",
        "curator",
        "director",
        "editor",
        "editorial-director",
        "executive-producer",
        "guest",
        "host",
        "illustrator",
        "interviewer",
        "narrator",
        "organizer",
        "original-author",
        "performer",
        "producer",
        "recipient",
        "reviewed-author",
        "script-writer",
        "series-creator",
        "translator",
    ]
)
_DATE_VARIABLES = frozenset(
    ["accessed", "available-date", "event-date", "issued", "original-date", "submitted"]
)
_NAME_PARTS = ("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix")


def normalised(item: CslItem) -> tuple[CslItem, list[str]]:
    """An item citeproc-py can format: names as mappings of text, dates as whole numbers,
    other variables as text; and the variables that could not be made so (left out)."""
    out: CslItem = {"id": item["id"]}
    dropped: list[str] = []
    kind = item.get("type")
    out["type"] = kind if isinstance(kind, str) and kind in CSL_TYPES else "article"
    for name, value in item.items():
        if name in ("id", "type"):
            continue
        if name in _NAME_VARIABLES:
            people = _people(value)
            if people is None:
                dropped.append(name)
            elif people:
                out[name] = people
        elif name in _DATE_VARIABLES:
            date = _checked_date(value)
            if date is None:
                dropped.append(name)
            else:
                out[name] = date
        elif isinstance(value, str):
            out[name] = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[name] = str(value)
        else:
            dropped.append(name)
    return out, dropped


def _people(value: object) -> list[dict[str, str]] | None:
    """Names as CSL wants them, or None when they are not names at all."""
    if not isinstance(value, list):
        return None
    people = []
    for name in value:
        if not isinstance(name, dict):
            return None
        person = {
            part: " ".join(str(name[part]).split())
            for part in _NAME_PARTS
            if isinstance(name.get(part), str | int) and str(name[part]).strip()
        }
        if "family" not in person and "literal" not in person:
            if "given" not in person:
                continue
            person = {"literal": person["given"]}
        people.append(person)
    return people


def _checked_date(value: object) -> dict[str, Any] | None:
    """A CSL date with whole-number parts in range (a month past 12 is dropped with its day),
    or a literal; None when neither can be made."""
    value = _date(value)
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("literal"), str):
        return {"literal": value["literal"]}
    ranges = value.get("date-parts")
    if not isinstance(ranges, list) or not ranges:
        return None
    out = []
    for parts in ranges[:2]:
        if not isinstance(parts, list):
            return None
        numbers = []
        for index, part in enumerate(parts[:3]):
            text = str(part).strip()
            if not re.fullmatch(r"-?\d{1,4}", text):
                break
            number = int(text)
            if (index == 1 and not 1 <= number <= 12) or (index == 2 and not 1 <= number <= 31):
                break
            numbers.append(number)
        if not numbers:
            return None
        out.append(numbers)
    return {"date-parts": out}


# --------------------------------------------------------------------------- CSL JSON, YAML


def _checked(
    data: object, shown: str, lines: list[int]
) -> tuple[list[tuple[int, CslItem]], list[Diagnostic]]:
    """CSL items of a parsed file: a list of mappings each with an ``id`` (or pandoc's
    ``references:`` mapping holding that list)."""
    if isinstance(data, dict) and isinstance(data.get("references"), list):
        data = data["references"]
    if not isinstance(data, list):
        return [], [diagnostic("B002", "is not a list of CSL entries", shown, 1)]
    items: list[tuple[int, CslItem]] = []
    problems: list[Diagnostic] = []
    for index, entry in enumerate(data):
        line = lines[index] if index < len(lines) else 1
        key = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(key, int | float) and not isinstance(key, bool):
            key = str(key)
        if not isinstance(entry, dict) or not isinstance(key, str) or not key.strip():
            message = f"entry {index + 1} has no 'id'; it is left out"
            problems.append(diagnostic("B005", message, shown, line))
            continue
        item = {str(k): _plain(v) for k, v in entry.items()}
        item["id"] = key.strip()
        item.setdefault("type", "article")
        for name in ("issued", "accessed", "original-date", "event-date"):
            if name in item:
                item[name] = _date(item[name])
        items.append((line, item))
    return items, problems


def _plain(value: object) -> Any:
    """YAML values as JSON's: dates become ISO text, numbers stay numbers."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _date(value: object) -> object:
    """A date in any form pandoc's CSL YAML allows, as CSL JSON's ``date-parts``."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[0]
    if isinstance(value, dict):
        if "date-parts" in value or "literal" in value or "raw" in value:
            return value
        parts = [value.get(k) for k in ("year", "month", "day")]
        numbers = [int(p) for p in parts if isinstance(p, int | str) and str(p).isdigit()]
        return {"date-parts": [numbers]} if numbers else value
    if isinstance(value, int):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        found = re.fullmatch(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value.strip())
        if found:
            return {"date-parts": [[int(p) for p in found.groups() if p]]}
        return {"literal": value}
    return value


def _csl_json(text: str, shown: str) -> tuple[list[tuple[int, CslItem]], list[Diagnostic]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON: {exc.msg}"
        return [], [diagnostic("B002", message, shown, exc.lineno, exc.colno)]
    return _checked(data, shown, _item_lines(text))


def _item_lines(text: str) -> list[int]:
    """The line of each top-level item of a JSON array (depth-1 opening braces)."""
    depth, line, in_string, escaped = 0, 1, False, False
    lines: list[int] = []
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            if char == "{" and depth == 1:
                lines.append(line)
            depth += 1
        elif char in "]}":
            depth -= 1
    return lines


def _csl_yaml(text: str, shown: str) -> tuple[list[tuple[int, CslItem]], list[Diagnostic]]:
    # pandoc's CSL YAML is often a Markdown file's front matter: ``---``, ``references:``
    body = re.sub(r"\A---[ \t]*\n", "\n", text)
    body = re.sub(r"\n(?:---|\.\.\.)[ \t]*\n?\Z", "\n", body)
    try:
        node = yaml.compose(body, Loader=yaml.SafeLoader)
        data = yaml.safe_load(body)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [], [diagnostic("B002", f"is not valid YAML: {problem}", shown, line, col)]
    except yaml.YAMLError as exc:
        return [], [diagnostic("B002", f"is not valid YAML: {exc}", shown)]
    if isinstance(node, yaml.MappingNode):
        node = next((v for k, v in node.value if getattr(k, "value", "") == "references"), node)
    lines = (
        [1 + item.start_mark.line for item in node.value]
        if isinstance(node, yaml.SequenceNode)
        else []
    )
    return _checked(data, shown, lines)


# --------------------------------------------------------------------------- BibTeX


def _latex(text: str) -> str:
    """LaTeX accents, dashes and braces made plain text (``M{\\"u}ller`` -> ``Müller``)."""
    if not re.search(r"[\\{}$~-]", text):
        return text
    return " ".join(_latex_reader().latex_to_text(text).split())


@functools.cache
def _latex_reader() -> Any:
    """pylatexenc's converter, made once: making one builds its macro tables (10 ms)."""
    from pylatexenc.latex2text import LatexNodes2Text  # noqa: PLC0415 - BibTeX only

    return LatexNodes2Text(math_mode="verbatim")


def _names(value: object) -> list[dict[str, str]]:
    """bibtexparser's split names as CSL names (a braced name is an organisation's)."""
    out: list[dict[str, str]] = []
    for name in value if isinstance(value, list) else []:
        last = " ".join(getattr(name, "last", []))
        first = " ".join(getattr(name, "first", []))
        von = " ".join(getattr(name, "von", []))
        jr = " ".join(getattr(name, "jr", []))
        if not first and not von and last.startswith("{") and last.endswith("}"):
            out.append({"literal": _latex(last)})
            continue
        person = {"family": _latex(last)}
        if first:
            person["given"] = _latex(first)
        if von:
            person["non-dropping-particle"] = _latex(von)
        if jr:
            person["suffix"] = _latex(jr)
        out.append(person)
    return out


def _bibtex(text: str, shown: str) -> tuple[list[tuple[int, CslItem]], list[Diagnostic]]:
    # only manuscripts with a .bib pay for these imports
    from bibtexparser import middlewares  # noqa: PLC0415
    from bibtexparser.entrypoint import parse_string  # noqa: PLC0415
    from bibtexparser.model import DuplicateBlockKeyBlock  # noqa: PLC0415

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its errors are ours
    library = parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    problems: list[Diagnostic] = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            message = f"key '{block.key}' is already defined; this entry is left out"
            problems.append(diagnostic("B005", message, shown, line))
        else:
            first = (block.raw or "").strip().split("\n", maxsplit=1)[0][:60]
            message = f"BibTeX entry '{first}' cannot be parsed (a brace, quote or comma missing?)"
            problems.append(diagnostic("B002", message, shown, line))
    items: list[tuple[int, CslItem]] = []
    for entry in library.entries:
        kind = entry.entry_type.lower()
        item: CslItem = {"id": entry.key, "type": _BIBTEX_TYPES.get(kind, "article")}
        fields = {f.key.lower(): f.value for f in entry.fields}
        for name in ("author", "editor", "translator"):
            if name in fields:
                item[name] = _names(fields[name])
        for name, variable in _BIBTEX_FIELDS.items():
            value = fields.get(name)
            if isinstance(value, str) and value.strip() and variable not in item:
                item[variable] = _latex(value)
        if kind in _THESIS_GENRES and "genre" not in item:
            item["genre"] = _THESIS_GENRES[kind]
        if isinstance(number := fields.get("number"), str) and number.strip():
            item["issue" if item["type"] == "article-journal" else "number"] = _latex(number)
        issued = _bibtex_date(fields)
        if issued is not None:
            item["issued"] = issued
        items.append(((entry.start_line or 0) + 1, item))
    return items, problems


def _bibtex_date(fields: dict[str, Any]) -> dict[str, Any] | None:
    """``date = {2020-03-04}`` (BibLaTeX) or ``year`` and ``month`` as CSL date parts."""
    date = fields.get("date")
    if isinstance(date, str) and date.strip():
        parsed = _date(date.strip())
        if isinstance(parsed, dict):
            return parsed
    year = str(fields.get("year", "")).strip()
    if not year:
        return None
    if not year.isdigit():
        return {"literal": _latex(year)}
    parts = [int(year)]
    month = str(fields.get("month", "")).strip().lower().rstrip(".")
    if month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    elif month[:3] in _MONTHS or month in _MONTHS:
        parts.append(_MONTHS.get(month, _MONTHS.get(month[:3], 0)))
    return {"date-parts": [parts]}
