//! Workloads: Pod specs in every controller kind (catalog section A.7).

use crate::rule::Rule;

mod model;
mod wl001_secret_env_var;
mod wl002_secret_env_from;
mod wl005_token_automount;
mod wl006_default_service_account;
mod wl007_secret_volume_mode;
mod wl008_secret_volume_all_containers;
mod wl009_secret_sub_path;
mod wl010_privileged_container;
mod wl011_sensitive_host_path;
mod wl012_legacy_token_secret;
mod wl013_missing_secret;
mod wl014_static_pod_secret;
mod wl015_default_namespace_secrets;
mod wl016_long_lived_projected_token;

pub use wl001_secret_env_var::SecretEnvVar;
pub use wl002_secret_env_from::SecretEnvFrom;
pub use wl005_token_automount::TokenAutomount;
pub use wl006_default_service_account::DefaultServiceAccount;
pub use wl007_secret_volume_mode::SecretVolumeMode;
pub use wl008_secret_volume_all_containers::SecretVolumeAllContainers;
pub use wl009_secret_sub_path::SecretSubPath;
pub use wl010_privileged_container::PrivilegedContainer;
pub use wl011_sensitive_host_path::SensitiveHostPath;
pub use wl012_legacy_token_secret::LegacyTokenSecret;
pub use wl013_missing_secret::MissingSecret;
pub use wl014_static_pod_secret::StaticPodSecret;
pub use wl015_default_namespace_secrets::DefaultNamespaceSecrets;
pub use wl016_long_lived_projected_token::LongLivedProjectedToken;

pub static RULES: &[&dyn Rule] = &[
    &SecretEnvVar,
    &SecretEnvFrom,
    &TokenAutomount,
    &DefaultServiceAccount,
    &SecretVolumeMode,
    &SecretVolumeAllContainers,
    &SecretSubPath,
    &PrivilegedContainer,
    &SensitiveHostPath,
    &LegacyTokenSecret,
    &MissingSecret,
    &StaticPodSecret,
    &DefaultNamespaceSecrets,
    &LongLivedProjectedToken,
];

#[cfg(test)]
mod tests {
    use crate::{evaluate, Settings};

    /// Wrong types anywhere in a Pod spec must neither panic nor produce input errors.
    #[test]
    fn wrong_types_do_not_panic() {
        let inputs = [
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: default}\nspec: [1, 2]\n",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: default}\nspec:\n  containers: {name: x}\n  volumes: volume\n  serviceAccountName: 7\n  automountServiceAccountToken: 'false'\n",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: kube-system, labels: {tier: control-plane}}\nspec:\n  containers:\n    - 3\n    - name: [x]\n      env: [1, {valueFrom: 2}, {valueFrom: {secretKeyRef: 3}}]\n      envFrom: [x, {secretRef: [1]}, {configMapRef: 5}]\n      securityContext: {privileged: [true]}\n      volumeMounts: [{name: v, subPath: 9}, 4]\n  volumes:\n    - {name: v, secret: {secretName: [s], defaultMode: {a: 1}, items: [3, {mode: -1}, {mode: 99999999999999999999}]}}\n    - {name: w, projected: {defaultMode: x, sources: [1, {secret: 2}, {serviceAccountToken: {expirationSeconds: '9e9'}}]}}\n    - {name: h, hostPath: {path: [/]}}\n    - {name: i, hostPath: {path: '/../../..'}}\n    - {name: j, secret: ~}\n",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: d, namespace: default}\nspec: {jobTemplate: {spec: {template: {spec: {volumes: [{secret: {secretName: s}}], containers: [{volumeMounts: [{name: '?', subPathExpr: x}]}]}}}}}\n",
        ];
        let settings = Settings {
            enable: vec!["workload".into()],
            ..Settings::default()
        };
        for text in inputs {
            let r = evaluate(&[("odd.yaml", text)], &settings);
            assert!(r.errors.is_empty(), "{:?}", r.errors);
        }
    }
}
