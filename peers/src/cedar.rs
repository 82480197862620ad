//! Cedar: the policies in `policies/slice.cedar`, the vocabulary as entities, one `Request`
//! per workload request built before timing.

use crate::verdict::Verdict;
use crate::workload::{Mode, Protection, Req};
use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityUid, PolicyId, PolicySet, Request, RestrictedExpression,
};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

pub const POLICIES: &str = include_str!("../policies/slice.cedar");

pub struct Cedar {
    pub authorizer: Authorizer,
    pub policies: PolicySet,
    pub entities: Entities,
    /// Each policy's verdict and whether it is a fallback, read once from the annotations.
    verdicts: HashMap<PolicyId, (Verdict, bool)>,
}

fn uid(kind: &str, id: &str) -> Result<EntityUid, String> {
    let escaped = id.replace('\\', "\\\\").replace('"', "\\\"");
    EntityUid::from_str(&format!("{kind}::\"{escaped}\"")).map_err(|e| e.to_string())
}

fn entities(vocabulary: &serde_json::Value) -> Result<Entities, String> {
    let mut parents: HashMap<(String, String), HashSet<EntityUid>> = HashMap::new();
    for (group, members) in vocabulary
        .get("groups")
        .and_then(|v| v.as_object())
        .into_iter()
        .flatten()
    {
        let group_uid = uid("Group", group)?;
        parents.entry(("Group".into(), group.clone())).or_default();
        for actor in members.as_array().into_iter().flatten().filter_map(|m| m.as_str()) {
            parents
                .entry(("Actor".into(), actor.into()))
                .or_default()
                .insert(group_uid.clone());
        }
    }
    for (category, above) in vocabulary
        .get("categories")
        .and_then(|v| v.as_object())
        .into_iter()
        .flatten()
    {
        let set = parents.entry(("Category".into(), category.clone())).or_default();
        for parent in above.as_array().into_iter().flatten().filter_map(|p| p.as_str()) {
            set.insert(uid("Category", parent)?);
        }
    }
    let list: Result<Vec<Entity>, String> = parents
        .into_iter()
        .map(|((kind, id), ps)| Ok(Entity::new_no_attrs(uid(&kind, &id)?, ps)))
        .collect();
    Entities::from_entities(list?, None).map_err(|e| e.to_string())
}

impl Cedar {
    pub fn new(vocabulary: &serde_json::Value) -> Result<Cedar, String> {
        let policies = PolicySet::from_str(POLICIES).map_err(|e| format!("{e:?}"))?;
        let mut verdicts = HashMap::new();
        for p in policies.policies() {
            let word = p
                .annotation("verdict")
                .ok_or_else(|| format!("policy {} has no @verdict", p.id()))?;
            let verdict = Verdict::parse(word).ok_or_else(|| format!("policy {}: unknown verdict {word}", p.id()))?;
            verdicts.insert(p.id().clone(), (verdict, p.annotation("fallback").is_some()));
        }
        Ok(Cedar {
            authorizer: Authorizer::new(),
            policies,
            entities: entities(vocabulary)?,
            verdicts,
        })
    }

    pub fn request(&self, r: &Req) -> Result<Request, String> {
        let protection = match r.protection {
            Protection::None => "none",
            Protection::Marker(m) => m,
            Protection::Unknown => "unknown",
        };
        let context = Context::from_pairs([
            ("date".to_string(), RestrictedExpression::new_long(r.day)),
            (
                "recipient".to_string(),
                RestrictedExpression::new_entity_uid(uid("Actor", r.recipient)?),
            ),
            (
                "mode".to_string(),
                RestrictedExpression::new_string(
                    match r.mode {
                        Mode::Request => "request",
                        Mode::OwnInitiative => "own_initiative",
                    }
                    .into(),
                ),
            ),
            (
                "purposes".to_string(),
                RestrictedExpression::new_set(r.purposes.iter().map(|p| RestrictedExpression::new_string((*p).into()))),
            ),
            (
                "secrecy".to_string(),
                RestrictedExpression::new_set(r.secrecy.iter().map(|s| RestrictedExpression::new_string(s.id.into()))),
            ),
            (
                "chapters".to_string(),
                RestrictedExpression::new_set(r.secrecy.iter().map(|s| RestrictedExpression::new_long(s.chapter))),
            ),
            (
                "protection".to_string(),
                RestrictedExpression::new_string(protection.into()),
            ),
        ])
        .map_err(|e| e.to_string())?;
        Request::new(
            uid("Actor", r.sender)?,
            uid("Action", "disclose")?,
            uid("Category", r.category)?,
            context,
            None,
        )
        .map_err(|e| e.to_string())
    }

    /// One authorization: Cedar's whole answer, the part that is timed.
    pub fn decide(&self, request: &Request) -> cedar_policy::Response {
        self.authorizer.is_authorized(request, &self.policies, &self.entities)
    }

    /// The verdict a response means: the best determining route policy, else a fallback,
    /// else `forbid`. An evaluation error is reported, never read as a verdict.
    pub fn verdict(&self, response: &cedar_policy::Response) -> Result<Verdict, String> {
        if let Some(e) = response.diagnostics().errors().next() {
            return Err(e.to_string());
        }
        if response.decision() == Decision::Deny {
            return Ok(Verdict::Forbid);
        }
        let mut route: Option<Verdict> = None;
        let mut fallback: Option<Verdict> = None;
        for id in response.diagnostics().reason() {
            let (v, is_fallback) = self
                .verdicts
                .get(id)
                .copied()
                .ok_or_else(|| format!("unknown policy {id}"))?;
            let slot = if is_fallback { &mut fallback } else { &mut route };
            *slot = Some(slot.map_or(v, |old| old.max(v)));
        }
        Ok(route.or(fallback).unwrap_or(Verdict::Forbid))
    }
}
