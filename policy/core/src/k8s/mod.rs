//! Kubernetes knowledge shared by the rules: where Pod specs live, how RBAC rules match, which
//! roles are built in, how audit policies decide a request's level.

pub mod access;
pub mod apiserver;
pub mod audit;
pub mod credentials;
pub mod rbac;
pub mod who_can;
pub mod workload;
