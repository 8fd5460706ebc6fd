//! The AEV analyses over a stream of audit Events, and the Secret access summary.
//!
//! Each rule is one function (or, for a stateful rule, one type) named after its id in
//! `rules.md` section A.6. They look only at the stage that carries the outcome
//! (`ResponseComplete`, or `Panic`), so a request logged at several stages is counted once.
//! Every finding names the line its event was read from.
//!
//! Memory is bounded by what is reported, not by the length of the log: the access summary has
//! one row per (user, verb, Secret, status code), the burst detector keeps only the 403s inside
//! its window, and at most [`AuditSettings::max_malformed`] malformed lines are kept (all are
//! counted).

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::AuditContext;
use super::event::{Event, EventReader, Item, ReaderLimits};
use super::rules::{
    self, aev_001, aev_002, aev_004, aev_006, aev_007, aev_009, Aev003, Aev005, Aev008, Aev010,
    PolicyCheck,
};
use crate::finding::Severity;
use crate::k8s::audit::AuditPolicy;

/// Thresholds of the stateful analyses and the reader's memory bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditSettings {
    /// AEV-005: this many 403s on Secrets from one principal …
    pub burst_threshold: usize,
    /// … within this many seconds is a burst.
    pub burst_window_secs: i64,
    /// AEV-003: this many distinct Secrets read (`get`) by one user …
    pub spread_threshold: usize,
    /// … within this many seconds.
    pub spread_window_secs: i64,
    /// Malformed lines kept in the report (the rest are only counted).
    pub max_malformed: usize,
    /// The reader's line and document bounds.
    pub limits: ReaderLimits,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            burst_threshold: 5,
            burst_window_secs: 60,
            spread_threshold: 10,
            spread_window_secs: 60,
            max_malformed: 1000,
            limits: ReaderLimits::default(),
        }
    }
}

/// One AEV finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditFinding {
    /// The rule id, e.g. `AEV-001`.
    pub rule: &'static str,
    /// The rule's title.
    pub title: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// What happened, naming the user and the object.
    pub message: String,
    /// The input the event came from (as given to [`Analyzer::begin_source`]).
    pub file: String,
    /// The 1-based line of the event.
    pub line: u64,
    /// The event's `auditID`.
    pub audit_id: String,
    /// The authenticated user.
    pub user: String,
    /// The event's `requestReceivedTimestamp`.
    pub time: Option<String>,
}

/// A line that could not be read as an Event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MalformedLine {
    /// The input.
    pub file: String,
    /// The 1-based line.
    pub line: u64,
    /// Why it was rejected.
    pub message: String,
}

/// One row of the access summary: a user's requests with one verb on one Secret (or list
/// scope), with one outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessRow {
    /// The authenticated user (`as <impersonated>` appended when impersonation was used).
    pub user: String,
    /// The verb.
    pub verb: String,
    /// `namespace/name`, `namespace/*` (a list in a namespace) or `*` (cluster-wide).
    pub secret: String,
    /// `responseStatus.code` (None when not recorded).
    pub code: Option<i64>,
    /// How many requests.
    pub count: u64,
    /// The earliest `requestReceivedTimestamp`.
    pub first: Option<String>,
    /// The latest `requestReceivedTimestamp`.
    pub last: Option<String>,
}

/// The result of an analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Findings in input order.
    pub findings: Vec<AuditFinding>,
    /// Who accessed which Secrets, sorted by user, Secret, verb, code.
    pub access: Vec<AccessRow>,
    /// Malformed lines (at most [`AuditSettings::max_malformed`]).
    pub malformed: Vec<MalformedLine>,
    /// All malformed lines, including those not kept.
    pub malformed_total: u64,
    /// Events read.
    pub events: u64,
    /// The log cross-checked against the audit Policy given with it (AEV-010), if any.
    pub policy_check: Option<PolicyCheck>,
}

impl AuditFinding {
    /// A stable fingerprint (FNV-1a 64, hex) of rule, file, auditID and line, for SARIF's
    /// `partialFingerprints`.
    pub fn fingerprint(&self) -> String {
        let mut h: u64 = 0xcbf29ce484222325;
        let line = self.line.to_string();
        for part in [self.rule, &self.file, &self.audit_id, &line] {
            for b in part.bytes().chain(std::iter::once(0u8)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x100000001b3);
            }
        }
        format!("{h:016x}")
    }
}

impl AuditReport {
    /// The highest severity among the findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct AccessKey {
    user: String,
    secret: String,
    verb: String,
    code: Option<i64>,
}

#[derive(Debug, Clone, Default)]
struct AccessAgg {
    count: u64,
    first: Option<(i64, String)>,
    last: Option<(i64, String)>,
}

/// Streams events through the AEV analyses. Call [`begin_source`](Self::begin_source) for
/// each input, [`feed`](Self::feed) its bytes, and [`finish`](Self::finish) at the end.
#[derive(Debug)]
pub struct Analyzer {
    settings: AuditSettings,
    reader: EventReader,
    source: String,
    report: AuditReport,
    access: BTreeMap<AccessKey, AccessAgg>,
    aev003: Aev003,
    aev005: Aev005,
    aev008: Aev008,
    aev010: Aev010,
    context: AuditContext,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new(AuditSettings::default())
    }
}

impl Analyzer {
    /// An analyzer with these settings; its first input is named "-".
    pub fn new(settings: AuditSettings) -> Self {
        Self::with_context(settings, AuditContext::default())
    }

    /// An analyzer that also knows the manifests given with the log: the audit Policy to
    /// cross-check against (AEV-010, [`AuditReport::policy_check`]) and the workloads that
    /// consume Secrets (AEV-008).
    pub fn with_context(settings: AuditSettings, context: AuditContext) -> Self {
        Analyzer {
            aev008: Aev008::default(),
            aev010: Aev010::new(context.policy_file()),
            context,
            settings,
            reader: EventReader::new(settings.limits),
            source: "-".to_string(),
            report: AuditReport::default(),
            access: BTreeMap::new(),
            aev003: Aev003::new(settings.spread_threshold, settings.spread_window_secs),
            aev005: Aev005::new(settings.burst_threshold, settings.burst_window_secs),
        }
    }

    /// End the current input and start reading another (line numbers restart at 1).
    pub fn begin_source(&mut self, name: &str) {
        self.end_source();
        self.source = name.to_string();
    }

    /// Read more bytes of the current input.
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut reader = std::mem::take(&mut self.reader);
        // The context is lent out for the chunk, so that the Policy is read once per chunk
        // rather than once per event.
        let context = std::mem::take(&mut self.context);
        let policy = context.policy();
        reader.feed(bytes, &mut |item| {
            self.item(item, &context, policy.as_ref())
        });
        drop(policy);
        self.context = context;
        self.reader = reader;
    }

    /// Analyse one event read from `line` of the current input.
    pub fn event(&mut self, line: u64, e: &Event) {
        let context = std::mem::take(&mut self.context);
        let policy = context.policy();
        self.event_in(line, e, &context, policy.as_ref());
        drop(policy);
        self.context = context;
    }

    fn event_in(
        &mut self,
        line: u64,
        e: &Event,
        context: &AuditContext,
        policy: Option<&AuditPolicy<'_, '_>>,
    ) {
        self.report.events += 1;
        if !e.is_final_stage() {
            return;
        }
        if e.is_secrets() {
            self.record_access(e);
        }
        let found = [
            aev_001(e),
            aev_002(e),
            self.aev003.check(e),
            aev_004(e),
            self.aev005.check(e),
            aev_006(e),
            aev_007(e),
            self.aev008.check(e, context),
            aev_009(e),
        ];
        self.aev008.learn(line, e);
        let mut hits: Vec<(&'static str, String, Severity)> = found
            .into_iter()
            .flatten()
            .map(|(rule, message)| (rule, message, rule_meta(rule).1))
            .collect();
        let fired: Vec<&'static str> = hits.iter().map(|h| h.0).collect();
        for (hit, severity) in self.aev010.check(e, &self.source, line, policy, &fired) {
            if let Some((rule, message)) = hit {
                hits.push((rule, message, severity));
            }
        }
        for (rule, message, severity) in hits {
            let (title, _) = rule_meta(rule);
            self.report.findings.push(AuditFinding {
                rule,
                title,
                severity,
                message,
                file: self.source.clone(),
                line,
                audit_id: e.audit_id.clone(),
                user: e.user.username.clone(),
                time: e.request_received_timestamp.clone(),
            });
        }
    }

    /// End the last input and return the report.
    pub fn finish(mut self) -> AuditReport {
        self.end_source();
        let mut report = self.report;
        report.policy_check = self.aev010.finish();
        report.access = self
            .access
            .into_iter()
            .map(|(k, v)| AccessRow {
                user: k.user,
                verb: k.verb,
                secret: k.secret,
                code: k.code,
                count: v.count,
                first: v.first.map(|(_, s)| s),
                last: v.last.map(|(_, s)| s),
            })
            .collect();
        report
    }

    fn end_source(&mut self) {
        let reader = std::mem::replace(&mut self.reader, EventReader::new(self.settings.limits));
        let context = std::mem::take(&mut self.context);
        let policy = context.policy();
        reader.finish(&mut |item| self.item(item, &context, policy.as_ref()));
        drop(policy);
        self.context = context;
    }

    fn item(&mut self, item: Item, context: &AuditContext, policy: Option<&AuditPolicy<'_, '_>>) {
        match item {
            Item::Event(line, e) => self.event_in(line, &e, context, policy),
            Item::Malformed(m) => {
                self.report.malformed_total += 1;
                if self.report.malformed.len() < self.settings.max_malformed {
                    self.report.malformed.push(MalformedLine {
                        file: self.source.clone(),
                        line: m.line,
                        message: m.message,
                    });
                }
            }
        }
    }

    fn record_access(&mut self, e: &Event) {
        let user = match &e.impersonated_user {
            Some(u) => format!("{} as {}", e.user.username, u.username),
            None => e.user.username.clone(),
        };
        let key = AccessKey {
            user,
            secret: e.secret_label(),
            verb: e.verb.clone(),
            code: e.code(),
        };
        let agg = self.access.entry(key).or_default();
        agg.count += 1;
        if let (Some(t), Some(s)) = (e.time_micros(), &e.request_received_timestamp) {
            if agg.first.as_ref().is_none_or(|(f, _)| t < *f) {
                agg.first = Some((t, s.clone()));
            }
            if agg.last.as_ref().is_none_or(|(l, _)| t > *l) {
                agg.last = Some((t, s.clone()));
            }
        }
    }
}

/// Title and severity of an AEV rule id (from its documented metadata).
pub fn rule_meta(rule: &str) -> (&'static str, Severity) {
    match rules::find(rule) {
        Some(m) => (m.title, m.severity),
        None => ("Unknown audit rule", Severity::Info),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A final-stage event on `resource` (`ns`/`name`) with these extra fields merged in.
    fn ev(verb: &str, user: &str, obj: Value, code: i64, t: &str, extra: Value) -> String {
        let mut e = json!({
            "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata",
            "auditID": "id", "stage": "ResponseComplete", "verb": verb,
            "user": {"username": user, "groups": ["system:authenticated"]},
            "objectRef": obj, "responseStatus": {"code": code},
            "requestReceivedTimestamp": t, "sourceIPs": ["10.1.1.1"]
        });
        if let (Some(m), Some(x)) = (e.as_object_mut(), extra.as_object()) {
            for (k, v) in x {
                m.insert(k.clone(), v.clone());
            }
        }
        e.to_string()
    }

    fn secret(ns: &str, name: &str) -> Value {
        json!({"resource": "secrets", "namespace": ns, "name": name, "apiVersion": "v1"})
    }

    fn run(lines: &[String]) -> AuditReport {
        let mut a = Analyzer::default();
        a.feed(lines.join("\n").as_bytes());
        a.finish()
    }

    fn hits(r: &AuditReport) -> Vec<(&'static str, u64)> {
        r.findings.iter().map(|f| (f.rule, f.line)).collect()
    }

    const T: &str = "2026-11-27T10:00:00Z";

    #[test]
    fn aev_001_request_and_response_bodies_tables_and_lists() {
        let none = json!({});
        let r = run(&[
            // Metadata level: nothing logged.
            ev("get", "jane", secret("a", "s"), 200, T, none.clone()),
            // A merge patch body with data.
            ev(
                "patch",
                "jane",
                secret("a", "s"),
                200,
                T,
                json!({"level": "Request", "requestObject": {"stringData": {"token": "x"}}}),
            ),
            // A SecretList response.
            ev(
                "list",
                "jane",
                secret("a", ""),
                200,
                T,
                json!({"level": "RequestResponse",
               "responseObject": {"kind": "SecretList", "items": [{"kind": "Secret", "metadata": {"name": "s"}}, {"kind": "Secret", "data": {"k": "dg=="}}]}}),
            ),
            // A Table with full objects.
            ev(
                "list",
                "jane",
                secret("a", ""),
                200,
                T,
                json!({"level": "RequestResponse",
               "responseObject": {"kind": "Table", "rows": [{"object": {"kind": "Secret", "data": {"tls.key": "eA=="}}}]}}),
            ),
            // A Table of metadata only, and a Status: no data.
            ev(
                "list",
                "jane",
                secret("a", ""),
                200,
                T,
                json!({"level": "RequestResponse",
               "responseObject": {"kind": "Table", "rows": [{"object": {"kind": "PartialObjectMetadata"}}]}}),
            ),
            ev(
                "delete",
                "jane",
                secret("a", "s"),
                200,
                T,
                json!({"level": "RequestResponse",
               "responseObject": {"kind": "Status", "status": "Success"}}),
            ),
            // A ConfigMap body with data is not a Secret.
            ev(
                "update",
                "jane",
                json!({"resource": "configmaps", "namespace": "a", "name": "c"}),
                200,
                T,
                json!({"level": "Request", "requestObject": {"kind": "ConfigMap", "data": {"k": "v"}}}),
            ),
        ]);
        assert_eq!(
            hits(&r),
            vec![("AEV-001", 2), ("AEV-001", 3), ("AEV-001", 4)]
        );
        assert!(r.findings[0]
            .message
            .contains("requestObject carries data keys token"));
        assert!(r.findings[1]
            .message
            .contains("responseObject carries data keys k"));
        assert!(!r.findings.iter().any(|f| f.message.contains("dg==")));
    }

    #[test]
    fn aev_002_only_cluster_wide_reads_by_non_system_users() {
        let none = json!({});
        let all = json!({"resource": "secrets"});
        let r = run(&[
            ev("list", "jane", all.clone(), 200, T, none.clone()),
            ev("watch", "jane", all.clone(), 200, T, none.clone()),
            ev("list", "jane", secret("a", ""), 200, T, none.clone()),
            ev(
                "list",
                "system:kube-controller-manager",
                all.clone(),
                200,
                T,
                none.clone(),
            ),
            ev("list", "jane", all.clone(), 403, T, none.clone()),
            ev("get", "jane", secret("a", "s"), 200, T, none.clone()),
            ev(
                "list",
                "jane",
                json!({"resource": "configmaps"}),
                200,
                T,
                none.clone(),
            ),
        ]);
        assert_eq!(hits(&r), vec![("AEV-002", 1), ("AEV-002", 2)]);
    }

    #[test]
    fn aev_004_anonymous_success_only() {
        let anon =
            json!({"user": {"username": "system:anonymous", "groups": ["system:unauthenticated"]}});
        let unauth = json!({"user": {"username": "someone", "groups": ["system:unauthenticated"]}});
        let r = run(&[
            ev("get", "x", secret("a", "s"), 200, T, anon.clone()),
            ev("get", "x", secret("a", "s"), 403, T, anon.clone()),
            ev("list", "x", secret("a", ""), 200, T, unauth),
            ev(
                "get",
                "x",
                json!({"resource": "pods", "namespace": "a"}),
                200,
                T,
                anon,
            ),
        ]);
        assert_eq!(hits(&r), vec![("AEV-004", 1), ("AEV-004", 3)]);
    }

    #[test]
    fn aev_005_bursts_per_principal_within_the_window() {
        let none = json!({});
        let t = |s: u32| format!("2026-11-27T10:{:02}:{:02}Z", s / 60, s % 60);
        let mut lines = Vec::new();
        // eve: 4 within 30 s; at 75 s the first two have left the window, so the fifth 403
        // inside one window comes only at 90 s (line 8).
        for s in [0, 10, 20, 30, 75, 80, 85, 90] {
            lines.push(ev("get", "eve", secret("a", "s"), 403, &t(s), none.clone()));
        }
        // Still bursting (within 60 s of the last): no second finding.
        lines.push(ev(
            "get",
            "eve",
            secret("a", "s"),
            403,
            &t(140),
            none.clone(),
        ));
        // Another user interleaved, below the threshold; 200s and other resources don't count.
        for s in [1, 2, 3, 4] {
            lines.push(ev("get", "bob", secret("a", "s"), 403, &t(s), none.clone()));
        }
        lines.push(ev("get", "bob", secret("a", "s"), 200, &t(5), none.clone()));
        lines.push(ev(
            "get",
            "bob",
            json!({"resource": "pods", "namespace": "a"}),
            403,
            &t(6),
            none.clone(),
        ));
        // After a quiet window, eve bursts again.
        for s in [300, 301, 302, 303, 304] {
            lines.push(ev("get", "eve", secret("a", "s"), 403, &t(s), none.clone()));
        }
        let r = run(&lines);
        assert_eq!(hits(&r), vec![("AEV-005", 8), ("AEV-005", 20)]);
        assert_eq!(
            r.findings[0].message,
            "eve got 5 403 responses on secrets within 60 s (last: get a/s)"
        );
    }

    #[test]
    fn aev_003_distinct_secrets_per_user() {
        let none = json!({});
        let t = |s: u32| format!("2026-11-27T10:{:02}:{:02}Z", s / 60, s % 60);
        let mut lines = Vec::new();
        // 9 distinct + a repeat: below the threshold of 10 distinct.
        for i in 0..9 {
            lines.push(ev(
                "get",
                "jane",
                secret("a", &format!("s{i}")),
                200,
                &t(i),
                none.clone(),
            ));
        }
        lines.push(ev(
            "get",
            "jane",
            secret("a", "s0"),
            200,
            &t(9),
            none.clone(),
        ));
        // Refused reads and lists do not count.
        lines.push(ev(
            "get",
            "jane",
            secret("a", "x"),
            403,
            &t(10),
            none.clone(),
        ));
        lines.push(ev(
            "list",
            "jane",
            secret("a", ""),
            200,
            &t(11),
            none.clone(),
        ));
        // The 10th distinct one (line 13).
        lines.push(ev(
            "get",
            "jane",
            secret("b", "s0"),
            200,
            &t(12),
            none.clone(),
        ));
        let r = run(&lines);
        assert_eq!(hits(&r), vec![("AEV-003", 13)]);
        assert_eq!(
            r.findings[0].message,
            "jane read 10 distinct secrets within 60 s (last: b/s0)"
        );
        // Spread over more than the window: no finding.
        let slow: Vec<String> = (0..12)
            .map(|i| {
                ev(
                    "get",
                    "bob",
                    secret("a", &format!("s{i}")),
                    200,
                    &t(i * 7),
                    none.clone(),
                )
            })
            .collect();
        assert!(run(&slow).findings.is_empty());
    }

    #[test]
    fn aev_009_rbac_writes_that_grant_secret_access() {
        let rbac = |resource: &str, ns: &str| json!({"resource": resource, "namespace": ns, "apiGroup": "rbac.authorization.k8s.io"});
        let role = |rules: Value| json!({"level": "Request", "requestObject": {"kind": "Role", "metadata": {"name": "r"}, "rules": rules}});
        let r = run(&[
            ev(
                "create",
                "mallory",
                rbac("roles", "a"),
                201,
                T,
                role(json!([
                    {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]},
                    {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list", "delete"]}
                ])),
            ),
            ev(
                "patch",
                "mallory",
                rbac("clusterroles", ""),
                200,
                T,
                role(json!([
                    {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind", "escalate"]}
                ])),
            ),
            ev(
                "create",
                "mallory",
                rbac("rolebindings", "a"),
                201,
                T,
                json!({"level": "Request",
               "requestObject": {"metadata": {"name": "rb"}, "roleRef": {"kind": "ClusterRole", "name": "edit"}}}),
            ),
            // Harmless role, a view binding, a refused write, Metadata level: nothing.
            ev(
                "create",
                "mallory",
                rbac("roles", "a"),
                201,
                T,
                role(json!([
                    {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["*"]}
                ])),
            ),
            ev(
                "create",
                "mallory",
                rbac("rolebindings", "a"),
                201,
                T,
                json!({"level": "Request",
               "requestObject": {"roleRef": {"kind": "ClusterRole", "name": "view"}}}),
            ),
            ev(
                "create",
                "mallory",
                rbac("roles", "a"),
                403,
                T,
                role(json!([
                    {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}
                ])),
            ),
            ev("create", "mallory", rbac("roles", "a"), 201, T, json!({})),
        ]);
        assert_eq!(
            hits(&r),
            vec![("AEV-009", 1), ("AEV-009", 2), ("AEV-009", 3)]
        );
        let messages: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "mallory create role a/r: rules[1] get, list on secrets (status 201)",
                "mallory patch clusterrole r: rules[0] bind; rules[0] escalate (status 200)",
                "mallory create rolebinding a/rb: binds ClusterRole edit (status 201)",
            ]
        );
    }

    #[test]
    fn aev_006_token_requests_and_token_secrets() {
        let none = json!({});
        let sa_token = json!({"resource": "serviceaccounts", "namespace": "a", "name": "b", "subresource": "token"});
        let r = run(&[
            ev("create", "ci", sa_token.clone(), 201, T, none.clone()),
            ev("get", "ci", sa_token, 200, T, none.clone()),
            ev(
                "create",
                "ci",
                secret("a", ""),
                201,
                T,
                json!({"level": "Request",
               "requestObject": {"kind": "Secret", "metadata": {"name": "t"}, "type": "kubernetes.io/service-account-token"}}),
            ),
            ev(
                "create",
                "ci",
                secret("a", ""),
                201,
                T,
                json!({"level": "Request",
               "requestObject": {"kind": "Secret", "metadata": {"name": "o"}, "type": "Opaque"}}),
            ),
        ]);
        assert_eq!(hits(&r), vec![("AEV-006", 1), ("AEV-006", 3)]);
        assert_eq!(
            r.findings[1].message,
            "ci created service-account-token secret a/t (status 201)"
        );
    }

    #[test]
    fn aev_007_impersonation_on_secrets_only() {
        let imp = json!({"impersonatedUser": {"username": "bob"}});
        let r = run(&[
            ev("get", "alice", secret("a", "s"), 200, T, imp.clone()),
            ev(
                "get",
                "alice",
                json!({"resource": "pods", "namespace": "a"}),
                200,
                T,
                imp,
            ),
        ]);
        assert_eq!(hits(&r), vec![("AEV-007", 1)]);
        assert_eq!(r.access[0].user, "alice as bob");
    }

    #[test]
    fn only_final_stages_count_and_summary_keeps_first_and_last() {
        let received = json!({"stage": "RequestReceived", "responseStatus": null});
        let r = run(&[
            ev(
                "list",
                "jane",
                json!({"resource": "secrets"}),
                200,
                T,
                received,
            ),
            ev(
                "get",
                "jane",
                secret("a", "s"),
                200,
                "2026-11-27T10:00:09Z",
                json!({}),
            ),
            ev(
                "get",
                "jane",
                secret("a", "s"),
                200,
                "2026-11-27T10:00:01Z",
                json!({}),
            ),
            ev(
                "get",
                "jane",
                secret("a", "s"),
                200,
                "2026-11-27T10:00:05Z",
                json!({}),
            ),
            "garbage".to_string(),
        ]);
        assert!(r.findings.is_empty());
        assert_eq!(r.events, 4);
        assert_eq!(r.malformed_total, 1);
        assert_eq!(r.malformed[0].line, 5);
        assert_eq!(
            r.access,
            vec![AccessRow {
                user: "jane".into(),
                verb: "get".into(),
                secret: "a/s".into(),
                code: Some(200),
                count: 3,
                first: Some("2026-11-27T10:00:01Z".into()),
                last: Some("2026-11-27T10:00:09Z".into()),
            }]
        );
    }

    #[test]
    fn sources_restart_line_numbers_and_garbage_never_panics() {
        let line = ev(
            "list",
            "jane",
            json!({"resource": "secrets"}),
            200,
            T,
            json!({}),
        );
        let mut a = Analyzer::default();
        a.begin_source("one.log");
        a.feed(format!("x\n{line}").as_bytes());
        a.begin_source("two.log");
        a.feed(line.as_bytes());
        let r = a.finish();
        let at: Vec<(&str, u64)> = r
            .findings
            .iter()
            .map(|f| (f.file.as_str(), f.line))
            .collect();
        assert_eq!(at, vec![("one.log", 2), ("two.log", 1)]);
        // Every prefix and byte-flip of an event is read without panicking.
        let bytes = line.as_bytes();
        for cut in 0..bytes.len() {
            let mut a = Analyzer::default();
            a.feed(&bytes[..cut]);
            let mut flipped = bytes.to_vec();
            flipped[cut] ^= 0x80;
            a.feed(b"\n");
            a.feed(&flipped);
            let _ = a.finish();
        }
    }
}
