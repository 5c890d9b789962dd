"""The product's words, written once: KOL tiers, objective statuses, the seven KOL-centred
questions, the names of a KOL's identifiers, interaction channels and satisfaction sources.

The rules, the documents, the tables and the models import them from here, so that a
word changed here changes everywhere it is shown. Plain constants only (nothing but
:mod:`typing` is imported): any module may import this one without a cycle or a cost
at start-up.
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple, get_args

# -- KOLs ---------------------------------------------------------------------------------------
# A KOL's tier, widest reach first. The plan model needs a Literal; the tuple is read from it.
Tier = Literal["global", "national", "regional", "local", "rising"]
TIERS: Final[tuple[Tier, ...]] = get_args(Tier)
# How a KOL was met (``kolplan log --channel``), and how a satisfaction score was measured
# (``kolplan score --source``). The plan model needs the Literals; the tuples are read from them.
Channel = Literal["in-person", "virtual", "phone", "email", "congress", "other"]
CHANNELS: Final[tuple[Channel, ...]] = get_args(Channel)
SatisfactionSource = Literal["survey", "interview", "other"]
SOURCES: Final[tuple[SatisfactionSource, ...]] = get_args(SatisfactionSource)


# -- objectives ---------------------------------------------------------------------------
# An objective's status, in the order every table and count shows them. The plan model
# needs a Literal; the tuple is read from it.
ObjectiveStatus = Literal["not-started", "on-track", "at-risk", "achieved", "missed", "dropped"]
OBJECTIVE_STATUSES: Final[tuple[ObjectiveStatus, ...]] = get_args(ObjectiveStatus)
DEFAULT_OBJECTIVE_STATUS: Final[ObjectiveStatus] = "not-started"  # an objective that gives none
# Statuses that end an objective: it is no longer due, overdue or waiting for an activity.
CLOSED_STATUSES: Final = frozenset({"achieved", "missed", "dropped"})


# What an objective's metric measures, MAPS-style (``impact:``), from engagement to patients:
# the review counts outcomes by these levels, in this order.
ImpactLevel = Literal["activity", "satisfaction", "knowledge", "competence", "practice", "patient-outcome"]
IMPACT_LEVELS: Final[tuple[ImpactLevel, ...]] = get_args(ImpactLevel)


# -- activities and transfers of value -------------------------------------------------------
# What kind of activity (``type:``); the plan model needs the Literal, ``shortlist --for`` the tuple.
ActivityType = Literal[
    "advisory-board", "speaker-program", "investigator-initiated-study", "clinical-trial", "consulting", "grant",
    "publication", "presentation", "education", "research-collaboration", "scientific-exchange",
    "medical-information", "check-in", "other",
]
ACTIVITY_TYPES: Final[tuple[ActivityType, ...]] = get_args(ActivityType)
# Activity statuses; only ``planned`` and ``done`` activities take the KOL's time or commit money.
ActivityStatus = Literal["planned", "done", "cancelled"]
ACTIVITY_STATUSES: Final[tuple[ActivityStatus, ...]] = get_args(ActivityStatus)
LIVE_STATUSES: Final = frozenset({"planned", "done"})
# A transfer of value other than the fee (``expenses: - {kind: travel, amount: 420}``).
ExpenseKind = Literal["travel", "lodging", "meals", "registration", "other"]
EXPENSE_KINDS: Final[tuple[ExpenseKind, ...]] = get_args(ExpenseKind)


# -- the KOL-centred questions --------------------------------------------------------------
class KolQuestion(NamedTuple):
    field: str  # the key under ``kol:``
    question: str  # as KP104 (profile-incomplete) asks it; the JSON Schema's description (but relationships')
    heading: str  # as the plan document (``kolplan render``) asks it over the answers


# The seven KOL-centred questions of seed 001, in its order. The scaffold ``kolplan new``
# writes (templates/plan.yaml.j2) asks them in its own comments.
KOL_QUESTIONS: Final = (
    KolQuestion("preferred_channels", "How do they prefer to be engaged?", "How do they prefer to be engaged?"),
    KolQuestion("scientific_interests", "What are their scientific interests?",
                "What are their scientific interests?"),
    KolQuestion("professional_objectives", "What are their professional objectives?",
                "What are their professional objectives?"),
    KolQuestion("relationships", "What are their existing relationships with us and others?",
                "What relationships do they have with us and with other organisations?"),
    KolQuestion("share_of_scientific_voice", "What is their Share of Scientific Voice?",
                "What is their Share of Scientific Voice?"),
    KolQuestion("desires", "What do they desire?", "What do they desire?"),
    KolQuestion("relationship_expectations", "What do they want out of a good relationship?",
                "What do they want out of a good relationship?"),
)
QUESTION: Final = {q.field: q.question for q in KOL_QUESTIONS}  # field -> question


# -- identifiers ------------------------------------------------------------------------------
# The identifiers that recognise one KOL in two plans (``kol.identifiers``), in the order the
# plan lists them: key -> how a message or a document names it.
IDENTIFIER_LABELS: Final = {"crm_id": "CRM id", "npi": "NPI", "orcid": "ORCID", "email": "email"}
