"""The EPUB container: package document, navigation, NCX and the zip itself.

Written directly rather than through ebooklib: every byte here must be
reproducible (ebooklib stamps zip entries with the current time and invents a
random identifier), ``<package>`` needs ``xml:lang`` (ebooklib has no option
for it) and the accessibility metadata is first-class, not patched in. The
markup is built from strings escaped by ``pipeline.markup`` in a fixed order, so the same book gives
the same bytes.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from pipeline import markup, outputs
from pipeline.document.model import Metadata
from pipeline.epoch import w3c_datetime, zip_datetime
from pipeline.formats.a11y_metadata import AccessibilityMetadata
from pipeline.words import marked

#: Where the publication's files live inside the zip.
OPS = "EPUB"
XHTML = "application/xhtml+xml"

#: W3C date-time forms ``dc:date`` accepts (2024, 2024-05, 2024-05-01, with a time).
_W3CDTF = re.compile(
    r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?\Z"
)

#: Relator codes that make a primary creator; other roles are contributors.
PRIMARY_ROLES = frozenset({"aut", "cre", "edt", "com", "ill", "pht", "art"})


@dataclass(frozen=True, slots=True)
class Resource:
    """One file of the publication, in manifest (and zip) order."""

    href: str
    """Path relative to the package document, not percent-encoded."""
    media_type: str
    data: bytes | Path
    """The bytes, or a file streamed into the zip (a book's narration can be hundreds of MB)."""
    id: str
    properties: tuple[str, ...] = ()
    in_spine: bool = False
    media_overlay: str = ""
    """Manifest id of this content document's SMIL media overlay, if narrated."""


@dataclass(frozen=True, slots=True)
class MediaOverlayMetadata:
    """The package metadata of a book with media overlays (EPUB 3 Media Overlays)."""

    durations: tuple[tuple[str, str], ...]
    """(manifest id of an overlay, its ``media:duration`` clock value)."""
    total: str
    narrator: str
    active_class: str


@dataclass(frozen=True, slots=True)
class NavPoint:
    """An entry of the table of contents."""

    label: str
    href: str
    children: tuple[NavPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Landmark:
    """A landmark: a structural part a reading system can jump to."""

    epub_type: str
    label: str
    href: str


def url(href: str) -> str:
    """A relative path as a URL (spaces and non-ASCII percent-encoded)."""
    return quote(href, safe="/#-._~")


def xhtml_document(
    *,
    lang: str,
    title: str,
    body: str,
    css_href: str,
    body_attrs: str = "",
    head_extra: str = "",
) -> bytes:
    """A polyglot XHTML content document with the book's language on ``<html>``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!DOCTYPE html>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' xml:lang="{markup.attr(lang)}" lang="{markup.attr(lang)}">\n'
        "<head>\n"
        '<meta charset="UTF-8"/>\n'
        f"<title>{markup.text(title)}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="{markup.attr(url(css_href))}"/>\n'
        f"{head_extra}"
        "</head>\n"
        f"<body{body_attrs}>\n{body}\n</body>\n"
        "</html>\n"
    ).encode()


def _toc_list(points: tuple[NavPoint, ...], indent: str = "") -> str:
    lines = [f"{indent}<ol>"]
    for point in points:
        link = f'<a href="{markup.attr(url(point.href))}">{markup.text(point.label)}</a>'
        if point.children:
            lines.append(f"{indent}  <li>{link}")
            lines.append(_toc_list(point.children, indent + "    "))
            lines.append(f"{indent}  </li>")
        else:
            lines.append(f"{indent}  <li>{link}</li>")
    lines.append(f"{indent}</ol>")
    return "\n".join(lines)


def nav_document(
    *,
    lang: str,
    word_lang: str,
    title: str,
    toc_heading: str,
    landmarks_heading: str,
    toc: tuple[NavPoint, ...],
    landmarks: tuple[Landmark, ...],
    css_href: str,
    page_list: tuple[tuple[str, str], ...] = (),
    page_list_heading: str = "",
) -> bytes:
    """The EPUB 3 navigation document: a visible table of contents, hidden landmarks
    and, for a book with the print edition's page breaks, a hidden page list.

    ``word_lang`` is the attribute text marking the headings' language when they
    fell back to English (section titles stay in the book's language).
    """
    items = "\n".join(
        f'    <li><a epub:type="{markup.attr(m.epub_type)}" href="{markup.attr(url(m.href))}">'
        f"{markup.text(m.label)}</a></li>"
        for m in landmarks
    )
    body = (
        f'<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-heading">\n'
        f'  <h1 id="toc-heading"{word_lang}>{markup.text(toc_heading)}</h1>\n'
        f"{_toc_list(toc, '  ')}\n"
        "</nav>\n"
        f'<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-heading"'
        ' hidden="hidden">\n'
        f'  <h2 id="landmarks-heading"{word_lang}>{markup.text(landmarks_heading)}</h2>\n'
        "  <ol>\n"
        f"{items}\n"
        "  </ol>\n"
        "</nav>"
    )
    if page_list:
        pages = "\n".join(
            f'    <li><a href="{markup.attr(url(href))}">{markup.text(label)}</a></li>'
            for label, href in page_list
        )
        body += (
            '\n<nav epub:type="page-list" id="page-list" aria-labelledby="page-list-heading"'
            ' hidden="hidden">\n'
            f'  <h2 id="page-list-heading"{word_lang}>{markup.text(page_list_heading)}</h2>\n'
            f"  <ol>\n{pages}\n  </ol>\n</nav>"
        )
    return xhtml_document(
        lang=lang, title=title, body=body, css_href=css_href, body_attrs=' class="nav"'
    )


def _nav_points(points: tuple[NavPoint, ...], counter: Iterator[int], indent: str) -> str:
    out = []
    for point in points:
        n = next(counter)
        out.append(f'{indent}<navPoint id="navpoint-{n}" playOrder="{n}">')
        out.append(f"{indent}  <navLabel><text>{markup.text(point.label)}</text></navLabel>")
        out.append(f'{indent}  <content src="{markup.attr(url(point.href))}"/>')
        if point.children:
            out.append(_nav_points(point.children, counter, indent + "  "))
        out.append(f"{indent}</navPoint>")
    return "\n".join(out)


def _depth(points: tuple[NavPoint, ...]) -> int:
    return 1 + max((_depth(p.children) for p in points), default=0) if points else 0


def ncx_document(*, identifier: str, title: str, lang: str, toc: tuple[NavPoint, ...]) -> bytes:
    """The EPUB 2 NCX, for reading systems that predate the navigation document."""
    counter = iter(range(1, 1_000_000))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"'
        f' xml:lang="{markup.attr(lang)}">\n'
        "<head>\n"
        f'  <meta name="dtb:uid" content="{markup.attr(identifier)}"/>\n'
        f'  <meta name="dtb:depth" content="{_depth(toc)}"/>\n'
        '  <meta name="dtb:totalPageCount" content="0"/>\n'
        '  <meta name="dtb:maxPageNumber" content="0"/>\n'
        "</head>\n"
        f"<docTitle><text>{markup.text(title)}</text></docTitle>\n"
        "<navMap>\n"
        f"{_nav_points(toc, counter, '  ')}\n"
        "</navMap>\n"
        "</ncx>\n"
    ).encode()


def _meta(prop: str, value: str, refines: str = "", scheme: str = "", lang: str = "") -> str:
    attrs = f' refines="#{markup.attr(refines)}"' if refines else ""
    attrs += f' scheme="{markup.attr(scheme)}"' if scheme else ""
    attrs += f' xml:lang="{markup.attr(lang)}"' if lang else ""
    return f'    <meta{attrs} property="{markup.attr(prop)}">{markup.text(value)}</meta>'


def _claims(a11y: AccessibilityMetadata) -> list[str]:
    """The conformance claim and its certifier (only from a recorded review), the exemption."""
    lines = []
    if a11y.conforms_to:
        lines.append(_meta("dcterms:conformsTo", a11y.conforms_to))
    if a11y.conforms_to and a11y.certified_by:
        lines.append(
            f'    <meta id="certifier" property="a11y:certifiedBy">'
            f"{markup.text(a11y.certified_by)}</meta>"
        )
        if a11y.credential:
            lines.append(_meta("a11y:certifierCredential", a11y.credential, "certifier"))
        if a11y.review_date:
            lines.append(_meta("dcterms:date", a11y.review_date, "certifier"))
        if a11y.report:
            lines.append(
                f'    <link rel="a11y:certifierReport" refines="#certifier"'
                f' href="{markup.attr(a11y.report)}"/>'
            )
    if a11y.exemption:
        lines.append(_meta("a11y:exemption", a11y.exemption))
    return lines


def package_document(
    *,
    metadata: Metadata,
    a11y: AccessibilityMetadata,
    resources: Iterable[Resource],
    modified_epoch: int,
    cover_image_id: str,
    media: MediaOverlayMetadata | None = None,
) -> bytes:
    """The package document (OPF): metadata, manifest and spine."""
    resources = tuple(resources)
    lines = [
        f'    <dc:identifier id="pub-id">{markup.text(metadata.identifier)}</dc:identifier>',
        f'    <dc:title id="title">{markup.text(metadata.title)}</dc:title>',
        _meta("title-type", "main", "title"),
    ]
    if metadata.subtitle:
        lines += [
            f'    <dc:title id="subtitle">{markup.text(metadata.subtitle)}</dc:title>',
            _meta("title-type", "subtitle", "subtitle"),
        ]
    for n, author in enumerate(metadata.authors, start=1):
        element = "creator" if author.role in PRIMARY_ROLES else "contributor"
        lines += [
            f'    <dc:{element} id="creator-{n}">{markup.text(author.name)}</dc:{element}>',
            _meta("role", author.role, f"creator-{n}", "marc:relators"),
            _meta("display-seq", str(n), f"creator-{n}"),
        ]
    lines.append(f"    <dc:language>{markup.text(metadata.lang)}</dc:language>")
    if metadata.publisher:
        lines.append(f"    <dc:publisher>{markup.text(metadata.publisher)}</dc:publisher>")
    if metadata.description:
        lines.append(f"    <dc:description>{markup.text(metadata.description)}</dc:description>")
    lines += [f"    <dc:subject>{markup.text(k)}</dc:subject>" for k in metadata.keywords]
    if _W3CDTF.match(metadata.date):  # "May 2024" would be invalid: leave it out
        lines.append(f"    <dc:date>{markup.text(metadata.date)}</dc:date>")
    if metadata.rights:
        lines.append(f"    <dc:rights>{markup.text(metadata.rights)}</dc:rights>")
    if metadata.source:
        lines.append(f"    <dc:source>{markup.text(metadata.source)}</dc:source>")
    lines.append(_meta("dcterms:modified", w3c_datetime(modified_epoch)))
    lines += [_meta("schema:accessMode", m) for m in a11y.access_modes]
    lines += [_meta("schema:accessModeSufficient", m) for m in a11y.access_mode_sufficient]
    lines += [_meta("schema:accessibilityFeature", f) for f in a11y.features]
    lines += [_meta("schema:accessibilityHazard", h) for h in a11y.hazards]
    # The summary is in the book's language, or in English (and marked so) when it has no table.
    lines.append(_meta("schema:accessibilitySummary", a11y.summary, lang=marked(metadata.lang)))
    lines += _claims(a11y)
    if a11y.page_break_source:
        # EPUB 3.3's default vocabulary (no prefix): EPUBCheck rejects "a11y:pageBreakSource".
        lines.append(_meta("pageBreakSource", a11y.page_break_source))
    if media is not None:
        lines += [_meta("media:duration", value, ident) for ident, value in media.durations]
        lines.append(_meta("media:duration", media.total))
        lines.append(_meta("media:narrator", media.narrator))
        lines.append(_meta("media:active-class", media.active_class))
    lines.append(f'    <meta name="cover" content="{markup.attr(cover_image_id)}"/>')

    manifest = []
    for item in resources:
        props = f' properties="{" ".join(item.properties)}"' if item.properties else ""
        overlay = (
            f' media-overlay="{markup.attr(item.media_overlay)}"' if item.media_overlay else ""
        )
        manifest.append(
            f'    <item id="{markup.attr(item.id)}" href="{markup.attr(url(item.href))}"'
            f' media-type="{markup.attr(item.media_type)}"{props}{overlay}/>'
        )
    ncx = next(r.id for r in resources if r.media_type == "application/x-dtbncx+xml")
    spine = [f'    <itemref idref="{markup.attr(r.id)}"/>' for r in resources if r.in_spine]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"'
        f' unique-identifier="pub-id" xml:lang="{markup.attr(metadata.lang)}">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(lines)
        + "\n  </metadata>\n  <manifest>\n"
        + "\n".join(manifest)
        + f'\n  </manifest>\n  <spine toc="{markup.attr(ncx)}">\n'
        + "\n".join(spine)
        + "\n  </spine>\n</package>\n"
    ).encode("utf-8")


CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">\n'
    "  <rootfiles>\n"
    f'    <rootfile full-path="{OPS}/package.opf" media-type="application/oebps-package+xml"/>\n'
    "  </rootfiles>\n"
    "</container>\n"
).encode()


def write_zip(target: BinaryIO, package: bytes, resources: Iterable[Resource], epoch: int) -> None:
    """Write the OCF zip: ``mimetype`` first and stored, then fixed order and timestamps.

    ``target`` must be seekable (each entry's header is completed after its data).
    """
    stamp = zip_datetime(epoch)
    with zipfile.ZipFile(target, "w") as archive:

        def add(name: str, data: bytes | Path, method: int) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            info.create_system = 3  # Unix, whatever OS builds it
            info.external_attr = 0o100644 << 16
            if isinstance(data, bytes):
                archive.writestr(info, data, compresslevel=9 if method else None)
                return
            data = outputs.current(data)  # the audio of this build, not yet in place
            info.file_size = data.stat().st_size  # so zip64 is used when it must be
            with data.open("rb") as source, archive.open(info, "w") as entry:
                shutil.copyfileobj(source, entry, 1 << 20)

        add("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        add("META-INF/container.xml", CONTAINER, zipfile.ZIP_DEFLATED)
        add(f"{OPS}/package.opf", package, zipfile.ZIP_DEFLATED)
        for item in resources:
            # Images and audio are compressed already: deflating them again gains nothing.
            stored = item.media_type.startswith(("image/", "audio/"))
            stored = stored and item.media_type != "image/svg+xml"
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            add(f"{OPS}/{item.href}", item.data, method)
