"""``kolplan shortlist`` (SPEC 14): a transparent shortlist of KOLs for an engagement.

* :mod:`~kolplan.views.shortlist.request`: the request, the weights and the word tables;
* :mod:`~kolplan.views.shortlist.assess`: one KOL, in the worker that parsed its plan:
  eligibility by the rules themselves, then points with a reason each;
* :mod:`~kolplan.views.shortlist.build`: the run, the ownership errors, the order;
* :mod:`~kolplan.views.shortlist.markdown`: the record a compliance reviewer files.

kolplan does not choose: it lays the evidence side by side.
"""
