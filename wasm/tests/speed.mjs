// The WebAssembly check beside the native one, on the same requests, in one run.
//
// Every scenario request (tests/scenarios/*.json) is checked ROUNDS times through the wasm
// `check` export under Node (V8, the engine of Chromium) and ROUNDS times through the
// native twin `check_lines --time` (the same Rust function, `lagrum_wasm::api::check`);
// for each, the median per check. Prints both and their ratio (wasm ÷ native) per request
// and over all requests. A measurement, not a test: it asserts nothing about speed.
//
// Usage: node wasm/tests/speed.mjs [ROUNDS] [CHECK_LINES]
// (build first: scripts/build-web and
//  cargo build --release -p lagrum-wasm --example check_lines)

import { readFileSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const rounds = Number(process.argv[2] ?? 200);
const nativeBin = resolve(process.argv[3] ?? join(root, "target/release/examples/check_lines"));
const pkg = join(root, "wasm/www/pkg");
const wasm = await import(join(pkg, "lagrum_wasm.js"));
wasm.initSync({ module: readFileSync(join(pkg, "lagrum_wasm_bg.wasm")) });

const dir = join(root, "tests/scenarios");
const requests = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ""), line: JSON.stringify(JSON.parse(readFileSync(join(dir, f), "utf8")).request) }));
if (requests.length < 20) throw new Error(`too few scenarios: ${requests.length}`);

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wasmTimes = requests.map(({ line }) => {
  wasm.check(line);
  const t = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    wasm.check(line);
    t.push((performance.now() - start) * 1000);
  }
  return median(t);
});

const native = spawnSync(nativeBin, ["--time", String(rounds)], {
  input: requests.map((r) => r.line).join("\n") + "\n",
  encoding: "utf8",
  maxBuffer: 1 << 24,
});
if (native.status !== 0) throw new Error(`${nativeBin} failed: ${native.error ?? native.stderr}`);
const nativeTimes = native.stdout.trim().split("\n").map(Number);
if (nativeTimes.length !== requests.length) throw new Error("one native time per request expected");

const ratios = wasmTimes.map((w, i) => w / nativeTimes[i]);
for (const [i, r] of requests.entries()) {
  console.log(`${r.name}\twasm ${wasmTimes[i].toFixed(1)} µs\tnative ${nativeTimes[i].toFixed(1)} µs\t${ratios[i].toFixed(2)}×`);
}
console.log(
  `# ${requests.length} requests, ${rounds} rounds each: median wasm ${median([...wasmTimes]).toFixed(1)} µs, ` +
    `native ${median([...nativeTimes]).toFixed(1)} µs, median ratio ${median([...ratios]).toFixed(2)}×, ` +
    `worst ${Math.max(...ratios).toFixed(2)}×`,
);
