//! RBAC across objects: bindings resolved to roles, ServiceAccounts and workloads (catalog
//! section A.4), plus RBAC-027 (aggregated ClusterRoles), built on [`crate::k8s::access`].

use crate::rule::Rule;

mod rbac027_aggregated_clusterrole;
mod rbg001_effective_secret_readers;
mod rbg002_implicit_secret_readers;
mod rbg003_exec_path_readers;
mod rbg004_escalation_closure;
mod rbg005_secret_reader_token_mounted;
mod rbg006_token_secret_escalation;
mod rbg007_missing_role;
mod rbg008_missing_subject_service_account;
mod rbg009_missing_workload_service_account;
mod rbg010_cross_namespace_secret_read;

pub use rbac027_aggregated_clusterrole::AggregatedClusterRole;
pub use rbg001_effective_secret_readers::EffectiveSecretReaders;
pub use rbg002_implicit_secret_readers::ImplicitSecretReaders;
pub use rbg003_exec_path_readers::ExecPathReaders;
pub use rbg004_escalation_closure::EscalationClosure;
pub use rbg005_secret_reader_token_mounted::SecretReaderTokenMounted;
pub use rbg006_token_secret_escalation::TokenSecretEscalation;
pub use rbg007_missing_role::MissingRole;
pub use rbg008_missing_subject_service_account::MissingSubjectServiceAccount;
pub use rbg009_missing_workload_service_account::MissingWorkloadServiceAccount;
pub use rbg010_cross_namespace_secret_read::CrossNamespaceSecretRead;

pub static RULES: &[&dyn Rule] = &[
    &EffectiveSecretReaders,
    &ImplicitSecretReaders,
    &ExecPathReaders,
    &EscalationClosure,
    &SecretReaderTokenMounted,
    &TokenSecretEscalation,
    &MissingRole,
    &MissingSubjectServiceAccount,
    &MissingWorkloadServiceAccount,
    &CrossNamespaceSecretRead,
    &AggregatedClusterRole,
];
