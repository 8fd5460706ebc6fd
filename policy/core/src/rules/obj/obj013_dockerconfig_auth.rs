use super::model::{secret_entries, secret_type, secret_value};
use crate::k8s::credentials::{decode_base64_lenient, is_placeholder, printable_text};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `kubernetes.io/dockerconfigjson` and `kubernetes.io/dockercfg` Secrets whose
    /// registry entries hold a password: an `auth` field that base64-decodes to
    /// `user:password`, or a `password` field. One finding per registry.
    ///
    /// ## Why is this bad?
    /// This is context for who may read the Secret: the `auth` field "is obscured but not
    /// secret. Anyone who can read that Secret can learn the registry access bearer token".
    /// A registry password often allows pushing images, so a reader of this Secret can plant
    /// images that the cluster will run. Prefer short-lived registry tokens (kubelet credential
    /// providers, cloud workload identity) or robot accounts limited to pull.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths":{"registry.example.io":{"auth":"cm9ib3Q6WmszSmQ4c1FtMVZi"}}}'
    /// ```
    ///
    /// ## Use instead
    /// A kubelet image credential provider (no Secret at all), or a pull-only robot account
    /// whose Secret is readable only by the namespace's deployer:
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1
    /// kind: CredentialProviderConfig
    /// providers:
    ///   - name: ecr-credential-provider
    ///     matchImages: ["*.dkr.ecr.*.amazonaws.com"]
    ///     defaultCacheDuration: 12h
    ///     apiVersion: credentialprovider.kubelet.k8s.io/v1
    /// ```
    ///
    /// ## References
    /// - [Docker config Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets)
    /// - [Kubelet image credential provider](https://kubernetes.io/docs/tasks/administer-cluster/kubelet-credential-provider/)
    pub struct DockerConfigAuth;
    id: "OBJ-013",
    title: "Docker config Secret holds a registry password",
    severity: Info,
    area: SecretData,
    cis: [],
    peers: [],
    remediation: "Use a pull-only robot account or a kubelet credential provider, and restrict who can read the Secret.",
    kinds: ["Secret"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: pull, namespace: shop}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6e319
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: pull, namespace: shop}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"registry.example.io":{"auth":"dXNlcjoke1BBU1NXT1JEfQ=="},"ghcr.io":{"identitytoken":"x"}}}'
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: pull, namespace: shop}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmlvIjp7ImF1dGgiOiJjbTlpYjNRNldtc3pTbVE0YzFGdE1WWmkifX19 # <-
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: pull, namespace: shop}
type: kubernetes.io/dockercfg
stringData:
  .dockercfg: | # <-
    {"quay.io": {"username": "robot", "password": "Zk3Jd8sQm1Vb", "email": "ci@example.io"}}
"#,
    ],
}

/// The password in a registry entry: from `auth` (base64 `user:password`) or `password`.
fn entry_password(entry: &serde_json::Value) -> Option<usize> {
    if let Some(auth) = entry.get("auth").and_then(|a| a.as_str()) {
        let decoded = decode_base64_lenient(auth)?;
        let text = printable_text(&decoded)?;
        let (_, pw) = text.split_once(':')?;
        return (!pw.is_empty() && !is_placeholder(pw)).then(|| pw.chars().count());
    }
    let pw = entry.get("password").and_then(|p| p.as_str())?;
    (!pw.is_empty() && !is_placeholder(pw)).then(|| pw.chars().count())
}

impl Rule for DockerConfigAuth {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let t = secret_type(obj);
        let key = match t {
            "kubernetes.io/dockerconfigjson" => ".dockerconfigjson",
            "kubernetes.io/dockercfg" => ".dockercfg",
            _ => return,
        };
        let entries = secret_entries(obj);
        let Some(e) = secret_value(&entries, key) else {
            return;
        };
        let Some(bytes) = e.bytes() else {
            return;
        };
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            return;
        };
        let registries = if key == ".dockerconfigjson" {
            json.get("auths")
        } else {
            Some(&json)
        };
        let Some(registries) = registries.and_then(|r| r.as_object()) else {
            return;
        };
        for (registry, entry) in registries.iter().take(256) {
            if let Some(n) = entry_password(entry) {
                cx.report(
                    obj,
                    e.anchor(),
                    format!(
                        "Secret `{}` holds a registry password for `{registry}` ({n} chars): anyone who can read the Secret can use the registry as that user",
                        obj.name()
                    ),
                );
            }
        }
    }
}
