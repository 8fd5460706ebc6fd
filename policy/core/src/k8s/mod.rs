//! Kubernetes knowledge shared by the rules: where Pod specs live, how RBAC rules match, which
//! roles are built in.

pub mod credentials;
pub mod rbac;
pub mod workload;
