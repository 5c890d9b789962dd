"""Write examples/crm-export.csv: a fictional CRM export of a few hundred KOLs, with the mess
real exports have, for the README's "Starting from your CRM" and the tests.

    python examples/make_crm_export.py                    # examples/crm-export.csv (deterministic)
    python examples/make_crm_export.py --rows 10000 --clean --lead a.chen -o /tmp/big.csv

The example export is what a Veeva-style CRM gives a Medical Affairs team: UTF-8 with a BOM,
semicolon-separated (a European Excel), Windows line endings, names written "Last, First",
unknown columns (Specialty Code, Last Call Date, Notes), a note with a line break in it,
and these rows to talk about:

* one row repeated as it was (the export joined a table twice);
* a row with no lead (so the import needs --lead, or --skip-bad);
* a row with an NPI whose check digit is wrong;
* three KOLs of the sample portfolio (plans/): Henrik Vogel with an ORCID his plan lacks (completed),
  Claire Dubois with another email than her plan's (a conflict, left alone), Maarten de Vries
  as his plan has him (up to date).

``--clean`` writes a plain UTF-8, comma-separated file with a lead on every row and none of
the mess (the benchmark's 10,000 rows). Every person, id and address is made up.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST = ("Amara Anders Beatriz Bram Carmen Cyril Dagny Dmitri Elif Emeka Farah Felix Greta Goran Hana Hugo Ines "
         "Ivo Jana Jonas Kaia Kenji Lena Luca Maren Mateus Nadia Nils Oksana Omar Paula Pieter Rania Rafael Saskia "
         "Soren Tamsin Tobias Ulla Viktor Wanjiru Yusuf Zofia Aurelio Brigid Caspar Delphine Eamon").split()
LAST = ("Achterberg Balogun Castellano Dahlberg Eriksen Fonseca Galloway Haugland Ibarra Jankowski Kowalczyk "
        "Lindgren Marchetti Nakashima Okonkwo Petrov Quintero Rasmussen Sandoval Takahashi Umberti Varga Wieczorek "
        "Yilmaz Zeller Abernathy Bianchi Carvalho Delacroix Esposito Fairweather Grunewald Holmqvist Iversen "
        "Jovanovic Kaminski Laurent Moreau-Blanc Novak O'Donnell Pereira Rossi Schuster Thorsen Van Dijk "
        "Whitcombe Zamora").split()
INSTITUTIONS = (
    ("Northgate University Hospital", "GB", "northgate-uh.example.nhs.uk"),
    ("Clinique Universitaire de Valmont", "France", "cu-valmont.example.fr"),
    ("Universitätsklinikum Seeburg", "Germany", "uk-seeburg.example.de"),
    ("Ospedale San Vitale", "Italy", "osp-sanvitale.example.it"),
    ("Hospital Universitario Costa Azul", "ES", "hu-costaazul.example.es"),
    ("Riverside Medical Center", "United States", "riverside-mc.example.org"),
    ("Lakeview Cancer Institute", "USA", "lakeview-ci.example.org"),
    ("Fjordvik University Hospital", "Norway", "fjordvik-uh.example.no"),
    ("Academic Medical Centre Dijkstad", "Netherlands", "amc-dijkstad.example.nl"),
    ("Kantonsspital Bergli", "Switzerland", "ks-bergli.example.ch"),
    ("St Columba's Hospital", "Ireland", "stcolumbas.example.ie"),
    ("Sakura Medical University Hospital", "JP", "sakura-mu.example.jp"),
)
TIERS = ("Global", "National", "National", "Regional", "Regional", "Local", "Local", "Rising")
SPECIALTIES = ("Oncology", "Haematology", "Cardiology", "Neurology", "Immunology", "Oncology|Haematology",
               "Rare Diseases", "Cardiology; Nephrology")
LEADS = ("a.chen", "l.moreau", "o.hughes", "h.schmidt", "r.patel", "s.bergstrom", "d.osei", "t.nakamura")
HEADER = ["Veeva ID", "Name", "Primary Parent", "Country", "NPI", "Email", "ORCID", "Tier", "Specialty", "Lead",
          "Specialty Code", "Last Call Date", "Notes"]
SAMPLE_ROWS = [  # KOLs of the sample portfolio (plans/), as the CRM has them
    ["V-311905", "Vogel, Henrik", "Universitätsklinikum Rheinhafen", "Germany", "",
     "henrik.vogel@uk-rheinhafen.example.de", "0000-0002-7719-4304", "National", "Oncology", "h.schmidt", "ONC",
     "2026-10-02", ""],
    ["V-905372", "Dubois, Claire", "Centre Hospitalier de Saint-Aubin-sur-Loire", "France", "",
     "claire.dubois@ch-saint-aubin.example.fr", "", "Local", "Cardiology", "l.moreau", "CAR", "2026-09-18",
     "New address since the merger"],
    ["V-1408253", "de Vries, Maarten", "Maasvallei Medical Centre", "Netherlands", "",
     "m.devries@maasvallei-mc.example.nl", "", "National", "Neurology", "r.patel", "NEU", "2026-08-30", ""],
]


def npi(rng: random.Random) -> str:
    """A made-up NPI with a valid check digit (Luhn over the 80840 prefix)."""
    body = "1" + "".join(str(rng.randrange(10)) for _ in range(8))
    total = 0
    for i, ch in enumerate(reversed("80840" + body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def orcid(rng: random.Random) -> str:
    """A made-up ORCID iD with a valid ISO 7064 11,2 check character."""
    digits = "0000" + "".join(str(rng.randrange(10)) for _ in range(11))
    total = 0
    for ch in digits:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    full = digits + ("X" if check == 10 else str(check))
    return "-".join(full[i:i + 4] for i in range(0, 16, 4))


def people(rng: random.Random, n: int, clean: bool) -> list[list[str]]:
    names = [(f, last) for f in FIRST for last in LAST]
    rng.shuffle(names)
    rows = []
    for i in range(n):
        first, last = names[i % len(names)]
        inst, country, domain = INSTITUTIONS[i % len(INSTITUTIONS)] if not clean else (
            f"Bench Import Hospital {i // 50 + 1}", "GB", f"bench-{i // 50 + 1}.example.org")
        us = country in ("United States", "USA")
        local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        email = f"{local}{'' if i < len(names) else i}@{domain}"
        notes = "" if clean or rng.random() > 0.1 else rng.choice(
            ["Prefers morning calls", "Met at ESMO", "Co-chair of the regional board", "=HYPERLINK(\"https://crm.example\")"])
        rows.append([f"{'B' if clean else 'V'}-{700000 + i}", f"{first} {last}" if clean else f"{last}, {first}", inst,
                     country, npi(rng) if us else "", email, orcid(rng) if rng.random() < 0.4 else "",
                     rng.choice(TIERS), rng.choice(SPECIALTIES), rng.choice(LEADS), rng.choice(["ONC", "HEM", "CAR"]),
                     f"2026-{rng.randrange(1, 11):02d}-{rng.randrange(1, 28):02d}", notes])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=300, help="KOLs to write (default 300)")
    ap.add_argument("--clean", action="store_true", help="no mess: UTF-8, commas, a lead on every row")
    ap.add_argument("--lead", help="with --clean: this lead on every row")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("-o", "--output", type=Path, default=HERE / "crm-export.csv")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = people(rng, args.rows, args.clean)
    if args.clean:
        for row in rows:
            row[9] = args.lead or row[9]
        with args.output.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([HEADER, *rows])
        return 0
    rows[:3] = SAMPLE_ROWS
    rows[40][12] = "Asked for the\nadvisory board slides"  # a quoted field with a line break
    rows[57][9] = ""  # no lead
    bad = rows[88]
    bad[4] = bad[4][:-1] + str((int(bad[4][-1]) + 1) % 10) if bad[4] else "1234567890"  # a wrong check digit
    bad[3] = "United States"
    rows.insert(121, list(rows[120]))  # a repeated row
    with args.output.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows([HEADER, *rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
