use super::model::{secret_entries, secret_type};
use crate::k8s::credentials::scan_value;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Opaque Secrets whose values reveal high-value material: a kubeconfig with a client
    /// key (`client-key-data`) or a bearer `token`, cloud credentials (AWS access keys, GCP
    /// service-account keys, Azure account keys) or private keys.
    ///
    /// ## Why is this bad?
    /// This is context, not a defect: it ranks exposure. Whoever can read this Secret (see the
    /// RBAC and RBG rules) gets a cluster identity or cloud access, not just an application
    /// password, so such Secrets deserve the tightest RBAC, their own namespace, and ideally a
    /// short-lived alternative (workload identity, projected tokens, cert-manager).
    ///
    /// ## Example
    /// ```yaml
    /// kind: Secret
    /// type: Opaque
    /// stringData:
    ///   config: |
    ///     apiVersion: v1
    ///     kind: Config
    ///     users:
    ///       - name: admin
    ///         user: {client-key-data: LS0tLS1CRUdJTi...}
    /// ```
    ///
    /// ## Use instead
    /// Prefer identities that need no stored key: workload identity (IRSA, GKE Workload
    /// Identity, Azure Workload Identity) or a projected service-account token:
    /// ```yaml
    /// volumes:
    ///   - name: token
    ///     projected:
    ///       sources:
    ///         - serviceAccountToken: {path: token, expirationSeconds: 3600}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Organizing cluster access using kubeconfig files](https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/)
    pub struct HighValueMaterial;
    id: "OBJ-012",
    title: "Opaque Secret holds high-value credentials",
    severity: Info,
    area: SecretData,
    cis: [],
    peers: [],
    remediation: "Restrict who can read this Secret, or replace the stored key with workload identity or short-lived tokens.",
    kinds: ["Secret"],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
type: Opaque
stringData:
  password: t0p-Secret
  url: postgres://db.shop.svc:5432/shop
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: web-tls, namespace: shop}
type: kubernetes.io/tls
stringData:
  tls.crt: "-----BEGIN CERTIFICATE-----"
  tls.key: "-----BEGIN PRIVATE KEY-----"
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: ci-kubeconfig, namespace: ci}
stringData:
  config: | # <-
    apiVersion: v1
    kind: Config
    users:
      - name: deployer
        user:
          token: Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io3Pq1
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: cloud, namespace: ci}
type: Opaque
data:
  AWS_ACCESS_KEY_ID: QUtJQVozTVNKVjRXV1FOSlhLN1E= # <-
  id_rsa: LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0K # <-
  username: YWRtaW4=
"#,
    ],
}

const HIGH_VALUE: &[&str] = &[
    "AWS access key id",
    "AWS secret access key",
    "GCP service account key",
    "Azure storage account key",
    "private key",
    "kubeconfig client key",
];

/// A kubeconfig with a user credential (`client-key-data` or `token`).
fn kubeconfig_credential(text: &str) -> bool {
    let is_kubeconfig = (text.contains("kind: Config") || text.contains("\"kind\": \"Config\""))
        && (text.contains("users:") || text.contains("\"users\""));
    is_kubeconfig
        && text.lines().any(|l| {
            let l = l
                .trim_start()
                .trim_start_matches("- ")
                .trim_start_matches('"');
            (l.starts_with("token") || l.starts_with("client-key-data"))
                && l.split_once(':').is_some_and(|(_, v)| {
                    let v = v.trim().trim_matches(|c| c == '"' || c == ',');
                    !v.is_empty() && !v.starts_with('$')
                })
        })
}

impl Rule for HighValueMaterial {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if secret_type(obj) != "Opaque" {
            return;
        }
        for e in secret_entries(obj) {
            let Some(text) = e.text() else {
                continue;
            };
            let what = if kubeconfig_credential(&text) {
                "kubeconfig with a user credential".to_string()
            } else if let Some(d) = scan_value(&text).filter(|d| HIGH_VALUE.contains(&d.kind)) {
                d.kind.to_string()
            } else {
                continue;
            };
            cx.report(
                obj,
                e.anchor(),
                format!(
                    "Secret `{}` key `{}` holds a {what}: reading this Secret grants cluster or cloud access",
                    obj.name(),
                    e.key
                ),
            );
        }
    }
}
