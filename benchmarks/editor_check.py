"""What an editor shows for kolplan plans: yaml-language-server (the engine of VS Code's YAML
extension) driven over stdio, in a repository made by ``kolplan init`` and ``kolplan new``.

    npm install --prefix /tmp/yls yaml-language-server
    python benchmarks/editor_check.py [--server /tmp/yls/node_modules/.bin/yaml-language-server]

It opens plans where a team keeps them -- ``plans/`` and sub-folders of it -- and prints, for
each, the diagnostics the editor shows and the hover text of a few keys. Exit 0 when every
expectation holds (listed as ``ok``/``FAIL`` lines), 1 otherwise, 2 when the server is missing.
Offline: the schemas are files in the repository and the schema store is switched off.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

TIMEOUT = 10.0  # seconds to wait for one answer of the server


class Server:
    """A yaml-language-server process and the JSON-RPC of the Language Server Protocol."""

    def __init__(self, command: list[str], root: Path, settings: dict[str, Any]) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.settings = settings
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                              "publishDiagnostics": {}}},
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": settings})

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(out.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self._send({"id": wanted, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == wanted and "method" not in m).get("result")

    def _wait(self, done: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("yaml-language-server did not answer in time")
            message = self.messages.get(timeout=left)
            self._handle(message)
            if done(message):
                return message

    def _handle(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif method == "workspace/configuration":  # the server asks for its settings by section
            items = message["params"]["items"]
            self._send({"id": message["id"], "result": [self._section(i.get("section")) for i in items]})
        elif "id" in message and method:  # any other request of the server: a null answer
            self._send({"id": message["id"], "result": None})

    def _section(self, name: str | None) -> Any:
        value: Any = self.settings
        for part in (name or "").split("."):
            if part:
                value = value.get(part) if isinstance(value, dict) else None
        return value

    def open(self, path: Path) -> list[dict[str, Any]]:
        """Open ``path``; the diagnostics the editor shows for it once the server has settled."""
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}})
        self._wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                   and m["params"]["uri"] == uri)
        with contextlib.suppress(TimeoutError, queue.Empty):  # a later publication replaces the first
            self._wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                       and m["params"]["uri"] == uri, timeout=0.5)
        return self.diagnostics.get(uri, [])

    def hover(self, path: Path, line: int, character: int) -> str:
        result = self.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                                     "position": {"line": line, "character": character}})
        if not result:
            return ""
        contents = result["contents"]
        return str(contents.get("value", "") if isinstance(contents, dict) else contents)

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except (TimeoutError, queue.Empty, subprocess.TimeoutExpired, BrokenPipeError):
            self.proc.kill()
            self.proc.wait()


def kolplan(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "kolplan", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL)


def make_repository(root: Path) -> dict[str, Path]:
    """``kolplan init``, ``kolplan new``, and the plans a team then keeps in sub-folders."""
    from kolplan.authoring.scaffold import schema_path_from

    kolplan("init", str(root), cwd=root.parent)
    kolplan("new", "jane-okafor", "--name", "Jane Okafor", "--lead", "a.chen", "--as-of", "2026-12-02", cwd=root)
    written = (root / "plans" / "jane-okafor.yaml").read_text(encoding="utf-8")
    modeline, body = written.split("\n", 1)
    sub = root / "plans" / "oncology"
    sub.mkdir()
    good = f"# yaml-language-server: $schema={schema_path_from('plans/oncology/ravi-shah.yaml')}\n"
    broken = body.replace("id: jane-okafor", "id: ravi-shah").replace("name: \"Jane Okafor\"", "name: 2024")
    activities = next(line for line in broken.splitlines(keepends=True) if line.startswith("  activities:"))
    broken = broken.replace(activities, activities + "    - {id: A1, type: check-in, title: Call, owner: a.chen, "
                                                     "status: done}\n")  # done, but no date
    files = {
        "new": root / "plans" / "jane-okafor.yaml",
        # the modeline new would write for a plan in a sub-folder; name: 2024, a done activity without date
        "sub-folder, modeline": sub / "ravi-shah.yaml",
        # no modeline: .vscode/settings.json maps plans/**/*.yaml
        "sub-folder, settings only": sub / "lena-berg.yaml",
        # the bug of issue 16: a plan moved into a sub-folder with the modeline of plans/
        "sub-folder, modeline of plans/": sub / "moved.yaml",
    }
    files["sub-folder, modeline"].write_text(good + broken, encoding="utf-8")
    files["sub-folder, settings only"].write_text(
        body.replace("id: jane-okafor", "id: lena-berg").replace("name: \"Jane Okafor\"", "name: 2024"),
        encoding="utf-8")
    files["sub-folder, modeline of plans/"].write_text(modeline + "\n" + body.replace("id: jane-okafor", "id: moved"),
                                                       encoding="utf-8")
    return files


def check(server_command: list[str]) -> int:
    failures = 0

    def expect(ok: bool, what: str) -> None:
        nonlocal failures
        failures += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")

    with tempfile.TemporaryDirectory(prefix="kolplan-editor-") as tmp:
        root = Path(tmp) / "repo"
        files = make_repository(root)
        vscode = json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))
        settings = {"yaml": {"schemas": vscode["yaml.schemas"], "validate": True, "hover": True,
                             "completion": True, "schemaStore": {"enable": False}, "yamlVersion": "1.2"}}
        print(f"yaml-language-server: {' '.join(server_command)}")
        print(f"repository: kolplan init + kolplan new; .vscode/settings.json yaml.schemas = {vscode['yaml.schemas']}")
        started = time.monotonic()
        server = Server(server_command, root, settings)
        try:
            for label, path in files.items():
                rel = path.relative_to(root).as_posix()
                first = path.read_text(encoding="utf-8").split("\n", 1)[0]
                diags = server.open(path)
                print(f"\n{rel} ({label}); first line: {first}")
                for d in diags:
                    print(f"    {d['range']['start']['line'] + 1}:{d['range']['start']['character'] + 1} "
                          f"{d.get('message', '').splitlines()[0]}")
                if not diags:
                    print("    (no diagnostics)")
                messages = " ".join(d.get("message", "") for d in diags)
                if label == "new":
                    expect(not diags, "the plan kolplan new writes: no diagnostics")
                    lines = path.read_text(encoding="utf-8").splitlines()
                    for key in ("tier", "country", "cadence", "owners", "preferred_channels"):
                        at = next((i for i, t in enumerate(lines) if t.lstrip().startswith(f"{key}:")), None)
                        if at is None:
                            continue
                        text = server.hover(path, at, lines[at].index(key) + 1)
                        shown = " / ".join(t for t in text.splitlines() if t.strip())[:150]
                        print(f"    hover {key}: {shown}")
                        expect(bool(text) and "||" not in text and len(text.splitlines()) > 1,
                               f"hover on {key}: a description, no doubled title")
                elif label == "sub-folder, modeline of plans/":
                    expect("Unable to load schema" in messages or "unable to load schema" in messages.lower(),
                           "a modeline that does not fit the folder is what breaks the editor (issue 16)")
                else:
                    expect(bool(diags) and "Unable to load schema" not in messages,
                           "schema loaded in the sub-folder: errors shown")
                    expect("string" in messages.lower(), "name: 2024 flagged (text expected)")
                    if label == "sub-folder, modeline":
                        expect('Missing property "date"' in messages, "a done activity without a date flagged")
            config = root / "kolplan.yaml"
            diags = server.open(config)
            print(f"\nkolplan.yaml (init); {len(diags)} diagnostics")
            expect(not diags, "the kolplan.yaml init writes: no diagnostics")
            lines = config.read_text(encoding="utf-8").splitlines()
            at = next(i for i, t in enumerate(lines) if t.startswith("fiscal_year_start:"))
            text = server.hover(config, at, 1)
            print(f"    hover fiscal_year_start: {' / '.join(t for t in text.splitlines() if t.strip())[:150]}")
            expect("month" in text, "hover on fiscal_year_start: a description")
        finally:
            server.close()
        print(f"\n{len(files)} files in {time.monotonic() - started:.1f} s; "
              f"{'all expectations hold' if not failures else f'{failures} expectation(s) failed'}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--server", help="the yaml-language-server executable (default: on PATH, or "
                                         "/tmp/yls/node_modules/.bin/yaml-language-server)")
    args = parser.parse_args(argv)
    server = args.server or shutil.which("yaml-language-server") or "/tmp/yls/node_modules/.bin/yaml-language-server"
    if not Path(server).is_file():
        print(f"yaml-language-server not found ({server}): npm install --prefix /tmp/yls yaml-language-server",
              file=sys.stderr)
        return 2
    return check([server, "--stdio"])


if __name__ == "__main__":
    sys.exit(main())
