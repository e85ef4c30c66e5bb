"""Honest accessibility claims (issue 19): a claim only from a recorded review; the EPUB's
package, the ONIX record and the reader's statement always say the same thing."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

import onixcheck  # type: ignore[import-untyped]
import pytest
import yaml
from epub_helpers import EPOCH, Book
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.build import build, lint, load, read
from pipeline.check import checklist, epubmeta, report
from pipeline.check.findings import Finding
from pipeline.check.run import ArtifactReport, Report, SourceReport
from pipeline.diagnostics import Severity
from pipeline.formats import onix, statement
from pipeline.formats.a11y_metadata import AccessibilityMetadata, compute
from pipeline.formats.epub import build_epub
from pipeline.formats.registry import select
from pipeline.words import TABLES

FIXTURES = Path(__file__).parent / "fixtures" / "accessibility"
ONIX_NS = f"{{{onix.NAMESPACE}}}"
FRONT = "title: T\nlang: {lang}\nidentifier: urn:isbn:9780000000002\npublisher: Example Press\n"
BODY = "\n# One\n\nText with a note.[^n]\n\n![A chart of growth](growth.png)\n\n[^n]: A note.\n"


def _cases() -> list[tuple[str, str, dict[str, str]]]:
    text = (FIXTURES / "reviews.txt").read_text("utf-8")
    cases = []
    for block in text.split("\n~~~\n"):
        lines = block.strip("\n").split("\n")
        name = next(line[2:] for line in reversed(lines) if line.startswith("# "))
        body = [line for line in lines if not line.startswith("#")]
        arrow = body.index("=>")
        expect = dict(line.split(":", 1) for line in body[arrow + 1 :])
        cases.append((name, "\n".join(body[:arrow]), {k: v.strip() for k, v in expect.items()}))
    return cases


def _source(
    tmp_path: Path, matter: str, body: str = "\n# One\n\nText.\n", lang: str = "en"
) -> Path:
    source = tmp_path / "book.md"
    source.write_text(f"---\n{FRONT.format(lang=lang)}{matter}\n---\n{body}", "utf-8")
    return source


@pytest.fixture(autouse=True)
def _before_every_review(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text last changed in 2023 (``EPOCH``), before every review in the fixtures."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


@pytest.mark.parametrize(("name", "matter", "expect"), _cases(), ids=[c[0] for c in _cases()])
def test_review_cases(name: str, matter: str, expect: dict[str, str], tmp_path: Path) -> None:
    source = _source(tmp_path, matter.replace("title: T\n", ""))
    found = lint(source)
    codes = [d.code for d in found if d.code.startswith("F02")]
    assert codes == sorted(expect["codes"].split()), (name, found)
    if any(d.severity is Severity.ERROR for d in found):
        return
    document = read(source)
    book = Book(build_epub(document, epoch=EPOCH))
    assert book.meta("dcterms:conformsTo") == ([expect["claim"]] if expect["claim"] else [])
    certifier = [expect["certifier"]] if expect["certifier"] else []
    assert book.meta("a11y:certifiedBy") == certifier


def test_a_review_older_than_the_text_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    matter = "accessibility:\n  conforms-to: WCAG 2.2 AA\n  certified-by: J\n  date: 2026-01-31\n"
    source = _source(tmp_path, matter)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769904000")  # 2026-02-01
    stale = [d for d in read(source).diagnostics if d.code == "F026"]
    assert [str(d) for d in stale] == [
        f"{source}:6:1: warning F026 the accessibility review of 2026-01-31 is older than the"
        " last change to the text (2026-02-01): review the book again and update"
        " 'accessibility.date'"
    ]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769817600")  # 2026-01-31: the same day is fine
    assert not [d for d in read(source).diagnostics if d.code == "F026"]


def _onix_schema() -> etree.XMLSchema:
    """EDItEUR's ONIX 3.0 reference schema, as the onixcheck package ships it."""
    folder = Path(onixcheck.__file__).parent / "schema" / "xsd3.0"
    return etree.XMLSchema(etree.parse(str(folder / "ONIX_BookProduct_3.0_reference.xsd")))


@pytest.mark.parametrize("reviewed", [True, False])
def test_the_onix_record_is_valid_onix_3(reviewed: bool, tmp_path: Path) -> None:
    schema = _onix_schema()
    matter = (
        "accessibility:\n  conforms-to: WCAG 2.2 AA\n  certified-by: J\n  credential: C\n"
        "  date: 2026-12-01\n  report: https://example.org/r\n  contact: a@example.org\n"
        "  exemption: eaa-microenterprise\n"
        if reviewed
        else ""
    )
    (tmp_path / "growth.png").write_bytes(
        (Path(__file__).parent / "fixtures/epub/growth.png").read_bytes()
    )
    document = load(_source(tmp_path, matter, BODY))
    record = onix.product(document, compute(document))
    tree = etree.fromstring(record.encode())
    assert schema.validate(tree), schema.error_log
    values = [v.text for v in tree.iter(f"{ONIX_NS}ProductFormFeatureValue")]
    assert ("04" in values) is reviewed
    assert ("90" in values) is reviewed


# ------------------------------------------------------------------ agreement, any front matter

_OPTIONAL = st.one_of(st.none(), st.sampled_from(["Jane Doe", "Ex Press & Co <QA>"]))
REVIEWS = st.fixed_dictionaries(
    {},
    optional={
        "conforms-to": st.sampled_from(
            ["WCAG 2.2 AA", "EPUB Accessibility 1.1 - WCAG 2.0 Level A", "wcag 2.1 aaa", "ISO"]
        ),
        "certified-by": _OPTIONAL,
        "credential": _OPTIONAL,
        "date": st.sampled_from(["2026-12-01", "2025-07-01", "soon"]),
        "report": st.sampled_from(["https://example.org/r?a=1&b=2", "nope"]),
        "contact": st.sampled_from(["a11y@example.org", "https://example.org/c"]),
        "exemption": st.sampled_from([*onix.EXEMPTIONS, "other"]),
    },
)


def _package(data: bytes, tmp: Path) -> AccessibilityMetadata:
    """What the package declares, read the way ``publish check`` reads it."""
    epub = tmp / "b.epub"
    epub.write_bytes(data)
    return statement.from_claims(epubmeta.read("b.epub", epub).claims)


def _package_facts(a11y: AccessibilityMetadata) -> set[tuple[str, str]]:
    """One set of (what, value) facts, the vocabulary both sides are translated into."""
    facts = {("summary", a11y.summary)}
    facts |= {("feature", f) for f in a11y.features if f in onix.FEATURES}
    facts |= {
        ("sufficient", s) for s in a11y.access_mode_sufficient if s in ("textual", "auditory")
    }
    facts |= {("hazard", h) for h in a11y.hazards}
    if a11y.conforms_to:
        version, level = re.findall(r"WCAG (\S+) Level (\S+)", a11y.conforms_to)[0]
        facts |= {("wcag", version), ("level", level), ("epub-a11y", "1.1")}
        if a11y.certified_by:
            facts.add(("certifier", a11y.certified_by))
            facts |= {("credential", a11y.credential)} if a11y.credential else set()
            facts |= {("date", a11y.review_date)} if a11y.review_date else set()
            facts |= {("report", a11y.report)} if a11y.report else set()
    if a11y.exemption:
        facts.add(("exemption", a11y.exemption))
    return facts


def _onix_facts(record: str) -> set[tuple[str, str]]:
    root = ET.fromstring(record)  # noqa: S314 - our own output
    by_code = {code: name for name, code in onix.FEATURES.items()}
    versions = {code: v for v, code in onix.WCAG_VERSIONS.items()}
    levels = {code: v for v, code in onix.WCAG_LEVELS.items()}
    exemptions = {code: v for v, code in onix.EXEMPTIONS.items()}
    facts: set[tuple[str, str]] = set()
    hazards = []
    for feature in root.iter(f"{ONIX_NS}ProductFormFeature"):
        kind = feature.findtext(f"{ONIX_NS}ProductFormFeatureType")
        value = feature.findtext(f"{ONIX_NS}ProductFormFeatureValue", "")
        description = feature.findtext(f"{ONIX_NS}ProductFormFeatureDescription", "")
        if kind == onix.HAZARD:
            hazards.append(value)
            continue
        named = {
            "00": ("summary", description),
            "04": ("epub-a11y", "1.1"),
            "52": ("sufficient", "textual"),
            "51": ("sufficient", "auditory"),
            "90": ("certifier", description),
            "88": ("credential", description),
            "93": ("report", description),
        }
        if value in named:
            facts.add(named[value])
        elif value == "91":
            facts.add(("date", f"{description[:4]}-{description[4:6]}-{description[6:]}"))
        elif value in by_code:
            facts.add(("feature", by_code[value]))
        elif value in versions:
            facts.add(("wcag", versions[value]))
        elif value in levels:
            facts.add(("level", levels[value]))
        elif value in exemptions:
            facts.add(("exemption", exemptions[value]))
    if tuple(hazards) == onix.NO_HAZARDS:
        facts.add(("hazard", "none"))
    return facts


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(review=REVIEWS, images=st.booleans())
def test_the_package_and_the_onix_record_never_disagree(
    review: dict[str, object], images: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("agree")
    matter = yaml.safe_dump({"accessibility": review}) if review else ""
    body = BODY if images else "\n# One\n\nText.\n"
    if images:
        (tmp / "growth.png").write_bytes(
            (Path(__file__).parent / "fixtures/epub/growth.png").read_bytes()
        )
    source = _source(tmp, matter, body)
    if any(d.severity is Severity.ERROR for d in lint(source)):
        return  # nothing is built from a source with errors
    document = read(source)
    a11y = compute(document)
    package = _package(build_epub(document, epoch=EPOCH), tmp)
    assert _package_facts(package) == _onix_facts(onix.product(document, a11y))
    # The statement on the page and in <stem>.accessibility.html (from the document) is the
    # one `publish check` makes from the package: only the contact, which no package
    # property carries, is the page's alone.
    from_page = [p for p in statement.parts(a11y, "en") if p.key != "more"]
    assert from_page == list(statement.parts(package, "en"))


# ------------------------------------------------------------------ the statement readers see


@pytest.mark.parametrize(
    ("lang", "title", "no_claim"),
    [
        ("en", "Accessibility", "No conformance claim"),
        ("fr", "Accessibilité", "Aucune déclaration de conformité"),
        ("es", "Accesibilidad", "Sin declaración de conformidad"),
        ("de", "Barrierefreiheit", "Keine Konformitätserklärung"),
    ],
)
def test_the_statement_is_on_the_page_in_the_books_language(
    lang: str, title: str, no_claim: str, tmp_path: Path
) -> None:
    source = tmp_path / "book.md"
    source.write_text(f"---\ntitle: T\nlang: {lang}\nidentifier: x\n---\n\n# Un\n\nT.\n", "utf-8")
    built = build([source], tmp_path / "out", select("html")).written
    html = (tmp_path / "out" / "book.html").read_text("utf-8")
    toc = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert f'<li><a href="#accessibility">{title}</a></li>' in toc
    section = html.split('<section aria-labelledby="accessibility"', 1)[1].split("</section>")[0]
    assert f'<h2 id="accessibility">{title}</h2>' in section
    assert no_claim in section
    alone = tmp_path / "out" / "book.accessibility.html"
    assert alone in built
    assert no_claim in alone.read_text("utf-8")
    assert f'<html lang="{lang}">' in alone.read_text("utf-8")
    words = TABLES[lang].statement
    headings = re.findall(r"<h3 id=\"accessibility-\w+\">([^<]+)</h3>", section)
    assert headings == [
        words.ways,
        words.conformance,
        words.navigation,
        words.rich,
        words.hazards,
        words.summary,
        words.legal,
    ]


def test_a_reviewed_statement_names_the_review(tmp_path: Path) -> None:
    matter = (
        "accessibility:\n  conforms-to: WCAG 2.1 AA\n  certified-by: Jane & Co\n"
        "  credential: Assessor\n  date: 2026-12-01\n  report: https://example.org/r\n"
        "  contact: a11y@example.org\n  exemption: eaa-fundamental-alteration\n"
    )
    document = load(_source(tmp_path, matter))
    html = statement.section(compute(document), "en", "accessibility")
    assert "EPUB Accessibility 1.1 and WCAG 2.1 Level AA." in html
    assert "Reviewed by Jane &amp; Co on 2026-12-01." in html
    assert '<a href="https://example.org/r">' in html
    assert '<a href="mailto:a11y@example.org">a11y@example.org</a>' in html
    assert "would fundamentally alter the publication" in html


def test_the_epub_check_notes_a_missing_claim_and_warns_of_a_claim_without_certifier(
    tmp_path: Path,
) -> None:
    def findings(matter: str) -> list[tuple[str, Severity]]:
        epub = tmp_path / "b.epub"
        epub.write_bytes(build_epub(load(_source(tmp_path, matter)), epoch=EPOCH))
        return [(f.code, f.severity) for f in epubmeta.read("b.epub", epub).findings]

    assert findings("") == [("EPUB-META-CONFORMS", Severity.INFO)]
    claim = "accessibility:\n  conforms-to: WCAG 2.2 AA\n  date: 2026-12-01\n"
    assert findings(claim) == [("EPUB-META-CERTIFIER", Severity.WARNING)]
    assert findings(claim + "  certified-by: Jane Doe\n") == []


# ------------------------------------------------------------------ the check report


def _report(tmp_path: Path, matter: str, lang: str = "en") -> Report:
    source = _source(tmp_path, matter, lang=lang)
    epub = tmp_path / "book.epub"
    epub.write_bytes(build_epub(load(source), epoch=EPOCH))
    meta = epubmeta.read(str(epub), epub)
    facts = {
        "epubcheck": {"publication": {}},
        "ace": {"outcome": "fail", "metadata": {"missing": []}},
        "accessibility_metadata": {
            "package": meta.package,
            "language": list(meta.language),
            "package_xml_lang": meta.package_lang,
            "claims": meta.claims,
        },
    }
    finding = Finding(str(epub), "ace", "ACE-x", Severity.ERROR, "m")
    artifact = ArtifactReport(str(epub), "epub", ("Ace",), (*meta.findings, finding), facts)
    return Report("book", tmp_path, "T", SourceReport(str(source), "given", ()), (artifact,))


def test_the_report_lists_the_automated_checks_and_what_a_person_must_review(
    tmp_path: Path,
) -> None:
    data = checklist.to_data(_report(tmp_path, ""))
    assert [(r["check"], r["passed"], r["errors"]) for r in data["automated"]] == [
        ("EPUBCheck", True, 0),
        ("Ace by DAISY", False, 1),
        ("Accessibility metadata", True, 0),  # no claim: information, not an error
    ]
    topics = [item["topic"] for item in data["checklist"]]
    assert topics[:5] == [
        "Text alternatives",
        "Reading order",
        "Headings and structure",
        "Colour and contrast",
        "Language of parts",
    ]
    assert all(item["automated"] and item["person"] for item in data["checklist"])
    conformance = data["statement"]["parts"][1]
    assert conformance["heading"] == "Conformance"
    assert conformance["lines"][0].startswith("No conformance claim")
    page = report.to_html(_report(tmp_path, ""))
    assert '<h2 id="review">Accessibility review</h2>' in page
    assert '<a href="#review">Accessibility review</a>' in page


def test_the_reports_statement_is_the_books_in_its_language(tmp_path: Path) -> None:
    matter = "accessibility:\n  conforms-to: WCAG 2.2 AA\n  certified-by: J\n  date: 2026-12-01\n"
    found = checklist.to_data(_report(tmp_path, matter, "de"))["statement"]
    assert found["lang"] == "de"
    assert found["parts"][1]["lines"][:2] == [
        TABLES["de"].statement.meets.format(wcag="2.2", level="AA"),
        "Geprüft von J am 2026-12-01.",
    ]
    assert '<div lang="de">' in report.to_html(_report(tmp_path, matter, "de"))


@pytest.mark.parametrize("reviewed", [False, True])
def test_the_seed_article_says_the_same_everywhere(reviewed: bool, tmp_path: Path) -> None:
    """The article, as it is and with a recorded review: package, ONIX record and statements
    agree, and the ONIX record is valid."""
    text = (Path(__file__).parent.parent / "source" / "article.md").read_text("utf-8")
    if reviewed:
        review = (
            "accessibility:\n  conforms-to: EPUB Accessibility 1.1 - WCAG 2.2 Level AA\n"
            "  certified-by: Ashleigh Diserio Consulting\n  date: 2026-12-07\n"
            "  contact: https://example.org/accessibility\n"
        )
        text = text.replace("\n---\n", f"\n{review}---\n", 1)
    source = tmp_path / "article.md"
    source.write_text(text, "utf-8")
    document = load(source)
    a11y = compute(document)
    package = _package(build_epub(document, epoch=EPOCH), tmp_path)
    record = onix.product(document, a11y)
    assert _package_facts(package) == _onix_facts(record)
    assert _onix_schema().validate(etree.fromstring(record.encode()))
    assert bool(package.conforms_to) is reviewed
    assert [p for p in statement.parts(a11y, "en-US") if p.key != "more"] == list(
        statement.parts(package, "en-US")
    )
    page_html = statement.section(a11y, "en-US", "accessibility")
    assert ("Reviewed by Ashleigh Diserio Consulting on 2026-12-07." in page_html) is reviewed
