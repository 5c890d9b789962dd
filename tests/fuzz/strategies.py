"""Hypothesis strategies: plan-shaped data, YAML-ish bytes, and mutations of a valid plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.helpers import VALID_PLAN

PLAN_DATA: dict[str, Any] = yaml.safe_load(VALID_PLAN)

# Text that stresses YAML and terminals: quotes, indicators, control characters, unicode.
_ALPHABET = st.sampled_from(list("abz019 -:#&*!|>'\"%@`{}[],?\t\n\r\\\x00\x07\x1b\x85\u2028\ufeffé漢😀"))
texts = st.one_of(st.text(max_size=30), st.text(_ALPHABET, max_size=30),
                  st.sampled_from(["", "~", "null", "NO", "yes", "0o17", "1_000", "2026-02-30", "2026-13-01",
                                   ".nan", "-.inf", "1e999", "9" * 5000, "a" * 300, "../../x", "{{ 7*7 }}"]))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**30, max_value=10**4000),
                    st.floats(allow_nan=True, allow_infinity=True), texts,
                    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
keys = st.one_of(st.sampled_from(sorted({"schema", "id", "kol", "name", "tier", "owners", "person",
                                                    "role", "plan", "period", "start", "end", "objectives",
                                                    "activities", "interactions", "feedback", "custom", "date",
                                                    "status", "hours", "compensation", "score", "identifiers",
                                                    "npi", "orcid", "email", "by", "channel", "summary"})),
                 texts, st.integers(), st.none(), st.booleans())
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)


@st.composite
def plan_shaped(draw: st.DrawFn) -> Any:
    """The valid plan with random subtrees replaced, deleted or added."""
    import copy

    data = copy.deepcopy(PLAN_DATA)
    for _ in range(draw(st.integers(1, 5))):
        node: Any = data
        path: list[Any] = []
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 3)):
            key = draw(st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node)))))
            path.append(key)
            node = node[key]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            if isinstance(data, dict):
                data[draw(keys)] = draw(values)
            continue
        container = data
        for p in path[:-1]:
            container = container[p]
        last = path[-1]
        if action == "replace":
            container[last] = draw(values)
        elif action == "delete":
            del container[last]
        elif isinstance(container, dict):
            container[draw(keys)] = draw(values)
        else:
            container.insert(last, draw(values))
    return data


def dump(data: Any, style: str) -> bytes:
    if style == "json":
        import json

        return json.dumps(data, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass")
    flow = style == "flow"
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False, width=60)
    return text.encode("utf-8", "surrogatepass")


_TOKENS = ["[]", "{}", "~", "''", '"x"', "- a", "&a x", "*a", "*nowhere", "!!binary eA==", "!!python/object:x y",
           "|", ">-", "true", "1e999", "2026-02-30", "[1, [2, {a: b}]]", "{a: 1, a: 2}", "---", "...", "? x",
           "\t", "'unclosed", '"unclosed', "[unclosed", "#", "%YAML 1.2", "\x1b[31m", "é", "\x00"]


@st.composite
def mutated_plan(draw: st.DrawFn) -> bytes:
    """VALID_PLAN after 1-4 edits of the kinds people make: lines deleted, duplicated, swapped,
    re-indented, a value's type changed, a comment inserted, the file truncated."""
    lines = VALID_PLAN.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "retype", "comment",
                                     "insert", "truncate", "crlf"]))
        line = lines[i]
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], line
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 6)) + line
        elif kind == "dedent":
            lines[i] = line.lstrip(" ")
        elif kind == "retype" and ": " in line:
            head = line.split(": ", 1)[0]
            lines[i] = f"{head}: {draw(st.one_of(st.sampled_from(_TOKENS), texts))}\n"
        elif kind == "comment":
            lines.insert(i, " " * draw(st.integers(0, 8)) + "# " + draw(texts).replace("\n", " ") + "\n")
        elif kind == "insert":
            col = draw(st.integers(0, len(line)))
            lines[i] = line[:col] + draw(st.sampled_from(_TOKENS)) + line[col:]
        elif kind == "truncate":
            text = "".join(lines)
            cut = draw(st.integers(0, len(text)))
            lines = text[:cut].splitlines(keepends=True)
        elif kind == "crlf":
            lines = [x.replace("\n", "\r\n") if not x.endswith("\r\n") else x for x in lines]
    return "".join(lines).encode("utf-8", "surrogatepass")


yamlish_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(_ALPHABET, max_size=400).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([*_TOKENS, "a:", "  b:", "- ", "\n", "  ", "x", ": ", ", "]), max_size=60)
    .map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
)


# Text that must survive every output: Markdown, Mermaid and Jinja syntax, HTML, control
# and bidi characters, very long words; none of it may break a document or run as a template.
_HOSTILE = st.sampled_from(["|", "||", "`", "```", "*x*", "_x_", "# x", "<b>x</b>", "<script>", "[x](y)", "\\",
                            "{{ 7*7 }}", "{% raw %}", "%%", ":", ";", "\"", "'", "-->", "%%{init}%%", "é漢😀",
                            "\u202e", "\x1b[31m", "\t", "a" * 200, " x ", "1.", "- x", "> x", "~", "null"])
# (no control characters or line separators: JSON, one of the styles, leaves them raw and YAML refuses them)
_PRINTABLE = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))
free_texts = st.one_of(_HOSTILE, st.text(_PRINTABLE, min_size=1, max_size=40),
                       st.lists(_HOSTILE, min_size=1, max_size=4).map(" ".join)).filter(lambda t: t.strip() != "")
_DAYS = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 6, 15))  # not after helpers.AS_OF


@st.composite
def valid_plan(draw: st.DrawFn) -> bytes:
    """VALID_PLAN with hostile free text, other statuses, dates and numbers, and more or
    fewer entries: plans that still validate, to drive the documents."""
    import copy

    data = copy.deepcopy(PLAN_DATA)
    kol, body = data["kol"], data["plan"]
    kol["name"] = draw(free_texts)
    kol["institution"] = draw(free_texts)
    kol["tier"] = draw(st.sampled_from(["global", "national", "regional", "local", "rising"]))
    objective = body["objectives"][0]
    objective.update(statement=draw(free_texts), metric=draw(free_texts), due=draw(_DAYS),
                     status=draw(st.sampled_from(["not-started", "on-track", "at-risk", "achieved", "missed",
                                                  "dropped"])))
    activities = []
    for i in range(draw(st.integers(0, 6))):
        status = draw(st.sampled_from(["planned", "done", "cancelled"]))
        act: dict[str, Any] = {"id": f"A{i + 1}", "type": draw(st.sampled_from(["advisory-board", "check-in",
                                                                             "publication", "education"])),
                               "title": draw(free_texts), "objectives": ["O1"], "owner": draw(st.sampled_from(
                                   ["a.chen", "r.patel", "c.jones", "m.diaz"])), "status": status}
        if status != "planned" or draw(st.booleans()):
            act["date"] = draw(_DAYS)
        if draw(st.booleans()):
            act["compensation"] = draw(st.integers(0, 50_000))
        activities.append(act)
    body["activities"] = activities
    body["satisfaction"] = [{"date": draw(_DAYS), "score": draw(st.integers(0, 10))}
                            for _ in range(draw(st.integers(0, 3)))]
    data["interactions"] = [{"date": draw(_DAYS), "by": draw(st.sampled_from(["a.chen", "r.patel", "c.jones"])),
                             "channel": "virtual", "summary": draw(free_texts), "insights": [draw(free_texts)]}
                            for _ in range(draw(st.integers(0, 3)))]
    data["feedback"] = [{"date": draw(_DAYS), "summary": draw(free_texts),
                         **({"response": draw(free_texts)} if draw(st.booleans()) else {})}
                        for _ in range(draw(st.integers(0, 2)))]
    return dump(data, draw(st.sampled_from(["block", "flow", "json"])))


# Free text an editing command takes (a summary, an insight): not blank, no lone surrogates.
free_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60).filter(
    lambda s: s.strip() != "")
