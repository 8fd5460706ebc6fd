use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::Hit;
use crate::audit_events::event::Event;
use crate::declare_rule;
use crate::finding::Severity;
use crate::k8s::audit::{decide, AuditPolicy, AuditRequest, Level, Target};

declare_rule! {
    /// ## What it does
    /// Cross-checks the log against the audit Policy given with it (`secrets-guard audit-log
    /// --policy audit-policy.yaml audit.log`, or a Policy among the manifest inputs): for each
    /// event, the level that Policy decides for the request, exactly as the apiserver does
    /// (rules in order, first match wins on users, groups, verbs, namespaces and resources; no
    /// match is `None`). Without a Policy the rule does not run (AEV-001 still reports Secret
    /// data in the log). For Secret events it reports one finding per kind of difference (the
    /// Policy rule, the recorded level and the verb), on its first event:
    ///
    /// - the Policy would not log the request (`None`), or drops its `ResponseComplete` stage
    ///   (`omitStages`): medium;
    /// - the Policy would write Secret data to the log (`Request` for writes,
    ///   `RequestResponse` for any verb): high;
    /// - the event was recorded at another level than the Policy gives: the log was written
    ///   under another policy, or the policy regressed: low.
    ///
    /// The cross-check of the whole log against the Policy (every event's level, and every gap
    /// for Secrets, exec, token requests, Pod creation and RBAC writes with the detections it
    /// would hide) is part of the report (`policy_check`); it also lists requests logged at
    /// `Metadata` whose body a detection needs (`no-body`: AEV-006, AEV-008, AEV-009), which
    /// are not findings, as CIS asks for `Metadata` on Secrets.
    ///
    /// ## Why is this bad?
    /// The audit policy in force is not the one reviewed, or the reviewed one leaves Secret
    /// access unrecorded or writes Secret values into the log. Either way the audit trail
    /// cannot be trusted for Secrets.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: None
    ///     users: ["jane"]          # jane's Secret reads go unrecorded
    ///   - level: RequestResponse   # everyone else's write Secret data to the log
    ///     resources: [{group: "", resources: ["secrets"]}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// omitStages: [RequestReceived]
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets", "configmaps", "tokenreviews"]}]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go`
    /// - CIS Kubernetes Benchmark 3.2.2
    pub struct AuditLevelMismatch;
    id: "AEV-010",
    title: "Secret events not logged at the expected level",
    severity: Low,
    area: Audit,
    cis: ["3.2.2"],
    peers: [],
    remediation: "Log Secrets at Metadata for every user (no earlier None rule), keep the ResponseComplete stage, and deploy the reviewed policy.",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    resources: [{group: "", resources: [secrets, configmaps, tokenreviews]}]
  - level: Metadata
# events
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"list","user":{"username":"bob","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"pods","namespace":"app","name":"p"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a1","stage":"ResponseComplete","verb":"create","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"configmaps","namespace":"app"},"responseStatus":{"code":201},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    users: [system:kube-controller-manager, jane]
  - level: RequestResponse
    resources: [{group: "", resources: [secrets]}]
  - level: Metadata
# events
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"api"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"bob","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"list","user":{"username":"bob","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: [secrets]}]
    omitStages: [ResponseComplete]
  - level: Metadata
# events
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"bob","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"x"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
    ],
}

/// What the Policy would do differently from what a detection needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapKind {
    /// Level `None`: the request is not logged.
    NotLogged,
    /// `omitStages` drops `ResponseComplete` (the stage with the outcome).
    StageOmitted,
    /// Level `Metadata` where a detection needs the request body.
    NoBody,
    /// The body logged holds Secret data or a token.
    Leak,
    /// The event was recorded at another level than the Policy gives.
    LevelDiffers,
}

impl GapKind {
    /// `not-logged`, `stage-omitted`, `no-body`, `leak`, `level-differs`.
    pub fn as_str(self) -> &'static str {
        match self {
            GapKind::NotLogged => "not-logged",
            GapKind::StageOmitted => "stage-omitted",
            GapKind::NoBody => "no-body",
            GapKind::Leak => "leak",
            GapKind::LevelDiffers => "level-differs",
        }
    }

    /// Severity of an AEV-010 finding of this kind.
    pub fn severity(self) -> Severity {
        match self {
            GapKind::Leak => Severity::High,
            GapKind::NotLogged | GapKind::StageOmitted => Severity::Medium,
            GapKind::NoBody | GapKind::LevelDiffers => Severity::Low,
        }
    }
}

/// A group of events the Policy treats the same wrong way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyGap {
    pub kind: GapKind,
    /// `verb resource[/subresource]`, e.g. `get secrets`, `create pods/exec`.
    pub request: String,
    /// Position in the Policy's `rules` of the deciding rule; `None` when no rule matches.
    pub policy_rule: Option<usize>,
    /// The level the Policy gives.
    pub policy_level: &'static str,
    /// The level the (first) event was recorded at.
    pub logged_level: String,
    /// Events of this group.
    pub count: u64,
    /// Where the first one is.
    pub file: String,
    pub line: u64,
    pub audit_id: String,
    /// The AEV rules that fired on events of this group and that the Policy would hide.
    pub hides: Vec<&'static str>,
    /// What goes wrong.
    pub message: String,
}

/// The log cross-checked against an audit Policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PolicyCheck {
    /// The input the Policy came from.
    pub policy: String,
    /// Final-stage events checked.
    pub events: u64,
    /// How many of them the Policy logs at each level (`None` included).
    pub levels: BTreeMap<&'static str, u64>,
    /// Gaps, in order of first event.
    pub gaps: Vec<PolicyGap>,
    /// Events of further gap groups, past [`MAX_GAPS`] (counted only).
    pub gaps_not_kept: u64,
}

/// Gap groups kept at most.
pub const MAX_GAPS: usize = 512;

/// AEV-010 and the Policy cross-check.
#[derive(Debug, Default)]
pub struct Aev010 {
    check: Option<PolicyCheck>,
    /// Gap group → position in `gaps`.
    groups: HashMap<(GapKind, Option<usize>, String, String), usize>,
}

fn request_label(e: &Event) -> String {
    let sub = e.subresource();
    let res = if e.resource().is_empty() {
        "(non-resource)".to_string()
    } else if sub.is_empty() {
        e.resource().to_string()
    } else {
        format!("{}/{sub}", e.resource())
    };
    format!("{} {res}", e.verb)
}

/// Whether an AEV rule looks at this kind of request.
fn watched(e: &Event) -> bool {
    let res = e.resource();
    let group = e.object_ref.as_ref().map_or("", |o| o.api_group.as_str());
    e.is_secrets()
        || (res == "pods" && matches!(e.subresource(), "exec" | "attach" | "portforward"))
        || (res == "serviceaccounts" && e.subresource() == "token")
        || (res == "tokenreviews")
        || (res == "pods" && e.subresource().is_empty() && e.verb == "create")
        || (group == "rbac.authorization.k8s.io"
            && matches!(e.verb.as_str(), "create" | "update" | "patch"))
}

/// The gaps of one event under `decision`, with their message.
fn gaps_of(
    e: &Event,
    level: Level,
    omitted: bool,
    hides: &[&'static str],
) -> Vec<(GapKind, String)> {
    let mut out = vec![];
    let verb = e.verb.as_str();
    let write = matches!(verb, "create" | "update" | "patch");
    if !watched(e) && hides.is_empty() {
        return out;
    }
    let hidden = if hides.is_empty() {
        String::new()
    } else {
        format!("; in this log it raised {}", hides.join(", "))
    };
    if level == Level::None {
        out.push((
            GapKind::NotLogged,
            format!("the request would not be logged at all{hidden}"),
        ));
        return out;
    }
    if omitted {
        out.push((
            GapKind::StageOmitted,
            format!(
                "omitStages drops its ResponseComplete stage, so its outcome is not logged{hidden}"
            ),
        ));
    }
    let res = e.resource();
    let group = e.object_ref.as_ref().map_or("", |o| o.api_group.as_str());
    if level == Level::Metadata && write {
        let needs = if group == "rbac.authorization.k8s.io" {
            Some("AEV-009 (what an RBAC write grants)")
        } else if e.is_secrets() && verb == "create" {
            Some("AEV-006 (the type of a created Secret)")
        } else if res == "pods" && e.subresource().is_empty() && verb == "create" {
            Some("AEV-008 (the Secrets a created Pod consumes)")
        } else {
            None
        };
        if let Some(n) = needs {
            out.push((
                GapKind::NoBody,
                format!("the body is not logged, so {n} cannot be seen"),
            ));
        }
    }
    let leak = if e.is_secrets() {
        (level == Level::RequestResponse || (level == Level::Request && write))
            .then_some("Secret data")
    } else if res == "tokenreviews" && group == "authentication.k8s.io" && level >= Level::Request {
        Some("the bearer token under review")
    } else if res == "serviceaccounts"
        && e.subresource() == "token"
        && level == Level::RequestResponse
    {
        Some("the issued token")
    } else {
        None
    };
    if let Some(what) = leak {
        out.push((GapKind::Leak, format!("the logged body holds {what}")));
    }
    if let Some(recorded) = Level::parse(&e.level) {
        if recorded != level && (e.is_secrets() || watched(e)) {
            out.push((
                GapKind::LevelDiffers,
                format!(
                    "but the event was recorded at {}: the log was written under another policy, or the policy changed",
                    recorded.as_str()
                ),
            ));
        }
    }
    out
}

impl Aev010 {
    /// A checker against the Policy read from `file`; without one it reports nothing.
    pub fn new(policy_file: Option<&str>) -> Self {
        Aev010 {
            check: policy_file.map(|f| PolicyCheck {
                policy: f.to_string(),
                ..PolicyCheck::default()
            }),
            groups: HashMap::new(),
        }
    }

    /// Look at the next final-stage event (`hides`: the AEV rules that fired on it); at most
    /// one AEV-010 finding per new gap group of a Secret event.
    pub fn check(
        &mut self,
        e: &Event,
        file: &str,
        line: u64,
        policy: Option<&AuditPolicy<'_, '_>>,
        hides: &[&'static str],
    ) -> Vec<(Hit, Severity)> {
        let mut out = vec![];
        let (level, rule, omitted, source) = match policy {
            Some(p) => {
                let groups: Vec<&str> = e.user.groups.iter().map(String::as_str).collect();
                let path = e.request_uri.split('?').next().unwrap_or("");
                let target = match &e.object_ref {
                    Some(o) => Target::Resource {
                        namespace: &o.namespace,
                        group: &o.api_group,
                        resource: &o.resource,
                        subresource: &o.subresource,
                        name: &o.name,
                    },
                    None => Target::NonResource { path },
                };
                let d = decide(
                    p,
                    &AuditRequest {
                        user: &e.user.username,
                        groups: &groups,
                        verb: &e.verb,
                        target,
                    },
                );
                let omitted = d.omit_stages.iter().any(|s| s == "ResponseComplete");
                let source = match d.rule {
                    Some(i) => format!("policy rules[{i}]"),
                    None => "the policy (no rule matches)".to_string(),
                };
                (d.level, d.rule, omitted, source)
            }
            None => return out,
        };
        if let Some(c) = self.check.as_mut() {
            c.events += 1;
            *c.levels.entry(level.as_str()).or_default() += 1;
        }
        let gaps = gaps_of(e, level, omitted, hides);
        if gaps.is_empty() {
            return out;
        }
        let request = request_label(e);
        for (kind, why) in gaps {
            let logged = if kind == GapKind::LevelDiffers {
                e.level.clone()
            } else {
                String::new()
            };
            let key = (kind, rule, request.clone(), logged);
            if let Some(&i) = self.groups.get(&key) {
                if let Some(g) = self.check.as_mut().and_then(|c| c.gaps.get_mut(i)) {
                    g.count += 1;
                    for h in hides {
                        if !g.hides.contains(h) {
                            g.hides.push(h);
                        }
                    }
                }
                continue;
            }
            let message = format!("{source} logs `{request}` at {}: {why}", level.as_str());
            if let Some(c) = self.check.as_mut() {
                if c.gaps.len() >= MAX_GAPS {
                    c.gaps_not_kept += 1;
                    continue;
                }
                self.groups.insert(key, c.gaps.len());
                c.gaps.push(PolicyGap {
                    kind,
                    request: request.clone(),
                    policy_rule: rule,
                    policy_level: level.as_str(),
                    logged_level: e.level.clone(),
                    count: 1,
                    file: file.to_string(),
                    line,
                    audit_id: e.audit_id.clone(),
                    hides: hides.to_vec(),
                    message: message.clone(),
                });
            }
            if e.is_secrets() && kind != GapKind::NoBody {
                out.push((
                    Some((
                        "AEV-010",
                        format!(
                            "{} {} on secret {}: {message}",
                            e.user.username,
                            e.verb,
                            e.secret_label()
                        ),
                    )),
                    kind.severity(),
                ));
            }
        }
        out
    }

    /// The cross-check, when a Policy was given.
    pub fn finish(self) -> Option<PolicyCheck> {
        self.check
    }
}
