"""What a person does about each rule's finding, in plain words: the one table the quarterly
review's "Needs action" and its appendix read (SPEC 8: "what to do in plain words, never a
YAML key").

A diagnostic's message tells the plan's editor which key to change; this tells the reader of
the review what the team has to do. Keep each a short imperative phrase with no YAML key,
no handle and no command. ``tests/rules/test_actions.py`` checks that every registered rule
has one. Plain constants only: importing this module costs nothing.
"""

from __future__ import annotations

from typing import Final

ACTIONS: Final[dict[str, str]] = {
    # reading and schema: the plan cannot be used until its file is fixed
    "KP001": "fix the plan file so that it reads as YAML",
    "KP002": "fix the plan file, which writes a field twice",
    "KP003": "fix the plan file, which cannot be read as a plan",
    "KP010": "fix the plan file, which misses a field or has a wrong value",
    "KP011": "give the plan the id its file name says",
    "KP012": "name a person the organisation knows as owner or author",
    "KP013": "fix the plan's links between activities and objectives",
    "KP014": "correct dates recorded in the future or a period that ends before it starts",
    "KP015": "correct the KOL's NPI, ORCID or email",
    "KP016": "merge the two plans kept under one id",
    # plan quality
    "KP101": "link each activity to the objective it serves",
    "KP102": "give each objective a metric, a target and a due date",
    "KP103": "say what the KOL gains from each objective",
    "KP104": "complete the KOL's profile with the KOL",
    "KP105": "ask the KOL how satisfied they are and record the score",
    "KP106": "review the plan with the KOL",
    "KP107": "act on the KOL's feedback and record the response",
    "KP108": "set a next review date and name the stakeholders",
    "KP109": "plan an activity for each open objective",
    # timeliness
    "KP201": "get in touch with the KOL",
    "KP202": "hold or reschedule the activities whose date has passed",
    "KP203": "close or re-date the objectives past their due date",
    "KP204": "hold the overdue plan review",
    "KP205": "renew or close the expired plan",
    "KP206": "spread out or cut the time asked of the KOL this quarter",
    "KP207": "move activities inside the plan period or extend the period",
    # ownership
    "KP301": "agree one lead for the KOL",
    "KP302": "merge the duplicate plans for this KOL",
    "KP303": "check whether two plans describe the same KOL",
    "KP304": "add the department running activities to the plan, or hand them over",
    "KP305": "tell the plan's lead about contacts made outside the plan",
    "KP306": "combine or space out engagements two departments planned close together",
    # compliance
    "KP401": "bring the fee within fair-market value and record the hours",
    "KP402": "bring the KOL's compensation back under the annual cap",
    "KP403": "hand the activity to the function allowed to run it",
    "KP404": "remove promotional wording from the notes",
    "KP405": "check planned fees against the annual cap before committing more",
    "KP406": "ask the KOL for consent to individual disclosure",
    "KP407": "record the KOL's NPI for the Open Payments report",
    "KP408": "document why this KOL was chosen for the paid activity",
    # privacy
    "KP501": "send the KOL the privacy notice and record the lawful basis",
    # suppressions
    "KP901": "remove the suppression comment that no longer suppresses anything",
}


def action_for(code: str) -> str:
    """The plain-language action for a rule ``code`` (a generic one for a code not in the table)."""
    return ACTIONS.get(code, "review the plan's open findings")
