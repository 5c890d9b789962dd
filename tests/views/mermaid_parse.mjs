// Parse Mermaid blocks with the real Mermaid parser (npm's mermaid, in a jsdom window).
// stdin: a JSON list of diagram texts; stdout: a JSON list of {ok, type} or {ok: false, error}.
// argv[2]: the node_modules folder that holds mermaid and jsdom (tests/views/test_mermaid.py).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const modules = process.argv[2];
const require = createRequire(path.join(modules, "..", "noop.js"));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);
const { JSDOM } = await load("jsdom");
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;
globalThis.HTMLElement = dom.window.HTMLElement;
const mermaid = (await import(pathToFileURL(path.join(modules, "mermaid", "dist", "mermaid.core.mjs")).href)).default;
mermaid.initialize({ startOnLoad: false });
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const text of JSON.parse(input)) {
  try {
    const r = await mermaid.parse(text);
    out.push({ ok: true, type: r.diagramType });
  } catch (e) {
    out.push({ ok: false, error: String((e && e.message) || e).slice(0, 400) });
  }
}
process.stdout.write(JSON.stringify(out));
