//! Audit event analysis: who read which Secrets, and did the audit log itself leak them.
//! (The audit *Policy* evaluator is [`crate::k8s::audit`].)
//!
//! [`event`] reads `audit.k8s.io/v1` Events as a stream (JSON lines or an `EventList`) with
//! bounded memory. [`analyze`] runs the AEV analyses of `rules.md` (AEV-001 to AEV-007 and
//! AEV-009) over that stream, one function (or stateful type) per rule id, and builds the
//! access summary. Like the rest of the core this does no I/O: the caller feeds bytes.
//!
//! Not yet covered: AEV-008 (exec into Pods that consume Secrets, which needs the Pod specs),
//! AEV-010 (level regressions) and the cross-check against an audit Policy.
//!
//! ```
//! use secrets_guard_core::audit_events::Analyzer;
//! let log = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"1","stage":"ResponseComplete","verb":"list","user":{"username":"jane"},"objectRef":{"resource":"secrets"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}"#;
//! let mut a = Analyzer::default();
//! a.feed(log.as_bytes());
//! let report = a.finish();
//! assert_eq!(report.findings[0].rule, "AEV-002");
//! assert_eq!(report.findings[0].line, 1);
//! ```

pub mod analyze;
pub mod event;

pub use analyze::{AccessRow, Analyzer, AuditFinding, AuditReport, AuditSettings};
pub use event::{Event, EventReader, Item, Malformed, ReaderLimits};
