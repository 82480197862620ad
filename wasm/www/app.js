// The decision-support page: loads the engine (WebAssembly, in this browser), builds the
// form from the ruleset's vocabulary, checks the request and shows the decision. Nothing is
// sent over the network; the Content-Security-Policy in index.html enforces it.

import * as lagrum from "./lagrum.js";
import * as form from "./form.js";
import { h } from "./form.js";
import { fillFullText, liveText, recordText, renderDecision, renderRecord, setVocabulary } from "./decision.js";
import { setReferences } from "./names.js";

const $ = (id) => document.getElementById(id);

let checkedOnce = false;
/** Answers to questions whose path has no control in the form: path → value. */
let extraAnswers = new Map();
let last = null; // { doc, request, assessedAt, text (made when first read) }
let pending = 0; // a re-check waiting for typing to pause

// ---------------------------------------------------------------- request paths

/** Splits `subjects[0].facts.x` into ["subjects", 0, "facts", "x"]. */
function pathParts(path) {
  const parts = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return parts;
}

/** Writes `value` at `path` in `obj`, creating objects on the way. */
function setPath(obj, path, value) {
  const parts = pathParts(path);
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i];
    if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== "object") cur[k] = typeof parts[i + 1] === "number" ? [] : {};
    cur = cur[k];
  }
  cur[parts[parts.length - 1]] = value;
}

function currentRequest() {
  const req = form.readRequest();
  for (const [path, value] of extraAnswers) setPath(req, path, value);
  return req;
}

/** JSON paths where `b` lacks or changes what `a` says (an absent empty value is no loss). */
function differences(a, b, path = "") {
  const empty = (v) => v === undefined || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
  if (a === b || (empty(a) && empty(b))) return [];
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return [path || "$"];
  const out = [];
  for (const k of Object.keys(a)) {
    const p = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    out.push(...differences(a[k], b[k], p));
  }
  return out;
}

// ---------------------------------------------------------------- errors

function clearErrors() {
  for (const el of document.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of document.querySelectorAll('[aria-describedby~="fel-falt"]')) {
    const rest = el.getAttribute("aria-describedby").split(" ").filter((x) => x && x !== "fel-falt");
    if (rest.length) el.setAttribute("aria-describedby", rest.join(" "));
    else el.removeAttribute("aria-describedby");
  }
  for (const el of document.querySelectorAll(".field-error")) el.remove();
}

function showError(err) {
  const target = form.controlFor(err.path);
  const msgId = "fel-meddelande";
  if (target) {
    target.setAttribute("aria-invalid", "true");
    const note = h("p", { class: "field-error", id: "fel-falt" }, err.message);
    const where = target.closest(".field, .choice, fieldset, li") ?? target.parentElement;
    where.append(note);
    const described = (target.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x && x !== "fel-falt");
    target.setAttribute("aria-describedby", [...described, "fel-falt"].join(" "));
  }
  const link = target
    ? h("a", { href: `#${target.id || "begaran"}`, onclick: (e) => (e.preventDefault(), target.focus()) }, "Gå till fältet")
    : null;
  $("beslut-innehall").replaceChildren(
    h(
      "div",
      { class: "error-box", id: msgId, "data-error": err.code },
      h("p", { class: "error-title" }, "Begäran kan inte bedömas ännu"),
      h("p", {}, err.message),
      h("p", { class: "hint" }, "Fält: ", h("code", {}, err.path), ` · kod: ${err.code}`),
      link,
    ),
  );
  $("beslut-status").textContent = `Begäran kan inte bedömas: ${err.message}`;
}

// ---------------------------------------------------------------- checking

/**
 * Checks the form's request and shows the result. `focus` says where focus goes after:
 * "decision" (the outcome banner), "error" (the faulty field), a question index, or none.
 */
function runCheck(focus = null) {
  clearTimeout(pending);
  clearErrors();
  const req = currentRequest();
  let result;
  try {
    result = lagrum.check(req);
  } catch (e) {
    // The engine never fails on input by design; if it ever does, show no decision.
    result = { ok: false, error: { code: "internal", path: "$", message: `internt fel i beslutsmotorn, inget beslut: ${e?.message ?? e}` } };
  }
  if (!result.ok) {
    last = null;
    showError(result.error);
    if (focus) {
      const c = form.controlFor(result.error.path);
      (c ?? $("beslut")).focus();
    }
    return result;
  }
  const doc = result.decision;
  const assessedAt = new Date().toLocaleString("sv-SE");
  const current = { doc, request: req, assessedAt, text: null };
  last = current;
  const content = $("beslut-innehall");
  content.replaceChildren(renderDecision(doc, onAnswer), renderRecord(doc, () => textOf(current), assessedAt, req));
  wireRecord();
  keepFocusVisible();
  $("beslut-status").textContent = liveText(doc);
  document.body.dataset.outcome = doc.outcome;
  if (focus === "decision") {
    // Show the decision from its top, then put focus on the outcome.
    $("beslut").scrollIntoView({ block: "start" });
    $("utfall").focus({ preventScroll: true });
  } else if (typeof focus === "number") {
    // After an answer: the next open question, or the outcome when none remain.
    const questions = content.querySelectorAll(".question");
    const next = questions[Math.min(focus, questions.length - 1)];
    const control = next?.querySelector("button, input, select");
    (control ?? $("utfall")).focus();
  }
  return result;
}

/**
 * WCAG 2.4.11: focus is never hidden under the sticky outcome banner. The page scrolls
 * focus below the banner's real height; a banner taller than a third of the window (many
 * items) does not stick at all.
 */
function keepFocusVisible() {
  const banner = $("utfall");
  if (!banner) return;
  const sticky = getComputedStyle(banner).position === "sticky" || banner.classList.contains("tall");
  banner.classList.toggle("tall", sticky && banner.offsetHeight > window.innerHeight / 3);
  const stuck = getComputedStyle(banner).position === "sticky";
  document.documentElement.style.scrollPaddingTop = stuck ? `${banner.offsetHeight + 16}px` : "";
}
window.addEventListener("resize", () => keepFocusVisible());

/**
 * The decision's Swedish text, made the first time it is read (opened, printed, copied)
 * from the same request, and kept with the decision.
 */
function textOf(checked) {
  if (checked.text === null) {
    try {
      checked.text = lagrum.text(checked.request);
    } catch (e) {
      checked.text = `Texten kunde inte skrivas: ${e?.message ?? e}`;
    }
  }
  return checked.text;
}

function onAnswer(path, value, index) {
  if (!form.answer(path, value)) extraAnswers.set(path, value);
  checkedOnce = true;
  runCheck(index);
}

function wireRecord() {
  $("record-print")?.addEventListener("click", () => window.print());
  $("record-copy")?.addEventListener("click", async () => {
    if (!last) return;
    const checked = last;
    const text = recordText(checked.doc, () => textOf(checked), checked.assessedAt);
    const status = $("record-status");
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Beslutsunderlaget är kopierat som text.";
    } catch {
      // No clipboard access (e.g. not a secure context): select the text for Ctrl+C.
      const details = $("record-text");
      fillFullText();
      details.open = true;
      const range = document.createRange();
      range.selectNodeContents(details.querySelector("pre"));
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      status.textContent = "Kopiering stöds inte här. Texten är markerad – tryck Ctrl+C.";
    }
  });
}

// The full text is in a closed <details> on screen; print it open.
let reopen = [];
window.addEventListener("beforeprint", () => {
  fillFullText();
  reopen = [...document.querySelectorAll("details:not([open])")].filter((d) => d.closest("#underlag"));
  for (const d of reopen) d.open = true;
});
window.addEventListener("afterprint", () => {
  for (const d of reopen) d.open = false;
  reopen = [];
});

// ---------------------------------------------------------------- tools

function showRuleset() {
  const r = lagrum.ruleset();
  $("regelverk-rad").textContent = `Regelverk: ${r.name} ${r.version} · ${r.hash.slice(0, 19)}…`;
  $("regelverk-rad").title = r.hash;
  $("ruleset-info").replaceChildren(`I bruk: ${r.name}, version ${r.version}. Kontrollsumma: `, h("code", { class: "hash" }, r.hash));
}

function showLoadReport(report) {
  const box = $("ruleset-report");
  const parts = [];
  if (report.ok) {
    parts.push(h("p", { class: "ok" }, `Regelverket är inläst (${report.files} filer): ${report.ruleset.name} ${report.ruleset.version}.`));
  } else {
    const errors = report.diagnostics.filter((d) => d.severity === "error").length;
    parts.push(h("p", { class: "error-title" }, `Regelverket innehåller ${errors} fel och används inte. Det tidigare regelverket gäller fortfarande.`));
  }
  if (report.diagnostics.length) {
    const rows = report.diagnostics.map((d) =>
      h(
        "tr",
        {},
        h("td", {}, d.severity === "error" ? "fel" : "varning"),
        h("td", {}, d.file ? `${d.file}${d.line ? `:${d.line}:${d.column}` : ""}` : "–"),
        h("td", {}, d.message, d.help ? h("span", { class: "hint" }, ` – ${d.help}`) : ""),
      ),
    );
    parts.push(
      h(
        "table",
        { class: "diagnostics" },
        h("caption", {}, "Fel och varningar"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Sort"), h("th", { scope: "col" }, "Var"), h("th", { scope: "col" }, "Vad"))),
        h("tbody", {}, rows),
      ),
      h("details", {}, h("summary", {}, "Som text (som legal validate)"), h("pre", {}, report.text)),
    );
  }
  box.replaceChildren(...parts);
}

function afterRulesetChange() {
  showRuleset();
  setReferences(lagrum.references());
  const vocab = lagrum.vocabulary();
  setVocabulary(vocab);
  form.buildForm(vocab);
  extraAnswers = new Map();
  if (checkedOnce) runCheck();
}

/**
 * Refuses a pasted request as a whole, at the text field, in Swedish: the page never
 * decides what the engine would refuse (an unknown field, another schema, `null`, a number,
 * a list, malformed JSON), and the previous decision is cleared so it cannot be mistaken
 * for the answer to the pasted text.
 */
function refuseImport(message, code) {
  const box = $("json-text");
  box.setAttribute("aria-invalid", "true");
  box.setAttribute("aria-describedby", "json-status");
  $("json-status").textContent = `Begäran kan inte läsas in: ${message}. Formuläret och beslutet är oförändrade men beslutet är borttaget.`;
  $("json-status").dataset.error = code;
  last = null;
  delete document.body.dataset.outcome;
  $("beslut-innehall").replaceChildren(
    h(
      "div",
      { class: "error-box", "data-error": code },
      h("p", { class: "error-title" }, "Den inklistrade begäran kan inte bedömas"),
      h("p", {}, message),
      h("a", { href: "#json-text", onclick: (e) => (e.preventDefault(), box.focus()) }, "Gå till JSON-fältet"),
    ),
  );
  $("beslut-status").textContent = `Begäran kan inte bedömas: ${message}`;
  box.focus();
}

function importJson() {
  const box = $("json-text");
  box.removeAttribute("aria-invalid");
  delete $("json-status").dataset.error;
  let req;
  try {
    req = JSON.parse(box.value);
  } catch (e) {
    refuseImport(`texten är inte giltig JSON (${e.message})`, "invalid_json");
    return;
  }
  if (req && typeof req === "object" && !Array.isArray(req) && req.request && !req.schema) req = req.request; // a scenario file
  if (req === null || typeof req !== "object" || Array.isArray(req)) {
    const what = req === null ? "null" : Array.isArray(req) ? "en lista" : `värdet ${JSON.stringify(req)}`;
    refuseImport(`en begäran är ett JSON-objekt, inte ${what}`, "invalid_shape");
    return;
  }
  // Validated whole by the engine before anything is filled in.
  let checked;
  try {
    checked = lagrum.check(req);
  } catch (e) {
    checked = { ok: false, error: { code: "internal", path: "$", message: String(e?.message ?? e) } };
  }
  if (!checked.ok) {
    const path = checked.error.path;
    // The engine words its errors in Swedish (engine/src/wording.rs).
    const message = checked.error.message;
    const where = path && path !== "$" && !message.startsWith(`${path}:`) ? `${path}: ` : "";
    refuseImport(`${where}${message}`, checked.error.code);
    return;
  }
  extraAnswers = new Map();
  form.fillForm(req);
  // The form must hold the whole request; what it cannot show is refused, not dropped.
  const lost = differences(req, form.readRequest());
  if (lost.length) {
    refuseImport(`formuläret kan inte visa ${lost.join(", ")}; begäran bedöms inte utan dem`, "not_representable");
    return;
  }
  $("json-status").textContent = "Formuläret är ifyllt från JSON.";
  checkedOnce = true;
  runCheck();
}

function wireTools() {
  $("json-export").addEventListener("click", () => {
    $("json-text").value = JSON.stringify(currentRequest(), null, 2);
    $("json-status").textContent = "Formulärets begäran visas ovan.";
  });
  $("json-import").addEventListener("click", importJson);
  $("ruleset-load").addEventListener("click", async () => {
    const files = await Promise.all([...$("ruleset-files").files].map(async (f) => ({ name: f.name, text: await f.text() })));
    const report = lagrum.loadRulesets(files, $("ruleset-with-defaults").checked);
    showLoadReport(report);
    if (report.ok) afterRulesetChange();
  });
  $("ruleset-reset").addEventListener("click", () => {
    showLoadReport(lagrum.resetRulesets());
    afterRulesetChange();
  });
}

// ---------------------------------------------------------------- start

async function main() {
  const t0 = performance.now();
  try {
    await lagrum.start();
  } catch (e) {
    $("regelverk-rad").textContent = "";
    $("beslut-innehall").replaceChildren(
      h(
        "div",
        { class: "error-box" },
        h("p", { class: "error-title" }, "Beslutsmotorn kunde inte starta"),
        h("p", {}, String(e?.message ?? e)),
        h("p", {}, "Öppna sidan via en webbserver (t.ex. python3 -m http.server i katalogen wasm/www), inte som fil, och bygg den först med scripts/build-web."),
      ),
    );
    return;
  }
  showRuleset();
  setReferences(lagrum.references());
  const vocab = lagrum.vocabulary();
  setVocabulary(vocab);
  form.buildForm(vocab);
  // Re-check after every change once there is a decision; while typing, when it pauses.
  form.wire((typing) => {
    clearTimeout(pending);
    if (!checkedOnce) return;
    if (typing) pending = setTimeout(() => runCheck(), 250);
    else runCheck();
  });
  wireTools();
  $("begaran").addEventListener("submit", (e) => {
    e.preventDefault();
    checkedOnce = true;
    runCheck("decision");
  });
  $("f-clear").addEventListener("click", () => {
    extraAnswers = new Map();
    checkedOnce = false;
    form.fillForm({ items: [{}], subjects: [{}] });
    $("beslut-innehall").replaceChildren(h("p", { class: "placeholder" }, "Fyll i utlämnandet och välj ", h("strong", {}, "Bedöm utlämnandet"), "."));
    $("beslut-status").textContent = "Formuläret är tömt.";
    $("f-date").focus();
  });
  $("f-submit").disabled = false;
  // For tests and the curious: the engine and a timing helper, in this page only.
  window.lagrum = {
    ...lagrum,
    /** Milliseconds from the script's start to a usable form (engine loaded and compiled). */
    startupMs: performance.now() - t0,
    request: currentRequest,
    /** Mean milliseconds per check of the form's request over `n` runs. */
    timeChecks(n = 100) {
      const req = currentRequest();
      lagrum.check(req);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) lagrum.check(req);
      return (performance.now() - t0) / n;
    },
  };
  document.body.dataset.ready = "true";
}

main();
