"""What ``kolplan shortlist`` is asked, and the one table of its weights (SPEC 14).

Plain data and plain functions only: the request travels to the workers with the
projection, and the weights and word tables are what ``--format json`` prints and the
README explains. Change a weight here and every output says so.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, NamedTuple

from kolplan.errors import UsageError
from kolplan.lint.identifiers import normalize_institution
from kolplan.schema.countries import ALIASES, ISO_3166_ALPHA2
from kolplan.vocabulary import ACTIVITY_TYPES, ActivityType

# The engagement being planned is added to each plan as one more ``planned`` activity with
# this id, owned by this handle (a person of the ``--by`` department, added to a copy of
# the configuration): the rules' messages then name it as "activity (proposed)".
PROPOSED_ID: Final = "(proposed)"
BY_HANDLE: Final = "(--by)"


class Weight(NamedTuple):
    points: int
    why: str  # when it applies, in one line (README, --format json)


# Every point a KOL can get or lose, in the order the reasons are shown. A reason's
# points are its weight times its count (words matched, engagements found), never more.
WEIGHTS: Final[dict[str, Weight]] = {
    "topic-interest": Weight(3, "per word of the topic found in the KOL's scientific interests"),
    "topic-area": Weight(1, "per word of the topic found in the KOL's therapeutic areas"),
    "wants-engagement": Weight(2, "the KOL's professional objectives or desires name this kind of engagement "
                                  "(the words of ENGAGEMENT_WORDS for the type), once"),
    "satisfied": Weight(1, "the latest satisfaction score of the last 365 days is 9 or 10 (a promoter)"),
    "repeat": Weight(-2, "per planned or done activity of the same type dated within 365 days of the "
                         "engagement's date (the OIG's repeat-attendee concern)"),
    "load": Weight(-1, "half of the tier's hours per quarter or more already asked in the engagement's "
                       "calendar quarter (KP206's count)"),
    "overload": Weight(-3, "with the engagement's hours the quarter goes above the tier's limit (KP206)"),
    "collision": Weight(-2, "per planned activity of another department within coordination.window_days "
                            "of the engagement's date (KP306's pairs, with --by)"),
    "cap-near": Weight(-2, "with the fee, the year's compensation is at 80% of the annual cap or more, so "
                           "20% or less of it is left (KP405)"),
    "check-in-overdue": Weight(-1, "the check-in is overdue (KP201)"),
}

# Words in a KOL's professional objectives or desires that say they want an engagement of
# this type (seed 001: "supporting the KOLs desire to build their own profile"): a podium,
# a board, research... Matched as the topic's words are (case, accents, a final s).
ENGAGEMENT_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "advisory-board": ("board", "advisory", "advise", "adviser", "advisor", "consensus", "steering"),
    "speaker-program": ("podium", "speaker", "speak", "speaking", "talk", "lecture", "present", "presentation",
                        "platform", "visibility", "recognition"),
    "investigator-initiated-study": ("research", "investigator", "study", "trial", "pi", "principal"),
    "clinical-trial": ("trial", "investigator", "study", "pi", "principal", "research"),
    "consulting": ("consult", "consulting", "consultant", "advise", "adviser", "advisor", "expertise"),
    "grant": ("grant", "funding", "fund", "funded"),
    "publication": ("publish", "publication", "authorship", "author", "paper", "manuscript", "journal",
                    "guideline", "guidance"),
    "presentation": ("present", "presentation", "talk", "podium", "congress", "poster", "lecture", "speaker"),
    "education": ("teach", "teaching", "education", "mentor", "mentoring", "training", "fellow", "lecturer"),
    "research-collaboration": ("research", "collaboration", "registry", "network", "study", "trial"),
    "scientific-exchange": ("exchange", "discussion", "data", "consensus", "forum"),
    "medical-information": ("information", "data"),
    "check-in": (),
    "other": (),
}

# Words of a topic that say nothing about it.
STOP_WORDS: Final = frozenset({
    "a", "an", "and", "the", "of", "in", "on", "for", "with", "to", "or", "at", "by", "from", "vs", "versus",
    "into", "about", "its", "their",
})
SIZE_DEFAULT: Final = 10


def stem(word: str) -> str:
    """The form two words are compared in: a final ``s`` is ignored on words of four letters or
    more (``trials`` = ``trial``, ``biomarkers`` = ``biomarker``; ``ss`` stays: ``class``)."""
    return word[:-1] if len(word) >= 4 and word.endswith("s") and not word.endswith("ss") else word


def words(text: str) -> list[str]:
    """The words of ``text`` as the shortlist compares them: case and accents ignored,
    punctuation separates words (``CAR-T`` is ``car`` ``t``), as KP303 compares names."""
    return normalize_institution(text).split()


def topic_words(topic: str) -> dict[str, str]:
    """The topic's words to look for: their stem -> the word as written (stop words left out),
    in the topic's order."""
    out: dict[str, str] = {}
    for w in words(topic):
        if w not in STOP_WORDS:
            out.setdefault(stem(w), w)
    return out


@dataclass(frozen=True)
class Request:
    """The engagement being planned and whom to consider (SPEC 14)."""

    type: ActivityType
    topic: str
    date: dt.date
    as_of: dt.date
    hours: float | None = None
    compensation: float | None = None
    by: str | None = None  # the department that would own it
    tas: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    size: int = SIZE_DEFAULT

    @property
    def year(self) -> int:
        return self.date.year

    def to_json(self) -> dict[str, object]:
        return {"for": self.type, "topic": self.topic, "date": self.date.isoformat(),
                "as_of": self.as_of.isoformat(), "hours": self.hours, "compensation": self.compensation,
                "by": self.by, "ta": list(self.tas), "tier": list(self.tiers), "country": list(self.countries),
                "size": self.size}


def weights_json() -> dict[str, dict[str, object]]:
    return {k: {"points": w.points, "when": w.why} for k, w in WEIGHTS.items()}


# -- checking what the command line says (UsageError: exit 2) -------------------------------------
def check_type(value: str) -> ActivityType:
    """``--for``: an activity type, with a suggestion for a near miss."""
    for known in ACTIVITY_TYPES:
        if value == known:
            return known
    guess = difflib.get_close_matches(value.strip().lower(), ACTIVITY_TYPES, n=1, cutoff=0.5)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    raise UsageError(f"--for {value}: not an activity type; {hint}choose one of {', '.join(ACTIVITY_TYPES)}")


def check_topic(value: str) -> str:
    if not topic_words(value):
        raise UsageError(f"--topic {value!r}: no word to look for; give the subject in a few words, e.g. "
                         "--topic 'MRD in CLL'")
    return value


def parse_number(value: str | None, option: str) -> float | None:
    """``--hours`` and ``--compensation``: a number of zero or more (exit 2 otherwise)."""
    if value is None:
        return None
    try:
        number = float(value.strip().replace("_", "x"))  # 1_000 is not a number here, as in plans
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise UsageError(f"{option} {value}: not a number of zero or more; write it as e.g. 4 or 1800")
    return number


def parse_size(value: str | None) -> int:
    if value is None:
        return SIZE_DEFAULT
    if not value.strip().isdigit() or int(value) < 1:
        raise UsageError(f"--size {value}: not a whole number of 1 or more; e.g. --size 5")
    return int(value)


def check_countries(values: Iterable[str]) -> tuple[str, ...]:
    """``--country``: ISO 3166-1 alpha-2 codes (any case; comma-separated or repeated)."""
    out: list[str] = []
    for value in values:
        for code in (c.strip().upper() for c in value.split(",")):
            if not code:
                continue
            if code not in ISO_3166_ALPHA2:
                alias = ALIASES.get(code)
                hint = f"did you mean '{alias}'? " if alias else ""
                raise UsageError(f"--country {code}: not an ISO 3166-1 country code; {hint}write two letters, "
                                 "e.g. GB, DE, US")
            if code not in out:
                out.append(code)
    return tuple(out)


def split_values(values: Iterable[str]) -> tuple[str, ...]:
    """``--tier global,national --tier local`` -> (global, national, local), in order, once each."""
    return tuple(dict.fromkeys(t.strip() for v in values for t in v.split(",") if t.strip()))
