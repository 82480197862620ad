#!/usr/bin/env python3
"""Writes rulesets/tackning.lagrum: one coverage (täckning) per top-level activity, each
listing every declared secrecy provision that can apply there.

The list is not guessed here: the script starts from empty coverages and lets
`legal validate` (its check `täckning-ofullständig`) say which provisions can apply in
each scope, then writes them in. Provisions that can apply everywhere go in one group,
`sekretess_utan_avgränsning`. Run it after adding secrecy provisions or activities:

    scripts/gen-tackning.py [path/to/legal]
"""
import json, re, subprocess, sys, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
legal = sys.argv[1] if len(sys.argv) > 1 else str(root / "target/debug/legal")
rules = root / "rulesets"
out = rules / "tackning.lagrum"

def declarations():
    cats, acts, cit2id = [], [], {}
    for f in sorted(rules.glob("*.lagrum")):
        if f == out:
            continue
        for line in f.read_text().splitlines():
            m = re.match(r'^kategori (\S+) "[^"]*"( under (\S+))?', line)
            if m and not m.group(2):
                cats.append(m.group(1))
            m = re.match(r'^verksamhet (\S+) "([^"]*)"( under (\S+))?', line)
            if m and not m.group(3):
                acts.append((m.group(1), m.group(2)))
            m = re.match(r'^sekretess (\S+) = (.+?) \{', line)
            if m:
                cit2id[m.group(2)] = m.group(1)
    return cats, acts, cit2id

def missing(text):
    out.write_text(text)
    run = subprocess.run([legal, "validate", str(rules), "--format", "json"], capture_output=True, text=True)
    diags = json.loads(run.stdout)["diagnostics"]
    found = {}
    for d in diags:
        if d["code"] != "täckning-ofullständig":
            if d["severity"] == "error":
                sys.exit(f"{d['file']}:{d['line']}: {d['message']}")
            continue
        m = re.match(r"täckningen `(\S+)` nämner inte (.+), som kan gälla där", d["message"])
        found.setdefault(m.group(1), set()).add(m.group(2))
    return found

HEADER = """// Täckning: var regelverket beskriver all sekretess som kan gälla (docs/dsl.md, Coverage).
//
// En uppgift hos en avsändare är offentlig enligt Lagrum bara om en täckning här omfattar
// uppgiftens slag och den verksamhet där den finns, och ingen av de uppräknade
// bestämmelserna gäller. Annars är sekretessen okänd och utfallet kräver prövning, om inte
// avsändaren själv har angett sin bedömning (`items[].secrecy`).
//
// En täckning per verksamhet på översta nivån; de som kan gälla överallt står i gruppen
// `sekretess_utan_avgränsning`. Filen skrivs av scripts/gen-tackning.py utifrån
// kontrollen `täckning-ofullständig`: listan är alltså den som katalogen ger, inte en
// bedömning. Katalogen omfattar OSL 15–43 kap. (tests/catalogue/); sekretess enligt andra
// lagar och de paragrafer som katalogen utelämnar med skäl ingår inte.
"""

def render(cats, acts, common, per):
    lines = [HEADER]
    lines.append(f'grupp alla_uppgifter "alla slag av uppgifter" = {{ {", ".join(cats)} }}\n')
    lines.append('grupp sekretess_utan_avgränsning "sekretess som kan gälla i varje verksamhet" = {')
    lines.append("  " + ", ".join(sorted(common)) if common else "")
    lines.append("}\n")
    for a, label in acts:
        own = sorted(per.get(a, set()))
        members = ["sekretess_utan_avgränsning"] + own
        lines.append(f'täckning täckning_{a} "sekretessen i {label}" {{')
        lines.append(f"  i {{ {a} }}")
        lines.append("  avser { alla_uppgifter }")
        lines.append("  sekretess { " + ", ".join(members) + " }")
        lines.append("}\n")
    return "\n".join(lines)

def main():
    cats, acts, cit2id = declarations()
    empty = {}
    text = render(cats, acts, set(), {})
    text = text.replace("sekretess { sekretess_utan_avgränsning }", "sekretess { }")
    text = text.replace('grupp sekretess_utan_avgränsning "sekretess som kan gälla i varje verksamhet" = {\n\n}\n', "")
    found = missing(text)
    ids = {a: {cit2id[c] for c in found.get(f"täckning_{a}", set())} for a, _ in acts}
    common = set.intersection(*ids.values()) if ids else set()
    per = {a: s - common for a, s in ids.items()}
    final = render(cats, acts, common, per)
    rest = missing(final)
    if rest:
        sys.exit(f"still incomplete: {rest}")
    print(f"{len(acts)} täckningar, {len(common)} bestämmelser i alla, {sum(map(len, per.values()))} egna")

main()
