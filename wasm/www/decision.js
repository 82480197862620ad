// Renders a decision (lagrum.decision.v2, with the proof's Swedish sentences): the outcome
// first and unmistakable, the questions that could change it (answered in place), then per
// item the basis with links to the law, what must be documented, the obligations and the
// proof as an expandable tree; and the decision record for the case file. Provisions are
// named by id in the document and said in words by names.js.

import { h } from "./form.js";
import { alternativesSection } from "./alternatives.js";
import { balancingText, factWords, plain, provision, setNamesVocabulary } from "./names.js";

export const OUTCOMES = {
  must: {
    heading: "Ska lämnas",
    icon: "✓",
    text: "Det finns en skyldighet i lag eller förordning att lämna uppgifterna.",
  },
  allow: {
    heading: "Får lämnas",
    icon: "✓",
    text: "Sekretess hindrar inte att uppgifterna lämnas: sekretessen bryts, eller det finns ingen.",
  },
  manual: {
    heading: "Kräver prövning",
    icon: "!",
    text: "En handläggare måste pröva saken innan något lämnas ut (intresseavvägning, bedömning, osäkerhet eller motstridiga regler).",
  },
  deny: {
    heading: "Får inte lämnas",
    icon: "✗",
    text: "Sekretess eller förbud hindrar utlämnandet och ingen bestämmelse bryter det.",
  },
};

const ROLES = {
  duty: "uppgiftsskyldighet",
  permission: "sekretessbrytande bestämmelse",
  bridge: "bryter sekretessen för uppgiftsskyldigheten",
  bar: "förbud",
  pre_assessment: "förhandsbedömning",
  secrecy: "sekretess",
  data_protection: "dataskydd",
  other: "bestämmelse",
};

const DAMAGE = { rakt: "rakt skaderekvisit", omvant: "omvänt skaderekvisit", absolut: "absolut sekretess" };

const NOTE_KINDS = {
  balancing: "Intresseavvägning",
  balancing_against: "Talar emot",
  risk_factor: "Riskfaktor",
  judgement: "Bedömning",
  uncertain: "Osäkert",
  pre_assessment: "Förhandsbedömning",
  not_secret: "Inte sekretess",
};

const capital = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** The ruleset's vocabulary (facts, crimes), for the crime picker and the record's labels. */
let vocabulary = null;
export function setVocabulary(v) {
  vocabulary = v;
  setNamesVocabulary(v);
}

/** The fact a question path asks for (`facts.x`, `subjects[0].facts.x`), if any. */
function factOf(path) {
  const m = /(?:^|\.)facts\.([^.]+)$/.exec(path);
  return m ? vocabulary?.facts?.find((f) => f.id === m[1]) : undefined;
}

/** For a question whose answer may be a crime: pick it from the ruleset's list. */
function crimeAnswer(q, id, index, onAnswer) {
  const fact = factOf(q.path);
  if (!fact?.from_crime || !vocabulary?.crimes?.length) return [];
  const select = h("select", { id: `${id}-brott`, "data-crime": "true" });
  select.append(h("option", { value: "" }, "– välj brottet –"));
  for (const c of vocabulary.crimes) select.append(h("option", { value: c.id }, `${capital(c.label)} (${c.citation})`));
  const submit = () => {
    if (!select.value) {
      select.setAttribute("aria-invalid", "true");
      select.focus();
      return;
    }
    onAnswer(q.path, { brott: select.value }, index);
  };
  return [
    h("label", { for: select.id }, "Vet du inte straffet? Välj brottet"),
    h("div", { class: "inline" }, select, h("button", { type: "button", class: "answer", "data-crime-submit": "true", onclick: submit }, "Välj")),
  ];
}

/** A mark with a spoken equivalent: ✓ uppfyllt, ✗ inte uppfyllt, ? okänt, – inte i kraft. */
function mark(symbol, spoken, cls) {
  return h("span", { class: `mark ${cls}` }, h("span", { "aria-hidden": "true" }, symbol), h("span", { class: "sr-only" }, spoken));
}

function stepMark(result) {
  switch (result) {
    case "applies":
    case "permitted":
      return mark("✓", "gäller:", "yes");
    case "assumed":
    case "undetermined":
    case "conflict":
      return mark("?", "oklart:", "unknown");
    case "not_in_force":
      return mark("–", "inte i kraft:", "muted");
    default:
      return mark("✗", "gäller inte:", "no");
  }
}

function checkMark(holds) {
  if (holds === true) return mark("✓", "uppfyllt:", "yes");
  if (holds === false) return mark("✗", "inte uppfyllt:", "no");
  return mark("?", "okänt:", "unknown");
}

/** A link to the provision's official text, or just its citation. */
function provisionLink(p) {
  const label = p.citation;
  if (!p.link) return h("span", { class: "citation" }, label);
  return h(
    "a",
    { href: p.link, target: "_blank", rel: "noopener noreferrer", class: "citation" },
    label,
    h("span", { class: "sr-only" }, " (lagtexten, öppnas i ny flik)"),
  );
}

function versionText(v) {
  if (!v) return "";
  const sfs = v.sfs ? `${v.sfs}, ` : "";
  const to = v.to ? ` till ${v.to}` : "";
  return `${sfs}i kraft från ${v.from}${to}`;
}

// ---------------------------------------------------------------- questions

function questionForm(q, index, onAnswer) {
  const id = `q${index}`;
  const legendId = `${id}-text`;
  const box = h("li", { class: "question", "data-question": q.path });
  const by = q.asked_by.length ? `Frågas av ${q.asked_by.join(", ")}` : "";
  const hint = h("p", { class: "hint" }, by, by && q.items.length ? " · " : "", q.items.length ? `gäller ${q.items.join(", ")}` : "");
  const field = h("fieldset", { class: "inner" }, h("legend", { id: legendId }, q.text));
  box.append(field);
  const kind = q.answer.kind;
  if (kind === "yes_no") {
    const group = h("div", { class: "answer-buttons" });
    for (const [label, value] of [["Ja", true], ["Nej", false]]) {
      group.append(
        h(
          "button",
          { type: "button", class: "answer", "data-answer": String(value), "aria-describedby": legendId, onclick: () => onAnswer(q.path, value, index) },
          label,
        ),
      );
    }
    field.append(group);
  } else if (kind === "number") {
    const input = h("input", { id: `${id}-n`, type: "number", step: "1", inputmode: "numeric" });
    const submit = () => {
      if (input.value.trim() === "" || !Number.isFinite(Number(input.value))) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      onAnswer(q.path, Number(input.value), index);
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        submit();
      }
    });
    field.append(
      h("label", { for: input.id }, "Svar (ett heltal)"),
      h("div", { class: "inline" }, input, h("button", { type: "button", class: "answer", onclick: submit }, "Svara")),
      ...crimeAnswer(q, id, index, onAnswer),
    );
  } else if (kind === "choice") {
    const select = h("select", { id: `${id}-c` });
    select.append(h("option", { value: "" }, "– välj –"));
    for (const c of q.answer.choices) select.append(h("option", { value: c.id }, capital(c.label)));
    const submit = () => {
      if (!select.value) {
        select.setAttribute("aria-invalid", "true");
        select.focus();
        return;
      }
      onAnswer(q.path, select.value, index);
    };
    field.append(
      h("label", { for: select.id }, "Svar"),
      h("div", { class: "inline" }, select, h("button", { type: "button", class: "answer", onclick: submit }, "Svara")),
    );
  } else if (kind === "markers") {
    const list = h("div", { class: "checklist" });
    for (const c of q.answer.choices) {
      const cb = h("input", { type: "checkbox", id: `${id}-m-${c.id}`, value: c.id });
      list.append(h("div", { class: "choice" }, cb, h("label", { for: cb.id }, capital(c.label))));
    }
    const submit = () => onAnswer(q.path, [...list.querySelectorAll("input:checked")].map((x) => x.value), index);
    field.append(
      h("p", { class: "hint" }, "Markera de skydd personen har. Inget markerat betyder: kontrollerat, inget skydd."),
      list,
      h("button", { type: "button", class: "answer", onclick: submit }, "Svara"),
    );
  }
  field.append(hint);
  return box;
}

// ---------------------------------------------------------------- proof

function step(doc, s) {
  const details = h("details", { class: `step result-${s.result}` });
  details.append(h("summary", {}, stepMark(s.result), " ", s.text));
  const body = h("div", { class: "step-body" });
  const meta = [ROLES[s.role] ?? s.role];
  const v = versionText(s.provision.version);
  if (v) meta.push(v);
  if (s.starts) meta.push(`träder i kraft ${s.starts}`);
  if (s.ended) meta.push(`upphörde ${s.ended}`);
  body.append(h("p", { class: "step-meta" }, provisionLink(s.provision), ` – ${meta.join(", ")}`));
  if (s.checks.length) {
    const ul = h("ul", { class: "checks" });
    for (const c of s.checks) {
      const li = h("li", {}, checkMark(c.holds), " ", c.text ?? "");
      const facts = Object.entries(c.facts ?? {});
      if (facts.length) {
        li.append(
          h(
            "span",
            { class: "facts" },
            " (",
            ...facts.flatMap(([path, value], i) => {
              const [what, said] = factWords(path, value, doc);
              return [i ? "; " : "", `${what}: ${said}`];
            }),
            ")",
          ),
        );
      }
      ul.append(li);
    }
    body.append(ul);
  }
  if (s.notes.length) {
    const ul = h("ul", { class: "notes" });
    for (const n of s.notes) ul.append(h("li", {}, h("strong", {}, `${NOTE_KINDS[n.kind] ?? n.kind}: `), n.text));
    body.append(ul);
  }
  details.append(body);
  return details;
}

/**
 * Every provision considered for the item, as one step each, in the order of the v1 proof:
 * secrecy (its findings carry their checks), the routes, data protection.
 */
function proofSteps(doc, it) {
  const steps = [];
  for (const s of it.secrecy ?? []) {
    for (const p of s.p) steps.push({ provision: provision(doc, p), role: "secrecy", result: s.result, text: s.text, checks: s.checks ?? [], notes: [] });
  }
  for (const s of it.proof ?? []) {
    for (const p of s.p) steps.push({ ...s, provision: provision(doc, p), checks: s.checks ?? [], notes: s.notes ?? [] });
  }
  for (const d of it.data_protection ?? []) {
    steps.push({ provision: provision(doc, d.p), role: "data_protection", result: d.verdict, text: d.text, checks: d.checks ?? [], notes: [] });
  }
  return steps;
}

function proof(doc, item) {
  const steps = proofSteps(doc, item);
  // Applied; relevant but not applicable (it could have mattered: it reached the item, or
  // a fact is missing, or something else took precedence); not relevant (its conditions
  // are not met here, or it was not in force). The first two are open; the rest is one
  // click away.
  const applied = (s) => s.in_basis || ["applies", "permitted", "omit"].includes(s.result);
  const relevant = (s) => ["assumed", "undetermined", "conflict", "excluded", "not_covering", "defeated", "secrecy_unknown"].includes(s.result);
  const groups = [
    ["Tillämpades", "applied", steps.filter(applied), true],
    ["Relevant men inte tillämplig", "relevant", steps.filter((s) => !applied(s) && relevant(s)), true],
    ["Inte relevant här", "not-relevant", steps.filter((s) => !applied(s) && !relevant(s)), false],
  ];
  const tree = h("details", { class: "proof", open: true }, h("summary", {}, `Bevisning – hur beslutet nåddes (${steps.length} bestämmelser prövade)`));
  for (const [title, key, list, open] of groups) {
    if (!list.length) continue;
    const g = h("details", { class: "proof-group", "data-group": key, open }, h("summary", {}, `${title} (${list.length})`));
    for (const s of list) g.append(step(doc, s));
    tree.append(g);
  }
  return tree;
}

// ---------------------------------------------------------------- items

function section(title, ...content) {
  return h("div", { class: "part" }, h("h4", {}, title), ...content);
}

function item(doc, it) {
  const o = OUTCOMES[it.outcome];
  const box = h("article", { class: `item outcome-${it.outcome}`, "data-item": it.id, "aria-labelledby": `item-${cssId(it.id)}` });
  box.append(
    h(
      "h3",
      { id: `item-${cssId(it.id)}` },
      `Uppgift ${it.id}: `,
      h("span", { class: "item-outcome" }, o.heading),
    ),
    h("p", { class: "category" }, capital(it.category.label)),
    h("p", { class: "summary" }, it.summary),
  );
  const secrecy = (it.secrecy ?? [])
    .filter((s) => s.result === "applies" || s.result === "assumed")
    .flatMap((s) => s.p.map((p) => ({ s, provision: provision(doc, p) })));
  box.append(
    section(
      "Sekretess hos avsändaren",
      secrecy.length
        ? h(
            "ul",
            { class: "secrecy" },
            secrecy.map(({ s, provision: p }) =>
              h("li", {}, provisionLink(p), p.heading ? ` ${p.heading}` : "", s.damage_test ? ` – ${DAMAGE[s.damage_test]}` : "", s.result === "assumed" ? " (antas gälla)" : ""),
            ),
          )
        : h("p", {}, "Ingen sekretessbestämmelse skyddar uppgiften hos avsändaren."),
    ),
  );
  const basis = (it.basis ?? []).map((b) => ({ ...b, provision: provision(doc, b.p) }));
  if (basis.length) {
    box.append(
      section(
        "Grund",
        h(
          "ul",
          { class: "basis" },
          basis.map((b) => {
            const v = versionText(b.provision.version);
            const li = h("li", {}, provisionLink(b.provision), b.provision.heading ? ` ${b.provision.heading}` : "", ` – ${ROLES[b.role] ?? b.role}`, v ? ` (${v})` : "");
            if (b.pre_assessment) {
              const p = b.pre_assessment;
              li.append(h("br"), `${p.title} (dnr ${p.dnr}, giltig från ${p.from}${p.to ? ` till ${p.to}` : ""})`);
            }
            return li;
          }),
        ),
      ),
    );
  }
  const balancing = it.balancing ?? [];
  if (balancing.length) {
    box.append(
      section(
        "Prövning att göra och dokumentera",
        h("ul", { class: "balancing" }, balancing.map((b) => h("li", {}, h("strong", {}, capital(b.test.label)), ` (${provision(doc, b.p).citation}): ${balancingText(b.test.id)}`))),
      ),
    );
  }
  const own = (it.obligations ?? []).map((id) => doc.obligations.find((x) => x.id === id)).filter(Boolean);
  const obligations = own.filter((x) => x.kind === "obligation");
  const notices = own.filter((x) => x.kind === "notice");
  for (const [title, list] of [["Skyldigheter", obligations], ["Upplysningar", notices]]) {
    if (list.length) box.append(section(title, h("ul", {}, list.map((x) => h("li", {}, x.text, x.basis ? ` (${x.basis})` : "")))));
  }
  if (it.data_protection?.length) {
    box.append(section("Dataskydd", h("ul", { class: "data-protection" }, it.data_protection.map((d) => h("li", {}, d.text ?? "")))));
  }
  box.append(proof(doc, it));
  return box;
}

function cssId(s) {
  return encodeURIComponent(s).replace(/[^A-Za-z0-9_-]/g, "_");
}

/** The outcome banner's text for the live region: short, said once per change. */
export function liveText(doc) {
  const o = OUTCOMES[doc.outcome];
  const q = doc.questions.length;
  const kind = doc.preliminary ? "Preliminärt beslut" : "Beslut";
  return `${kind}: ${o.heading.toLowerCase()}.${q ? ` ${q} ${q === 1 ? "fråga" : "frågor"} kan ändra beslutet.` : ""}`;
}

/** What a person reads first: the summary, what the sender must still do, and why not more. */
function summaryBox(doc) {
  const s = doc.summary;
  if (!s) return [];
  const box = h("section", { class: "summary-box", id: "sammanfattning", "aria-labelledby": "sammanfattning-rubrik" }, h("h3", { id: "sammanfattning-rubrik" }, "Sammanfattning"), h("p", { class: "summary-text" }, s.text));
  if (s.steps.length) box.append(h("h4", {}, "Att göra"), h("ol", { class: "summary-steps" }, s.steps.map((x) => h("li", {}, x))));
  if (s.fell_away?.length) box.append(h("h4", {}, "Varför inte mer"), h("ul", { class: "summary-fell" }, s.fell_away.map((x) => h("li", {}, x))));
  return [box];
}

/** The notice for a date after the last day of the law the ruleset knows. */
function beyondKnown(doc) {
  return doc.beyond_known ? [h("p", { class: "notice", id: "framtida-datum", role: "note" }, h("strong", {}, "Obs! "), doc.beyond_known)] : [];
}

/**
 * The decision as elements. `onAnswer(path, value, index)` is called when a question is
 * answered.
 */
export function renderDecision(doc, onAnswer) {
  const o = OUTCOMES[doc.outcome];
  const out = document.createDocumentFragment();
  const banner = h(
    "div",
    { class: `banner outcome-${doc.outcome}${doc.preliminary ? " preliminary" : ""}`, id: "utfall", "data-outcome": doc.outcome, "data-preliminary": String(!!doc.preliminary), tabindex: "-1" },
    h("p", { class: "banner-kicker" }, doc.preliminary ? "Preliminärt beslut" : "Beslut"),
    h("p", { class: "banner-outcome" }, h("span", { class: "banner-icon", "aria-hidden": "true" }, o.icon), " ", doc.preliminary ? `Preliminärt: ${o.heading.toLowerCase()}` : o.heading),
    doc.preliminary
      ? h("p", { class: "banner-preliminary" }, "Svaren på frågorna nedan kan ändra utfallet. Lämna inte ut och neka inte förrän de är besvarade.")
      : h("p", { class: "banner-text" }, o.text),
  );
  if (doc.items.length > 1) {
    banner.append(
      h("ul", { class: "banner-items" }, doc.items.map((it) => h("li", {}, `${it.id}: `, h("strong", {}, OUTCOMES[it.outcome].heading.toLowerCase())))),
    );
  }
  const basis = [...new Map(doc.basis.map((b) => provision(doc, b.p)).map((p) => [p.citation, p])).values()];
  if (basis.length) {
    banner.append(h("p", { class: "banner-basis" }, "Grund: ", ...basis.flatMap((p, i) => [i ? ", " : "", provisionLink(p)])));
  }
  out.append(banner, ...beyondKnown(doc), ...summaryBox(doc));

  if (doc.questions.length) {
    out.append(
      h(
        "section",
        { class: "questions", "aria-labelledby": "fragor-rubrik" },
        h("h3", { id: "fragor-rubrik" }, `Frågor som kan ändra beslutet (${doc.questions.length})`),
        h("p", { class: "hint" }, "Svara här så uppdateras beslutet. Svaret förs in i formuläret. Vet du inte: låt frågan stå – motorn antar inget som tillåter utlämnande."),
        h("ol", {}, doc.questions.map((q, i) => questionForm(q, i, onAnswer))),
      ),
    );
  }
  const alternatives = alternativesSection(doc);
  if (alternatives) out.append(alternatives);
  if (doc.notes?.length) {
    out.append(h("section", { class: "notes-box" }, h("h3", {}, "Noteringar"), h("ul", {}, doc.notes.map((n) => h("li", {}, n)))));
  }
  for (const it of doc.items) out.append(item(doc, it));
  return out;
}

// ---------------------------------------------------------------- record

const MODE = { request: "på begäran", own_initiative: "på eget initiativ" };

/**
 * The decision record for the case file: what was decided, on what, with which ruleset.
 * `text()` gives the decision as Swedish text; it costs a second rendering, so it is asked
 * for when the full text is opened, printed or copied (app.js), not for every check.
 */
export function renderRecord(doc, text, assessedAt, request = null) {
  const o = OUTCOMES[doc.outcome];
  const facts = recordFacts(request);
  const row = (k, ...v) => [h("dt", {}, k), h("dd", {}, ...v)];
  const basis = doc.items.flatMap((it) => (it.basis ?? []).map((b) => ({ it, b: { ...b, provision: provision(doc, b.p) } })));
  const balancing = doc.items.flatMap((it) => (it.balancing ?? []).map((b) => ({ it, b })));
  const obligations = doc.obligations;
  const record = h(
    "section",
    { class: "record", id: "underlag", "aria-labelledby": "underlag-rubrik" },
    h("h3", { id: "underlag-rubrik" }, "Beslutsunderlag för akten"),
    doc.preliminary
      ? h("p", { class: "record-preliminary", id: "underlag-preliminart" }, h("strong", {}, "PRELIMINÄRT – inte ett slutligt beslut. "), `${doc.summary?.text ?? ""} Obesvarade frågor finns nedan.`)
      : [],
    doc.beyond_known ? h("p", { class: "record-notice" }, h("strong", {}, "Obs! "), doc.beyond_known) : [],
    h(
      "dl",
      {},
      row("Bedömt", assessedAt),
      doc.request_id ? row("Ärende", doc.request_id) : [],
      row("Datum för utlämnandet", doc.date),
      row("Avsändare", capital(doc.sender.label)),
      row("Mottagare", capital(doc.recipient.label)),
      row("Sätt", MODE[doc.mode] ?? doc.mode),
      row("Syfte", doc.purposes.map((p) => p.label).join("; ")),
      row("Uppgifter", h("ul", {}, doc.items.map((it) => h("li", {}, `${it.id} – ${it.category.label}: `, h("strong", {}, it.outcome_text))))),
      row("Beslut", h("strong", { class: "record-outcome" }, doc.preliminary ? `PRELIMINÄRT: ${o.heading.toUpperCase()}` : o.heading.toUpperCase())),
      doc.summary ? row("Sammanfattning", doc.summary.text, doc.summary.steps.length ? h("ul", {}, doc.summary.steps.map((x) => h("li", {}, x))) : []) : [],
      row("Omständigheter och svar", facts.length ? h("ul", { class: "record-facts" }, facts.map((x) => h("li", {}, x))) : "inga angivna"),
      doc.notes?.length ? row("Noteringar", h("ul", {}, doc.notes.map((n) => h("li", {}, n)))) : [],
      row(
        "Bestämmelser",
        basis.length
          ? h(
              "ul",
              {},
              basis.map(({ it, b }) =>
                h("li", {}, `${b.provision.citation}${b.provision.heading ? ` ${b.provision.heading}` : ""} – ${ROLES[b.role] ?? b.role}`, versionText(b.provision.version) ? ` (${versionText(b.provision.version)})` : "", doc.items.length > 1 ? ` [${it.id}]` : ""),
              ),
            )
          : "ingen bestämmelse bryter sekretessen eller grundar en skyldighet",
      ),
      balancing.length
        ? row(
            "Prövning att dokumentera",
            h(
              "ul",
              {},
              balancing.map(({ it, b }) =>
                h("li", {}, h("strong", {}, capital(b.test.label)), ` (${provision(doc, b.p).citation}${doc.items.length > 1 ? `, ${it.id}` : ""}): ${balancingText(b.test.id)}`, h("span", { class: "fill-in" }, "Bedömning och skäl: ")),
              ),
            ),
          )
        : [],
      obligations.length ? row("Skyldigheter och upplysningar", h("ul", {}, obligations.map((x) => h("li", {}, x.text, x.basis ? ` (${x.basis})` : "")))) : [],
      doc.questions.length ? row("Obesvarade frågor", h("ul", {}, doc.questions.map((q) => h("li", {}, q.text)))) : [],
      row("Regelverk", `${doc.ruleset.name} ${doc.ruleset.version}`, doc.ruleset.known_until ? ` (känner lagen till ${doc.ruleset.known_until})` : ""),
      row("Kontrollsumma", h("code", { class: "hash" }, doc.ruleset.hash)),
    ),
    h(
      "div",
      { class: "field assessment" },
      h("label", { for: "record-assessment" }, "Handläggarens bedömning och skäl"),
      h("textarea", { id: "record-assessment", rows: "4", "aria-describedby": "record-assessment-hint" }),
      h("p", { class: "hint", id: "record-assessment-hint" }, "Skrivs ut med underlaget. Sparas inte och skickas inte någonstans."),
    ),
    h("p", { class: "fill-in print-only" }, "Handläggare: "),
    h(
      "div",
      { class: "actions no-print" },
      h("button", { type: "button", class: "secondary", id: "record-print" }, "Skriv ut beslutsunderlaget"),
      h("button", { type: "button", class: "secondary", id: "record-copy" }, "Kopiera som text"),
    ),
    h("p", { class: "status no-print", id: "record-status", role: "status" }),
    fullText(text),
  );
  return record;
}

/** The full text, written into the page the first time it is opened (or printed). */
function fullText(text) {
  const pre = h("pre", {});
  const details = h("details", { class: "fulltext", id: "record-text" }, h("summary", {}, "Fullständig motivering som text"), pre);
  details.addEventListener("toggle", () => {
    if (details.open) details.fill();
  });
  details.fill = () => {
    if (!pre.textContent) pre.textContent = text() ?? "";
  };
  return details;
}

/** Writes the full text into the record now (before printing or selecting it). */
export function fillFullText() {
  document.getElementById("record-text")?.fill?.();
}

/** The facts and answers the request gives, in words: "label: value". */
function recordFacts(request) {
  if (!request) return [];
  const label = (id) => capital(vocabulary?.facts?.find((f) => f.id === id)?.label ?? id);
  const value = (v) => {
    if (v && typeof v === "object" && !Array.isArray(v) && v.brott) {
      const c = vocabulary?.crimes?.find((x) => x.id === v.brott);
      return c ? `${c.label} (${c.citation}), lägsta straff ${c.min_months} månader` : `brottet ${v.brott}`;
    }
    return plain(v);
  };
  const out = Object.entries(request.facts ?? {}).map(([k, v]) => `${label(k)}: ${value(v)}`);
  (request.subjects ?? []).forEach((s, i) => {
    const who = `Person ${i + 1}`;
    if (s.age !== undefined) out.push(`${who}, ålder: ${s.age}`);
    if (Array.isArray(s.protection)) out.push(`${who}, skydd i folkbokföringen: ${s.protection.length ? s.protection.join(", ") : "kontrollerat, inget"}`);
    for (const [k, v] of Object.entries(s.facts ?? {})) out.push(`${who}, ${label(k).toLowerCase()}: ${value(v)}`);
  });
  return out;
}

/** The record as plain text for the clipboard: a header, then the engine's text. */
export function recordText(doc, text, assessedAt) {
  text = typeof text === "function" ? text() : text;
  return [
    "BESLUTSUNDERLAG",
    `Bedömt:        ${assessedAt}`,
    `Regelverk:     ${doc.ruleset.name} ${doc.ruleset.version}`,
    `Kontrollsumma: ${doc.ruleset.hash}`,
    "",
    text ?? "",
  ].join("\n");
}
