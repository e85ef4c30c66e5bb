"""The hostile input suite: manuscripts, images and files beside them built to break a build.

Each case names the diagnostic code it must give (``ok`` for none at all): never a
traceback, a ``MemoryError`` or a ``RecursionError``, never a hang, never a file read
outside the manuscript's folder.

- ``hostile/frontmatter/cases.txt``: one manuscript per block, after a line
  ``=== CODE what it is`` (YAML alias bombs, deep nesting, escapes making characters no
  output can carry, raw control characters);
- ``hostile/images/``: one image per file, named ``CODE-what.ext``, shown by a manuscript;
- ``hostile/files.txt``: one line per case, ``CODE role kind``: the lexicon, an image or
  the cover made a FIFO, a link to ``/dev/zero``, a link loop... (made by the test: git
  cannot hold a FIFO);
- ``hostile/sources.txt``: one line per case, ``CODE src``: an image source that must be
  refused.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import lint
from pipeline.diagnostics import CODES, Diagnostic, Severity
from pipeline.document import images, yamllimits

HOSTILE = FIXTURES / "hostile"
FRONT = "---\ntitle: Hostile\nlang: en\nidentifier: urn:x:1\n---\n\n# Heading\n\n"

#: A case that takes longer than this has no limit that works (the slowest takes ~1 s).
SECONDS = 20.0


def _blocks() -> list[tuple[str, str, str]]:
    text = (HOSTILE / "frontmatter" / "cases.txt").read_text(encoding="utf-8")
    parts = re.split(r"^=== (\S+) (.*)\n", text, flags=re.MULTILINE)
    return [(parts[i], parts[i + 1], parts[i + 2]) for i in range(1, len(parts), 3)]


BLOCKS = _blocks()
IMAGES = sorted((HOSTILE / "images").iterdir())
FILES = [
    line.split()
    for line in (HOSTILE / "files.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
SOURCES = [
    line.split(" ", 1)
    for line in (HOSTILE / "sources.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def _linted(source: Path) -> tuple[Diagnostic, ...]:
    started = time.monotonic()
    found = lint(source)
    assert time.monotonic() - started < SECONDS
    return found


def _expect(found: tuple[Diagnostic, ...], code: str) -> None:
    codes = [d.code for d in found]
    if code == "ok":
        assert not [d for d in found if d.severity == Severity.ERROR], found
    else:
        assert code in codes, found


def test_the_suite_has_at_least_150_cases_each_with_a_known_code() -> None:
    expected = [b[0] for b in BLOCKS] + [i.name.split("-")[0] for i in IMAGES]
    expected += [f[0] for f in FILES] + [s[0] for s in SOURCES]
    assert len(expected) >= 150
    assert set(expected) - {"ok"} <= set(CODES)


@pytest.mark.parametrize(("code", "what", "text"), BLOCKS, ids=[b[1] for b in BLOCKS])
def test_a_hostile_manuscript_gives_its_code(
    code: str, what: str, text: str, tmp_path: Path
) -> None:
    source = tmp_path / "doc.md"
    source.write_text(text, encoding="utf-8", newline="")
    _expect(_linted(source), code)


@pytest.mark.parametrize("image", IMAGES, ids=[i.name for i in IMAGES])
def test_a_hostile_image_gives_its_code(image: Path, tmp_path: Path) -> None:
    (tmp_path / image.name).write_bytes(image.read_bytes())
    source = tmp_path / "doc.md"
    source.write_text(FRONT + f"![An image]({image.name})\n", encoding="utf-8")
    found = _linted(source)
    _expect(found, image.name.split("-")[0])
    if image.name.startswith("ok-"):
        assert found == ()


def _make(kind: str, file: Path, outside: Path) -> None:
    """Make ``file`` a thing of ``kind``."""
    if kind == "fifo":
        os.mkfifo(file)
    elif kind.startswith("dev-"):
        file.symlink_to(f"/dev/{kind[4:]}")
    elif kind == "loop":
        file.symlink_to(file.name)
    elif kind == "loop2":
        file.symlink_to(file.name + ".other")
        file.with_name(file.name + ".other").symlink_to(file.name)
    elif kind == "folder":
        file.mkdir()
    elif kind == "outside":
        file.symlink_to(outside)
    elif kind == "outside-relative":
        file.symlink_to(Path("..") / outside.parent.name / outside.name)
    elif kind == "dangling":
        file.symlink_to("nowhere" + file.suffix)
    elif kind == "link-to-folder":
        file.symlink_to(".")
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize(("code", "role", "kind"), FILES, ids=["-".join(f) for f in FILES])
def test_an_input_that_is_no_regular_file_inside_the_folder_is_refused(
    code: str, role: str, kind: str, tmp_path: Path
) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    secret = tmp_path / "elsewhere" / "secret"
    secret.parent.mkdir()
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"a secret outside the folder")
    name = {"image": "pic.png", "lexicon": "doc.pls", "cover": "doc.cover.png"}[role]
    _make(kind, folder / name, secret)
    source = folder / "doc.md"
    source.write_text(FRONT + ("![A picture](pic.png)\n" if role == "image" else "Text.\n"))
    _expect(_linted(source), code)


@pytest.mark.parametrize(("code", "src"), SOURCES, ids=[s[1][:40] for s in SOURCES])
def test_an_image_source_that_is_no_file_in_the_folder_is_refused(
    code: str, src: str, tmp_path: Path
) -> None:
    source = tmp_path / "doc.md"
    source.write_text(FRONT + f"![An image]({src})\n", encoding="utf-8")
    _expect(_linted(source), code)


# --------------------------------------------------------------------------- properties

_scalars = st.one_of(
    st.text(max_size=8).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(["x", "1", "true", "~", "&a x", "*a", "&b [y]", "*b", "{}", "[]", "0x_"]),
    st.sampled_from(["!!int x", "!!float y", "2020-02-30", "!!timestamp z", "!!binary '!'"]),
)


def _yaml(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return _scalars
    inner = _yaml(depth - 1)
    return st.one_of(
        inner,
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from("abcxyz"), inner), max_size=4).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
        ),
        st.tuples(st.sampled_from(["&a ", "&b ", "&c "]), inner).map("".join),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=st.lists(st.tuples(st.sampled_from(["title", "author", "keywords", "x"]), _yaml(4))))
def test_any_yaml_shape_gives_diagnostics_never_an_exception(fields: list[tuple[str, str]]) -> None:
    import tempfile

    matter = "\n".join(f"{k}: {v}" for k, v in fields)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.md"
        source.write_text(f"---\nlang: en\n{matter}\n---\n\n# H\n\nText.\n", encoding="utf-8")
        lint(source)


@settings(max_examples=60, deadline=None)
@given(depth=st.integers(0, 200), width=st.integers(1, 12), levels=st.integers(1, 12))
def test_the_limits_hold_for_any_nesting_and_alias_chain(
    depth: int, width: int, levels: int
) -> None:
    nested = "x: " + "[" * depth + "]" * depth
    found = yamllimits.check(nested, "doc.md")
    assert (found is not None and found.code == "F030") == (depth > yamllimits.MAX_DEPTH)
    chain = ["a0: &a0 " + "v" * 10]
    for level in range(1, levels):
        chain.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    expanded = 11 * width ** (levels - 1)  # leaves alone: a lower bound of the true size
    found = yamllimits.check("\n".join(chain), "doc.md")
    if expanded > yamllimits.MAX_EXPANDED:
        assert found is not None and found.code == "F031"
    if found is None:
        assert expanded <= yamllimits.MAX_EXPANDED


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=600),
    media_type=st.sampled_from(["image/png", "image/jpeg", "image/gif", "image/webp"]),
)
def test_random_bytes_as_an_image_are_a_diagnostic_never_an_exception(
    data: bytes, media_type: str
) -> None:
    found = images.check(data, media_type)
    assert found is None or found[0] in {"I008", "I009"}


@settings(max_examples=100, deadline=None)
@given(
    head=st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"<svg"]),
    rest=st.binary(max_size=400),
)
def test_random_bytes_behind_an_image_signature_are_a_diagnostic(head: bytes, rest: bytes) -> None:
    media_type = {b"\x89P": "image/png", b"\xff\xd8": "image/jpeg", b"GI": "image/gif"}.get(
        head[:2], "image/svg+xml"
    )
    found = images.check(head + rest, media_type)
    assert found is None or found[0] in {"I004", "I008", "I009"}


def test_image_names_epub_forbids_or_that_collide_by_case_are_renamed_the_same_each_time(
    tmp_path: Path,
) -> None:
    import zipfile

    from pipeline.build import build
    from pipeline.formats.registry import select

    folder = tmp_path / "src"
    folder.mkdir()
    png = (HOSTILE / "images" / "ok-tiny.png").read_bytes()
    jpeg = (HOSTILE / "images" / "ok-tiny.jpg").read_bytes()
    files = {"A.png": png, "a.png": png, 'my"pic 1.png': png, "photo.png": jpeg}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    images = "".join(f"![Picture {i}](<{name}>)\n\n" for i, name in enumerate(files))
    (folder / "doc.md").write_text(FRONT + images, encoding="utf-8")
    names = []
    for run in ("one", "two"):
        build([folder / "doc.md"], tmp_path / run, select("epub"))
        with zipfile.ZipFile(tmp_path / run / "doc.epub") as book:
            names.append(sorted(n for n in book.namelist() if "/images/" in n))
    assert (
        names[0]
        == names[1]
        == [
            "EPUB/images/A.png",
            "EPUB/images/a-2.png",
            "EPUB/images/my_pic_1.png",
            "EPUB/images/photo.jpg",
        ]
    )
