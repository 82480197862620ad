// "Detta skulle ändra utfallet": for a decision that is `deny` or `manual`, the smallest
// changes to the request (facts, mode, purpose, a person's protection) that would make an
// item `allow` or `must`, and the provisions it would then rest on. Computed by the engine
// (`alternatives` in the WebAssembly module), one decision per candidate change, so only
// when the outcome is not already allow/must. Kept in its own file: decision.js calls
// `alternativesSection(doc)` once, next to the questions.

import * as wasm from "./pkg/lagrum_wasm.js";
import { h } from "./form.js";

const PERMITS = new Set(["allow", "must"]);

/** The request on the page (app.js exposes it as `window.lagrum.request`). */
function currentRequest() {
  const get = globalThis.lagrum?.request;
  return typeof get === "function" ? get() : null;
}

/**
 * The section for a decision (lagrum.decision.v2), or null when there is nothing to show:
 * the outcome already permits disclosure, the request is not at hand, or the engine found
 * no change of one or two facts that would open any item.
 */
export function alternativesSection(doc) {
  if (!doc || PERMITS.has(doc.outcome)) return null;
  const request = currentRequest();
  if (!request) return null;
  let out;
  try {
    out = JSON.parse(wasm.alternatives(JSON.stringify(request)));
  } catch {
    return null;
  }
  const items = (out.items ?? []).filter((it) => it.alternatives?.length);
  if (!items.length) return null;
  const several = (out.items ?? []).length > 1;
  return h(
    "section",
    { class: "notes-box alternatives", "aria-labelledby": "alternativ-rubrik", "data-alternatives": String(items.length) },
    h("h3", { id: "alternativ-rubrik" }, "Detta skulle ändra utfallet"),
    h(
      "p",
      { class: "hint" },
      "Ändringar i begäran som skulle göra att uppgiften får eller ska lämnas, och enligt vilken bestämmelse. " +
        "Det är inga råd: stämmer inte uppgifterna gäller beslutet ovan.",
    ),
    ...items.map((it) =>
      h(
        "div",
        { class: "alternatives-item", "data-item": it.id },
        several ? h("h4", {}, `Uppgiften ${it.id}`) : [],
        h(
          "ul",
          {},
          it.alternatives.map((a) =>
            h("li", { "data-outcome": a.outcome, "data-paths": a.changes.map((c) => c.path).join(" ") }, a.text),
          ),
        ),
      ),
    ),
  );
}
