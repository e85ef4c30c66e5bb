"""Author names as reference lists write them, in the languages the headings cover.

``Osei, A. K., & van der Berg, P.`` (APA), ``Smith, J. and Doe, A.`` (Harvard),
``Smith, John, and Jane Doe`` (MLA), ``Berg, P. van der`` (particle after the
initials), ``King, M. L., Jr.``, ``World Health Organization [WHO]`` (a group and the
abbreviation its citations may use), ``Fernández, M., y Puig, J.`` (Spanish),
``Müller, H. u. a.``. Each name becomes a :class:`Person` with the surname as cited
(particles included: ``van der Berg``) and the given names or initials as written.
"""

from __future__ import annotations

import re

from pipeline.document.model import Person

#: Lowercase particles that belong to a surname (``van der Berg``, ``de la Cruz``).
PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "dei",
        "des",
        "di",
        "da",
        "das",
        "do",
        "dos",
        "du",
        "le",
        "la",
        "las",
        "los",
        "lo",
        "ten",
        "ter",
        "te",
        "bin",
        "binti",
        "ibn",
        "al",
        "el",
        "zu",
    }
)
_PARTICLE_WORD = re.compile(r"(?:al|el)-|(?:" + "|".join(sorted(PARTICLES)) + r")\Z")

#: Conjunctions between the last two authors: en, fr, es/pt/it, de, nl.
CONJUNCTIONS = ("and", "et", "y", "e", "und", "en")
_CONJ = "|".join(CONJUNCTIONS)
#: Where one author ends and the next begins: a comma, ``&``, or a conjunction after a
#: comma or an initial's period. ``Ortega y Gasset`` and ``Centers for Disease Control and
#: Prevention`` are one name each.
_SPLIT = re.compile(rf"\s*,\s*(?:(?:{_CONJ})\s+|&\s*)?|\s*&\s*|(?<=\.)\s+(?:{_CONJ})\s+")
#: ``et al.`` and its translations, and APA's ellipsis before the last of 21+ authors.
ET_AL = re.compile(
    r",?\s*(?:et\s+al\.?|et\s+alii|y\s+cols?\.|y\s+otros|u\.\s?a\.|et\s+coll\.|e\s+altri)",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(r",?\s*(?:\.\s?\.\s?\.|…)\s*")
#: Role markers after a name or list: ``(Ed.)``, ``(Eds.)``, ``(Hrsg.)``, ``(coord.)``.
_ROLE = re.compile(
    r"\s*\((?:Eds?|Hrsg|Hg|dir|dirs|coord|coords|comp|comps|ed|eds|éd|éds|trad|Trans)\.?\)",
    re.IGNORECASE,
)
#: Initials: ``J. E.``, ``J.E.``, ``J.-P.``, ``S. D. A.``, ``Ma.``, ``JE`` (up to three).
INITIALS = re.compile(
    r"(?:[A-ZÀ-ÞŁŚŻŹĆŃ](?:[a-z]|h)?\.\s*(?:-\s*)?)+\Z|[A-ZÀ-ÞŁŚŻŹĆŃ]{1,3}\Z"
    r"|(?:[A-ZÀ-ÞŁŚŻŹĆŃ](?:[a-z]|h)?\.[\s-]*)+(?:" + "|".join(sorted(PARTICLES)) + r")(?:\s+\w+)*\Z"
)
_SUFFIX = re.compile(r"(?:Jr|Sr|Jun|Sen|hijo|fils|II|III|IV|V)\.?\Z")
#: Suffixes that keep their period: ``Jr.``, ``Sr.`` (``III`` has none).
_ABBREVIATED_SUFFIX = re.compile(r"(?:Jr|Sr|Jun|Sen)\.\Z")
_ABBREVIATION = re.compile(r"\s*\[(?P<short>[^\]]{1,20})\]")


def _is_initials(token: str) -> bool:
    return bool(INITIALS.match(token))


def _given_names(token: str) -> bool:
    """``John``, ``Martin Luther``, ``Pieter van der``: given names written out, not a
    group's name or initials."""
    words = token.split()
    if not words or len(words) > 4 or _is_initials(token) or _SUFFIX.match(token):
        return False
    if not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w in PARTICLES for w in words) and not any(
        w.isupper() and len(w) > 1 for w in words
    )


def _move_particles(family: str, given: str) -> tuple[str, str]:
    """``Berg, P. van der`` → (``van der Berg``, ``P.``): the particle is part of the surname."""
    words = given.split()
    tail: list[str] = []
    while words and words[-1].lower() in PARTICLES and words[-1].islower():
        tail.insert(0, words.pop())
    if tail and words:
        return " ".join([*tail, family]), " ".join(words)
    return family, given


def _natural(token: str) -> Person:
    """``Jane van der Berg`` (given names first) → family ``van der Berg``, given ``Jane``."""
    words = token.split()
    at = len(words) - 1
    while at > 1 and (_PARTICLE_WORD.match(words[at - 1]) and words[at - 1].islower()):
        at -= 1
    if at >= 1 and _PARTICLE_WORD.match(words[at - 1]) and words[at - 1].islower() and at > 1:
        at -= 1
    return Person(" ".join(words[at:]), " ".join(words[:at]))


def _group(token: str) -> Person:
    found = _ABBREVIATION.search(token)
    if found:
        name = (token[: found.start()] + token[found.end() :]).strip(" .,")
        short = found["short"].strip()
        return Person(name, short=short) if name else Person(short or token)
    return Person(token.strip(" ,"))


def people(text: str) -> tuple[tuple[Person, ...], bool]:
    """The names in an author list, and whether it ends in ``et al.`` or an ellipsis."""
    text = " ".join(text.split())
    text = re.sub(r"\.\.(?!\.)", ".", _ROLE.sub("", text)).strip(" ,")
    truncated = False
    if (found := ET_AL.search(text)) is not None:
        text, truncated = text[: found.start()], True
    if _ELLIPSIS.search(text):  # APA's 21 or more authors: 19, an ellipsis, the last
        text, truncated = _ELLIPSIS.sub(", ", text).strip(" ,"), True
    # Brackets hold a group's abbreviation; keep them whole while splitting.
    shorts: list[str] = []

    def keep(match: re.Match[str]) -> str:
        shorts.append(match.group())
        return f"\x00{len(shorts) - 1}\x00"

    text = _ABBREVIATION.sub(keep, text)
    raw = [t.strip() for t in _SPLIT.split(text)]
    tokens = []
    for piece in raw:
        token = re.sub(r"\x00(\d+)\x00", lambda m: shorts[int(m.group(1))], piece)
        if token and not _is_initials(token) and not _ABBREVIATED_SUFFIX.match(token):
            token = token.rstrip(".").strip()
        if token:
            tokens.append(token)
    result: list[Person] = []
    # MLA and Chicago write the first author surname first and the others in natural
    # order: ``Smith, John, and Jane Doe``. APA and Harvard give initials throughout.
    natural_after_first = len(tokens) >= 3 and _given_names(tokens[1])
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if result and _SUFFIX.match(token) and result[-1].given:
            last = result[-1]
            result[-1] = Person(last.family, f"{last.given}, {token}", last.short)
            index += 1
            continue
        if "[" in token:
            result.append(_group(token))
            index += 1
            continue
        if following and _is_initials(following):
            family, given = _move_particles(token, following)
            result.append(Person(family, given))
            index += 2
            continue
        if index == 0 and natural_after_first and following:
            result.append(Person(token, following))
            index += 2
            continue
        if index > 0 and natural_after_first:
            result.append(_natural(token))
            index += 1
            continue
        if index == 0 and len(tokens) == 2 and _given_names(following):
            result.append(Person(*_move_particles(token, following)))  # "Smith, John"
            index += 2
            continue
        result.append(_group(token))
        index += 1
    return tuple(result), truncated
