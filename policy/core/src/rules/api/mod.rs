//! kube-apiserver flags in static Pod manifests and other workloads (catalog section A.2).
//! The flag parser lives in `crate::k8s::apiserver`.

use crate::rule::Rule;

mod api001_encryption_provider_config_missing;
mod api002_encryption_config_not_mounted;
mod api004_encryption_config_no_automatic_reload;
mod api005_kmsv1_feature_gate;
mod api006_audit_policy_file_missing;
mod api007_audit_backend_missing;
mod api008_audit_log_retention;
mod api009_audit_not_persisted;
mod api010_audit_batch_mode;
mod api011_audit_version;
mod api012_anonymous_auth;
mod api013_authorization_always_allow;
mod api014_authorization_mode_lacks_rbac_node;
mod api015_authorization_config_with_legacy_flags;
mod api016_token_auth_file;
mod api017_etcd_tls_missing;
mod api018_extend_token_expiration;
mod api019_service_account_plugin_disabled;

pub use api001_encryption_provider_config_missing::EncryptionProviderConfigMissing;
pub use api002_encryption_config_not_mounted::EncryptionConfigNotMounted;
pub use api004_encryption_config_no_automatic_reload::EncryptionConfigNoAutomaticReload;
pub use api005_kmsv1_feature_gate::KmsV1FeatureGate;
pub use api006_audit_policy_file_missing::AuditPolicyFileMissing;
pub use api007_audit_backend_missing::AuditBackendMissing;
pub use api008_audit_log_retention::AuditLogRetention;
pub use api009_audit_not_persisted::AuditNotPersisted;
pub use api010_audit_batch_mode::AuditBatchMode;
pub use api011_audit_version::AuditVersion;
pub use api012_anonymous_auth::AnonymousAuth;
pub use api013_authorization_always_allow::AuthorizationAlwaysAllow;
pub use api014_authorization_mode_lacks_rbac_node::AuthorizationModeLacksRbacNode;
pub use api015_authorization_config_with_legacy_flags::AuthorizationConfigWithLegacyFlags;
pub use api016_token_auth_file::TokenAuthFile;
pub use api017_etcd_tls_missing::EtcdTlsMissing;
pub use api018_extend_token_expiration::ExtendTokenExpiration;
pub use api019_service_account_plugin_disabled::ServiceAccountPluginDisabled;

pub static RULES: &[&dyn Rule] = &[
    &EncryptionProviderConfigMissing,
    &EncryptionConfigNotMounted,
    &EncryptionConfigNoAutomaticReload,
    &KmsV1FeatureGate,
    &AuditPolicyFileMissing,
    &AuditBackendMissing,
    &AuditLogRetention,
    &AuditNotPersisted,
    &AuditBatchMode,
    &AuditVersion,
    &AnonymousAuth,
    &AuthorizationAlwaysAllow,
    &AuthorizationModeLacksRbacNode,
    &AuthorizationConfigWithLegacyFlags,
    &TokenAuthFile,
    &EtcdTlsMissing,
    &ExtendTokenExpiration,
    &ServiceAccountPluginDisabled,
];
