"""The accessibility statement a reader sees, from the same values the EPUB package declares.

Its headings and their order follow the W3C Accessibility Metadata Display Guide
2.0: ways of reading, conformance, navigation, rich content, hazards, the
summary, legal considerations and additional information. Each statement is
derived from an ``AccessibilityMetadata`` value, which is what the package
document carries, so the page, ``<stem>.accessibility.html`` and the ``publish
check`` report (which rebuilds the value from the EPUB it checks, ``from_claims``)
can never say something the package does not. The words are the book's
language's (``pipeline.words``: ``StatementWords``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pipeline.formats.a11y_metadata import AccessibilityMetadata
from pipeline.markup import attr, attrs, text
from pipeline.words import StatementWords, marked, words_for


@dataclass(frozen=True, slots=True)
class Part:
    """One heading of the statement and its sentences (a link: ``(label, url)``)."""

    key: str
    """Stable name of the heading (``ways``, ``conformance``...), for tests and ids."""
    heading: str
    lines: tuple[str | tuple[str, str], ...]


def _ways(a11y: AccessibilityMetadata, words: StatementWords) -> list[str]:
    lines = []
    if "displayTransformability" in a11y.features:
        lines.append(words.modifiable)
    textual = "textual" in a11y.access_mode_sufficient
    lines.append(words.read_aloud if textual else words.not_read_aloud)
    if "synchronizedAudioText" in a11y.features:
        lines.append(words.synchronized)
    return lines


def _conformance(a11y: AccessibilityMetadata, words: StatementWords) -> list[str | tuple[str, str]]:
    if not a11y.conforms_to:
        return [words.no_claim]
    wcag, _, level = a11y.conforms_to.partition("WCAG ")[2].partition(" Level ")
    lines: list[str | tuple[str, str]] = [words.meets.format(wcag=wcag, level=level)]
    if a11y.certified_by:
        lines.append(words.certified.format(certifier=a11y.certified_by, date=a11y.review_date))
    if a11y.credential:
        lines.append(words.credential.format(credential=a11y.credential))
    if a11y.report:
        lines.append((words.report, a11y.report))
    return lines


def _rich(a11y: AccessibilityMetadata, words: StatementWords) -> list[str]:
    if "visual" not in a11y.access_modes:
        return [words.no_images]
    return [words.alt_text if "alternativeText" in a11y.features else words.missing_alt]


def _legal(a11y: AccessibilityMetadata, words: StatementWords) -> list[str]:
    reasons = {
        "eaa-microenterprise": words.microenterprise,
        "eaa-disproportionate-burden": words.burden,
        "eaa-fundamental-alteration": words.alteration,
    }
    if a11y.exemption in reasons:
        return [words.exemption.format(reason=reasons[a11y.exemption])]
    return [words.no_legal]


def parts(a11y: AccessibilityMetadata, lang: str) -> tuple[Part, ...]:
    """The statement for a book in ``lang``, heading by heading, in the Display Guide's order."""
    words = words_for(lang).statement
    navigation = [words.toc] if "tableOfContents" in a11y.features else []
    if "structuralNavigation" in a11y.features:
        navigation.append(words.headings)
    hazards = [h for h in a11y.hazards if h != "none"]
    found = [
        Part("ways", words.ways, tuple(_ways(a11y, words))),
        Part("conformance", words.conformance, tuple(_conformance(a11y, words))),
        Part("navigation", words.navigation, tuple(navigation)),
        Part("rich", words.rich, tuple(_rich(a11y, words))),
        Part(
            "hazards",
            words.hazards,
            (
                words.hazard_list.format(hazards=", ".join(hazards))
                if hazards
                else words.no_hazards,
            ),
        ),
        Part("summary", words.summary, (a11y.summary,)),
        Part("legal", words.legal, tuple(_legal(a11y, words))),
    ]
    if a11y.contact:
        url = a11y.contact if "://" in a11y.contact else f"mailto:{a11y.contact}"
        found.append(Part("more", words.more, (words.contact, (a11y.contact, url))))
    return tuple(part for part in found if part.lines)


def _line(line: str | tuple[str, str]) -> str:
    if isinstance(line, tuple):
        label, url = line
        return f'<li><a href="{attr(url)}">{text(label)}</a></li>\n'
    return f"<li>{text(line)}</li>\n"


def section(
    a11y: AccessibilityMetadata,
    lang: str,
    ident: str,
    level: int = 2,
    claim: Callable[[str], str] = str,
) -> str:
    """The statement as an HTML ``<section>`` headed ``<h{level}>`` with id ``ident``; ``claim``
    makes each sub-heading's id unique in the page (``Renderer.claim``)."""
    words_lang = marked(lang)
    words = words_for(lang).statement
    out = [
        f"<section{attrs(aria_labelledby=ident, lang=words_lang, class_='accessibility')}>\n",
        f"<h{level}{attrs(id=ident)}>{text(words.title)}</h{level}>\n",
    ]
    for part in parts(a11y, lang):
        sub = claim(f"{ident}-{part.key}")
        out.append(f"<h{level + 1}{attrs(id=sub)}>{text(part.heading)}</h{level + 1}>\n")
        out.append("<ul>\n" + "".join(_line(line) for line in part.lines) + "</ul>\n")
    out.append("</section>\n")
    return "".join(out)


_PAGE_CSS = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40em;margin:0 auto;"
    "padding:1em;background:#fff;color:#1a1a1a}a{color:#0645ad}"
    "@media (prefers-color-scheme:dark){body{background:#141414;color:#eee}a{color:#9cf}}"
)


def page(a11y: AccessibilityMetadata, lang: str, title: str) -> str:
    """``<stem>.accessibility.html``: the statement alone, a small self-contained page."""
    words = words_for(lang).statement
    import base64  # noqa: PLC0415 - only for this page
    import hashlib  # noqa: PLC0415

    digest = base64.b64encode(hashlib.sha256(_PAGE_CSS.encode()).digest()).decode()
    policy = f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{attr(lang)}">\n<head>\n<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        f'<meta http-equiv="Content-Security-Policy" content="{attr(policy)}" />\n'
        f"<title>{text(words.title)}: {text(title)}</title>\n"
        '<meta name="color-scheme" content="light dark" />\n'
        f"<style>{_PAGE_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<p>{text(title)}</p>\n"
        + section(a11y, lang, "accessibility", level=1)
        + "</main>\n</body>\n</html>\n"
    )


def from_claims(claims: Mapping[str, Sequence[str]]) -> AccessibilityMetadata:
    """The values a package document declares (``pipeline.check.epubmeta`` reads them) as the
    ``AccessibilityMetadata`` the statement is made from."""

    def first(prop: str) -> str:
        values = claims.get(prop, ())
        return values[0] if values else ""

    return AccessibilityMetadata(
        access_modes=tuple(claims.get("schema:accessMode", ())),
        access_mode_sufficient=tuple(claims.get("schema:accessModeSufficient", ())),
        features=tuple(claims.get("schema:accessibilityFeature", ())),
        hazards=tuple(claims.get("schema:accessibilityHazard", ())),
        summary=first("schema:accessibilitySummary"),
        conforms_to=first("dcterms:conformsTo"),
        certified_by=first("a11y:certifiedBy"),
        credential=first("a11y:certifierCredential"),
        review_date=first("dcterms:date"),
        report=first("a11y:certifierReport"),
        exemption=first("a11y:exemption"),
    )
