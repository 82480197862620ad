// The WebAssembly check beside the native one, on the same requests, in one run.
//
// Every scenario request (tests/scenarios/*.json) is checked ROUNDS times through the page's
// wasm `check` export in headless Chromium (the browser the page runs in), ROUNDS times
// through the same module under Node (V8 as well, but another host: see below), and ROUNDS
// times through the native twin `check_lines --time` (the same Rust function,
// `lagrum_wasm::api::check`). For each, the median per check. Prints the three and the
// ratios (wasm ÷ native) per request and over all requests. A measurement, not a test: it
// asserts nothing about speed.
//
// Why both hosts: a check's answer (~100 KB of JSON with Swedish letters) is handed to
// JavaScript as a string decoded from the module's memory with TextDecoder. Chromium decodes
// it in ~20 µs; Node 20's TextDecoder takes ~250 µs for the same non-ASCII UTF-8 (~12 µs if
// it were ASCII), so Node overstates what the page pays by a quarter or more.
//
// Chromium coarsens performance.now() (100 µs steps without cross-origin isolation), so every
// sample times a batch of BATCH checks, in both hosts alike.
//
// Usage: node wasm/tests/speed.mjs [ROUNDS] [CHECK_LINES]
// (build first: scripts/build-web and
//  cargo build --release -p lagrum-wasm --example check_lines; Chromium from $CHROMIUM or
//  /usr/bin/chromium, as the browser tests)

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const BATCH = 10;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const rounds = Math.max(BATCH, Number(process.argv[2] ?? 200));
const nativeBin = resolve(process.argv[3] ?? join(root, "target/release/examples/check_lines"));
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const pkg = join(root, "wasm/www/pkg");

const dir = join(root, "tests/scenarios");
const requests = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ""), line: JSON.stringify(JSON.parse(readFileSync(join(dir, f), "utf8")).request) }));
if (requests.length < 20) throw new Error(`too few scenarios: ${requests.length}`);

// Per line: one warm-up, then the median over samples of `batch` checks each, in µs. Runs in
// Node and, as source text, in the page.
function timeChecks(check, lines, rounds, batch) {
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return lines.map((line) => {
    check(line);
    const samples = [];
    for (let i = 0; i < Math.floor(rounds / batch); i++) {
      const start = performance.now();
      for (let k = 0; k < batch; k++) check(line);
      samples.push(((performance.now() - start) * 1000) / batch);
    }
    return median(samples);
  });
}

const lines = requests.map((r) => r.line);

async function inChromium() {
  if (!existsSync(executablePath)) return null;
  const server = await serve(join(root, "wasm/www"));
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    // A blank page of the same origin as the page's module, so the app does not start.
    await page.route(`${server.url}speed.html`, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>speed</title>" }));
    await page.goto(`${server.url}speed.html`);
    return await page.evaluate(
      async ([src, lines, rounds, batch]) => {
        const m = await import("/pkg/lagrum_wasm.js");
        await m.default({ module_or_path: "/pkg/lagrum_wasm_bg.wasm" });
        const digests = [];
        for (const line of lines) {
          const bytes = new TextEncoder().encode(m.check(line));
          digests.push([...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join(""));
        }
        return { digests, times: new Function(`return ${src}`)()(m.check, lines, rounds, batch) };
      },
      [timeChecks.toString(), lines, rounds, BATCH],
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

const wasm = await import(join(pkg, "lagrum_wasm.js"));
wasm.initSync({ module: readFileSync(join(pkg, "lagrum_wasm_bg.wasm")) });

// The same answers in both hosts before anything is timed (Node's against native: parity.mjs).
const inPage = await inChromium();
const chromiumTimes = inPage?.times ?? null;
for (const [i, line] of lines.entries()) {
  const digest = createHash("sha256").update(wasm.check(line)).digest("hex");
  if (inPage && inPage.digests[i] !== digest) throw new Error(`${requests[i].name}: Chromium and Node answer differently`);
}
const nodeTimes = timeChecks(wasm.check, lines, rounds, BATCH);

const native = spawnSync(nativeBin, ["--time", String(rounds)], {
  input: lines.join("\n") + "\n",
  encoding: "utf8",
  maxBuffer: 1 << 24,
});
if (native.status !== 0) throw new Error(`${nativeBin} failed: ${native.error ?? native.stderr}`);
const nativeTimes = native.stdout.trim().split("\n").map(Number);
if (nativeTimes.length !== requests.length) throw new Error("one native time per request expected");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = (times) => times.map((w, i) => w / nativeTimes[i]);
const µs = (x) => `${x.toFixed(1)} µs`;
for (const [i, r] of requests.entries()) {
  const browser = chromiumTimes ? `\tchromium ${µs(chromiumTimes[i])} ${(chromiumTimes[i] / nativeTimes[i]).toFixed(2)}×` : "";
  console.log(`${r.name}${browser}\tnode ${µs(nodeTimes[i])} ${(nodeTimes[i] / nativeTimes[i]).toFixed(2)}×\tnative ${µs(nativeTimes[i])}`);
}
const summary = (host, times) =>
  `${host} ${µs(median(times))}, median ratio ${median(ratios(times)).toFixed(2)}×, worst ${Math.max(...ratios(times)).toFixed(2)}×`;
console.log(`# ${requests.length} requests, ${rounds} rounds each (batches of ${BATCH}): native ${µs(median(nativeTimes))}`);
console.log(chromiumTimes ? `# wasm in ${summary("Chromium", chromiumTimes)}` : `# Chromium not found at ${executablePath} (set CHROMIUM): not measured`);
console.log(`# wasm in ${summary("Node", nodeTimes)}`);
