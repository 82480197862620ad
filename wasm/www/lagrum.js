// The engine, compiled to WebAssembly (built by scripts/build-web into ./pkg/), with
// objects instead of JSON strings. Everything runs here, in the browser.

import init, * as wasm from "./pkg/lagrum_wasm.js";

/** Loads the WebAssembly module. Call once before anything else. */
export async function start() {
  await init({ module_or_path: new URL("./pkg/lagrum_wasm_bg.wasm", import.meta.url) });
}

/**
 * Checks a request (lagrum.request.v2, as an object): the decision (lagrum.decision.v2,
 * with the proof's Swedish sentences).
 * @returns {{ok: true, decision: object} | {ok: false, error: {code: string, path: string, message: string}}}
 */
export function check(request) {
  const out = JSON.parse(wasm.check(JSON.stringify(request)));
  return out.schema ? { ok: true, decision: out } : { ok: false, error: out };
}

/**
 * The decision as Swedish text (what `legal check` prints) for a request that checks. It
 * decides the request again and costs more than `check`: ask when the text is read.
 */
export function text(request) {
  return wasm.check_text(JSON.stringify(request));
}

/** What a decision names by id: every provision (citation, heading, link, versions), balancing tests. */
export function references() {
  return JSON.parse(wasm.references());
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
