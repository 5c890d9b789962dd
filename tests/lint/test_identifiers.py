"""identifiers.normalize_name / normalize_institution: the one normalisation KP303, ``new`` and
``import`` share (SPEC 7 KP303)."""

from __future__ import annotations

import doctest

import pytest

from kolplan.lint import identifiers
from kolplan.lint.identifiers import normalize_institution, normalize_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # apostrophes are deleted, not turned into a space (issue 15)
        ("Kings College Hospital", "King's College Hospital"),
        ("Kings College Hospital", "Kings' College Hospital"),
        ("Kings College Hospital", "King\u2019s College Hospital"),   # typographic apostrophe
        ("Kings College Hospital", "King\u02bcs College Hospital"),   # modifier letter apostrophe
        ("Kings College Hospital", "King`s College Hospital"),
        ("Kings College Hospital", "King\u00b4s College Hospital"),   # acute accent typed as one
        ("Kings College Hospital", "King\uff07s College Hospital"),   # full-width apostrophe
        ("Guy's and St Thomas'", "Guys & Saint Thomas"),
        # & is "and"
        ("Texas A&M University", "Texas A and M University"),
        ("Mayo Clinic & Foundation", "Mayo Clinic and Foundation"),
        # St / St. is Saint, as a word
        ("St Thomas' Hospital", "Saint Thomas Hospital"),
        ("St. Thomas Hospital", "Saint Thomas Hospital"),
        ("St.Thomas Hospital", "saint thomas hospital"),
        ("Hôpital St-Louis", "Hopital Saint Louis"),
        # case, accents, other punctuation
        ("Charité – Universitätsmedizin Berlin", "CHARITE UNIVERSITATSMEDIZIN, BERLIN"),
        ("Universitätsklinikum Köln", "Universitatsklinikum Koln"),
        ("Rigshospitalet (Copenhagen)", "Rigshospitalet Copenhagen"),
    ],
)
def test_institutions_that_match(a: str, b: str) -> None:
    assert normalize_institution(a) == normalize_institution(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kings College Hospital", "King College Hospital"),
        ("Kings College Hospital", "Kings College London"),
        ("St Thomas Hospital", "Stanford Hospital"),       # "St" only as a whole word
        ("Stockholm University", "Saint ockholm University"),
        ("A&M University", "AM University"),
        ("Hospital Example", "Hospital Examples"),
    ],
)
def test_institutions_that_do_not_match(a: str, b: str) -> None:
    assert normalize_institution(a) != normalize_institution(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siobhán O'Brien", "Siobhan OBrien"),
        ("Siobhán O\u2019Brien", "siobhan obrien"),
        ("Prof. Dr. Jane A. Okafor, MD", "Jane Okafor"),       # titles, middle initial
        ("Dr Jane A.B. Okafor", "Jane Okafor"),                # two initials run together
        ("Jane Okafor PhD", "jane okafor"),
        ("José Martínez-Ruiz", "Jose Martinez Ruiz"),          # hyphen: a word break
        ("Jean-Luc Martin", "Jean Luc Martin"),
        ("Hans Müller", "HANS MULLER"),
        ("Maria St. John", "Maria Saint John"),
        ("Lars Østergård", "Lars Ostergard"),
    ],
)
def test_names_that_match(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jane Okafor", "Janet Okafor"),
        ("Jane Okafor", "Jane Okafor-Smith"),
        ("Jean-Luc Martin", "Jeanluc Martin"),   # the hyphen separates; it is not deleted
        ("J. Okafor", "Jane Okafor"),            # a first initial is kept, not a wildcard
        ("Ann Lee", "Anne Lee"),
    ],
)
def test_names_that_do_not_match(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


def test_the_forms_compared() -> None:
    assert normalize_institution("King's College Hospital") == "kings college hospital"
    assert normalize_institution("St. Mary's & St Anne's") == "saint marys and saint annes"
    assert normalize_name("Prof. Dr. José  A. Martínez-Ruiz, MD") == "jose martinez ruiz"


def test_docstring_examples() -> None:
    result = doctest.testmod(identifiers)
    assert result.attempted > 0 and result.failed == 0
