// What a decision (lagrum.decision.v2) names by id, said in words for the caseworker.
//
// The document details only the provisions its outcome rests on (`provisions`); the others
// it names by id. Their citation, heading, link to the official text and versions come from
// the ruleset's references (the `references` export, asked for once per ruleset, pinned by
// the same hash as the decision). The facts a check read are named by their request path;
// here they get their labels from the vocabulary. Nothing here decides anything.

let references = null;
let vocabulary = null;

/** The references of the ruleset in use (`lagrum.references()`). */
export function setReferences(r) {
  references = r;
}

/** The vocabulary of the ruleset in use (`lagrum.vocabulary()`). */
export function setNamesVocabulary(v) {
  vocabulary = v;
}

/** The version of a listed provision in force on `date` (ISO dates compare as text). */
function versionOn(versions, date) {
  return (versions ?? []).find((v) => v.from <= date && (!v.to || date <= v.to));
}

/**
 * A provision by id, as the page shows it: `{id, citation, heading, link, version}`. The
 * version is the one the document records, else the one in force on the decision's date.
 */
export function provision(doc, id) {
  const own = doc.provisions?.[id];
  const listed = references?.provisions?.[id];
  return {
    id,
    citation: own?.citation ?? listed?.citation ?? "en bestämmelse som regelverket inte känner",
    heading: own?.heading ?? listed?.heading,
    link: own?.link ?? listed?.link,
    version: own?.version ?? versionOn(listed?.versions, doc.date),
  };
}

/** What the sender must weigh in a balancing test (its explanation in the ruleset). */
export function balancingText(testId) {
  return references?.balancing?.[testId] ?? "";
}

const capital = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);
const MODE = { request: "på begäran", own_initiative: "på eget initiativ" };

function labelOf(list, id, key = "label") {
  const found = (list ?? []).find((x) => x.id === id);
  return found ? found[key] : id;
}

function actorName(id) {
  return labelOf(vocabulary?.actors, id, "name");
}

/** A request value in plain Swedish: missing, yes/no, a list, or as written. */
export function plain(v) {
  if (v === null || v === undefined) return "saknas";
  if (v === true) return "ja";
  if (v === false) return "nej";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "inga";
  return String(v);
}

/** Labels a value (or each value of a list) with `f`; a missing value says so. */
function each(v, f) {
  if (v === null || v === undefined) return "saknas";
  if (Array.isArray(v)) return v.length ? v.map(f).join(", ") : "inga";
  return f(v);
}

/** A fact of the vocabulary: its label and its value (a crime by name). */
function fact(id, v) {
  const def = vocabulary?.facts?.find((f) => f.id === id);
  let value = plain(v);
  if (v && typeof v === "object" && !Array.isArray(v) && v.brott) {
    value = labelOf(vocabulary?.crimes, v.brott);
  }
  return [def?.label ?? id, value];
}

/**
 * A fact a check read, in words: `[what, value]`, e.g. `["avsändarens verksamhet",
 * "folkbokföring"]`. A path the page does not know keeps its form (it still says what it is).
 */
export function factWords(path, v, doc = null) {
  let m;
  if (path === "sender.actor") return ["avsändare", each(v, actorName)];
  if (path === "recipient.actor") return ["mottagare", each(v, actorName)];
  if (path === "sender.unit" || path === "recipient.unit") return [path === "sender.unit" ? "avsändarens enhet" : "mottagarens enhet", plain(v)];
  if (path === "sender.activity") return ["avsändarens verksamhet", each(v, (x) => labelOf(vocabulary?.activities, x))];
  if (path === "purposes") return ["syfte", each(v, (x) => labelOf(vocabulary?.purposes, x))];
  if (path === "mode") return ["sätt", each(v, (x) => MODE[x] ?? x)];
  if ((m = /^facts\.(.+)$/.exec(path))) return fact(m[1], v);
  if ((m = /^subjects\[(\d+)\]\.(.+)$/.exec(path))) {
    const who = `person ${Number(m[1]) + 1}`;
    const rest = m[2];
    if (rest === "age") return [`${who}, ålder`, plain(v)];
    if (rest === "consent") return [`${who}, samtycke`, plain(v)];
    if (rest === "protection") return [`${who}, skydd i folkbokföringen`, each(v, (x) => labelOf(vocabulary?.markers, x))];
    const f = /^facts\.(.+)$/.exec(rest);
    if (f) {
      const [label, value] = fact(f[1], v);
      return [`${who}, ${label}`, value];
    }
    return [`${who}, ${rest}`, plain(v)];
  }
  if ((m = /^items\[(\d+)\]\.(.+)$/.exec(path))) {
    const what = `uppgift ${doc?.items?.[Number(m[1])]?.id ?? Number(m[1]) + 1}`;
    const rest = m[2];
    if (rest === "category") return [`${what}, slag av uppgift`, each(v, (x) => labelOf(vocabulary?.categories, x))];
    if (rest === "secrecy") return [`${what}, sekretess hos avsändaren`, each(v, (x) => labelOf(vocabulary?.secrecy, x, "citation"))];
    if (rest === "subject") {
      const k = (globalThis.lagrum?.request?.()?.subjects ?? []).findIndex((x) => x.id === v);
      return [`${what}, gäller`, k >= 0 ? `person ${k + 1}` : plain(v)];
    }
    if (rest === "identity_number") return [`${what}, innehåller person- eller samordningsnummer`, plain(v)];
    return [`${what}, ${rest}`, plain(v)];
  }
  return [path, plain(v)];
}

export { capital };
