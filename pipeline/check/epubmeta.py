"""The accessibility metadata an EPUB declares, read from its package document.

EPUBCheck and Ace say whether the book is valid and accessible; this says
what the book *claims* (access modes, features, hazards, the summary, the
conformance statement and who certified it), which is what a publisher hands
on to a distributor. Only the claim itself is judged here: a book without a
conformance statement gets a note (no tool can prove conformance: a claim is a
person's statement after a review, see ``pipeline.document.review``), a claim
without a certifier a warning (Ace already fails missing discovery metadata,
so that is not counted twice).
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pipeline.check.findings import Finding
from pipeline.diagnostics import Severity

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Properties reported, in the order a reader of the report expects them.
PROPERTIES = (
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
    "dcterms:conformsTo",
    "a11y:certifiedBy",
    "a11y:certifierCredential",
    "a11y:certifierReport",
    "a11y:exemption",
    "dcterms:date",
)
#: Properties that may refine the certifier (``dcterms:date`` only there: the review's date).
_REFINING = frozenset({"a11y:certifierCredential", "a11y:certifierReport", "dcterms:date"})


@dataclass(frozen=True, slots=True)
class EpubMetadata:
    """What the package document declares."""

    package: str
    """Path of the package document inside the EPUB."""
    language: tuple[str, ...]
    """``dc:language`` values (empty when the book has none)."""
    package_lang: str
    """``xml:lang`` on ``<package>``."""
    claims: dict[str, list[str]]
    """Accessibility properties (``PROPERTIES``) and their values, in document order."""
    findings: tuple[Finding, ...]


def _kept(prop: str, refines: str | None, certifiers: set[str]) -> bool:
    """Whether a property is a claim about the book: unrefined (``dcterms:date`` only when it
    refines the certifier, as the review's date), or refining the certifier."""
    if not refines:
        return prop != "dcterms:date"
    return prop in _REFINING and refines in certifiers


def read(name: str, path: Path) -> EpubMetadata:
    """Read the package metadata of the EPUB at ``path`` (reported as ``name``), with
    entity declarations and external references refused. A package that cannot be
    read is one ``EPUB-META-UNREADABLE`` warning (EPUBCheck says what is wrong)."""
    package = ""
    try:
        with zipfile.ZipFile(path) as book:
            container = fromstring(book.read("META-INF/container.xml"))
            rootfile = container.find(f".//{CONTAINER}rootfile")
            package = rootfile.get("full-path", "") if rootfile is not None else ""
            root = fromstring(book.read(posixpath.normpath(package or "-")))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ParseError, DefusedXmlException):
        unread = Finding(
            name,
            "metadata",
            "EPUB-META-UNREADABLE",
            Severity.WARNING,
            "the package document cannot be read, so its accessibility metadata is unknown",
            package,
        )
        return EpubMetadata(package, (), "", {key: [] for key in PROPERTIES}, (unread,))
    metadata = root.find(f"{OPF}metadata")
    claims: dict[str, list[str]] = {key: [] for key in PROPERTIES}
    languages: list[str] = []
    if metadata is not None:
        languages = [(e.text or "").strip() for e in metadata.iter(f"{DC}language")]
        certifiers = {
            "#" + str(meta.get("id"))
            for meta in metadata.iter(f"{OPF}meta")
            if meta.get("property") == "a11y:certifiedBy" and meta.get("id")
        }
        for meta in metadata.iter(f"{OPF}meta"):
            prop = meta.get("property", "")
            if prop in claims and _kept(prop, meta.get("refines"), certifiers):
                claims[prop].append(" ".join((meta.text or "").split()))
        for link in metadata.iter(f"{OPF}link"):
            rel = str(link.get("rel"))
            if rel in claims and _kept(rel, link.get("refines"), certifiers):
                claims[rel].append(link.get("href", ""))
    findings = []
    if not claims["dcterms:conformsTo"]:
        findings.append(
            Finding(
                name,
                "metadata",
                "EPUB-META-CONFORMS",
                Severity.INFO,
                "no conformance claim (dcterms:conformsTo) in the package metadata: a person"
                " must review the book before one is made",
                package,
            )
        )
    elif not claims["a11y:certifiedBy"]:
        findings.append(
            Finding(
                name,
                "metadata",
                "EPUB-META-CERTIFIER",
                Severity.WARNING,
                "the conformance claim names no certifier (a11y:certifiedBy)",
                package,
            )
        )
    return EpubMetadata(
        package=package,
        language=tuple(languages),
        package_lang=root.get(XML_LANG, ""),
        claims=claims,
        findings=tuple(findings),
    )
