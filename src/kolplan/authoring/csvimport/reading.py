"""Reading a CSV export as spreadsheets write it: UTF-8 with or without a BOM, UTF-16 with a
BOM, or Windows-1252; comma, semicolon or tab separated (sniffed); quoted fields with line
breaks. Records are numbered as a spreadsheet shows them: the header is row 1, a quoted
field with line breaks is still one row, and an empty line is a row (with nothing in it)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kolplan.errors import UsageError
from kolplan.repo.files import file_kind, read_fd_capped

MAX_CSV_BYTES: Final = 256 * 1024 * 1024  # 10,000 KOLs take about 2 MB; a bigger file is not an export of KOLs
DELIMITERS: Final = ",;\t"
_DELIMITER_NAMES: Final = {",": "comma", ";": "semicolon", "\t": "tab"}
_SNIFF_BYTES: Final = 64 * 1024
_READ_FLAGS: Final = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class Table:
    """A CSV file's records: ``rows`` are (row number, cells), the header (row 1) first."""

    shown: str  # the file as the user named it
    encoding: str  # "UTF-8", "UTF-8 with BOM", "UTF-16 with BOM", "Windows-1252"
    delimiter: str
    rows: list[tuple[int, list[str]]]

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES[self.delimiter]


def read_file(path: Path) -> bytes:
    """The bytes of the CSV file at ``path`` (exit 2 with one line if it cannot be read). Only a
    regular file is opened, non-blocking (a FIFO would hang the run), and at most
    :data:`MAX_CSV_BYTES` bytes are read."""
    shown = path.as_posix()
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{shown} is {file_kind(st.st_mode)}, not a file: give the CSV file exported from "
                             "your CRM or spreadsheet")
        fd = os.open(path, _READ_FLAGS)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise UsageError(f"{shown} is {file_kind(st.st_mode)}, not a file")
            data = read_fd_capped(fd, st.st_size, MAX_CSV_BYTES + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > MAX_CSV_BYTES:
        raise UsageError(f"{shown} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MiB: that is not an export of "
                         "KOLs; split it, or export only the columns kolplan imports")
    return data


def decode(data: bytes, shown: str) -> tuple[str, str]:
    """The text of the file and the name of its encoding (exit 2 if it is not text)."""
    if data.startswith(b"PK\x03\x04"):
        raise UsageError(f"{shown} is a spreadsheet workbook (.xlsx), not CSV: save it as CSV (File > Save As > "
                         "CSV UTF-8) and import that")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8 with BOM")]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", "UTF-16 with BOM")]
    else:
        candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # UTF-16 without a BOM, or a binary file
        return text, name
    tried = " nor ".join(name for _, name in candidates)
    raise UsageError(f"{shown} is not text kolplan can read (neither {tried}): save it from your spreadsheet as "
                     "CSV UTF-8 and import that")


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: what :class:`csv.Sniffer` finds in the first 64 KiB, checked
    against the header line (the delimiter must be in it when any of the three is)."""
    sample = text[:_SNIFF_BYTES]
    header = sample.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and found in DELIMITERS and (counts[found] or not any(counts.values())):
        return found
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: comma first
    return best if counts[best] else ","


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """No field is refused by the csv module's own size limit (128 KiB): kolplan bounds the
    values it keeps itself, with a message naming the row (a long note in an ignored column is fine)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read_table(path: Path) -> Table:
    """The records of the CSV file at ``path``; exit 2 if it cannot be read as CSV."""
    shown = path.as_posix()
    text, encoding = decode(read_file(path), shown)
    delimiter = sniff_delimiter(text)
    rows: list[tuple[int, list[str]]] = []
    number = 0
    with _field_limit(len(text) + 1):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                rows.append((number, cells))
        except csv.Error as exc:
            raise UsageError(f"{shown} row {number + 1}: not CSV kolplan can read ({exc}): check the quotes "
                             "in that row") from None
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise UsageError(f"{shown} has no header row: row 1 must name the columns (name, institution, npi, ...)")
    return Table(shown, encoding, delimiter, rows)
