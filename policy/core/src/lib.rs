//! # secrets-guard core
//!
//! A pure evaluator (no I/O) that turns Kubernetes YAML/JSON into findings about the security of
//! Secrets: encryption at rest, kube-apiserver flags, RBAC, audit policy, workloads and
//! Secret/ConfigMap data. The CLI, the Kubewarden policy and the browser playground all call it.
//!
//! [`envelope`] holds the byte formats kube-apiserver writes to etcd when it encrypts Secrets at
//! rest (aesgcm, aescbc, secretbox, KMS v1/v2, plaintext protobuf), and, with the
//! `envelope-crypto` feature, reads and writes them as the apiserver does.
//!
//! [`audit_events`] reads `audit.k8s.io/v1` Event streams and runs the AEV analyses over them.
//!
//! [`k8s::who_can`] answers "who can read Secrets?" across every Role and binding of the input
//! (directly, implicitly through Pods, or by escalation), each answer with its evidence path.
//!
//! ```
//! use secrets_guard_core::{evaluate, Settings};
//! let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: app}\nrules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [list]\n";
//! let report = evaluate(&[("role.yaml", yaml)], &Settings::default());
//! assert!(report.findings.iter().any(|f| f.rule == "RBAC-001" && f.line == 7));
//! ```

pub mod admission;
pub mod audit_events;
pub mod docs;
pub mod engine;
pub mod envelope;
pub mod finding;
pub mod fix;
pub mod k8s;
pub mod object;
mod re;
pub mod redact;
pub mod registry;
pub mod render;
pub mod rule;
pub mod rules;
pub mod settings;
pub mod yaml;

pub use engine::{evaluate, Evaluator, Inventory};
pub use finding::{Area, Finding, InputError, ObjectRef, Report, Severity, Summary};
pub use fix::{apply_fixes, Edit, Fix};
pub use rule::{Rule, RuleInput, RuleMeta};
pub use settings::Settings;

/// The engine version, shown in outputs and share links.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
