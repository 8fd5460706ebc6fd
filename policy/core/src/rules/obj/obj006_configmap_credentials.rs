use super::model::{configmap_entries, Field};
use crate::k8s::credentials::{printable_text, scan_entry, Confidence};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags ConfigMap entries in `data` (and `binaryData`, decoded) that hold credentials: a
    /// known token format (AWS access key id, GitHub token, PEM private key, JWT, URL with
    /// `user:password@`, Azure `AccountKey=`, ...), also base64-encoded; a credential-like key
    /// (`db.password`, `apiKey`) with a secret-looking value; or such `key: value` /
    /// `key=value` lines inside an embedded config file. Placeholders (`${DB_PASSWORD}`,
    /// `changeme`), paths, URLs without credentials, checksums and names ending in `_NAME`,
    /// `_FILE`, `_TTL` and the like are not flagged.
    ///
    /// ## Why is this bad?
    /// ConfigMaps are meant for non-confidential data. They are readable by far more
    /// identities than Secrets (the built-in `view` role reads ConfigMaps but not Secrets), are
    /// often left out of encryption at rest (see ENC-020), and are mounted and logged freely.
    /// Name-based matches are reported with severity medium.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ConfigMap
    /// data:
    ///   application.properties: |
    ///     spring.datasource.password=S3cr3tPa55
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Secret
    /// stringData:
    ///   spring.datasource.password: S3cr3tPa55
    /// ```
    /// (created out of band, not committed; see OBJ-001)
    ///
    /// ## References
    /// - [ConfigMaps](https://kubernetes.io/docs/concepts/configuration/configmap/) ("ConfigMap does not provide secrecy or encryption")
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - Kubescape C-0012 (`rule-credentials-configmap`); Trivy KSV-0109; Polaris `sensitiveConfigmapContent`
    pub struct ConfigMapCredentials;
    id: "OBJ-006",
    title: "Credential stored in a ConfigMap",
    severity: High,
    area: SecretData,
    cis: [],
    peers: ["KS C-0012", "TRV KSV-0109", "TRV KSV-01010", "POL sensitiveConfigmapContent"],
    remediation: "Move the credential into a Secret (created out of band) and reference it from the workload.",
    kinds: ["ConfigMap"],
    pass: [
        r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data:
  LOG_LEVEL: info
  DATABASE_URL: postgres://app@db.shop.svc:5432/shop
  PASSWORD_MIN_LENGTH: "12"
  SECRET_NAME: web-tls
  TOKEN_TTL: "3600"
  checksum/secret: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/shop
    spring.datasource.password=${DB_PASSWORD}
    server.port=8080
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUZ3k
    -----END CERTIFICATE-----
"#,
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-root-ca.crt", "namespace": "shop"},
 "data": {"nginx.conf": "server { listen 80; }", "replicas": 3},
 "binaryData": {"logo.png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: shop}
data:
  AWS_ACCESS_KEY_ID: AKIAZ3MSJV4WWQNJXK7Q # <-
  db.password: S3cr3tPa55 # <-
  application.properties: | # <-
    spring.datasource.url=jdbc:postgresql://db:5432/shop
    spring.datasource.password=S3cr3tPa55
"#,
        r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: tls-bundle, namespace: shop}
data:
  tls.key: "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n" # <-
binaryData:
  settings.ini: W2FwaV0KdG9rZW4gPSBnaHBfNGY4S2Q5c0xtMlF3N1h6MVJ0NVliM05jNlZoMEdqOFBhMlVlCg== # <-
"#,
    ],
}

impl Rule for ConfigMapCredentials {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for e in configmap_entries(obj) {
            let found = match e.field {
                Field::Plain => match e.value.as_str() {
                    Some(t) => scan_entry(e.key, t).map(|d| (d, false)),
                    None => continue,
                },
                Field::Base64 => match e.bytes().as_deref().and_then(printable_text) {
                    Some(t) => scan_entry(e.key, t).map(|d| (d, true)),
                    None => continue,
                },
            };
            let Some((mut d, decoded)) = found else {
                continue;
            };
            d.via_base64 |= decoded;
            let f = cx.report(
                obj,
                e.anchor(),
                format!(
                    "ConfigMap `{}` key `{}` in `{}` holds a {}: ConfigMaps are not meant for confidential data and are widely readable",
                    obj.name(),
                    e.key,
                    e.field_name,
                    d.describe(),
                ),
            );
            if d.confidence == Confidence::Medium {
                f.with_severity(Severity::Medium);
            }
        }
    }
}
