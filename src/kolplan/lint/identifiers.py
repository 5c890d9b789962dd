"""Identifier checks (NPI, ORCID, email) and the normalisation that finds the same KOL twice."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# The address KP015 accepts; the JSON Schema (kolplan schema) carries the same pattern.
EMAIL_PATTERN: Final = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
_EMAIL: Final = re.compile(EMAIL_PATTERN)
_ORCID: Final = re.compile(r"^(\d{4})-(\d{4})-(\d{4})-(\d{3}[\dX])$")
_TITLES: Final = frozenset(
    {"dr", "prof", "professor", "doctor", "mr", "mrs", "ms", "miss", "sir", "dame", "md", "phd", "pharmd",
     "mph", "frcp", "facc", "do", "msc", "bsc", "mba", "jr", "sr", "ii", "iii", "pr", "priv", "doz", "med"}
)


def npi_problem(npi: str) -> str | None:
    """Why ``npi`` is not a valid US NPI (10 digits, Luhn over the 80840 prefix), or None."""
    if not (len(npi) == 10 and npi.isascii() and npi.isdigit()):
        return f"NPI '{npi}' should be exactly 10 digits"
    total = 0
    for i, ch in enumerate(reversed("80840" + npi[:9])):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    check = (10 - total % 10) % 10
    if check != int(npi[9]):
        return f"NPI '{npi}' has a wrong check digit (expected {check} last): copy it again from NPPES"
    return None


def orcid_problem(orcid: str) -> str | None:
    """Why ``orcid`` is not a valid ORCID iD (ISO 7064 11,2 check character), or None."""
    m = _ORCID.match(orcid)
    if not m:
        return f"ORCID '{orcid}' should look like 0000-0002-1825-0097"
    digits = "".join(m.groups())
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        return f"ORCID '{orcid}' has a wrong check character (expected {expected} last): copy it again from orcid.org"
    return None


def email_problem(email: str) -> str | None:
    if not _EMAIL.match(email):
        return f"email '{email}' is not a valid address (name@domain.tld)"
    return None


def normalize_identifier(kind: str, value: str) -> str:
    """The form two identifiers are compared in: emails case-insensitively, others by their text."""
    value = value.strip()
    if kind == "email":
        return value.casefold()
    if kind == "orcid":
        return value.upper()
    return value


def normalize_name(name: str) -> str:
    """A person's name for matching (SPEC 7 KP303): see :func:`_words` for case, accents and
    punctuation; titles (Dr, Prof, MD, ...) and middle initials are then left out.

    >>> normalize_name("Prof. Dr. José  A. Martínez-Ruiz, MD")
    'jose martinez ruiz'
    >>> normalize_name("Siobhán O’Brien") == normalize_name("Siobhan OBrien")
    True
    """
    words = _words(name)
    kept = [w for w in words if w not in _TITLES]
    if len(kept) > 2:
        kept = [kept[0]] + [w for w in kept[1:-1] if len(w) > 1] + [kept[-1]]
    return " ".join(kept)


def normalize_institution(name: str) -> str:
    """An institution's name for matching (SPEC 7 KP303): see :func:`_words`.

    >>> normalize_institution("King’s College Hospital") == normalize_institution("Kings College Hospital")
    True
    >>> normalize_institution("St. Thomas' & Guy's")
    'saint thomas and guys'
    """
    return " ".join(_words(name))


def _words(text: str) -> list[str]:
    """The words of a name, as KP303, ``kolplan new`` and ``import`` compare them.

    * Case and accents are ignored (``Müller`` = ``muller``; ß, ø, æ, đ, ł spelt out).
    * Apostrophes and quotation marks (' ’ ‘ ʼ ` ´ ′ " “ ” and the like) are deleted, not
      turned into a space: ``King's`` = ``Kings`` = ``Kings'``, ``O'Brien`` = ``OBrien``.
    * ``&`` is the word ``and``; the word ``St`` or ``St.`` is ``saint``.
    * Every other punctuation mark (hyphens and dashes, full stops, commas, slashes,
      brackets, ...) separates words. Hyphens on purpose: ``Jean-Luc`` = ``Jean Luc`` and
      ``Martínez-Ruiz`` = ``Martínez Ruiz`` are how the same person is written in two
      systems, while ``Jeanluc`` is not; a full stop ends an initial or an abbreviation
      (``J.A. Smith`` has the initials J and A, ``St.Mary`` is St Mary).
    """
    folded = _DELETED.sub("", text.casefold())
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        folded = _DELETED.sub("", folded)  # a full-width apostrophe decomposes to one
        folded = (folded.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("đ", "d")
                  .replace("ł", "l"))
    words = _SEPARATOR.sub(" ", folded.replace("&", " and ")).split()
    return [_WORD_FOR.get(w, w) for w in words]


# Deleted: apostrophes, primes, grave and acute accents written on their own, quotation marks.
_DELETED: Final = re.compile("['\u2018\u2019\u201a\u201b\u02bc\u02b9\u02bb\u02bd\u0060\u00b4\u2032"
                             '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a]')
_SEPARATOR: Final = re.compile(r"[\W_]+")
_WORD_FOR: Final = {"st": "saint"}
