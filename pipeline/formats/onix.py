"""The ONIX 3.0 ``<Product>`` record a distributor asks for, with the EPUB's accessibility.

Distributors in the EU take a book's accessibility information from ONIX (the
European Accessibility Act asks that it travel through the supply chain). Each
``ProductFormFeature`` here is made from the same ``AccessibilityMetadata`` value
the EPUB's package document declares, so the two cannot disagree: codelist 196
(e-publication accessibility detail) for the summary, the conformance claim,
its certifier and date, the features and the exemption; codelist 143 for the
hazards. Codes are those of EDItEUR's codelists, issue 75 (the ones the ONIX
3.0 schema in the tests checks against).

The record is a fragment: a publisher puts it in its own ``<ONIXMessage>``
with the prices, territories and supply details this tool knows nothing of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import outputs
from pipeline.context import Context, Written
from pipeline.document.model import Document
from pipeline.formats.a11y_metadata import AccessibilityMetadata
from pipeline.formats.a11y_metadata import compute as compute_a11y
from pipeline.markup import attr, text

DESCRIPTION = "an ONIX 3.0 <Product> record with the EPUB's accessibility (<stem>.onix.xml)"
NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"

#: ProductFormFeatureType: e-publication accessibility detail (codelist 196 values).
ACCESSIBILITY = "09"
#: ProductFormFeatureType: hazard warning (codelist 143 values).
HAZARD = "12"

#: schema.org accessibility features and their codelist 196 codes.
FEATURES = {
    "tableOfContents": "11",
    "readingOrder": "13",
    "alternativeText": "14",
    "synchronizedAudioText": "20",
    "structuralNavigation": "29",
    "displayTransformability": "36",
}
#: WCAG versions and levels of a claim (codelist 196).
WCAG_VERSIONS = {"2.0": "80", "2.1": "81", "2.2": "82"}
WCAG_LEVELS = {"A": "84", "AA": "85", "AAA": "86"}
#: EAA exemptions (``a11y:exemption``) and their codelist 196 codes.
EXEMPTIONS = {
    "eaa-microenterprise": "75",
    "eaa-disproportionate-burden": "76",
    "eaa-fundamental-alteration": "77",
}
#: ``none`` means no flashing, no sound and no motion simulation hazard (codelist 143).
NO_HAZARDS = ("14", "16", "18")
HAZARDS = {
    "flashing": "13",
    "noFlashingHazard": "14",
    "sound": "15",
    "noSoundHazard": "16",
    "motionSimulation": "17",
    "noMotionSimulationHazard": "18",
}
#: ISO 639-2/B codes ONIX wants, for the languages that have word tables.
LANGUAGES = {"en": "eng", "fr": "fre", "es": "spa", "de": "ger"}
_ISBN13 = re.compile(r"(?:urn:isbn:)?(97[89]\d{10})\Z", re.IGNORECASE)


def features(a11y: AccessibilityMetadata) -> tuple[tuple[str, str, str], ...]:
    """(ProductFormFeatureType, value, description) of every accessibility feature, in order."""
    out: list[tuple[str, str, str]] = []
    claim = re.search(r"WCAG (2\.[012]) Level (AAA|AA|A)\Z", a11y.conforms_to)
    if claim:
        out += [
            (ACCESSIBILITY, "04", ""),
            (ACCESSIBILITY, WCAG_VERSIONS[claim.group(1)], ""),
            (ACCESSIBILITY, WCAG_LEVELS[claim.group(2)], ""),
        ]
    out += [(ACCESSIBILITY, code, "") for name, code in FEATURES.items() if name in a11y.features]
    if "textual" in a11y.access_mode_sufficient:
        out.append((ACCESSIBILITY, "52", ""))  # all content readable without sight
    if "auditory" in a11y.access_mode_sufficient:
        out.append((ACCESSIBILITY, "51", ""))  # ... and through the pre-recorded narration
    if a11y.exemption in EXEMPTIONS:
        out.append((ACCESSIBILITY, EXEMPTIONS[a11y.exemption], ""))
    out.append((ACCESSIBILITY, "00", a11y.summary))
    if claim and a11y.certified_by:
        out.append((ACCESSIBILITY, "90", a11y.certified_by))
        if a11y.credential:
            out.append((ACCESSIBILITY, "88", a11y.credential))
        if a11y.review_date:
            out.append((ACCESSIBILITY, "91", a11y.review_date.replace("-", "")))
        if a11y.report:
            out.append((ACCESSIBILITY, "93", a11y.report))
    if a11y.contact:
        out.append((ACCESSIBILITY, "99", a11y.contact))
    for hazard in a11y.hazards:
        codes = NO_HAZARDS if hazard == "none" else (HAZARDS.get(hazard, ""),)
        out += [(HAZARD, code, "") for code in codes if code]
    return tuple(out)


def product(document: Document, a11y: AccessibilityMetadata) -> str:
    """The ``<Product>`` record of ``document``'s EPUB edition (deterministic)."""
    meta = document.metadata
    isbn = _ISBN13.match(meta.identifier.replace("-", ""))
    ident = (
        f"    <ProductIDType>15</ProductIDType>\n    <IDValue>{isbn.group(1)}</IDValue>\n"
        if isbn
        else "    <ProductIDType>01</ProductIDType>\n"
        "    <IDTypeName>Publisher identifier</IDTypeName>\n"
        f"    <IDValue>{text(meta.identifier)}</IDValue>\n"
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<Product xmlns="{attr(NAMESPACE)}">\n',
        f"  <RecordReference>{text(meta.identifier)}</RecordReference>\n",
        "  <NotificationType>03</NotificationType>\n",
        f"  <ProductIdentifier>\n{ident}  </ProductIdentifier>\n",
        "  <DescriptiveDetail>\n",
        "    <ProductComposition>00</ProductComposition>\n",
        "    <ProductForm>ED</ProductForm>\n",
        "    <ProductFormDetail>E101</ProductFormDetail>\n",  # EPUB
    ]
    for kind, value, description in features(a11y):
        lines.append(
            "    <ProductFormFeature>\n"
            f"      <ProductFormFeatureType>{kind}</ProductFormFeatureType>\n"
            f"      <ProductFormFeatureValue>{value}</ProductFormFeatureValue>\n"
            + (
                f"      <ProductFormFeatureDescription>{text(description)}"
                "</ProductFormFeatureDescription>\n"
                if description
                else ""
            )
            + "    </ProductFormFeature>\n"
        )
    if "unlocked" in a11y.features:
        lines.append("    <EpubTechnicalProtection>00</EpubTechnicalProtection>\n")
    subtitle = f"        <Subtitle>{text(meta.subtitle)}</Subtitle>\n" if meta.subtitle else ""
    lines += [
        "    <TitleDetail>\n      <TitleType>01</TitleType>\n      <TitleElement>\n"
        "        <TitleElementLevel>01</TitleElementLevel>\n"
        f"        <TitleText>{text(meta.title)}</TitleText>\n{subtitle}"
        "      </TitleElement>\n    </TitleDetail>\n"
    ]
    roles = {"aut": "A01", "edt": "B01", "trl": "B06", "ill": "A12", "nrt": "E07"}
    for n, author in enumerate(meta.authors, start=1):
        lines.append(
            f"    <Contributor>\n      <SequenceNumber>{n}</SequenceNumber>\n"
            f"      <ContributorRole>{roles.get(author.role, 'Z99')}</ContributorRole>\n"
            f"      <PersonName>{text(author.name)}</PersonName>\n    </Contributor>\n"
        )
    language = LANGUAGES.get(meta.lang.split("-", 1)[0].lower())
    if language:
        lines.append(
            "    <Language>\n      <LanguageRole>01</LanguageRole>\n"
            f"      <LanguageCode>{language}</LanguageCode>\n    </Language>\n"
        )
    lines.append("  </DescriptiveDetail>\n")
    if meta.publisher:
        lines.append(
            "  <PublishingDetail>\n    <Publisher>\n      <PublishingRole>01</PublishingRole>\n"
            f"      <PublisherName>{text(meta.publisher)}</PublisherName>\n"
            "    </Publisher>\n  </PublishingDetail>\n"
        )
    lines.append("</Product>\n")
    return "".join(lines)


@dataclass(frozen=True)
class OnixWriter:
    """The ONIX 3.0 product record of the EPUB edition, accessibility included."""

    name: str = "onix"
    description: str = (
        "an ONIX 3.0 <Product> record with the EPUB's accessibility (<stem>.onix.xml)"
    )
    uses: tuple[str, ...] = ("audio",)
    """With the audio and the EPUB in the same run, the book is narrated: the record says so."""

    def write(self, context: Context) -> Written:
        narrated = context.recording is not None and "epub" in context.options.formats
        a11y = compute_a11y(context.document, narrated=narrated)
        path = context.out_dir / f"{context.stem}.onix.xml"
        return Written((outputs.write_text(path, product(context.document, a11y)),))
