use super::Hit;
use crate::audit_events::event::Event;
use crate::declare_rule;
use std::collections::{HashMap, VecDeque};

declare_rule! {
    /// ## What it does
    /// Counts 403 responses on core-group `secrets` per principal (the user; for anonymous requests,
    /// the first source IP) in a sliding window, and reports the event that reaches the threshold
    /// (default: 5 within 60 seconds, `AuditSettings::burst_threshold` and `burst_window_secs`). One
    /// finding per burst: it ends when a window passes without a 403.
    ///
    /// ## Why is this bad?
    /// A stolen credential is usually tried against Secrets first. A run of refused requests is a
    /// principal probing what it may read.
    ///
    /// ## Example
    /// ```text
    /// 5 events within a minute: eve get app/a, app/b, app/c, app/d, app/e (status 403)
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Nothing to change in the cluster if the refusals are right: investigate the principal,
    /// # and alert on this pattern.
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    pub struct ForbiddenSecretBurst;
    id: "AEV-005",
    title: "Burst of 403s on Secrets (permission probing)",
    severity: Medium,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Find out who is probing; revoke the credentials if the principal is not expected to try.",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:05Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:10Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:15Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:20Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"bob","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:21Z"}
"#,
    ],
    fail: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:05Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:10Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"s"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:15Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"t"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:20Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"eve","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"u"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:25Z"}
"#,
    ],
}

/// **AEV-005** (medium): a burst of 403 responses on Secrets from one principal (for
/// anonymous requests, one source IP): at least `threshold` within `window` seconds, which
/// looks like permission probing. One finding per burst, on the event that completes it;
/// the burst ends when `window` seconds pass without a 403.
#[derive(Debug, Clone)]
pub struct Aev005 {
    threshold: usize,
    window_micros: i64,
    recent: HashMap<String, Burst>,
}

#[derive(Debug, Clone, Default)]
struct Burst {
    times: VecDeque<i64>,
    /// A finding was made and no quiet gap of a window has followed yet.
    reported_until: Option<i64>,
}

impl Aev005 {
    /// A detector of `threshold` 403s within `window_secs` seconds.
    pub fn new(threshold: usize, window_secs: i64) -> Self {
        Aev005 {
            threshold: threshold.max(1),
            window_micros: window_secs.saturating_mul(1_000_000),
            recent: HashMap::new(),
        }
    }

    /// Look at the next event (events are expected in time order).
    pub fn check(&mut self, e: &Event) -> Hit {
        if !e.is_secrets() || e.code() != Some(403) {
            return None;
        }
        let t = e.time_micros()?;
        let anonymous = e.user.username == "system:anonymous";
        let principal = match (anonymous, e.source_ips.first()) {
            (true, Some(ip)) => format!("system:anonymous@{ip}"),
            _ => e.user.username.clone(),
        };
        let window = self.window_micros;
        let burst = self.recent.entry(principal.clone()).or_default();
        if let Some(until) = burst.reported_until {
            if t <= until {
                burst.reported_until = Some(t.saturating_add(window));
                return None;
            }
            burst.reported_until = None;
        }
        while burst
            .times
            .front()
            .is_some_and(|&f| t.saturating_sub(f) > window)
        {
            burst.times.pop_front();
        }
        burst.times.push_back(t);
        if burst.times.len() < self.threshold {
            return None;
        }
        let count = burst.times.len();
        burst.times.clear();
        burst.reported_until = Some(t.saturating_add(window));
        Some((
            "AEV-005",
            format!(
                "{principal} got {count} 403 responses on secrets within {} s (last: {} {})",
                window / 1_000_000,
                e.verb,
                e.secret_label()
            ),
        ))
    }
}
