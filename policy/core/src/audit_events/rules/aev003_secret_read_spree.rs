use super::{succeeded, Hit};
use crate::audit_events::event::Event;
use crate::declare_rule;
use std::collections::{HashMap, VecDeque};

declare_rule! {
    /// ## What it does
    /// Counts, per user, the distinct Secrets read with a successful `get` within a sliding window
    /// (default: 10 distinct Secrets within 60 seconds, `AuditSettings::spread_threshold` and
    /// `spread_window_secs`), and reports the event that reaches the threshold. One finding per spree:
    /// the spree ends when a window passes without a read by that user. Events are expected in time
    /// order, as the apiserver writes them.
    ///
    /// ## Why is this bad?
    /// Reading many Secrets one by one in a short time is what a script harvesting credentials does,
    /// and what the Kubernetes docs ask to alert on: "concurrent reading of multiple Secrets by a
    /// single user".
    ///
    /// ## Example
    /// ```text
    /// 10 events within a minute: jane get app/s0, app/s1, ..., app/s9 (status 200)
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Give each workload its own ServiceAccount and `get` on its own Secrets only.
    /// kind: Role
    /// rules:
    ///   - {apiGroups: [""], resources: ["secrets"], resourceNames: ["api-db"], verbs: ["get"]}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets: Configure least-privilege access](https://kubernetes.io/docs/concepts/security/secrets-good-practices/#least-privilege-secrets)
    pub struct SecretReadSpree;
    id: "AEV-003",
    title: "Many distinct Secrets read by one user in a short window",
    severity: Medium,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Check what the user needed so many Secrets for; restrict reads to named Secrets.",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s0"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:01Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s2"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:02Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s3"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:03Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s4"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:04Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s5"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:05Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s6"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:06Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s7"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:07Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s8"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:08Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s0"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:09Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"x"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:10Z"}
"#,
    ],
    fail: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s0"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:01Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s2"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:02Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s3"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:03Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s4"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:04Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s5"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:05Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s6"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:06Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s7"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:07Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s8"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:08Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s9"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:09Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s10"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:10Z"}
"#,
    ],
}

/// **AEV-003** (medium): one user reading (successful `get`) many distinct Secrets within a
/// short window: "concurrent reading of multiple Secrets by a single user". One finding per
/// spree, on the event that reaches the threshold; the spree ends when `window` seconds pass
/// without a read by that user.
#[derive(Debug, Clone)]
pub struct Aev003 {
    threshold: usize,
    window_micros: i64,
    users: HashMap<String, Spree>,
}

/// Reads kept per user at most (older ones are dropped first), to bound memory.
const SPREE_CAP: usize = 4096;

#[derive(Debug, Clone, Default)]
struct Spree {
    reads: VecDeque<(i64, String)>,
    distinct: HashMap<String, u32>,
    reported_until: Option<i64>,
}

impl Spree {
    fn pop(&mut self) {
        if let Some((_, secret)) = self.reads.pop_front() {
            if let Some(n) = self.distinct.get_mut(&secret) {
                *n -= 1;
                if *n == 0 {
                    self.distinct.remove(&secret);
                }
            }
        }
    }
}

impl Aev003 {
    /// A detector of `threshold` distinct Secrets within `window_secs` seconds.
    pub fn new(threshold: usize, window_secs: i64) -> Self {
        Aev003 {
            threshold: threshold.max(1),
            window_micros: window_secs.saturating_mul(1_000_000),
            users: HashMap::new(),
        }
    }

    /// Look at the next event (events are expected in time order).
    pub fn check(&mut self, e: &Event) -> Hit {
        if !e.is_secrets() || e.verb != "get" || e.name().is_empty() || !succeeded(e) {
            return None;
        }
        let t = e.time_micros()?;
        let window = self.window_micros;
        let spree = self.users.entry(e.user.username.clone()).or_default();
        if let Some(until) = spree.reported_until {
            if t <= until {
                spree.reported_until = Some(t.saturating_add(window));
                return None;
            }
            spree.reported_until = None;
        }
        while spree
            .reads
            .front()
            .is_some_and(|(f, _)| t.saturating_sub(*f) > window)
            || spree.reads.len() >= SPREE_CAP
        {
            spree.pop();
        }
        let secret = e.secret_label();
        *spree.distinct.entry(secret.clone()).or_default() += 1;
        spree.reads.push_back((t, secret));
        let distinct = spree.distinct.len();
        if distinct < self.threshold {
            return None;
        }
        spree.reads.clear();
        spree.distinct.clear();
        spree.reported_until = Some(t.saturating_add(window));
        Some((
            "AEV-003",
            format!(
                "{} read {distinct} distinct secrets within {} s (last: {})",
                e.user.username,
                window / 1_000_000,
                e.secret_label()
            ),
        ))
    }
}
