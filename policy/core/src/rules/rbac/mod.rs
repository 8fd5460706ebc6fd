//! RBAC, one object at a time (catalog section A.3).

use crate::rule::Rule;

mod grant;

mod rbac001_list_watch_secrets;
mod rbac002_get_secrets_unrestricted;
mod rbac003_secrets_by_name;
mod rbac004_wildcard_verbs;
mod rbac005_wildcard_resources;
mod rbac006_write_secrets;
mod rbac007_escalate_roles;
mod rbac008_bind_roles;
mod rbac009_impersonate;
mod rbac010_create_sa_token;
mod rbac011_nodes_proxy;
mod rbac012_create_workloads;
mod rbac013_exec_attach;
mod rbac014_write_bindings;
mod rbac015_webhook_configs;
mod rbac016_approve_csr;
mod rbac017_create_persistentvolumes;
mod rbac018_modify_namespaces;
mod rbac019_write_configmaps;
mod rbac020_delete_secrets;
mod rbac021_cluster_admin_binding;
mod rbac022_anonymous_binding;
mod rbac023_all_authenticated_binding;
mod rbac024_masters_binding;
mod rbac025_default_sa_binding;
mod rbac026_subject_schema;

pub use rbac001_list_watch_secrets::ListWatchSecrets;
pub use rbac002_get_secrets_unrestricted::GetSecretsUnrestricted;
pub use rbac003_secrets_by_name::SecretsByName;
pub use rbac004_wildcard_verbs::WildcardVerbs;
pub use rbac005_wildcard_resources::WildcardResources;
pub use rbac006_write_secrets::WriteSecrets;
pub use rbac007_escalate_roles::EscalateRoles;
pub use rbac008_bind_roles::BindRoles;
pub use rbac009_impersonate::Impersonate;
pub use rbac010_create_sa_token::CreateServiceAccountToken;
pub use rbac011_nodes_proxy::NodesProxy;
pub use rbac012_create_workloads::CreateWorkloads;
pub use rbac013_exec_attach::ExecAttach;
pub use rbac014_write_bindings::WriteBindings;
pub use rbac015_webhook_configs::WebhookConfigs;
pub use rbac016_approve_csr::ApproveCsr;
pub use rbac017_create_persistentvolumes::CreatePersistentVolumes;
pub use rbac018_modify_namespaces::ModifyNamespaces;
pub use rbac019_write_configmaps::WriteConfigMaps;
pub use rbac020_delete_secrets::DeleteSecrets;
pub use rbac021_cluster_admin_binding::ClusterAdminBinding;
pub use rbac022_anonymous_binding::AnonymousBinding;
pub use rbac023_all_authenticated_binding::AllAuthenticatedBinding;
pub use rbac024_masters_binding::MastersBinding;
pub use rbac025_default_sa_binding::DefaultServiceAccountBinding;
pub use rbac026_subject_schema::SubjectSchema;

pub static RULES: &[&dyn Rule] = &[
    &ListWatchSecrets,
    &GetSecretsUnrestricted,
    &SecretsByName,
    &WildcardVerbs,
    &WildcardResources,
    &WriteSecrets,
    &EscalateRoles,
    &BindRoles,
    &Impersonate,
    &CreateServiceAccountToken,
    &NodesProxy,
    &CreateWorkloads,
    &ExecAttach,
    &WriteBindings,
    &WebhookConfigs,
    &ApproveCsr,
    &CreatePersistentVolumes,
    &ModifyNamespaces,
    &WriteConfigMaps,
    &DeleteSecrets,
    &ClusterAdminBinding,
    &AnonymousBinding,
    &AllAuthenticatedBinding,
    &MastersBinding,
    &DefaultServiceAccountBinding,
    &SubjectSchema,
];
