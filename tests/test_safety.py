"""Image and link checks: one test per diagnostic code, with file:line positions."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, document_from

from pipeline.diagnostics import Severity
from pipeline.document.inputs import read_inputs

HEAD = "---\ntitle: T\nlang: en\n---\n\n"


def codes(markdown: str, directory: Path | None = None) -> list[tuple[str, int, Severity]]:
    document = document_from(HEAD + markdown, directory)
    _, problems = read_inputs(document)  # the image files are read with the other inputs
    return [
        (d.code, d.line, d.severity)
        for d in (*document.diagnostics, *problems)
        if d.code.startswith(("I", "M003"))
    ]


def test_missing_alt_is_an_error_with_its_line() -> None:
    found = codes("Text.\n\n![](chart.png)\n", FIXTURES / "features")
    assert found == [("I001", 8, Severity.ERROR)]


def test_decorative_image_needs_no_alt() -> None:
    assert codes("![](chart.png){.decorative}\n", FIXTURES / "features") == []


def test_image_with_alt_inside_the_folder_is_fine() -> None:
    assert codes("![A chart](chart.png)\n", FIXTURES / "features") == []


def test_images_outside_the_source_folder_are_errors() -> None:
    for src in (
        "../../etc/passwd",
        "/etc/passwd",
        "%2e%2e/features/chart.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "https://example.org/x.png",
        "//evil.example/x.png",
        "C:/x.png",
    ):
        found = codes(f"![x](<{src}>)\n", FIXTURES / "features")
        assert found == [("I002", 6, Severity.ERROR)], src


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes((FIXTURES / "features" / "chart.png").read_bytes())
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "link.png").symlink_to(outside)
    assert codes("![x](link.png)\n", folder) == [("I002", 6, Severity.ERROR)]


def test_missing_and_unsupported_images() -> None:
    assert codes("![x](nothing.png)\n", FIXTURES / "features") == [("I003", 6, Severity.ERROR)]
    assert codes("![x](features.md)\n", FIXTURES / "features") == [("I004", 6, Severity.ERROR)]


def test_unsafe_link_schemes_are_warned_about() -> None:
    found = codes("[a](<//evil.example/>) and [b](https://example.org/) [c](#x)\n")
    assert found == [("M003", 6, Severity.WARNING)]
