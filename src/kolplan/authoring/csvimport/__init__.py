"""``kolplan import FILE.csv`` (SPEC 11): plans from a CRM or spreadsheet export.

One job per module, in the order a run goes through them:

* :mod:`.reading`: the file's bytes, its encoding and delimiter, its records numbered as a
  spreadsheet shows them;
* :mod:`.columns`: which column is which field (header aliases, ``--mapping``);
* :mod:`.rows`: each row's values, checked and normalised, or why the row is bad;
* :mod:`.matching`: each row against the other rows and the portfolio (the KP302/KP303
  index): a new plan, a plan to complete, a conflict, a possible duplicate;
* :mod:`.writing`: the text of each new plan (as ``kolplan new`` writes it) and of each
  completed plan (the splices ``kolplan update`` makes), checked, then written;
* :mod:`.importer`: the run: all or nothing, ``--skip-bad``, ``--dry-run``, the summary.
"""
