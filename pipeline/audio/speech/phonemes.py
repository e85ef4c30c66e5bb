"""A lexicon's ``<phoneme>`` entries, written the way each engine takes phonemes.

Piper phonemises with espeak-ng to IPA and accepts IPA inline as
``[[ ... ]]``, so an IPA pronunciation reaches it as written. espeak-ng reads
phonemes in ``[[...]]`` too (with ``espeakPHONEMES``), but in its own ASCII
mnemonics (``t@m'A:toU``), so IPA is converted with the table below (the
common symbols of English, French, Spanish and German; PLS files may also give
``alphabet="x-espeak"`` to write mnemonics directly). gTTS takes no phonemes:
it reads the written word. Applied when an utterance is spoken, not in the
narration script, so ``narration.txt`` still shows the words.
"""

from __future__ import annotations

import re

#: IPA to espeak-ng phoneme mnemonics, longest first (diphthongs and affricates before
#: their parts). Symbols not listed pass through unchanged (p, b, t, d, k, m, n, f, v...).
IPA_TO_ESPEAK = (
    ("tʃ", "tS"), ("dʒ", "dZ"), ("eɪ", "eI"), ("aɪ", "aI"), ("ɔɪ", "OI"), ("oʊ", "oU"),
    ("aʊ", "aU"), ("əʊ", "@U"), ("ɪə", "i@"), ("eə", "e@"), ("ʊə", "U@"), ("iː", "i:"),
    ("uː", "u:"), ("ɑː", "A:"), ("ɔː", "O:"), ("ɜː", "3:"), ("ɝ", "3:"), ("ɚ", "3"),
    ("ˈ", "'"), ("ˌ", ","), ("ə", "@"), ("ɪ", "I"), ("ʊ", "U"), ("ɛ", "E"), ("æ", "a"),
    ("ɑ", "A"), ("ɒ", "0"), ("ɔ", "O"), ("ʌ", "V"), ("ɜ", "3"), ("ɐ", "a#"), ("θ", "T"),
    ("ð", "D"), ("ʃ", "S"), ("ʒ", "Z"), ("ŋ", "N"), ("ɹ", "r"), ("ʁ", "r"), ("ɾ", "*"),
    ("ɡ", "g"), ("ʔ", "?"), ("ç", "C"), ("ø", "Y"), ("œ", "W"), ("ʏ", "y"), ("ɲ", "n^"),
    ("ʎ", "l^"), ("β", "B"), ("ɣ", "Q"), ("ɦ", "h"), ("ɨ", "i"), ("\u0303", "~"), ("ː", ":"),
    (".", ""),
)  # fmt: skip


def ipa_to_espeak(ipa: str) -> str:
    """IPA as espeak-ng's phoneme mnemonics (spaces between words kept)."""
    out = ipa
    for symbol, mnemonic in IPA_TO_ESPEAK:
        out = out.replace(symbol, mnemonic)
    return out


def written_for(engine: str, sounds: str, alphabet: str) -> str | None:
    """What replaces the written word for ``engine``, or None if the engine cannot take it."""
    if engine == "piper" and alphabet == "ipa":
        return f"[[ {sounds} ]]"
    if engine == "pyttsx3":
        mnemonics = sounds if alphabet == "x-espeak" else ipa_to_espeak(sounds)
        return f"[[{mnemonics}]]"
    return None


def apply(
    text: str, engine: str, entries: tuple[tuple[str, str, str], ...]
) -> tuple[str, dict[str, str]]:
    """``text`` with each whole-word written form replaced by the engine's phonemes, and what
    each inserted block stood for (so word timings can name the written word again)."""
    table: dict[str, str] = {}
    for written, sounds, alphabet in entries:
        replacement = written_for(engine, sounds, alphabet)
        if replacement is not None and written not in table:
            table[written] = replacement
    if not table:
        return text, {}
    ordered = sorted(table, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in ordered))
    used: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        block = table[match.group()]
        used[block] = match.group()
        return block

    return pattern.sub(swap, text), used
