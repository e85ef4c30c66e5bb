"""Deterministic manuscripts of any length that look like real articles.

``generate(words, seed)`` returns Markdown with YAML front matter, sections and
subsections, paragraphs (one sentence per line) with author–year citations
that all resolve, lists, tables with captions, footnotes, a block quote, and a
References section of APA entries. The same ``(words, seed)`` always gives the
same text: a ``random.Random`` seeded from both drives every choice, and no
clock, environment or set order is read.

    python -m benchmarks.generate 25000 -o /tmp/doc-25k.md
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# A vocabulary of ordinary academic prose. All lowercase: capitalised words next
# to a parenthesis could read as narrative citations.
_NOUNS = _words(
    "analysis approach assessment behaviour belief buyer capacity case category change "
    "claim cohort community concept condition context court data decision demand design "
    "difference distortion effect evidence exposure factor finding framework group guidance "
    "harm hypothesis impact incentive index influence institution intervention interview "
    "law level market measure method model motive network norm observation offender outcome "
    "participant pattern perception person policy population practice pressure principle "
    "process programme question rate reason record region relation report response result "
    "review risk role sample scale scheme sector setting share signal source standard status "
    "strategy structure study survey system theory threshold trend value variable victim "
    "view volume worker"
)
_ADJECTIVES = _words(
    "academic available broad central clear common comparable complex consistent critical "
    "current detailed direct distinct early economic effective empirical formal general "
    "global high important initial key large legal likely local low main major modest "
    "national notable overall partial particular potential previous primary public recent "
    "regional relevant reliable robust separate significant similar small social specific "
    "stable strong structural substantial typical uneven wider"
)
_VERBS = _words(
    "affects alters captures challenges clarifies confirms constrains describes drives "
    "explains extends frames highlights illustrates indicates informs limits links "
    "measures moderates predicts qualifies reduces reflects reinforces reveals shapes "
    "signals suggests supports tests undermines"
)
_CONNECTORS = (
    "in addition",
    "by contrast",
    "for this reason",
    "at the same time",
    "in practice",
    "on balance",
    "as a result",
    "in most cases",
)
_FAMILIES = _words(
    "Abbott Adeyemi Alvarez Andersen Baker Banerjee Barros Becker Bennett Bianchi Brennan "
    "Carter Castillo Chen Clarke Costa Dalton Delgado Dubois Edwards Eriksson Evans "
    "Farouk Fischer Fleming Fontaine Garcia Gallo Gibson Gordon Gupta Hansen Harper Hayes "
    "Herrera Hoffman Hughes Ibrahim Ivanova Jansen Jensen Johansson Kaur Keller Kim Kowalski "
    "Kruger Lambert Larsen Lee Lindqvist Lopez Lucas Maddox Mahmoud Marino Martins Mendes "
    "Meyer Moreau Morris Murphy Nakamura Navarro Nielsen Novak Nowak Okafor Oliveira Olsen "
    "Ortiz Osei Park Patel Pereira Perez Petrov Quinn Ramos Reyes Richter Rossi Russo Santos "
    "Sato Schmidt Schneider Silva Singh Sorensen Souza Stewart Suzuki Tanaka Thomsen Torres "
    "Turner Vasquez Vogel Wagner Walsh Weber Wright Yamamoto Young Zhang Zimmermann"
)
_JOURNALS = (
    "Journal of Applied Social Research",
    "Criminology Review",
    "International Journal of Policy Studies",
    "Social Science Quarterly",
    "Journal of Comparative Law",
    "Policy and Society",
    "Journal of Quantitative Methods",
    "European Review of Sociology",
)
_PUBLISHERS = ("Academic Press", "University Press", "Routledge", "Policy Press")

#: Tokens that count as words: anything with a letter or digit (not ``|``, ``---``, ``-``).
_WORDLIKE = re.compile(r"\w")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def count_words(markdown: str) -> int:
    """Words in a manuscript's body: whitespace-separated tokens with a letter or digit."""
    body = _FRONT_MATTER.sub("", markdown, count=1)
    return sum(1 for token in body.split() if _WORDLIKE.search(token))


@dataclass(frozen=True, slots=True)
class _Entry:
    """One reference: its authors (family, initials), year and APA text."""

    authors: tuple[tuple[str, str], ...]
    year: int
    text: str


class _Writer:
    """Builds one manuscript, counting words as it goes."""

    def __init__(self, words: int, seed: int) -> None:
        self.target = words
        self.rng = random.Random(f"benchmarks.generate:{words}:{seed}")
        self.seed = seed
        # a (first author, year) pair names one work: at most half of the pairs are used,
        # so a manuscript of millions of words still finds free pairs quickly
        pairs = len(_FAMILIES) * (2025 - 1985 + 1)
        self.entries = self._entries(min(max(6, words // 400), pairs // 2))
        self.uncited = list(range(len(self.entries)))  # every entry is cited at least once
        self.lines: list[str] = []
        self.count = 0
        self.notes = 0
        self.tables = 0
        self.pending_notes: list[str] = []
        self.budget = words

    # ------------------------------------------------------------------ helpers

    def emit(self, *lines: str) -> None:
        for line in lines:
            self.lines.append(line)
            self.count += count_words(line)

    def phrase(self, low: int, high: int) -> str:
        rng = self.rng
        out: list[str] = []
        for _ in range(rng.randint(low, high)):
            kind = rng.random()
            if kind < 0.45:
                out.append(rng.choice(_NOUNS))
            elif kind < 0.7:
                out.append(rng.choice(_ADJECTIVES))
            elif kind < 0.85:
                out.append(rng.choice(_VERBS))
            else:
                out.append(rng.choice(("the", "of", "and", "in", "for", "with", "to", "a")))
        return " ".join(out)

    def title(self, low: int = 2, high: int = 5) -> str:
        text = self.phrase(low, high)
        return text[0].upper() + text[1:]

    # ------------------------------------------------------------------ references

    def _entries(self, count: int) -> list[_Entry]:
        rng = self.rng
        used: set[tuple[str, int]] = set()
        entries: list[_Entry] = []
        while len(entries) < count:
            family = rng.choice(_FAMILIES)
            year = rng.randint(1985, 2025)
            if (family, year) in used:  # a (first author, year) pair names one work
                continue
            used.add((family, year))
            others = rng.sample([f for f in _FAMILIES if f != family], rng.choice((0, 0, 1, 1, 2)))
            authors = tuple(
                (name, f"{rng.choice('ABCDEFGHJKLMNPRST')}.") for name in [family, *others]
            )
            entries.append(_Entry(authors, year, self._apa(authors, year)))
        entries.sort(key=lambda e: (e.authors[0][0], e.year))
        return entries

    def _apa(self, authors: tuple[tuple[str, str], ...], year: int) -> str:
        rng = self.rng
        names = [f"{family}, {initial}" for family, initial in authors]
        people = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f", & {names[-1]}"
        title = self.title(5, 11)
        if rng.random() < 0.75:
            volume, issue = rng.randint(3, 60), rng.randint(1, 6)
            first = rng.randint(1, 400)
            doi = f"https://doi.org/10.{rng.randint(1000, 9999)}/{rng.randint(100000, 999999)}"
            return (
                f"{people} ({year}). {title}. *{rng.choice(_JOURNALS)}*, *{volume}*({issue}), "
                f"{first}–{first + rng.randint(8, 30)}. {doi}"
            )
        return f"{people} ({year}). *{title}*. {rng.choice(_PUBLISHERS)}."

    def _pick(self) -> _Entry:
        if self.uncited:
            return self.entries[self.uncited.pop(self.rng.randrange(len(self.uncited)))]
        return self.rng.choice(self.entries)

    @staticmethod
    def _cited_names(entry: _Entry, joiner: str) -> str:
        families = [family for family, _ in entry.authors]
        if len(families) == 1:
            return families[0]
        if len(families) == 2:
            return f"{families[0]} {joiner} {families[1]}"
        return f"{families[0]} et al."

    def parenthetical(self) -> str:
        works = [self._pick() for _ in range(self.rng.choice((1, 1, 1, 2)))]
        if len(works) == 2 and works[0] is works[1]:
            works.pop()
        parts = [f"{self._cited_names(e, '&')}, {e.year}" for e in works]
        if len(parts) == 1 and self.rng.random() < 0.2:
            parts[0] += f", p. {self.rng.randint(2, 300)}"
        return "(" + "; ".join(parts) + ")"

    def narrative(self) -> str:
        entry = self._pick()
        return f"{self._cited_names(entry, 'and')} ({entry.year})"

    # ------------------------------------------------------------------ blocks

    def sentence(self) -> str:
        rng = self.rng
        words = self.phrase(6, 18)
        if rng.random() < 0.2:
            words = f"{rng.choice(_CONNECTORS)}, {words}"
        roll = rng.random()
        if roll < 0.25:
            text = f"{words} {self.parenthetical()}"
        elif roll < 0.35:
            text = f"{self.phrase(3, 6)}, as reported by {self.narrative()}, {self.phrase(3, 8)}"
        elif roll < 0.40:
            text = f"{words} and the *{rng.choice(_NOUNS)}* {rng.choice(_VERBS)} it"
        else:
            text = words
        text = text[0].upper() + text[1:] + "."
        if rng.random() < 0.03:
            self.notes += 1
            label = f"n{self.notes}"
            text += f"[^{label}]"
            self.pending_notes.append(f"[^{label}]: {self.title(6, 14)} {self.parenthetical()}.")
        return text

    def paragraph(self) -> None:
        self.emit(*(self.sentence() for _ in range(self.rng.randint(3, 7))), "")

    def bullet_list(self) -> None:
        ordered = self.rng.random() < 0.4
        items = self.rng.randint(3, 6)
        for index in range(1, items + 1):
            marker = f"{index}." if ordered else "-"
            self.emit(f"{marker} {self.title(4, 12)}.")
        self.emit("")

    def table(self) -> None:
        self.tables += 1
        rng = self.rng
        columns = rng.randint(3, 5)
        header = ["Measure", *(f"Group {chr(65 + i)}" for i in range(columns - 1))]
        self.emit("| " + " | ".join(header) + " |")
        self.emit("|" + "|".join(["---", *["---:"] * (columns - 1)]) + "|")
        for _ in range(rng.randint(3, 8)):
            cells = [rng.choice(_NOUNS), *(str(rng.randint(1, 999)) for _ in range(columns - 1))]
            self.emit("| " + " | ".join(cells) + " |")
        self.emit("", f"Table: {self.title(3, 8)}.", "")

    def quote(self) -> None:
        self.emit(f"> {self.sentence()}", f"> {self.sentence()}", "")

    def done(self) -> bool:
        return self.count >= self.budget and not self.uncited

    def subsection_body(self) -> None:
        rng = self.rng
        for _ in range(rng.randint(2, 4)):
            if self.done():
                return
            self.paragraph()
            roll = rng.random()
            if roll < 0.12:
                self.bullet_list()
            elif roll < 0.17:
                self.table()
            elif roll < 0.19:
                self.quote()

    def flush_notes(self) -> None:
        for note in self.pending_notes:
            self.emit(note, "")
        self.pending_notes.clear()

    # ------------------------------------------------------------------ document

    def front_matter(self) -> list[str]:
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"benchmarks:{self.target}:{self.seed}")
        return [
            "---",
            f"title: A Generated Study of {self.target:,} Words",
            "author: Benchmark Generator",
            "lang: en-US",
            "publisher: The Pipeline Team",
            "description: >-",
            "  A deterministic document for benchmarks: sections, citations, lists,",
            "  tables, footnotes and an APA reference list.",
            "keywords:",
            "  - benchmark",
            "  - generated text",
            f"identifier: urn:uuid:{ident}",
            "---",
            "",
        ]

    def document(self) -> str:
        references = [f"{n}. {e.text}" for n, e in enumerate(self.entries, start=1)]
        self.budget = self.target - sum(count_words(line) for line in references)
        self.paragraph()  # an introduction before the first heading
        section = 0
        while not self.done():
            section += 1
            self.emit(f"## {section}. {self.title()}", "")
            self.paragraph()
            for sub in range(1, self.rng.randint(2, 3) + 1):
                if self.done():
                    break
                self.emit(f"### {section}.{sub} {self.title()}", "")
                self.subsection_body()
            self.flush_notes()
        self.emit("## References", "", *references, "")
        return "\n".join(self.front_matter() + self.lines)


def generate(words: int, seed: int = 0) -> str:
    """A manuscript of about ``words`` words (±10%); the same arguments give the same text."""
    if words < 200:
        raise ValueError("generate at least 200 words")
    return _Writer(words, seed).document()


def footnotes(count: int) -> str:
    """A manuscript with ``count`` footnotes: one short paragraph citing each, then the notes
    (the shape that stresses note numbering, back-links and the notes section)."""
    lines = [
        "---",
        f"title: A Study in {count:,} Notes",
        "author: Benchmark Generator",
        "lang: en-US",
        f"identifier: urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'benchmarks:notes:{count}')}",
        "---",
        "",
        "## Notes everywhere",
        "",
    ]
    lines += [
        f"Sentence {n} makes a claim that needs a note.[^n{n}]\n" for n in range(1, count + 1)
    ]
    lines += [f"[^n{n}]: Note {n} says where the claim comes from.\n" for n in range(1, count + 1)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: write a generated manuscript to a file or standard output."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__)
    parser.add_argument("words", type=int, help="about how many words")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    text = generate(args.words, args.seed)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
