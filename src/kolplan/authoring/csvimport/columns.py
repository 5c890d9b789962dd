"""Which column is which field: headers recognised case- and punctuation-insensitively,
with the names common exports use (one table, :data:`ALIASES`), and ``--mapping FILE.yaml``
for any other header. Unknown columns are listed and ignored."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from kolplan.errors import UsageError

# The fields a row may give, in the order the SPEC lists them.
FIELDS: Final = ("name", "first_name", "last_name", "institution", "country", "npi", "email", "orcid", "crm_id",
                 "tier", "therapeutic_areas", "lead")
IGNORE: Final = "ignore"  # --mapping: "Notes: ignore" (or an empty value) drops a column

# Header forms (see :func:`header_key`: lower case, letters and digits only) -> field.
ALIASES: Final = {
    **dict.fromkeys(("name", "fullname", "kolname", "hcpname", "contactname", "accountname"), "name"),
    **dict.fromkeys(("firstname", "givenname", "forename", "first"), "first_name"),
    **dict.fromkeys(("lastname", "surname", "familyname", "last"), "last_name"),
    **dict.fromkeys(("institution", "organization", "organisation", "affiliation", "primaryparent",
                     "primaryparentvodc", "hospital"), "institution"),
    **dict.fromkeys(("country", "countrycode", "countryname"), "country"),
    **dict.fromkeys(("npi", "npinumber", "npivodc"), "npi"),
    **dict.fromkeys(("email", "emailaddress", "mail"), "email"),
    **dict.fromkeys(("orcid", "orcidid"), "orcid"),
    **dict.fromkeys(("crmid", "veevaid", "veevaidv", "onekeyid", "onekey"), "crm_id"),
    **dict.fromkeys(("tier", "koltier"), "tier"),
    **dict.fromkeys(("therapeuticareas", "therapeuticarea", "specialty", "specialties", "speciality", "ta"),
                    "therapeutic_areas"),
    **dict.fromkeys(("lead", "leadhandle", "kollead"), "lead"),
}
_NOT_ALNUM: Final = re.compile(r"[\W_]+")


def header_key(header: str) -> str:
    """``First Name``, ``first_name``, ``FIRST-NAME`` -> ``firstname``; ``VeevaID__v`` -> ``veevaidv``."""
    folded = unicodedata.normalize("NFKD", header.casefold())
    return _NOT_ALNUM.sub("", "".join(c for c in folded if not unicodedata.combining(c)))


@dataclass
class Columns:
    """field -> the index of its column; the headers of the columns ignored."""

    index: dict[str, int]
    ignored: list[str] = field(default_factory=list)


def field_name(value: str) -> str | None:
    """A field as ``--mapping`` may write it (``crm_id``, ``CRM id``, ``therapeutic-areas``), or None."""
    key = header_key(value)
    return next((f for f in (*FIELDS, IGNORE) if header_key(f) == key), None)


def read_mapping(path: Path) -> dict[str, str]:
    """``--mapping FILE.yaml``: header key -> field (or :data:`IGNORE`); exit 2 if it is not a
    YAML mapping from column headers to field names."""
    # lazy: the YAML reader only when a mapping is given
    from kolplan.repo.files import read_config_bytes
    from kolplan.yamlio.document import Document
    from kolplan.yamlio.reader import read_bytes

    shown = path.as_posix()
    example = "e.g. 'Account Name: name' and 'Veeva CRM ID: crm_id', one per line"
    try:
        data = read_config_bytes(path)
    except FileNotFoundError:
        raise UsageError(f"--mapping {shown}: no such file") from None
    except OSError as exc:
        raise UsageError(f"--mapping {shown}: cannot read it: {exc.strerror or exc}") from None
    doc = read_bytes(data)
    problem = doc if not isinstance(doc, Document) else (doc.problems[0] if doc.problems else None)
    if problem is not None and problem.code in ("KP001", "KP002"):  # YAML that does not parse, a repeated key
        raise UsageError(f"--mapping {shown}:{problem.line}:{problem.column}: {problem.message}")
    if not isinstance(doc, Document):
        raise UsageError(f"--mapping {shown}: write a YAML mapping from column headers to field names, {example}")
    if not isinstance(doc.data, dict) or not doc.data:
        raise UsageError(f"--mapping {shown}: write a YAML mapping from column headers to field names, {example}")
    mapping: dict[str, str] = {}
    for header, target in doc.data.items():
        if not isinstance(header, str) or not header_key(header):
            raise UsageError(f"--mapping {shown}: {header!r} is not a column header; {example}")
        if target is None:
            target = IGNORE
        name = field_name(target) if isinstance(target, str) else None
        if name is None:
            guess = difflib.get_close_matches(str(target), (*FIELDS, IGNORE), n=1, cutoff=0.5)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            raise UsageError(f"--mapping {shown}: '{header}: {target}': not a field; {hint}fields are "
                             f"{', '.join(FIELDS)} (or {IGNORE})")
        mapping[header_key(header)] = name
    return mapping


def resolve(headers: list[str], mapping: dict[str, str], shown: str) -> Columns:
    """Which column holds which field (exit 2 for a file no row of which can be read)."""
    keys = [header_key(h) for h in headers]
    for key in mapping:
        if key not in keys:
            listed = ", ".join(repr(h.strip()) for h in headers if h.strip())
            raise UsageError(f"--mapping names a column {shown} does not have ({key!r}, case and punctuation "
                             f"ignored); its columns are {listed}")
    index: dict[str, int] = {}
    ignored: list[str] = []
    for i, (header, key) in enumerate(zip(headers, keys, strict=True)):
        target = mapping.get(key) or ALIASES.get(key)
        if target is None or target == IGNORE:
            if header.strip():
                ignored.append(header.strip())
            continue
        if target in index:
            raise UsageError(f"{shown}: columns '{headers[index[target]].strip()}' and '{header.strip()}' both "
                             f"hold {target}: keep one, or map the other away with --mapping (e.g. "
                             f"'{header.strip()}: {IGNORE}')")
        index[target] = i
    if "name" not in index and not ("first_name" in index and "last_name" in index):
        listed = ", ".join(repr(h.strip()) for h in headers if h.strip())
        raise UsageError(f"{shown}: no column holds the KOL's name (a 'name' column, or 'first name' and "
                         f"'last name'); its columns are {listed}: name the column, or map it with --mapping "
                         "(e.g. 'Account Name: name')")
    return Columns(index, ignored)
