"""Helpers for the EPUB tests: building books and reading them back."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.build import load
from pipeline.formats.epub import build_epub

XHTML_NS = "{http://www.w3.org/1999/xhtml}"
OPF_NS = "{http://www.idpf.org/2007/opf}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPOCH = 1_700_000_000


@dataclass(frozen=True)
class Book:
    """An EPUB opened for inspection."""

    data: bytes

    @property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.data))

    def names(self) -> list[str]:
        return self.zip.namelist()

    def text(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8")

    def xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.zip.read(name))  # noqa: S314 (our own output)

    def opf(self) -> ET.Element:
        return self.xml("EPUB/package.opf")

    def meta(self, prop: str) -> list[str]:
        return [
            el.text or ""
            for el in self.opf().iter(f"{OPF_NS}meta")
            if el.get("property") == prop and el.get("refines") is None
        ]

    def content_documents(self) -> list[str]:
        return [n for n in self.names() if n.endswith(".xhtml")]

    def ids(self, name: str) -> set[str]:
        return {el.get("id", "") for el in self.xml(name).iter()} - {""}


def book_from(path: Path, epoch: int = EPOCH) -> Book:
    """Build the EPUB for a manuscript in memory."""
    return Book(build_epub(load(path), epoch=epoch))


def strip_tags(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)
