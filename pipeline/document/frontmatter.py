"""YAML front matter: split it from the body and check it into ``Metadata``.

Handled here rather than by mdit-py-plugins' front-matter rule because pandoc
and YAML users close the block with ``...`` as often as ``---``, and because
each field's line is needed for diagnostics. The body keeps its line numbers:
the front matter lines are blanked, not removed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import yaml

from pipeline.diagnostics import Diagnostic, PipelineError, diagnostic
from pipeline.document import review, yamllimits
from pipeline.document.model import Author, CitationSettings, Metadata
from pipeline.words import has_table

_OPEN = re.compile(r"---[ \t]*\Z")
_CLOSE = re.compile(r"(---|\.\.\.)[ \t]*\Z")
#: BCP 47, loosely: a primary language subtag and optional subtags.
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")

#: Namespace for identifiers derived from metadata (so they never change).
_ID_NAMESPACE = "5b0d7a52-3f4e-4f63-9c57-2d3f1c0a9e61"

#: MARC relator codes accepted as author roles, with the words people write.
ROLES = {
    "author": "aut",
    "editor": "edt",
    "translator": "trl",
    "illustrator": "ill",
    "narrator": "nrt",
    "contributor": "ctb",
}


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The raw front matter of a source and where each field is."""

    fields: dict[str, object]
    """Parsed YAML mapping (empty when there is no front matter)."""
    lines: dict[str, int]
    """Source line of each top-level key."""
    body: str
    """The source with the front matter lines blanked (line numbers kept)."""
    end_line: int = 0
    """Line of the closing fence (0 when there is no front matter)."""
    diagnostics: tuple[Diagnostic, ...] = field(default=())


#: What no output can carry: C0 controls but tab and newline, DEL, C1 controls, lone
#: surrogates, U+FFFE and U+FFFF. The source reader blanks the raw ones; YAML's
#: double-quoted escapes (``"Bad\\x01Title"``, ``"\\ud800"``) make them after it.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: One escape of a YAML double-quoted scalar (an escaped backslash is consumed whole).
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_SHORT = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "v": "\v", "f": "\f", "N": "\x85"}


def _escaped(raw: str) -> list[tuple[int, str]]:
    """(offset, character) of each escape in a scalar's source text that YAML decodes to a
    forbidden character (a high and a low surrogate written one after the other are a pair)."""
    decoded: list[tuple[int, int, str]] = []
    for match in _ESCAPE.finditer(raw):
        hex_code = match.group(1) or match.group(2) or match.group(3)
        char = chr(int(hex_code, 16)) if hex_code else _SHORT.get(match.group(4), "")
        decoded.append((match.start(), match.end(), char))
    found = []
    for index, (start, end, char) in enumerate(decoded):
        after = decoded[index + 1] if index + 1 < len(decoded) else (-1, -1, "")
        before = decoded[index - 1] if index else (-1, -1, "")
        if _PAIR.fullmatch(char + after[2]) and after[0] == end:
            continue
        if _PAIR.fullmatch(before[2] + char) and before[1] == start:
            continue
        if char and _FORBIDDEN.match(char):
            found.append((start, char))
    return found


def _name(char: str) -> str:
    """What to call a forbidden character to an author."""
    if "\ud800" <= char <= "\udfff":
        return "lone surrogate"
    return "noncharacter" if char in "\ufffe\uffff" else "control character"


def _forbidden(node: yaml.Node, source: str, path: str) -> list[Diagnostic]:
    """A diagnostic for each forbidden character in the values (and keys) of a YAML tree.

    Each points at the escape that made it (line and column in the manuscript), or at the
    start of the value when the escape cannot be found.
    """
    found: list[Diagnostic] = []
    stack = [node]
    seen: set[int] = set()  # an alias repeats a node: its text is in the source once
    while stack and len(found) < 20:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack += [value, key]
        elif isinstance(current, yaml.SequenceNode):
            stack += reversed(current.value)
        elif isinstance(current, yaml.ScalarNode) and _FORBIDDEN.search(
            value := _paired(str(current.value))
        ):
            start = current.start_mark.index
            raw = source[start : current.end_mark.index]
            places = _escaped(raw) or [(0, _FORBIDDEN.findall(value)[0])]
            for offset, char in places:
                at = start + offset
                line = 2 + source.count("\n", 0, at)
                col = at - (source.rfind("\n", 0, at) + 1) + 1
                found.append(
                    diagnostic(
                        "F008",
                        f"{_name(char)} U+{ord(char):04X} in a front matter value"
                        " is replaced by a space",
                        path,
                        line,
                        col,
                    )
                )
    return found


def _paired(value: str) -> str:
    """Surrogate pairs joined: PyYAML decodes JSON's ``"\\ud83d\\ude00"`` as two halves."""
    return _PAIR.sub(
        lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), value
    )


def _blanked(value: object) -> object:
    """``value`` with surrogate pairs joined and every forbidden character left replaced by a
    space."""
    if isinstance(value, str):
        return _FORBIDDEN.sub(" ", _paired(value))
    if isinstance(value, list):
        return [_blanked(item) for item in value]
    if isinstance(value, dict):
        return {_blanked(k): _blanked(v) for k, v in value.items()}
    return value


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, but a value its tag cannot hold (``date: 2020-02-30``,
    ``!!int x``, ``0x_``) is a YAML error at the value, not a ``ValueError`` traceback."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            why = f": {exc}" if isinstance(exc, ValueError | OverflowError) else ""
            problem = f"{node.value!r} cannot be read as {node.tag.rpartition(':')[2]}{why}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


def split(text: str, path: str) -> FrontMatter:
    """Find and parse the YAML block that opens a manuscript, if any."""
    lines = text.split("\n")
    if not lines or not _OPEN.match(lines[0]):
        return FrontMatter({}, {}, text)
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        raise PipelineError(
            [
                diagnostic(
                    "F005",
                    "front matter opened with '---' is never closed with '---' or '...'",
                    path,
                    1,
                    1,
                )
            ]
        )
    source = "\n".join(lines[1:end])
    if too_much := yamllimits.check(source, path):  # before a tree is built: F030, F031
        raise PipelineError([too_much])
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.load(source, Loader=_Loader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = 2 + mark.line if mark else 1
        col = 1 + mark.column if mark else 1
        problem = exc.problem or exc.context or "malformed YAML"
        if "\t" in (lines[line - 1] if line - 1 < len(lines) else ""):
            problem += " (YAML does not allow tabs for indentation; use spaces)"
        raise PipelineError(
            [diagnostic("F001", f"front matter is not valid YAML: {problem}", path, line, col)]
        ) from None
    except yaml.YAMLError as exc:
        raise PipelineError(
            [diagnostic("F001", f"front matter is not valid YAML: {exc}", path, 2, 1)]
        ) from None
    body = "\n" * end + "\n" + "\n".join(lines[end + 1 :])
    if data is None:
        return FrontMatter({}, {}, body, end + 1)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise PipelineError(
            [diagnostic("F003", "front matter must be a mapping of 'field: value' lines", path, 2)]
        )
    key_lines = {
        str(key.value): 2 + key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    found = _forbidden(node, source, path)
    data = {k: _blanked(v) for k, v in data.items()}
    fields = {str(k): v for k, v in data.items()}
    return FrontMatter(fields, key_lines, body, end + 1, tuple(found))


def _kind(value: object) -> str:
    """How to name a YAML value's type to an author."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


class _Reader:
    """Reads typed fields from front matter, collecting diagnostics."""

    def __init__(self, matter: FrontMatter, path: str) -> None:
        self.matter = matter
        self.path = path
        self.diagnostics: list[Diagnostic] = list(matter.diagnostics)
        self.used: set[str] = set()

    def raw(self, *names: str) -> tuple[str, object] | None:
        for name in names:
            if name in self.matter.fields:
                self.used.update(names)
                return name, self.matter.fields[name]
        self.used.update(names)
        return None

    def wrong(self, name: str, value: object, expected: str) -> None:
        hint = f' (quote it: {name}: "{value}")' if isinstance(value, int | float) else ""
        self.diagnostics.append(
            diagnostic(
                "F003",
                f"'{name}' must be {expected}, not {_kind(value)}{hint}",
                self.path,
                self.matter.lines.get(name, 1),
            )
        )

    def text(self, *names: str) -> str:
        found = self.raw(*names)
        if found is None or found[1] is None:
            return ""
        name, value = found
        if isinstance(value, datetime.date) and name == "date":
            return value.isoformat()
        if isinstance(value, str):
            return " ".join(value.split())
        self.wrong(name, value, "text")
        return ""

    def texts(self, *names: str, split_commas: bool = False) -> tuple[str, ...]:
        found = self.raw(*names)
        if found is None or found[1] is None:
            return ()
        name, value = found
        if isinstance(value, str):
            parts = value.split(",") if split_commas else [value]
            return tuple(" ".join(p.split()) for p in parts if p.strip())
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(" ".join(v.split()) for v in value if v.strip())
        self.wrong(name, value, "text or a list of text")
        return ()

    def authors(self) -> tuple[Author, ...]:
        found = self.raw("author", "authors", "creator")
        if found is None or found[1] is None:
            return ()
        name, value = found
        items = value if isinstance(value, list) else [value]
        out: list[Author] = []
        for item in items:
            if isinstance(item, str) and item.strip():
                out.append(Author(" ".join(item.split())))
            elif isinstance(item, dict) and isinstance(item.get("name"), str):
                role_word = str(item.get("role", "author")).strip().lower()
                role = ROLES.get(role_word, role_word if len(role_word) == 3 else "")
                if not role:
                    self.wrong(f"{name}.role", role_word, "one of " + ", ".join(ROLES))
                    role = "aut"
                out.append(Author(" ".join(str(item["name"]).split()), role))
            else:
                self.wrong(name, item, "a name, a list of names, or 'name:'/'role:' entries")
        return tuple(out)

    def mapping(self, name: str) -> tuple[tuple[str, str], ...]:
        found = self.raw(name)
        if found is None or found[1] is None:
            return ()
        value = found[1]
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return tuple(sorted((k, v) for k, v in value.items()))
        self.wrong(name, value, "a mapping of 'written: spoken' text")
        return ()


#: The forms a publication date takes in EPUB's ``dc:date`` (W3C date-time, the date part).
_DATE = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?\Z"
)


def valid_date(value: str) -> bool:
    """Whether ``value`` is a real ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date (a W3C
    date-time with its zone is accepted too)."""
    found = _DATE.match(value)
    if found is None:
        return False
    year, month, day = (int(part) if part else 1 for part in found.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return year > 0


def _check_date(date: str, matter: FrontMatter, path: str) -> list[Diagnostic]:
    """F012 for a date the outputs cannot carry as a date (``15/03/2021``, ``2021-02-30``)."""
    if not date or valid_date(date):
        return []
    return [
        diagnostic(
            "F012",
            f"'date' {date!r} is not a date of the form YYYY-MM-DD (or YYYY-MM, or YYYY),"
            " e.g. 2021-03-15: it is shown as written but left out of the EPUB's metadata",
            path,
            matter.lines.get("date", 1),
        )
    ]


#: A key as ``nocite:`` lists it (``@smith20``, ``@{odd key}``, ``@*``).
_NOCITE_KEY = re.compile(r"@(?:\{(?P<braced>[^{}]+)\}|(?P<key>\*|\w[\w:.#$%&\-+?<>~/]*))")


def _citing(reader: _Reader, matter: FrontMatter) -> CitationSettings:
    """pandoc's citation fields: what ``pipeline.document.bibliography`` reads and formats."""
    files = reader.texts("bibliography")
    csl = reader.text("csl")
    nocite = reader.texts("nocite")
    keys = tuple(
        (m["braced"] or m["key"]).rstrip(".:,;?") or "*"
        for text in nocite
        for m in _NOCITE_KEY.finditer(text)
    )
    title = reader.text("reference-section-title")
    suppress = False
    found = reader.raw("suppress-bibliography")
    if found is not None and found[1] is not None:
        if isinstance(found[1], bool):
            suppress = found[1]
        else:
            reader.wrong(found[0], found[1], "true or false")
    for name in ("link-citations", "link-bibliography"):  # always linked both ways here
        reader.raw(name)
    return CitationSettings(
        bibliography=files,
        csl=csl,
        nocite=keys,
        title=title,
        suppress=suppress,
        line=matter.lines.get("bibliography", 0),
        csl_line=matter.lines.get("csl", 0),
        nocite_line=matter.lines.get("nocite", 0),
    )


def derived_identifier(title: str, authors: tuple[Author, ...]) -> str:
    """A stable ``urn:uuid`` from the title and authors (same metadata, same id)."""
    import uuid  # noqa: PLC0415 - only for sources without an identifier (1.8 ms at start-up)

    key = "\n".join([title, *(a.name for a in authors)])
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(_ID_NAMESPACE), key)}"


def read_metadata(
    matter: FrontMatter, path: str, fallback_title: str = ""
) -> tuple[Metadata, tuple[Diagnostic, ...]]:
    """Check the front matter fields and build ``Metadata``.

    ``fallback_title`` supplies a title from a lone top-level heading when the
    front matter has none. All diagnostics are returned; the caller stops on errors.
    """
    reader = _Reader(matter, path)
    title = reader.text("title")
    if not title:
        title = fallback_title
    if not title and not any(d.code == "F003" for d in reader.diagnostics):
        reader.diagnostics.append(
            diagnostic(
                "F002",
                "the document has no title: add 'title: ...' to the front matter",
                path,
                matter.lines.get("title", 1),
            )
        )
    lang = reader.text("lang", "language")
    if not lang:
        reader.diagnostics.append(
            diagnostic("F006", "no 'lang' in the front matter; assuming 'en'", path, 1)
        )
        lang = "en"
    elif not _LANG.match(lang):
        line = matter.lines.get("lang", matter.lines.get("language", 1))
        reader.diagnostics.append(
            diagnostic("F006", f"'{lang}' is not a BCP 47 language tag; assuming 'en'", path, line)
        )
        lang = "en"
    if not has_table(lang):
        line = matter.lines.get("lang", matter.lines.get("language", 1))
        reader.diagnostics.append(
            diagnostic(
                "F009",
                f"no word table for '{lang}': the narration's and the page's own words"
                " (contents, notes, figure, list...) will be English",
                path,
                line,
            )
        )
    authors = reader.authors()
    identifier = reader.text("identifier", "id", "isbn")
    if not identifier:
        identifier = derived_identifier(title, authors)
        reader.diagnostics.append(
            diagnostic(
                "F007",
                f"no 'identifier' in the front matter; using {identifier}",
                path,
                1,
            )
        )
    recorded = reader.raw("accessibility")
    accessibility, problems = review.read(
        recorded[1] if recorded else None, path, matter.lines.get("accessibility", 1)
    )
    reader.diagnostics += problems
    metadata = Metadata(
        title=title,
        lang=lang,
        identifier=identifier,
        subtitle=reader.text("subtitle"),
        authors=authors,
        publisher=reader.text("publisher"),
        description=reader.text("description", "abstract"),
        keywords=reader.texts("keywords", "subject", split_commas=True),
        date=(date := reader.text("date")),
        rights=reader.text("rights", "license"),
        source=reader.text("source"),
        pronunciations=reader.mapping("pronunciations"),
        citing=_citing(reader, matter),
        accessibility=accessibility,
    )
    reader.diagnostics.extend(_check_date(date, matter, path))
    for key in sorted(set(matter.fields) - reader.used, key=lambda k: matter.lines.get(k, 0)):
        reader.diagnostics.append(
            diagnostic("F004", f"front matter field '{key}' is not used", path, matter.lines[key])
        )
    return metadata, tuple(reader.diagnostics)
