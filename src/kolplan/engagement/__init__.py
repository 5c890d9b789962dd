"""Engagements in time and money: the one computation behind coordination, the review,
disclosure and the shortlist.

A plan's dated ``planned`` and ``done`` activities become :class:`~kolplan.engagement.items.Engagement`
records (who runs it, in which department, when, how long, what it pays);
:mod:`~kolplan.engagement.collisions` finds two departments asking for the same KOL
within the coordination window (KP306), :mod:`~kolplan.engagement.load` adds up the
hours asked per calendar quarter by department (KP206), and
:mod:`~kolplan.engagement.payments` lists every transfer of value (fees and expenses)
with the day it was paid (KP402/KP405, ``disclose``), and
:mod:`~kolplan.engagement.disclosure` says where each one is reportable and why (Open
Payments de minimis and natures, EFPIA categories and consent: ``disclose``, KP406/KP407,
the review's "reportable so far this year").

Plain functions of a plan, a config view and numbers: the rules call them on the plan
they check, the views call them in the worker that parsed the plan (through
:func:`kolplan.views.loader.load_plans`). No CLI, no rich, no pydantic at import time.
"""
