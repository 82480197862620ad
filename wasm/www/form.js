// The request form: built from the ruleset's vocabulary, read into a lagrum.request.v1
// object, filled from one, and written to by answers to the engine's questions.
//
// Every control that holds a request field carries `data-path` with the field's JSON path
// (`facts.brott_begånget`, `subjects[0].age`, `items[1].category`, …): errors and
// questions from the engine name these paths, so the page can find the control.

const $ = (id) => document.getElementById(id);

/** Creates an element with attributes and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

function option(value, label, selected = false) {
  const o = h("option", { value }, label);
  if (selected) o.selected = true;
  return o;
}

const capital = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

let vocab = null;
let nextItem = 1;
let nextPerson = 1;

/** The form's current vocabulary. */
export function currentVocabulary() {
  return vocab;
}

// ---------------------------------------------------------------- building

function fillActorSelect(select, keep) {
  select.replaceChildren(option("", "– välj myndighet –"));
  const actors = [...vocab.actors].sort((a, b) => a.name.localeCompare(b.name, "sv"));
  for (const a of actors) select.append(option(a.id, `${capital(a.name)} (${a.id})`, a.id === keep));
}

function fillUnitSelect(unitSelect, actorId, keep) {
  const actor = vocab.actors.find((a) => a.id === actorId);
  const units = actor ? actor.units : [];
  unitSelect.replaceChildren(option("", units.length ? "– hela myndigheten / anges inte –" : "– inga enheter –"));
  for (const u of units) unitSelect.append(option(u.id, capital(u.label), u.id === keep));
  unitSelect.disabled = units.length === 0;
}

/** The activities a sender can name: those its unit (else the actor) carries on, with
 * everything under them; all activities when the ruleset does not say. */
function fillActivitySelect(select, actorId, unitId, keep) {
  const actor = vocab.actors.find((a) => a.id === actorId);
  const unit = actor?.units.find((u) => u.id === unitId);
  // As the engine reads it: the unit's, else the actor's, else those of all its units.
  const units = actor && !unitId && actor.units.length && actor.units.every((u) => u.activities);
  const declared = unit?.activities ?? actor?.activities ?? (units ? actor.units.flatMap((u) => u.activities) : null);
  const all = vocab.activities ?? [];
  const under = (id, top) => {
    for (let a = all.find((x) => x.id === id); a; a = all.find((x) => x.id === a.parent)) if (a.id === top) return true;
    return false;
  };
  const shown = declared ? all.filter((a) => declared.some((top) => under(a.id, top))) : all;
  select.replaceChildren(option("", "– anges inte –"));
  const sorted = [...shown].sort((a, b) => a.label.localeCompare(b.label, "sv"));
  for (const a of sorted) select.append(option(a.id, capital(a.label), a.id === keep));
}

function categoryOptions(select, keep) {
  select.replaceChildren(option("", "– välj slag av uppgift –"));
  const sorted = [...vocab.categories].sort((a, b) => a.label.localeCompare(b.label, "sv"));
  for (const c of sorted) select.append(option(c.id, capital(c.label), c.id === keep));
}

/** The secrecy provisions as options; `query` (chapter and paragraph as "25:1" or
 * "25 kap. 1 §", or words of the heading) keeps only those that match, and the chosen one. */
function secrecyOptions(select, keep, query = "") {
  select.replaceChildren(option("", "– ingen angiven (motorn härleder sekretessen) –"));
  const words = query
    .toLowerCase()
    .replace(/(\d+)\s*:\s*(\d+\s*[a-z]?)/g, (_, k, p) => `${k} kap. ${p.replace(/\s+/g, " ")} §`)
    .split(/\s+/)
    .filter(Boolean);
  for (const s of vocab.secrecy) {
    const text = `${s.citation} ${s.heading ?? ""} ${s.id}`.toLowerCase();
    const hit = s.id === keep || words.every((w) => text.includes(w));
    if (hit) select.append(option(s.id, s.heading ? `${s.citation} – ${s.heading}` : s.citation, s.id === keep));
  }
}

function personOptions(select, keep) {
  select.replaceChildren(option("", "– ingen fysisk person –"));
  document.querySelectorAll("#f-persons > li").forEach((li, i) => {
    select.append(option(li.dataset.id, `Person ${i + 1}`, li.dataset.id === keep));
  });
}

/** One control for a fact (yes/no, number or choice); blank means unknown. */
function factControl(fact, id, path, value) {
  if (fact.kind === "number") {
    const input = h("input", { id, type: "number", inputmode: "numeric", step: "1", "data-path": path, "data-kind": "number" });
    if (typeof value === "number") input.value = String(value);
    return input;
  }
  const select = h("select", { id, "data-path": path, "data-kind": fact.kind });
  select.append(option("", "Vet inte"));
  if (fact.kind === "yes_no") {
    select.append(option("true", "Ja", value === true), option("false", "Nej", value === false));
  } else {
    for (const c of fact.choices) select.append(option(c, c.replace(/_/g, " "), value === c));
  }
  return select;
}

function factField(fact, idBase, path, value) {
  const id = `${idBase}-${fact.id}`;
  const field = h(
    "div",
    { class: "field fact" },
    h("label", { for: id }, capital(fact.label)),
    factControl(fact, id, path, value),
    h("p", { class: "hint", id: `${id}-q` }, fact.question),
  );
  if (fact.from_crime && vocab.crimes?.length) {
    field.append(...crimePicker(`${id}-brott`, path, value?.brott));
    // A number typed in replaces a picked crime.
    field.querySelector('[data-kind="number"]').addEventListener("input", () => {
      const pick = field.querySelector('[data-kind="crime"]');
      if (pick.value) {
        pick.value = "";
        pick.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
  return field;
}

/** A scale in words: "18–72 månader" or "böter – 24 månader". */
export function scaleText(c) {
  return `${c.min_months === 0 ? "böter eller kort fängelse" : `${c.min_months} månader`} – ${c.max_months} månader`;
}

/**
 * For a fact answered by picking a crime: a list of the ruleset's crimes. Picking one sends
 * `{"brott": id}`; the engine takes its lowest penalty. The number field stays for those
 * who know the answer.
 */
function crimePicker(id, path, picked) {
  const select = h("select", { id, "data-path": path, "data-kind": "crime", "aria-describedby": `${id}-hint` });
  select.append(option("", "– välj brottet –"));
  for (const c of vocab.crimes) select.append(option(c.id, `${capital(c.label)} (${c.citation})`, c.id === picked));
  const hint = h("p", { class: "hint", id: `${id}-hint` }, "Vet du inte straffskalan: välj brottet, så räknas det lägsta straffet fram.");
  const show = () => {
    const c = vocab.crimes.find((x) => x.id === select.value);
    hint.textContent = c
      ? `Lägsta straff för ${c.label}: ${c.min_months} månader (straffskala ${scaleText(c)}, ${c.citation}).`
      : "Vet du inte straffskalan: välj brottet, så räknas det lägsta straffet fram.";
  };
  select.addEventListener("change", () => {
    const number = select.closest(".field")?.querySelector('[data-kind="number"]');
    if (select.value && number) number.value = "";
    show();
  });
  show();
  return [h("label", { for: id }, "eller välj brottet"), select, hint];
}

function renderFacts(values = {}) {
  const box = $("f-facts");
  box.replaceChildren();
  for (const f of vocab.facts.filter((x) => !x.about_person)) {
    const field = factField(f, "f-fact", `facts.${f.id}`, values[f.id]);
    field.querySelector("select, input").setAttribute("aria-describedby", `f-fact-${f.id}-q`);
    box.append(field);
  }
  $("f-facts-set").hidden = box.children.length === 0;
  countFacts();
}

/** Says in the summary how many facts are given, so a closed list still shows it. */
function countFacts() {
  const all = [...document.querySelectorAll("#f-facts [data-kind]")];
  const given = all.filter((el) => el.value.trim() !== "").length;
  $("f-facts-count").textContent = `${given} av ${all.length} angivna`;
  if (given > 0) $("f-facts-box").open = true;
}

/** Adds an item card; `item` fills it (from a request). */
export function addItem(item = {}) {
  const n = nextItem++;
  const base = `f-item${n}`;
  const li = h("li", { class: "card" });
  const title = h("h3", { class: "card-title", id: `${base}-title` });
  const cat = h("select", { id: `${base}-cat`, required: true, "data-field": "category" });
  categoryOptions(cat, item.category);
  const sec = h("select", { id: `${base}-sec`, "data-field": "secrecy", "aria-describedby": `${base}-sec-hint` });
  // The form edits one provision; the rest, and any this ruleset does not know, are kept
  // and sent as they are, so the engine rejects an unknown one instead of the form
  // silently dropping the sender's classification.
  const secrecy = item.secrecy === undefined ? [] : [item.secrecy].flat();
  const shown = secrecy.find((id) => vocab.secrecy.some((s) => s.id === id));
  secrecyOptions(sec, shown);
  const search = h("input", {
    id: `${base}-sec-search`,
    type: "search",
    autocomplete: "off",
    "aria-describedby": `${base}-sec-hint`,
    "data-field": "secrecy-search",
  });
  search.addEventListener("input", () => secrecyOptions(sec, sec.value, search.value));
  const kept = secrecy.filter((id) => id !== shown);
  if (kept.length) li.dataset.moreSecrecy = JSON.stringify(kept);
  const subject = h("select", { id: `${base}-subj`, "data-field": "subject" });
  personOptions(subject, item.subject === undefined ? document.querySelector("#f-persons > li")?.dataset.id : item.subject);
  const idInput = h("input", { id: `${base}-id`, type: "text", required: true, autocomplete: "off", "data-field": "id" });
  idInput.value = item.id ?? `uppgift ${n}`;
  const idn = h("input", { id: `${base}-idn`, type: "checkbox", "data-field": "identity_number" });
  idn.checked = item.identity_number === true;
  const remove = h("button", { type: "button", class: "link-button", "aria-describedby": title.id }, "Ta bort uppgiften");
  remove.addEventListener("click", () => {
    li.remove();
    renumber();
    $("f-add-item").focus();
    changed();
  });
  if (item.description) li.dataset.description = item.description;
  li.append(
    title,
    h("div", { class: "field" }, h("label", { for: idInput.id }, "Benämning ", h("span", { "aria-hidden": "true" }, "*")), idInput),
    h("div", { class: "field" }, h("label", { for: cat.id }, "Slag av uppgift ", h("span", { "aria-hidden": "true" }, "*")), cat),
    h(
      "div",
      { class: "field" },
      h("label", { for: search.id }, "Sök sekretessbestämmelse (kapitel och paragraf, t.ex. 25:1, eller ord)"),
      search,
      h("label", { for: sec.id }, "Sekretessbestämmelse hos avsändaren ", h("span", { class: "opt" }, "(valfritt)")),
      sec,
      h("p", { class: "hint", id: `${base}-sec-hint` }, "Ange bara om uppgiften redan är sekretessbedömd; annars härleds sekretessen ur slaget av uppgift."),
    ),
    h("div", { class: "field" }, h("label", { for: subject.id }, "Gäller"), subject),
    h("div", { class: "choice" }, idn, h("label", { for: idn.id }, "Uppgiften innehåller personnummer eller samordningsnummer")),
    remove,
  );
  $("f-items").append(li);
  renumber();
  return li;
}

/** Adds a person card; `person` fills it (from a request). */
export function addPerson(person = {}) {
  const n = nextPerson++;
  const base = `f-person${n}`;
  let id = person.id ?? `p${n}`;
  while (!person.id && [...document.querySelectorAll("#f-persons > li")].some((li) => li.dataset.id === id)) id = `p${nextPerson++}`;
  const li = h("li", { class: "card", "data-id": id });
  const title = h("h3", { class: "card-title", id: `${base}-title` });
  const age = h("input", { id: `${base}-age`, type: "number", min: "0", max: "130", step: "1", inputmode: "numeric", "data-field": "age", "aria-describedby": `${base}-age-hint` });
  if (typeof person.age === "number") age.value = String(person.age);

  const known = Array.isArray(person.protection);
  // Markers this ruleset does not know are kept and sent, so the engine names them as an
  // error; dropping them would turn a protected person into one checked and unprotected.
  const unknownMarkers = known ? person.protection.filter((id) => !vocab.markers.some((m) => m.id === id)) : [];
  if (unknownMarkers.length) li.dataset.moreMarkers = JSON.stringify(unknownMarkers);
  const radioName = `${base}-prot`;
  const unknownRadio = h("input", { type: "radio", id: `${base}-prot-unknown`, name: radioName, value: "unknown", "data-field": "protection-known" });
  const knownRadio = h("input", { type: "radio", id: `${base}-prot-known`, name: radioName, value: "known", "data-field": "protection-known" });
  unknownRadio.checked = !known;
  knownRadio.checked = known;
  const markers = h("div", { class: "checklist nested", role: "group", "aria-labelledby": `${base}-markers-label` });
  for (const m of vocab.markers) {
    const cb = h("input", { type: "checkbox", id: `${base}-m-${m.id}`, value: m.id, "data-field": "marker" });
    cb.checked = known && person.protection.includes(m.id);
    const span = m.from || m.to ? ` (${m.from ? `från ${m.from}` : ""}${m.from && m.to ? " " : ""}${m.to ? `till ${m.to}` : ""})` : "";
    markers.append(h("div", { class: "choice" }, cb, h("label", { for: cb.id }, capital(m.label) + span)));
  }
  const syncMarkers = () => {
    for (const cb of markers.querySelectorAll("input")) cb.disabled = !knownRadio.checked;
  };
  unknownRadio.addEventListener("change", syncMarkers);
  knownRadio.addEventListener("change", syncMarkers);
  syncMarkers();

  const idKind = h("select", { id: `${base}-idkind`, "data-field": "identity.kind" });
  idKind.append(option("", "Vet inte / anges inte"), option("personnummer", "Personnummer"), option("samordningsnummer", "Samordningsnummer"));
  idKind.value = person.identity?.kind ?? "";
  const idLevel = h("select", { id: `${base}-idlevel`, "data-field": "identity.level" });
  idLevel.append(option("", "Vet inte"), option("styrkt", "Styrkt"), option("sannolik", "Sannolik"), option("osäker", "Osäker"));
  idLevel.value = person.identity?.level ?? "";
  const syncLevel = () => {
    idLevel.disabled = idKind.value !== "samordningsnummer";
  };
  idKind.addEventListener("change", syncLevel);
  syncLevel();
  if (person.identity?.number) li.dataset.number = person.identity.number;

  const facts = h("div", { class: "person-facts" });
  for (const f of vocab.facts.filter((x) => x.about_person)) {
    facts.append(factField(f, `${base}-fact`, "", person.facts?.[f.id]));
  }

  const remove = h("button", { type: "button", class: "link-button", "aria-describedby": title.id }, "Ta bort personen");
  remove.addEventListener("click", () => {
    li.remove();
    renumber();
    $("f-add-person").focus();
    changed();
  });

  li.append(
    title,
    h(
      "div",
      { class: "field" },
      h("label", { for: age.id }, "Ålder i hela år"),
      age,
      h("p", { class: "hint", id: `${base}-age-hint` }, "Lämna tomt om du inte vet."),
    ),
    h(
      "fieldset",
      { class: "inner", "data-field": "protection" },
      h("legend", {}, "Skydd i folkbokföringen"),
      h("div", { class: "choice" }, unknownRadio, h("label", { for: unknownRadio.id }, "Inte kontrollerat (okänt)")),
      h("div", { class: "choice" }, knownRadio, h("label", { for: knownRadio.id }, "Kontrollerat i folkbokföringen – skydden som finns är markerade nedan (inget markerat = inget skydd)")),
      h("p", { class: "sr-only", id: `${base}-markers-label` }, "Skydd som finns"),
      markers,
    ),
    h("div", { class: "field" }, h("label", { for: idKind.id }, "Identitetsnummer"), idKind),
    h("div", { class: "field" }, h("label", { for: idLevel.id }, "Identitetsnivå (bara samordningsnummer)"), idLevel),
    facts,
    remove,
  );
  $("f-persons").append(li);
  renumber();
  return li;
}

/** Renumbers titles and `data-path`s after cards are added or removed. */
function renumber() {
  const items = [...document.querySelectorAll("#f-items > li")];
  items.forEach((li, i) => {
    li.querySelector(".card-title").textContent = `Uppgift ${i + 1}`;
    li.dataset.path = `items[${i}]`;
    for (const el of li.querySelectorAll("[data-field]")) el.dataset.path = `items[${i}].${el.dataset.field}`;
    li.querySelector(".link-button").hidden = items.length === 1;
  });
  const persons = [...document.querySelectorAll("#f-persons > li")];
  persons.forEach((li, i) => {
    li.querySelector(".card-title").textContent = `Person ${i + 1}`;
    li.dataset.path = `subjects[${i}]`;
    for (const el of li.querySelectorAll("[data-field]")) {
      const f = el.dataset.field;
      if (f === "protection" || f === "protection-known" || f === "marker") el.dataset.path = `subjects[${i}].protection`;
      else el.dataset.path = `subjects[${i}].${f}`;
    }
    for (const el of li.querySelectorAll(".person-facts [data-kind]")) {
      const factId = el.id.split("-fact-").pop();
      el.dataset.path = `subjects[${i}].facts.${factId}`;
    }
  });
  for (const sel of document.querySelectorAll('#f-items select[data-field="subject"]')) personOptions(sel, sel.value);
}

/** Builds (or rebuilds, after a ruleset change) the form for a vocabulary. */
export function buildForm(vocabulary, request = null) {
  const keep = request ?? (vocab ? readRequest() : null);
  vocab = vocabulary;
  fillActorSelect($("f-sender"), keep?.sender?.actor);
  fillActorSelect($("f-recipient"), keep?.recipient?.actor);
  const list = $("f-purpose-list");
  list.replaceChildren();
  const chosen = new Set(keep?.purposes ?? []);
  for (const p of vocab.purposes) {
    const cb = h("input", { type: "checkbox", id: `f-purpose-${p.id}`, value: p.id, name: "purpose" });
    cb.checked = chosen.has(p.id);
    list.append(h("div", { class: "choice" }, cb, h("label", { for: cb.id }, capital(p.label))));
  }
  fillForm(keep ?? { items: [{}], subjects: [{}] });
}

/** Fills the form from a request object (replacing what was there). */
export function fillForm(request) {
  $("f-id").value = request.id ?? "";
  $("f-date").value = request.date ?? new Date().toLocaleDateString("sv-SE");
  $("f-sender").value = request.sender?.actor ?? "";
  fillUnitSelect($("f-sender-unit"), $("f-sender").value, request.sender?.unit);
  fillActivitySelect($("f-sender-activity"), $("f-sender").value, $("f-sender-unit").value, request.sender?.activity);
  $("f-recipient").value = request.recipient?.actor ?? "";
  fillUnitSelect($("f-recipient-unit"), $("f-recipient").value, request.recipient?.unit);
  const mode = request.mode === "own_initiative" ? "f-mode-own" : "f-mode-request";
  $(mode).checked = true;
  const purposes = new Set(request.purposes ?? []);
  for (const cb of document.querySelectorAll('#f-purpose-list input[type="checkbox"]')) cb.checked = purposes.has(cb.value);
  $("f-persons").replaceChildren();
  $("f-items").replaceChildren();
  nextItem = 1;
  nextPerson = 1;
  for (const s of request.subjects ?? []) addPerson(s);
  for (const it of request.items ?? []) addItem(it);
  if ((request.items ?? []).length === 0) addItem();
  renderFacts(request.facts ?? {});
  renumber();
}

// ---------------------------------------------------------------- reading

function factValue(el) {
  const v = el.value.trim();
  if (v === "") return undefined;
  if (el.dataset.kind === "yes_no") return v === "true";
  if (el.dataset.kind === "crime") return { brott: v };
  if (el.dataset.kind === "number") {
    const n = Number(v);
    return Number.isFinite(n) ? n : v; // a non-number goes to the engine, which names the field
  }
  return v;
}

/** The request the form describes (lagrum.request.v1). Unknown things are left out. */
export function readRequest() {
  const req = { schema: "lagrum.request.v1" };
  const id = $("f-id").value.trim();
  if (id) req.id = id;
  req.date = $("f-date").value;
  const party = (actor, unit) => {
    const p = { actor: $(actor).value };
    if ($(unit).value) p.unit = $(unit).value;
    return p;
  };
  req.sender = party("f-sender", "f-sender-unit");
  if ($("f-sender-activity").value) req.sender.activity = $("f-sender-activity").value;
  req.recipient = party("f-recipient", "f-recipient-unit");
  req.mode = document.querySelector('input[name="mode"]:checked')?.value ?? "request";
  req.purposes = [...document.querySelectorAll('#f-purpose-list input:checked')].map((cb) => cb.value);
  req.items = [...document.querySelectorAll("#f-items > li")].map((li) => {
    const get = (f) => li.querySelector(`[data-field="${f}"]`);
    const item = { id: get("id").value.trim(), category: get("category").value };
    const sec = get("secrecy").value;
    const more = li.dataset.moreSecrecy ? JSON.parse(li.dataset.moreSecrecy) : [];
    const all = sec ? [sec, ...more] : more;
    if (all.length > 1) item.secrecy = all;
    else if (all.length === 1) item.secrecy = all[0];
    if (get("subject").value) item.subject = get("subject").value;
    if (get("identity_number").checked) item.identity_number = true;
    if (li.dataset.description) item.description = li.dataset.description;
    return item;
  });
  req.subjects = [...document.querySelectorAll("#f-persons > li")].map((li) => {
    const s = { id: li.dataset.id };
    const age = li.querySelector('[data-field="age"]').value.trim();
    if (age !== "") s.age = Number.isFinite(Number(age)) ? Number(age) : age;
    if (li.querySelector('[data-field="protection-known"][value="known"]').checked) {
      const more = li.dataset.moreMarkers ? JSON.parse(li.dataset.moreMarkers) : [];
      s.protection = [...li.querySelectorAll('[data-field="marker"]:checked')].map((cb) => cb.value).concat(more);
    }
    const kind = li.querySelector('[data-field="identity.kind"]').value;
    if (kind) {
      s.identity = { kind };
      const level = li.querySelector('[data-field="identity.level"]').value;
      if (kind === "samordningsnummer" && level) s.identity.level = level;
      if (li.dataset.number) s.identity.number = li.dataset.number;
    }
    const facts = {};
    for (const el of li.querySelectorAll(".person-facts [data-kind]")) {
      const v = factValue(el);
      if (v !== undefined) facts[el.dataset.path.split(".facts.").pop()] = v;
    }
    if (Object.keys(facts).length) s.facts = facts;
    return s;
  });
  const facts = {};
  for (const el of document.querySelectorAll("#f-facts [data-kind]")) {
    const v = factValue(el);
    if (v !== undefined) facts[el.dataset.path.slice("facts.".length)] = v;
  }
  req.facts = facts;
  return req;
}

// ---------------------------------------------------------------- answers and errors

/**
 * Writes an answer to a question into the form control at `path`. Returns false if no
 * control holds that path (the caller then keeps the answer itself).
 */
export function answer(path, value) {
  if (value && typeof value === "object" && !Array.isArray(value) && typeof value.brott === "string") {
    const pick = [...document.querySelectorAll('[data-kind="crime"]')].find((x) => x.dataset.path === path);
    if (!pick || ![...pick.options].some((o) => o.value === value.brott)) return false;
    pick.value = value.brott;
    pick.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }
  const m = /^subjects\[(\d+)\]\.protection$/.exec(path);
  if (m) {
    const li = document.querySelectorAll("#f-persons > li")[Number(m[1])];
    if (!li) return false;
    li.querySelector('[data-field="protection-known"][value="known"]').checked = true;
    for (const cb of li.querySelectorAll('[data-field="marker"]')) {
      cb.disabled = false;
      cb.checked = value.includes(cb.value);
    }
    return true;
  }
  const el = [...document.querySelectorAll("[data-path]")].find(
    (x) => x.dataset.path === path && (x.tagName === "SELECT" || x.tagName === "INPUT"),
  );
  if (!el) return false;
  if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === String(value))) return false;
  el.disabled = false;
  el.value = String(value);
  el.dispatchEvent(new Event("change", { bubbles: true }));
  return true;
}

/** The control (or group) for a JSON path from an error, for focusing and marking. */
export function controlFor(path) {
  const all = [...document.querySelectorAll("[data-path]")];
  let p = path;
  while (p) {
    const found = all.find((x) => x.dataset.path === p);
    if (found) {
      if (found.tagName === "FIELDSET" || found.tagName === "LI") {
        return found.querySelector("input:not([disabled]), select:not([disabled])") ?? found;
      }
      return found;
    }
    // items[0].secrecy[1] → items[0].secrecy → items[0] …
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    p = cut > 0 ? p.slice(0, cut) : "";
  }
  return null;
}

// ---------------------------------------------------------------- events

let onChange = () => {};

function changed() {
  onChange();
}

/** Wires the form's own behaviour; `change(typing)` is called after every edit. */
export function wire(change) {
  onChange = change;
  const activities = () =>
    fillActivitySelect($("f-sender-activity"), $("f-sender").value, $("f-sender-unit").value, $("f-sender-activity").value);
  $("f-sender").addEventListener("change", () => {
    fillUnitSelect($("f-sender-unit"), $("f-sender").value);
    activities();
  });
  $("f-sender-unit").addEventListener("change", activities);
  $("f-recipient").addEventListener("change", () => fillUnitSelect($("f-recipient-unit"), $("f-recipient").value));
  $("f-add-item").addEventListener("click", () => {
    const li = addItem();
    li.querySelector("input, select").focus();
    changed();
  });
  $("f-add-person").addEventListener("click", () => {
    const li = addPerson();
    li.querySelector("input, select").focus();
    changed();
  });
  const form = $("begaran");
  // The JSON and ruleset tools live in the form but are not part of the request.
  const ours = (e) => !e.target.closest(".tools");
  form.addEventListener("change", (e) => {
    if (e.target.closest("#f-facts")) countFacts();
    if (ours(e)) changed();
  });
  form.addEventListener("input", (e) => {
    if (ours(e) && e.target.tagName === "INPUT" && e.target.type !== "checkbox" && e.target.type !== "radio") onChange(true);
  });
}
