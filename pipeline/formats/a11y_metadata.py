"""Accessibility metadata computed from what the book contains.

Ace by DAISY and reading systems show these claims to readers deciding
whether a book works for them, so each one is derived from the document
model rather than copied as boilerplate: ``visual`` only when there are
images, ``alternativeText`` only when every image has a description, and a
summary that counts what is actually there, in the book's language (the
sentences are in the word catalogue, ``pipeline.words``). A conformance claim
and its certifier are the one thing not computed: they come only from a review
a person recorded in the front matter (``pipeline.document.review``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document.model import (
    Citation,
    CodeBlock,
    Document,
    Figure,
    Image,
    Math,
    MathBlock,
    PageBreak,
    ReferenceList,
    Table,
    per_document,
    walk_blocks,
    walk_inlines,
    walk_sections,
)
from pipeline.document.review import Review
from pipeline.formats import rich
from pipeline.words import SummaryWords, words_for


@dataclass(frozen=True, slots=True)
class Inventory:
    """What the book holds that matters to accessibility claims."""

    headings: int
    images: int
    """Informative images (not marked decorative), the cover excluded."""
    images_described: int
    """Informative images with alt text."""
    tables: int
    tables_with_headers: int
    code_blocks: int
    footnotes: int
    citations: int
    """Citations linked to at least one reference entry."""
    references: int
    formulas: int
    """Formulas, displayed or in the text."""
    long_descriptions: int
    """Figures with an extended description."""
    page_breaks: int


@dataclass(frozen=True, slots=True)
class AccessibilityMetadata:
    """The schema.org / EPUB Accessibility 1.1 properties of one book."""

    access_modes: tuple[str, ...]
    access_mode_sufficient: tuple[str, ...]
    """Each entry is one sufficient set, e.g. ``"textual"`` or ``"textual,visual"``."""
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms_to: str = ""
    """``EPUB Accessibility 1.1 - WCAG 2.2 Level AA``, only from a review a person recorded
    (``pipeline.document.review``); empty otherwise: no tool can prove conformance."""
    certified_by: str = ""
    """Who reviewed the book; only with a claim."""
    credential: str = ""
    review_date: str = ""
    """When the review was done (``YYYY-MM-DD``); only with a claim."""
    report: str = ""
    """URL of the review's report or the publisher's accessibility page."""
    contact: str = ""
    """Where to report an accessibility problem (e-mail address or URL)."""
    exemption: str = ""
    """An EAA exemption (``a11y:exemption``), when declared."""
    page_break_source: str = ""
    """The print edition the page breaks come from (``pageBreakSource``), or ""."""


@per_document
def inventory(document: Document) -> Inventory:
    """Count headings, images, tables, notes, citations, formulas and page breaks in
    ``document``, in one walk over its blocks and one over its inlines (a walk of a
    document with 100,000 notes costs about half a second)."""
    tables = tables_with_headers = code_blocks = references = formulas = long_descriptions = 0
    for block in walk_blocks(document):
        if isinstance(block, Table):
            tables += 1
            tables_with_headers += bool(block.head)
        elif isinstance(block, CodeBlock):
            code_blocks += 1
        elif isinstance(block, ReferenceList):
            references += len(block.entries)
        elif isinstance(block, MathBlock):
            formulas += 1
        elif isinstance(block, Figure) and block.description:
            long_descriptions += 1
    images = images_described = citations = page_breaks = 0
    for node in walk_inlines(document):
        if isinstance(node, Image):
            if not node.decorative:
                images += 1
                images_described += bool(node.alt.strip())
        elif isinstance(node, Citation):
            citations += any(item.reference_id for item in node.items)
        elif isinstance(node, Math):
            formulas += 1
        elif isinstance(node, PageBreak):
            page_breaks += 1
    return Inventory(
        headings=sum(1 for s in walk_sections(document.sections) if not s.implicit),
        images=images,
        images_described=images_described,
        tables=tables,
        tables_with_headers=tables_with_headers,
        code_blocks=code_blocks,
        footnotes=len(document.footnotes),
        citations=citations,
        references=references,
        formulas=formulas,
        long_descriptions=long_descriptions,
        page_breaks=page_breaks,
    )


def _summary(
    found: Inventory,
    features: tuple[str, ...],
    textual_sufficient: bool,
    narrated: bool,
    words: SummaryWords,
    *,
    wcag: str = "",
    level: str = "",
) -> str:
    count = words.count
    sentences = [words.conformance.format(wcag=wcag, level=level) if wcag else words.no_claim]
    if "structuralNavigation" in features:
        sentences.append(words.navigation.format(headings=count(found.headings, words.heading)))
    else:
        sentences.append(words.contents_only)
    if found.images:
        described = (
            words.all_described
            if found.images == found.images_described
            else words.some_described.format(n=found.images_described)
        )
        images = count(found.images, words.image)
        sentences.append(words.images.format(images=images, described=described))
    else:
        sentences.append(words.no_images)
    extras = []
    if found.tables:
        headers = words.with_headers if found.tables_with_headers == found.tables else ""
        extras.append(count(found.tables, words.table) + headers)
    if found.code_blocks:
        extras.append(count(found.code_blocks, words.code_listing))
    if found.footnotes:
        extras.append(words.notes_linked.format(notes=count(found.footnotes, words.note)))
    if found.citations:
        extras.append(
            words.citations_linked.format(
                citations=count(found.citations, words.citation),
                references=count(found.references, words.reference),
            )
        )
    if extras:
        sentences.append(words.has.format(extras=", ".join(extras)))
    if narrated:
        sentences += [words.narrated, words.display, words.no_hazards_narrated]
    else:
        sentences += [words.display, words.no_hazards]
    if not textual_sufficient:
        sentences.append(words.must_see)
    return " ".join(sentences)


def compute(document: Document, *, narrated: bool = False) -> AccessibilityMetadata:
    """Accessibility metadata for ``document`` (see the module docstring).

    ``narrated``: the book carries the narration of the whole text in media
    overlays, so hearing it is a sufficient way in, alone or with the text.
    """
    found = inventory(document)
    access_modes: tuple[str, ...] = ("textual", "visual") if found.images else ("textual",)
    if narrated:
        access_modes += ("auditory",)
    textual_sufficient = found.images == found.images_described
    sufficient: tuple[str, ...]
    if not found.images:
        sufficient = ("textual",)
    elif textual_sufficient:
        sufficient = ("textual", "textual,visual")
    else:
        sufficient = ("textual,visual",)
    if narrated and textual_sufficient:  # the narration reads every image's description
        sufficient += ("auditory", "textual,auditory")
    features = ["tableOfContents", "readingOrder", "displayTransformability"]
    if found.headings:
        features.insert(0, "structuralNavigation")
    if found.images and textual_sufficient:
        features.append("alternativeText")
    features.extend(rich.features(found.formulas, found.long_descriptions))
    if narrated:
        features.append("synchronizedAudioText")
    paged = found.page_breaks > 0
    if paged:
        features += ["pageBreakMarkers", "pageNavigation"]
    features.append("unlocked")
    review = document.metadata.accessibility or Review()
    return AccessibilityMetadata(
        access_modes=access_modes,
        access_mode_sufficient=sufficient,
        features=tuple(features),
        hazards=("none",),
        summary=_summary(
            found,
            tuple(features),
            textual_sufficient,
            narrated,
            words_for(document.metadata.lang).summary,
            wcag=review.wcag,
            level=review.level,
        ),
        conforms_to=review.conforms_to,
        certified_by=review.certified_by,
        # the credential, date and report are the certifier's: without one they have no place
        credential=review.credential if review.certified_by else "",
        review_date=review.date if review.certified_by else "",
        report=review.report if review.certified_by else "",
        contact=review.contact,
        exemption=review.exemption,
        page_break_source=document.metadata.source if paged else "",
    )
