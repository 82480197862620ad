// The engine, compiled to WebAssembly (built by scripts/build-web into ./pkg/), with
// objects instead of JSON strings. Everything runs here, in the browser.

import init, * as wasm from "./pkg/lagrum_wasm.js";

/** Loads the WebAssembly module. Call once before anything else. */
export async function start() {
  await init({ module_or_path: new URL("./pkg/lagrum_wasm_bg.wasm", import.meta.url) });
}

/**
 * Checks a request (lagrum.request.v1, as an object): the decision and its Swedish text
 * (what `legal check` prints), from one run of the engine.
 * @returns {{ok: true, decision: object, text: string} | {ok: false, error: {code: string, path: string, message: string}}}
 */
export function check(request) {
  const out = JSON.parse(wasm.check_with_text(JSON.stringify(request)));
  return out.decision ? { ok: true, decision: out.decision, text: out.text } : { ok: false, error: out };
}

/** What the request form needs: actors and units, purposes, categories, markers, facts. */
export function vocabulary() {
  return JSON.parse(wasm.vocabulary());
}

/** `{name, version, hash}` of the ruleset in use. */
export function ruleset() {
  return JSON.parse(wasm.ruleset());
}

/**
 * Loads ruleset files ([{name, text}]); on success they are used from now on.
 * @returns {{ok: boolean, ruleset?: object, files: number, text: string, diagnostics: object[]}}
 */
export function loadRulesets(files, withDefaults) {
  return JSON.parse(wasm.load_rulesets(JSON.stringify(files), withDefaults));
}

/** Goes back to the embedded rulesets. */
export function resetRulesets() {
  return JSON.parse(wasm.reset_rulesets());
}
