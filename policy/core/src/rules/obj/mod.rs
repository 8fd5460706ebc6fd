//! Secret and ConfigMap objects (catalog section A.8), plus the two workload credential rules
//! WL-003 and WL-004, which share the credential detector (`crate::k8s::credentials`).
//!
//! OBJ-005 (SA-token Secret naming a privileged ServiceAccount) is cross-object and not here.

use crate::rule::Rule;

pub mod model;

mod obj001_secret_data_committed;
mod obj002_string_data;
mod obj003_sa_token_secret;
mod obj004_sa_secrets_list;
mod obj006_configmap_credentials;
mod obj007_secret_default_namespace;
mod obj008_secret_not_immutable;
mod obj009_type_constraints;
mod obj010_bootstrap_token;
mod obj011_invalid_keys_or_data;
mod obj012_high_value_material;
mod obj013_dockerconfig_auth;
mod wl003_credential_in_env;
mod wl004_credential_in_args;

pub use obj001_secret_data_committed::SecretDataCommitted;
pub use obj002_string_data::StringData;
pub use obj003_sa_token_secret::ServiceAccountTokenSecret;
pub use obj004_sa_secrets_list::ServiceAccountSecrets;
pub use obj006_configmap_credentials::ConfigMapCredentials;
pub use obj007_secret_default_namespace::SecretInDefaultNamespace;
pub use obj008_secret_not_immutable::SecretNotImmutable;
pub use obj009_type_constraints::SecretTypeConstraints;
pub use obj010_bootstrap_token::BootstrapToken;
pub use obj011_invalid_keys_or_data::InvalidKeysOrData;
pub use obj012_high_value_material::HighValueMaterial;
pub use obj013_dockerconfig_auth::DockerConfigAuth;
pub use wl003_credential_in_env::CredentialInEnv;
pub use wl004_credential_in_args::CredentialInArgs;

pub static RULES: &[&dyn Rule] = &[
    &SecretDataCommitted,
    &StringData,
    &ServiceAccountTokenSecret,
    &ServiceAccountSecrets,
    &ConfigMapCredentials,
    &SecretInDefaultNamespace,
    &SecretNotImmutable,
    &SecretTypeConstraints,
    &BootstrapToken,
    &InvalidKeysOrData,
    &HighValueMaterial,
    &DockerConfigAuth,
    &CredentialInEnv,
    &CredentialInArgs,
];
