//! Audit event analysis: who read which Secrets, and did the audit log itself leak them.
//! (The audit *Policy* evaluator is [`crate::k8s::audit`].)
//!
//! [`event`] reads `audit.k8s.io/v1` Events as a stream (JSON lines or an `EventList`) with
//! bounded memory. [`rules`] holds the documented rules AEV-001 to AEV-010 (one per file, as
//! for the manifest rules), and [`analyze`] runs them over that stream and builds the access
//! summary. [`context`] reads the manifests given with a log: an audit Policy to cross-check
//! every event against (AEV-010, first match wins, as the apiserver decides) and the
//! workloads whose Pods consume Secrets (AEV-008). Like the rest of the core this does no
//! I/O: the caller feeds bytes.
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
pub mod context;
pub mod event;
pub mod rules;

pub use analyze::{AccessRow, Analyzer, AuditFinding, AuditReport, AuditSettings};
pub use context::AuditContext;
pub use event::{looks_like_events, Event, EventReader, Item, Malformed, ReaderLimits};
pub use rules::{GapKind, PolicyCheck, PolicyGap};
