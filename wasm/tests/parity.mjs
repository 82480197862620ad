// The WebAssembly build gives the same answers as the native engine, byte for byte.
//
// Every scenario of the brief (tests/scenarios/*.json, the `request` field) and a set of
// bad requests go through (1) the wasm `check` export under Node and (2) the native twin
// `check_lines` (same Rust code, same serializer); the outputs must be identical strings.
// The decisions are also compared, as JSON values, with `legal check --format json
// --sentences` (lagrum.decision.v2 with the proof's sentences, what the page renders).
//
// Usage: node wasm/tests/parity.mjs [CHECK_LINES] [LEGAL]
// (defaults: target/debug/examples/check_lines and target/debug/legal; build them first)

import { readFileSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const nativeBin = resolve(process.argv[2] ?? join(root, "target/debug/examples/check_lines"));
const legalBin = resolve(process.argv[3] ?? join(root, "target/debug/legal"));
const pkg = join(root, "wasm/www/pkg");

const wasm = await import(join(pkg, "lagrum_wasm.js"));
wasm.initSync({ module: readFileSync(join(pkg, "lagrum_wasm_bg.wasm")) });

const dir = join(root, "tests/scenarios");
const scenarios = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ""), request: JSON.parse(readFileSync(join(dir, f), "utf8")).request }));
assert.ok(scenarios.length >= 20, `too few scenarios in ${dir}: ${scenarios.length}`);

const base = scenarios[0].request;
// Odd requests, each with the error code it must get (or a decision).
const odd = [
  ["invalid_json", "{ nej", "invalid_json"],
  ["empty", "", "invalid_json"],
  ["array", "[]", "invalid_shape"],
  ["unknown_field", JSON.stringify({ ...base, extra: 1 }), "invalid_shape"],
  ["unknown_actor", JSON.stringify({ ...base, sender: { actor: "XYZ" } }), "unknown_actor"],
  ["bad_date", JSON.stringify({ ...base, date: "2025-02-30" }), "invalid_date"],
  ["no_items", JSON.stringify({ ...base, items: [] }), "missing_items"],
  ["unicode_id", JSON.stringify({ ...base, id: "åäö \u{1F600} \"citat\" \\ \n" }), "lagrum.decision.v2"],
];
const cases = [
  ...scenarios.map((s) => [s.name, JSON.stringify(s.request), "lagrum.decision.v2"]),
  ...odd,
];

// JSON.stringify never writes a raw newline, so each request is one line.
assert.ok(cases.every(([, r]) => !r.includes("\n")), "a request must be one line");
const native = spawnSync(nativeBin, [], {
  input: cases.map(([, r]) => r).join("\n") + "\n",
  encoding: "utf8",
  maxBuffer: 1 << 28,
});
assert.equal(native.status, 0, `${nativeBin} failed: ${native.error ?? native.stderr}`);
const lines = native.stdout.split("\n");
assert.equal(lines.pop(), "", "native output must end with a newline");
assert.equal(lines.length, cases.length, "one native line per request");

let failures = 0;
cases.forEach(([name, request, want], i) => {
  const w = wasm.check(request);
  if (w !== lines[i]) {
    failures++;
    let at = 0;
    while (at < w.length && w[at] === lines[i][at]) at++;
    console.error(`FAIL ${name}: wasm and native differ at byte ${at}\n  wasm:   …${w.slice(at, at + 80)}\n  native: …${lines[i].slice(at, at + 80)}`);
    return;
  }
  const doc = JSON.parse(w);
  const got = doc.schema ?? doc.code;
  if (got !== want) {
    failures++;
    console.error(`FAIL ${name}: expected ${want}, got ${got}: ${w.slice(0, 300)}`);
  }
});

// The same decisions as the command line's document with sentences (`--format json
// --sentences`; pretty-printed there, so compared as values).
for (const s of scenarios) {
  const r = spawnSync(legalBin, ["check", "-", "--format", "json", "--sentences"], { input: JSON.stringify(s.request), encoding: "utf8", maxBuffer: 1 << 26 });
  assert.ok([0, 2, 3].includes(r.status), `legal check ${s.name}: exit ${r.status} ${r.stderr}`);
  try {
    assert.deepStrictEqual(JSON.parse(wasm.check(JSON.stringify(s.request))), JSON.parse(r.stdout));
  } catch (e) {
    failures++;
    console.error(`FAIL ${s.name}: wasm differs from legal check --format json --sentences\n${e.message.slice(0, 2000)}`);
  }
}

if (failures > 0) {
  console.error(`parity: ${failures} failure(s)`);
  process.exit(1);
}
console.log(`parity: ${cases.length} requests identical in wasm and native (${scenarios.length} scenarios, ${odd.length} odd requests); ${scenarios.length} equal to legal check`);
