"""The bad-input corpus (SPEC 9): every case with the exit code and diagnostics it must produce.

Small cases are files under ``files/`` (read them: each is a few lines); big, binary
or encoding-sensitive ones (BOM, CRLF, UTF-16, 2 MiB, 10,000 levels) are built here at
test time, so that no megabytes are committed and no checkout can rewrite their bytes.
``tests/badinput/test_badinput.py`` runs every case through ``kolplan validate``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import CONFIG, VALID_PLAN

FILES = Path(__file__).parent / "files"
PLAN = "plans/jane-okafor.yaml"

Diag = tuple[str, int, int]  # (code, line, column)


@dataclass(frozen=True)
class Case:
    """One bad input.

    ``plan``: the bytes of ``plans/jane-okafor.yaml`` (None: no plan file is written).
    ``expect``: every diagnostic, as (code, line, column), in output order; for exit 2,
    the positioned lines on stderr. ``words``: text the first diagnostic's message (or,
    for exit 2, stderr) must contain. ``setup`` arranges the file system further;
    ``args`` follow ``validate --format json``. ``budget``: seconds the case may take
    (a child process, ``isolated``, pays for its start-up too).
    """

    id: str
    plan: bytes | None
    expect: tuple[Diag, ...]
    words: str
    exit: int = 1
    config: bytes = CONFIG.encode()
    setup: Callable[[Path], None] | None = None
    args: tuple[str, ...] = ()
    budget: float = 1.0
    skip: Callable[[], str | None] = field(default=lambda: None)
    isolated: bool = False  # run in a child process: a regression here would crash the interpreter


def file(name: str) -> bytes:
    return (FILES / name).read_bytes()


def plan(old: str, new: str, text: str = VALID_PLAN) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def at(text: str | bytes, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``needle`` in ``text``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    count = 0
    for number, line in enumerate(text.splitlines(), 1):
        col = line.find(needle)
        if col >= 0:
            count += 1
            if count == nth:
                return number, col + 1
    raise AssertionError(f"{needle!r} not found")


def d(code: str, text: str | bytes, needle: str, offset: int = 0, nth: int = 1) -> Diag:
    line, col = at(text, needle, nth)
    return (code, line, col + offset)


def b(text: str) -> bytes:
    return text.encode("utf-8")


# -- builders of the big and the binary ---------------------------------------------------
def billion_laughs_map() -> bytes:
    lines = ["lol: &l0 {a: lol, b: lol}"]
    for i in range(1, 12):
        lines.append(f"l{i}: &l{i} {{" + ", ".join(f"k{j}: *l{i - 1}" for j in range(10)) + "}")
    return b("\n".join(lines) + "\n")


def quadratic_blowup() -> bytes:
    """One 5,000-item list aliased 5,000 times: 25 million nodes from 30 KB."""
    return b"a: &a [" + b",".join([b"x"] * 5000) + b"]\nb: [" + b",".join([b"*a"] * 5000) + b"]\n"


def late_duplicate_keys() -> bytes:
    """35,000 keys under custom:, then 35,000 repeats of the last one (naming each repeat's first line
    must not be quadratic)."""
    keys = b"".join(b"  k%d: 1\n" % i for i in range(35_000)) + b"  k34999: 2\n" * 35_000
    return b(plan("custom: {}\n", "custom:\n")) + keys


def many_unknown_keys() -> bytes:
    return b(VALID_PLAN) + b"".join(b"k%d: 1\n" % i for i in range(60_000))


def with_link(target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        link = root / PLAN
        link.unlink(missing_ok=True)
        link.symlink_to(target(root))
    return setup


def outside_file(root: Path) -> Path:
    secret = root.parent / "secret.yaml"
    secret.write_text(VALID_PLAN, encoding="utf-8")
    return secret


def make_dir(root: Path) -> None:
    (root / PLAN).mkdir()


def unreadable(root: Path) -> None:
    (root / PLAN).chmod(0)


def unreadable_skip() -> str | None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return "running as root: chmod 000 does not stop root from reading the file"
    if os.name != "posix":
        return "file permissions are POSIX-only"
    return None


def config_is_a_directory(root: Path) -> None:
    (root / "kolplan.yaml").unlink()
    (root / "kolplan.yaml").mkdir()


def offset(text: str, index: int) -> tuple[int, int]:
    """(line, column) of the character at ``index``."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


# -- the corpus ------------------------------------------------------------------------
V = VALID_PLAN
BOM = b"\xef\xbb\xbf"
_CRLF_ERR = plan("  tier: national", "  tier: superstar")
_TAB = plan("  cadence: monthly", "\tcadence: monthly")
_BIG_INT = "1" + "0" * 5000
_LONG = "y" * 1_000_000
_ID_BAD = "id '../../x' is not a valid plan id"
_COLON = plan("summary: Discussed MRD", "summary: AHA: Discussed MRD")
_HASH = plan("custom: {}", "custom: {tags: [oncology #1, mrd]}")
_DATE = "  satisfaction:\n    - date: 2026-03-30"

CASES: list[Case] = [
    # broken YAML: every kind the parser reports (KP001)
    Case("unclosed-double-quote", file("unclosed-double-quote.yaml"), (("KP001", 4, 13),),
         "while scanning a quoted scalar at line 2"),
    Case("unclosed-single-quote", file("unclosed-single-quote.yaml"), (("KP001", 2, 17),), "quoted scalar"),
    Case("unclosed-flow-sequence", file("unclosed-flow-sequence.yaml"), (("KP001", 5, 7),),
         "expected ',' or ']'"),
    Case("unclosed-flow-mapping", file("unclosed-flow-mapping.yaml"), (("KP001", 4, 10),), "expected ',' or '}'"),
    Case("flow-mapping-missing-comma", file("flow-mapping-missing-comma.yaml"), (("KP001", 3, 33),),
         "flow mapping"),
    Case("flow-mapping-double-comma", file("flow-mapping-double-comma.yaml"), (("KP001", 3, 30),),
         "expected node content"),
    Case("bad-indentation", file("bad-indentation.yaml"), (("KP001", 4, 3),), "did not find expected key"),
    Case("tab-indentation", file("tab-indentation.yaml"), (("KP001", 3, 1),), "indent with spaces, not tabs"),
    Case("tab-after-spaces", file("tab-after-spaces.yaml"), (("KP001", 4, 1),), "indent with spaces, not tabs"),
    Case("tab-in-a-plan", b(_TAB), (d("KP001", _TAB, "\tcadence"),), "indent with spaces, not tabs"),
    Case("stray-colon", file("stray-colon.yaml"), (("KP001", 2, 9),), "mapping values are not allowed"),
    Case("unquoted-colon-in-a-value", b(_COLON), (d("KP001", _COLON, ": Discussed"),),
         'put the value in quotes: summary: "AHA: Discussed MRD assay variability."'),
    Case("comment-cuts-a-flow-list", b(_HASH), (d("KP001", _HASH, "mrd]}", 5),),
         "` #` starts a comment, so the value on line"),
    Case("stray-bracket", file("stray-bracket.yaml"), (("KP001", 3, 6),), "expected node content"),
    Case("list-item-in-mapping", file("list-item-in-mapping.yaml"), (("KP001", 2, 1),), "expected key"),
    Case("unknown-escape", file("unknown-escape.yaml"), (("KP001", 2, 10),), "unknown escape character"),
    Case("unknown-directive", file("unknown-directive.yaml"), (("KP001", 1, 5),), "unknown directive"),
    Case("yaml-2-directive", file("yaml-2-directive.yaml"), (("KP001", 1, 1),), "incompatible YAML document"),
    Case("complex-key", file("complex-key.yaml"), (("KP003", 1, 3),),
         "a list used as a key (valid YAML, but a plan's keys are text): write each key as text"),
    Case("mapping-as-key", b(plan("custom: {}", "custom:\n  ? {a: 1}\n  : x")),
         (("KP003", at(V, "custom: {}")[0] + 1, 5),), "a mapping used as a key (valid YAML"),
    Case("control-character-bel", b"schema: kolplan/v1\nid: jane\x07okafor\n", (("KP001", 2, 9),),
         "U+0007, which YAML does not allow"),
    Case("ansi-escape-raw", b"schema: kolplan/v1\nkol:\n  name: \x1b[2JJane\n", (("KP001", 3, 9),),
         "U+001B"),
    Case("byte-order-mark-mid-file", b"schema: kolplan/v1\nid: a\xef\xbf\xbeb\n", (("KP001", 2, 6),), "U+FFFE"),
    # several documents, empty documents, a top level that is not a mapping (KP003)
    Case("several-documents", file("several-documents.yaml"), (("KP003", 3, 1),),
         "several YAML documents in one file (valid YAML, but a plan file holds one document)"),
    Case("documents-with-end-marker", file("documents-with-end-marker.yaml"), (("KP003", 3, 1),),
         "several YAML documents"),
    Case("two-whole-plans", b(V + "---\n" + V), (d("KP003", V + "---\n", "---"),), "remove the `---` separator"),
    Case("empty-file", file("empty.yaml"), (("KP003", 1, 1),), "file is empty"),
    Case("whitespace-only", file("whitespace-only.yaml"), (("KP003", 1, 1),), "file is empty"),
    Case("comment-only", file("comment-only.yaml"), (("KP003", 1, 1),), "file is empty"),
    Case("document-marker-only", file("document-marker-only.yaml"), (("KP003", 1, 1),), "must be a mapping"),
    Case("null-document", file("null-document.yaml"), (("KP003", 1, 1),), "must be a mapping"),
    Case("scalar-document", file("scalar-document.yaml"), (("KP003", 1, 1),), "not a single value"),
    Case("list-document", file("list-document.yaml"), (("KP003", 1, 1),), "not a list"),
    Case("empty-mapping", file("empty-mapping.yaml"), (("KP010", 1, 1),) * 5, "missing the required key"),
    # duplicate keys, at every depth (KP002)
    Case("duplicate-top-level-key", b(V + "kol: {}\n"), (d("KP002", V + "kol: {}\n", "kol: {}"),),
         f"key 'kol' appears twice in this mapping (lines 3 and {V.count(chr(10)) + 1})"),
    Case("duplicate-keys-at-depth", b(plan("    role: lead\n", "    role: lead\n    role: lead\n",
                                           plan("      hours: 4\n", "      hours: 4\n      hours: 5\n"))),
         (("KP002", at(V, "    role: lead")[0] + 1, 5), ("KP002", at(V, "      hours: 4")[0] + 2, 7)),
         f"key 'role' appears twice in this mapping (lines {at(V, 'role: lead')[0]} and {at(V, 'role: lead')[0] + 1})"),
    Case("duplicate-key-in-flow-mapping", b(plan("end: 2026-12-31}", "end: 2026-12-31, start: 2026-01-02}")),
         (d("KP002", V, "end: 2026-12-31}", 17),), "key 'start' appears twice"),
    Case("duplicate-quoted-and-plain-key", b(plan("  tier: national\n", "  tier: national\n  'tier': global\n")),
         (("KP002", at(V, "  tier: national")[0] + 1, 3),), "key 'tier' appears twice"),
    Case("late-duplicate-keys-35000", late_duplicate_keys(),
         tuple(("KP002", V.count("\n") + 35_001 + i, 3) for i in range(35_000)),
         f"key 'k34999' appears twice in this mapping (lines {V.count(chr(10)) + 35_000} and "
         f"{V.count(chr(10)) + 35_001})", budget=10.0),
    # encodings and line endings
    Case("bom-valid-plan", BOM + b(V), (), "", exit=0),
    Case("bom-positions-unchanged", BOM + b(plan("id: jane-okafor", "id: other")), (("KP011", 2, 5),),
         "id 'other' does not match the file name"),
    Case("crlf-valid-plan", b(V.replace("\n", "\r\n")), (), "", exit=0),
    Case("crlf-positions", b(_CRLF_ERR.replace("\n", "\r\n")), (d("KP010", _CRLF_ERR, "superstar"),),
         "kol.tier 'superstar' is not one of"),
    Case("crlf-tab", b(_TAB.replace("\n", "\r\n")), (d("KP001", _TAB, "\tcadence"),), "tabs"),
    Case("cr-only-line-endings", b(V.replace("\n", "\r")), (), "", exit=0),
    Case("nul-bytes", b(V)[:100] + b"\x00" + b(V)[100:], (("KP003", 1, 1),), "NUL bytes"),
    Case("binary-png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", (("KP003", 1, 1),), "NUL bytes"),
    Case("invalid-utf8", b(V)[:200] + b"\xc3\x28" + b(V)[200:], (("KP003", *offset(V, 200)),),
         "not UTF-8 (byte 0xc3)"),
    Case("latin-1", V.replace("Jane Okafor", "Jäne Okafor").encode("latin-1"), (("KP003", 4, 10),),
         "not UTF-8 (byte 0xe4)"),
    Case("utf-16-le-with-bom", V.encode("utf-16"), (("KP003", 1, 1),), "UTF-16"),
    Case("utf-16-be", V.encode("utf-16-be"), (("KP003", 1, 1),), "UTF-16"),
    Case("utf-32", V.encode("utf-32"), (("KP003", 1, 1),), "save it as UTF-8"),
    # size and nesting
    Case("2-mib-file", b"schema: kolplan/v1\npurpose: " + b"x" * (2 * 1024 * 1024) + b"\n", (("KP003", 1, 1),),
         "larger than 1 MiB"),
    Case("1-mb-single-line-value", b(plan("  purpose: Build", f"  purpose: {_LONG} Build")), (), "", exit=0),
    Case("1-mb-line-no-newline", b"schema: " + b"z" * 1_000_000,
         (("KP010", 1, 1),) * 4 + (("KP010", 1, 9),), "missing the required key 'id'"),
    Case("1-mb-key", b(V) + b"k" * 1_000_000 + b": 1\n", (("KP001", V.count("\n") + 1, 1_000_001),),
         "could not find expected ':'"),
    Case("10000-level-flow-sequence", b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", (("KP003", 1, 204),),
         "nesting is deeper than 200 levels"),
    Case("10000-level-flow-mapping", b"a: " + b"{a: " * 10_000 + b"1" + b"}" * 10_000 + b"\n",
         (("KP003", 1, 804),), "nesting is deeper than 200 levels"),
    Case("10000-level-unclosed", b"a: " + b"[" * 10_000 + b"\n", (("KP003", 1, 204),), "nesting"),
    Case("10000-level-block-sequence", b"a:\n" + b"- " * 10_000 + b"x\n", (("KP003", 2, 1),), "nesting"),
    Case("500000-level-block-sequence", b"a:\n" + b"- " * 500_000 + b"x\n", (("KP003", 2, 1),), "nesting",
         isolated=True, budget=5.0),
    Case("1500-level-block-sequence", b"a:\n" + b"- " * 1500 + b"x\n", (("KP003", 2, 399),), "nesting"),
    Case("1-mib-of-brackets", b"[" * (1024 * 1024), (("KP003", 1, 201),), "nesting"),
    Case("deep-indentation", b"".join(b" " * i + b"k:\n" for i in range(1400)), (("KP003", 201, 201),),
         "nesting"),
    Case("recursive-alias", file("recursive-alias.yaml"), (("KP003", 1, 4),), "nesting"),
    # aliases
    Case("billion-laughs", file("alias-bomb.yaml"), (("KP003", 2, 14),), "alias bomb"),
    Case("alias-bomb-mappings", file("alias-bomb-mappings.yaml"), (("KP003", 2, 19),), "alias bomb"),
    Case("alias-bomb-generated", billion_laughs_map(), (("KP003", 1, 11),), "alias bomb"),
    Case("quadratic-blowup", quadratic_blowup(), (("KP003", 1, 2014),), "alias bomb"),
    Case("undefined-alias", file("undefined-alias.yaml"), (("KP001", 4, 9),), "must refer to an anchor"),
    # tags
    Case("python-object-tag", file("python-object-tag.yaml"), (("KP003", 2, 5),),
         "YAML tag !!python/object:os.system (valid YAML, but a plan may not use tags"),
    Case("python-apply-tag", file("python-apply-tag.yaml"), (("KP003", 2, 5),), "plain data only): remove the tag"),
    Case("local-tag", file("local-tag.yaml"), (("KP003", 3, 9),), "YAML tag !secret (valid YAML"),
    Case("binary-tag", file("binary-tag.yaml"), (("KP003", 3, 9),), "!!binary (valid YAML"),
    Case("set-tag", file("set-tag.yaml"), (("KP003", 2, 9),), "!!set (valid YAML, but a plan may not use tags"),
    Case("omap-tag", b(plan("custom: {}", "custom: !!omap [{a: 1}, {b: 2}]")), (d("KP003", V, "custom: {}", 8),),
         "!!omap (valid YAML, but a plan may not use tags: plans hold plain data only): remove the tag and "
         "write a plain mapping"),
    Case("bad-int-tag", file("bad-int-tag.yaml"), (("KP001", 4, 14),), "'four' is not a valid !!int"),
    Case("str-tag-on-a-number", b(plan("hours: 4", "hours: !!str 4")), (d("KP010", V, "hours: 4", 7),),
         "hours: expected a number, not text"),
    # numbers and dates (KP010)
    Case("huge-integer", b(plan("hours: 4", f"hours: {_BIG_INT}")), (d("KP010", V, "hours: 4", 7),),
         "expected a number"),
    Case("huge-score", b(plan("score: 9", "score: 99999999999999999999999")), (d("KP010", V, "score: 9", 7),),
         "less than or equal to 10"),
    Case("float-overflow", b(plan("hours: 4", "hours: 1e999")), (d("KP010", V, "hours: 4", 7),),
         "finite number"),
    Case("nan", b(plan("hours: 4", "hours: .nan")), (d("KP010", V, "hours: 4", 7),), "finite number"),
    Case("february-30", b(plan("date: 2026-04-15", "date: 2026-02-30")), (d("KP010", V, "2026-04-15"),),
         "'2026-02-30' is not a real date"),
    Case("timestamp-tag-february-31", b(plan("date: 2026-04-15", "date: !!timestamp 2026-02-31")),
         (d("KP010", V, "2026-04-15"),), "not a real date"),
    *(Case(f"date-as-{name}", b(plan(_DATE, _DATE.replace("2026-03-30", value))),
           (d("KP010", V, "2026-03-30"),), words)
      for name, value, words in [
          ("slashes", "2026/03/30", "'2026/03/30' is not an ISO date: write it as YYYY-MM-DD"),
          ("day-first", "30.03.2026", "not an ISO date"),
          ("us-order", "03/30/2026", "not an ISO date"),
          ("no-padding", "2026-3-30", "not an ISO date"),
          ("words", "'March 30, 2026'", "not an ISO date"),
          ("date-time", "2026-03-30T10:00:00", "not an ISO date"),
          ("number", "20260330", "not a number (20260330)"),
          ("quarter", "2026-Q1", "not an ISO date"),
      ]),
    Case("date-as-quoted-iso-string", b(plan(_DATE, _DATE.replace("2026-03-30", '"2026-03-30"'))), (), "", exit=0),
    # keys that are not text
    Case("integer-key", b(V + "1: x\n"), (("KP010", V.count("\n") + 1, 1),), "key '1' in the file is not text"),
    Case("boolean-key", b(plan("kol:\n", "kol:\n  true: 1\n")), (("KP010", at(V, "kol:")[0] + 1, 3),),
         "key 'True' in kol is not text"),
    Case("float-key-in-custom", b(plan("custom: {}", "custom: {1.5: x}")), (d("KP010", V, "custom: {}", 9),),
         "key '1.5' in custom is not text"),
    Case("60000-unknown-keys", many_unknown_keys(),
         (("KP010", 1, 1), *(("KP010", V.count("\n") + 1 + i, 1) for i in range(100))),
         "59900 more schema problems are not shown", budget=10.0),
    # ids that try to leave plans/
    Case("id-dot-dot-slash", b(plan("id: jane-okafor", "id: ../../x")), (("KP010", 2, 5),), _ID_BAD),
    Case("id-absolute-path", b(plan("id: jane-okafor", "id: /etc/passwd")), (("KP010", 2, 5),),
         "is not a valid plan id"),
    Case("id-too-long", b(plan("id: jane-okafor", "id: " + "a" * 65)), (("KP010", 2, 5),), "at most 64"),
    # the file system
    Case("symlink-outside-the-repository", b(V), (("KP003", 1, 1),), "link to outside the repository",
         setup=with_link(outside_file)),
    Case("dangling-symlink", b(V), (("KP003", 1, 1),), "No such file", setup=with_link(lambda r: r / "gone.yaml")),
    Case("symlink-loop", b(V), (("KP003", 1, 1),), "loops back on itself",
         setup=with_link(lambda r: r / PLAN)),
    Case("plan-is-a-directory", None, (("KP003", 1, 1),), "this is a folder", setup=make_dir),
    Case("plan-is-a-directory-named", None, (("KP003", 1, 1),), "this is a folder", setup=make_dir,
         args=(PLAN,)),
    Case("unreadable-permissions", b(V), (("KP003", 1, 1),), "Permission denied", setup=unreadable,
         skip=unreadable_skip),
    # paths and options that are wrong (exit 2)
    Case("path-does-not-exist", b(V), (), "plans/nope.yaml: no such file or folder", exit=2,
         args=("plans/nope.yaml",)),
    Case("path-dot-dot", b(V), (), "../../x: no such file or folder", exit=2, args=("../../x",)),
    Case("as-of-february-30", b(V), (), "--as-of 2026-02-30: not a date", exit=2, args=("--as-of", "2026-02-30")),
    Case("repo-does-not-exist", b(V), (), "no such folder", exit=2, args=("--repo", "no/such/folder")),
    # kolplan.yaml broken in several ways (exit 2, positions on stderr)
    Case("config-missing", b(V), (), "run `kolplan init", exit=2, setup=lambda r: (r / "kolplan.yaml").unlink()),
    Case("config-is-a-directory", b(V), (), "run `kolplan init", exit=2, setup=config_is_a_directory),
    Case("config-syntax", b(V), (("KP001", 14, 11),), "kolplan.yaml has 1 problem", exit=2,
         config=b(CONFIG + "people: [a\n")),
    Case("config-empty", b(V), (("KP003", 1, 1),), "file is empty", exit=2, config=b""),
    Case("config-a-list", b(V), (("KP003", 1, 1),), "must be a mapping", exit=2, config=b"- a\n"),
    Case("config-binary", b(V), (("KP003", 1, 1),), "NUL bytes", exit=2, config=b"\x89PNG\x00\x00"),
    Case("config-latin-1", b(V), (("KP003", 2, 24),), "not UTF-8 (byte 0xe9)", exit=2,
         config=CONFIG.replace("Test Bio", "Test Bio \xe9").encode("latin-1")),
    Case("config-several-problems", b(V), (("KP010", 1, 9), ("KP010", 3, 20), ("KP010", 14, 1)),
         "kolplan.yaml has 3 problems", exit=2,
         config=b(CONFIG.replace("kolplan/v1", "kolplan/v9").replace("fiscal_year_start: 1",
                                                                       "fiscal_year_start: 13") + "colour: red\n")),
    Case("config-wrong-types", b(V), (("KP010", 3, 20), ("KP010", 4, 14), ("KP010", 5, 1)),
         "should be a whole number", exit=2,
         config=b(CONFIG.replace("fiscal_year_start: 1", "fiscal_year_start: january").replace(
             "departments:\n", "departments: 7\nunused:\n"))),
    Case("config-unknown-department", b(V), (("KP010", 12, 43),), "did you mean 'commercial'?", exit=2,
         config=b(CONFIG.replace("department: commercial}", "department: comercial}"))),
    Case("config-duplicate-key", b(V), (("KP002", 14, 1),), "appears twice", exit=2, config=b(CONFIG + "people: {}\n")),
    Case("config-alias-bomb", b(V), (("KP003", 3, 56),), "alias bomb", exit=2,
         config=b"schema: kolplan/v1\n" + file("alias-bomb.yaml")),
    Case("config-python-tag", b(V), (("KP003", 2, 15),), "a plan may not use tags", exit=2,
         config=b(CONFIG.replace("organization: Test Bio", "organization: !!python/object/apply:os.system [ls]"))),
    Case("config-two-documents", b(V), (("KP003", 14, 1),), "several YAML documents", exit=2,
         config=b(CONFIG + "---\nschema: kolplan/v1\n")),
    Case("config-too-big", b(V), (("KP003", 1, 1),), "larger than 1 MiB", exit=2,
         config=b(CONFIG) + b"#" * (2 * 1024 * 1024)),
    Case("config-unknown-rule", b(V), (("KP010", 15, 12),), "unknown rule 'KP999'", exit=2,
         config=b(CONFIG + "rules:\n  ignore: [KP999]\n")),
]
