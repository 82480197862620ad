# Lagrum's slice in Rego: LUFFA 2 §, LUB 4–6 §§, OSL 10 kap. 15 a § and 10 kap. 27 §.
# Written for the peers benchmark from rulesets/luffa.lagrum, lub.lagrum, osl-15a.lagrum and
# osl-10-kap.lagrum; it must mean the same as they do for the workload (checked request by
# request before anything is timed).
#
# input: date (number ÅÅÅÅMMDD), sender, recipient (actor ids), mode ("request" |
# "own_initiative"), purposes (ids), category (id), secrecy (Lagrum ids of the item's
# secrecy; empty = not secret), chapters (their OSL chapters), protection ("none", a marker,
# or "unknown").
# data: groups (group -> actor ids) and categories (category -> parent categories), from
# policies/vocabulary.json.
#
# `verdict` is the best route's verdict (must > permit > needs_human); with no route, permit
# if the item is not secret, forbid if it is.
package lagrum.slice

import rego.v1

secret if count(input.secrecy) > 0

# The risk factor: with a secret item, a balancing test for disclosure needs a person when the
# subject's protection is marked or not known.
risk if {
	secret
	input.protection != "none"
}

# The other risk factor: particularly sensitive secrecy (OSL 21 kap. 1, 3 and 3 a §§, 22 kap. 2 §).
risk if touches({"osl_21_1", "osl_21_3_1", "osl_21_3_3", "osl_21_3a", "osl_22_2", "osl_22_2_adress"})

member(actor, group) if actor in data.groups[group]

# A category and everything above it in the tree.
under(category, ancestor) if category == ancestor

under(category, ancestor) if {
	some parent in data.categories[category]
	under(parent, ancestor)
}

purpose(ids) if {
	some p in input.purposes
	p in ids
}

touches(ids) if {
	some s in input.secrecy
	s in ids
}

chapter_in(chapters) if {
	some c in input.chapters
	c in chapters
}

crime_fighting := {"förebygga_brott", "utreda_brott", "lagföra_brott"}

# Outcome of a duty (or permission) whose balancing test presumes disclosure.
clean_or_risk(clean) := "needs_human" if risk

clean_or_risk(clean) := clean if not risk

# ------------------------------------------------------------------ LUFFA 2 §

luffa_2_circle if {
	input.date >= 20240701
	input.date <= 20250907
	member(input.sender, "luffa_valfard_2024")
	member(input.recipient, "luffa_valfard_2024")
}

luffa_2_circle if {
	input.date >= 20250908
	member(input.sender, "luffa_valfard")
	member(input.recipient, "luffa_valfard")
}

luffa_2_excluded if chapter_in({15, 16, 17, 18, 19, 20, 41, 42, 43})

luffa_2_excluded if touches({
	"osl_24_2a", "osl_24_8",
	"osl_25_1", "osl_25_2_1", "osl_25_2_2", "osl_25_3", "osl_25_4", "osl_25_5", "osl_25_8",
	"osl_26_1", "osl_26_1a_1", "osl_26_1a_2", "osl_26_3", "osl_26_4", "osl_26_6",
	"osl_29_1", "osl_29_2", "osl_31_1", "osl_31_2", "osl_31_12", "osl_33_2", "osl_33_4a",
	"osl_36_3", "osl_36_3_2", "osl_36_3_3", "osl_40_2", "osl_40_5",
})

routes contains v if {
	luffa_2_circle
	"felaktig_utbetalning" in input.purposes
	not luffa_2_excluded
	v := luffa_2_outcome
}

# Uncertain whether the duty covers own-initiative disclosures.
luffa_2_outcome := "needs_human" if input.mode == "own_initiative"

luffa_2_outcome := clean_or_risk("must") if input.mode == "request"

# ------------------------------------------------------------------ LUB 4–6 §§

lub_receiver if {
	input.date >= 20250401
	member(input.recipient, "brottsbekampande")
	purpose(crime_fighting)
}

# 4 §: contact details, on request, no exclusions.
routes contains v if {
	lub_receiver
	input.mode == "request"
	member(input.sender, "myndigheter")
	not member(input.sender, "lub_4_utom")
	under(input.category, "kontaktuppgift")
	v := clean_or_risk("must")
}

lub_8_excluded if touches({
	"osl_24_8",
	"osl_25_1", "osl_25_2_1", "osl_25_2_2", "osl_25_3", "osl_25_4", "osl_25_5", "osl_25_8",
	"osl_25_15",
	"osl_26_1", "osl_26_1a_1", "osl_26_1a_2", "osl_26_3", "osl_26_4", "osl_26_6",
	"osl_40_2", "osl_40_5",
})

lub_5_6_giver if member(input.sender, "lub_5")

lub_5_6_giver if {
	member(input.sender, "lub_6")
	not under(input.category, "skoluppgifter")
}

routes contains v if {
	lub_receiver
	lub_5_6_giver
	not lub_8_excluded
	v := clean_or_risk("must")
}

# ------------------------------------------------------------------ OSL 10 kap. 15 a §

osl_15a_unreached if chapter_in({15, 16, 17, 18, 19, 20, 41, 42, 43, 44})

osl_15a_unreached if touches({
	"osl_24_2a", "osl_24_8",
	"osl_25_1", "osl_25_2_1", "osl_25_2_2", "osl_25_3", "osl_25_4", "osl_25_5", "osl_25_8",
	"osl_26_1a_1", "osl_26_3", "osl_26_4", "osl_26_6",
	"osl_29_1", "osl_29_2", "osl_31_1", "osl_31_2", "osl_31_12", "osl_33_2", "osl_33_4a",
	"osl_36_3", "osl_36_3_2", "osl_36_3_3", "osl_40_2", "osl_40_5",
})

routes contains v if {
	secret
	input.date >= 20251201
	member(input.sender, "myndigheter")
	member(input.recipient, "myndigheter")
	purpose({"förebygga_brott", "utreda_brott", "felaktig_utbetalning", "felaktig_skatt", "fusk_regelbrott"})
	not osl_15a_unreached
	v := clean_or_risk("permit")
}

# ------------------------------------------------------------------ OSL 10 kap. 27 §

osl_10_27_excluded if touches({
	"osl_24_2a", "osl_24_8",
	"osl_25_1", "osl_25_2_1", "osl_25_2_2", "osl_25_3", "osl_25_4", "osl_25_5", "osl_25_8",
	"osl_26_1", "osl_26_1a_1", "osl_26_1a_2", "osl_26_3", "osl_26_4", "osl_26_6",
	"osl_29_1", "osl_29_2", "osl_31_1", "osl_31_2", "osl_31_12", "osl_33_2",
	"osl_36_3", "osl_36_3_2", "osl_36_3_3", "osl_40_2", "osl_40_5",
})

osl_10_27_excluded if {
	input.date >= 20220101
	"osl_33_4a" in input.secrecy
}

# "Uppenbart": a presumption against disclosure, always a person's assessment.
routes contains "needs_human" if {
	secret
	member(input.recipient, "myndigheter")
	not osl_10_27_excluded
}

# ------------------------------------------------------------------ the verdict

verdict := "must" if {
	"must" in routes
} else := "permit" if {
	"permit" in routes
} else := "needs_human" if {
	"needs_human" in routes
} else := "permit" if {
	not secret
} else := "forbid"
