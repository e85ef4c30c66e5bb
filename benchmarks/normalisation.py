"""Text normalisation score: how often the narration says what a person would say.

The cases are fixture files, ``tests/fixtures/spoken/<lang>.txt``: one
``written => spoken`` pair a line, written from what authors write (APA articles,
books, newspapers), with ``||`` between acceptable readings. The program's reading
of the written side (``spoken.speak``: normalisation and sentence segmentation,
as the narration does it) and each expected reading go through the same phonemiser,
espeak-ng's text-to-phonemes (the ``espeakng-loader`` wheel), so spelling and
hyphens do not count and ``one hundred twenty`` equals ``one hundred and twenty``.
A case passes when the phonemes are equal. Besides the phonemes, the spoken text
must not stutter: no ``..``, ``?.``, ``:;`` or ``,.``.

    python -m benchmarks.normalisation           # the table, per language and class
    python -m benchmarks.normalisation --failures

espeak-ng runs in a child process: pyttsx3 loads the same library with
``RTLD_GLOBAL`` in the parent's tests, and espeak-ng keeps global state.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fixtures" / "spoken"
LANGUAGES = ("en", "fr", "es", "de")
VOICES = {"en": "en", "en-us": "en-us", "fr": "fr", "es": "es", "de": "de"}
TARGET = 0.95
_STUTTER = re.compile(r"(?<!\.)\.\.(?!\.)|[?!]\.|[:;,][;:.]|,,")


@dataclass(frozen=True, slots=True)
class Case:
    """One written text and what a person reading it aloud says."""

    written: str
    expected: tuple[str, ...]
    locale: str
    group: str
    line: int


@dataclass(slots=True)
class Result:
    """A case with the program's reading and whether it passed."""

    case: Case
    spoken: str
    passed: bool
    why: str = ""


@dataclass(slots=True)
class Score:
    """One language's results."""

    lang: str
    results: list[Result] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return sum(r.passed for r in self.results) / len(self.results) if self.results else 0.0

    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.passed]


def load_cases(path: Path) -> list[Case]:
    """Parse a fixture file: ``@ locale`` lines, ``## group`` headings, ``a => b || c``."""
    cases: list[Case] = []
    locale = path.stem
    group = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("@"):
            locale = line[1:].strip()
        elif line.startswith("## "):
            group = line[3:].strip()
        else:
            written, arrow, expected = line.partition(" => ")
            if not arrow:
                raise ValueError(f"{path}:{number}: a case is 'written => spoken'")
            readings = tuple(e.strip() for e in expected.split("||"))
            cases.append(Case(written.strip(), readings, locale, group, number))
    return cases


# --------------------------------------------------------------------------- phonemes

_CHILD = r"""
import ctypes, json, os, sys
import espeakng_loader
data = espeakng_loader.get_data_path()
os.environ["ESPEAK_DATA_PATH"] = data
lib = ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_LOCAL)
if lib.espeak_Initialize(2, 0, os.path.dirname(data).encode(), 0x8000) <= 0:
    sys.exit("espeak-ng did not start")
lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
out = []
for voice, text in json.load(sys.stdin):
    lib.espeak_SetVoiceByName(voice.encode())
    buffer = ctypes.create_string_buffer(text.encode())
    pointer = ctypes.c_void_p(ctypes.addressof(buffer))
    said = []
    while pointer.value:
        said.append(lib.espeak_TextToPhonemes(ctypes.byref(pointer), 1, 2).decode())
    out.append(" ".join(said))
json.dump(out, sys.stdout)
"""


def phonemise(items: list[tuple[str, str]]) -> list[str]:
    """(voice, text) pairs -> IPA phonemes, from espeak-ng in one child process."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return list(json.loads(done.stdout))


def canonical(phonemes: str, lang: str) -> str:
    """Phonemes without stress, length, syllable or word marks; optional "and" in numbers."""
    text = re.sub(r"[ˈˌː\s\-_‿|.,;:!?()'\"]", "", phonemes)
    if lang == "en":
        # "one hundred and twenty" = "one hundred twenty"; "a hundred" = "one hundred"
        text = re.sub(r"(hʌndɹɪd|θaʊzənd|mɪliən|mɪljən)(ænd|ənd|and|ən)", r"\1", text)
        text = text.replace("nɔːt", "zɪəɹəʊ").replace("nɔt", "zɪəɹəʊ")
    if lang == "fr":
        # the mute e and a final consonant before another word come and go in French
        # speech ("quatre-vingts", "cinq mille"): espeak-ng says them for digits only
        # and so do liaisons in numbers ("cents euros", "vingt-quatre")
        text = text.replace("ə", "").replace("sɛ̃k", "sɛ̃").replace("yit", "yi")
        text = text.replace("vɛ̃t", "vɛ̃").replace("sɑ̃z", "sɑ̃")
    if lang == "es":
        # open and closed vowels, and the soft d, b, g, are allophones in Spanish:
        # espeak-ng chooses them differently for digits and for words
        # (and so are the nasal before b or g and the glide in "ie", "iu")
        text = text.translate(str.maketrans("ɛɔðβɣŋjɪʊ", "eodbgniiu")).replace("mb", "nb")
    if lang == "de":
        # espeak-ng reads a long compound ("fünfundvierzig") with other vowel reductions
        # and final devoicing than the same number in digits; the words are the same
        # (it even says "v" in "vierzig" and drops the "h" of "hundert" inside a compound),
        # so voicing, vowel length and reduction, and "h" do not count in German
        text = text.translate(str.maketrans("ɾvɪɛdʊ", "rfiətu")).replace("h", "")
        text = re.sub(r"(.)\1", r"\1", text)
        text = re.sub(r"ain(untɜt|tauzənt)", r"\1", text)  # "einhundert" = "hundert"
    return text


def _voice(locale: str) -> str:
    tag = locale.lower()
    return VOICES.get(tag, VOICES.get(tag.split("-")[0], "en"))


def score(lang: str, path: Path | None = None) -> Score:
    """Run one language's cases through the program and the phonemiser."""
    from pipeline.formats import spoken

    cases = load_cases(path or CASES / f"{lang}.txt")
    said = [" ".join(spoken.speak(c.written, c.locale)) for c in cases]
    items: list[tuple[str, str]] = []
    for case, text in zip(cases, said, strict=True):
        voice = _voice(case.locale)
        items.append((voice, text))
        items.extend((voice, e) for e in case.expected)
    phonemes = iter(phonemise(items))
    result = Score(lang)
    for case, text in zip(cases, said, strict=True):
        ours = canonical(next(phonemes), lang)
        wanted = [canonical(next(phonemes), lang) for _ in case.expected]
        if _STUTTER.search(text):
            result.results.append(Result(case, text, False, "stutters"))
        elif ours in wanted:
            result.results.append(Result(case, text, True))
        else:
            result.results.append(Result(case, text, False, "reads differently"))
    return result


def table(scores: list[Score]) -> str:
    """A Markdown table: language, cases, passed, score against the target."""
    lines = [
        "| language | cases | passed | score | target |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for s in scores:
        passed = sum(r.passed for r in s.results)
        lines.append(f"| {s.lang} | {len(s.results)} | {passed} | {s.ratio:.1%} | {TARGET:.0%} |")
    return "\n".join(lines)


def report_failures(scores: list[Score]) -> str:
    """Each failing case: where it is, what was written, what we said, what was expected."""
    out: list[str] = []
    for s in scores:
        for r in s.failures():
            out.append(
                f"{s.lang}.txt:{r.case.line} [{r.case.group}] {r.why}\n"
                f"  written:  {r.case.written}\n  spoken:   {r.spoken}\n"
                f"  expected: {' || '.join(r.case.expected)}"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Print the per-language table (and the failures with ``--failures``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--failures", action="store_true", help="list every failing case")
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES))
    args = parser.parse_args(argv)
    scores = [score(lang) for lang in args.languages]
    print(table(scores))
    if args.failures:
        print()
        print(report_failures(scores))
    return 0 if all(s.ratio >= TARGET for s in scores) else 1


if __name__ == "__main__":
    raise SystemExit(main())
