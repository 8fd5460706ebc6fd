use super::model::{parse_go_duration, EncConfig};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `kms` provider whose `timeout` is zero, negative or not a Go duration string
    /// (`3s`, `500ms`, `1m30s`). A bare number such as `timeout: 3` is not a duration: the file
    /// fails to decode.
    ///
    /// ## Why is this bad?
    /// The validator rejects a timeout that is not positive (`timeout should be a positive
    /// value`), and a value that is not a duration string fails when the file is decoded. Either
    /// way the apiserver does not start, or keeps its old configuration on reload. Leave the field
    /// out to get the default of 3s.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - kms:
    ///       apiVersion: v2
    ///       name: my-kms-provider
    ///       endpoint: unix:///var/run/kms-provider.sock
    ///       timeout: 0s
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - kms:
    ///       apiVersion: v2
    ///       name: my-kms-provider
    ///       endpoint: unix:///var/run/kms-provider.sock
    ///       timeout: 3s
    /// ```
    ///
    /// ## References
    /// - [Using a KMS provider for data encryption](https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/)
    /// - kubernetes/apiserver `pkg/apis/apiserver/validation/validation_encryption.go` (`validateKMSTimeout`)
    /// - kubernetes/apiserver `pkg/apis/apiserver/v1/defaults.go` (`defaultTimeout = 3s`)
    pub struct KmsTimeoutInvalid;
    id: "ENC-011",
    title: "KMS timeout is not a positive duration",
    severity: Medium,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Set `timeout` to a positive duration string such as `3s`, or remove it (default 3s).",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms:
          apiVersion: v2
          name: kms-plugin
          endpoint: unix:///var/run/kms-plugin.sock
          timeout: 1m30s
      - kms: {apiVersion: v2, name: b, endpoint: "unix:///b.sock", timeout: "500ms"}
      - kms: {apiVersion: v2, name: c, endpoint: "unix:///c.sock", timeout: ~}
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"kms": {"apiVersion": "v2", "name": "p", "endpoint": "unix:///tmp/p.sock", "timeout": "10s"}}]}]}
"#,
    ],
    fail: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - kms:
          apiVersion: v2
          name: a
          endpoint: unix:///var/run/a.sock
          timeout: 0s # <-
      - kms:
          apiVersion: v2
          name: b
          endpoint: unix:///var/run/b.sock
          timeout: -1s # <-
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms:
          apiVersion: v2
          name: a
          endpoint: unix:///var/run/a.sock
          timeout: 3 # <-
      - kms:
          apiVersion: v2
          name: b
          endpoint: unix:///var/run/b.sock
          timeout: 3 seconds # <-
"#,
    ],
}

impl Rule for KmsTimeoutInvalid {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for kms in m.kms() {
            let Some(node) = kms.field("timeout") else {
                continue;
            };
            let shown = node.as_scalar().unwrap_or("");
            let msg = match node.to_json() {
                serde_json::Value::String(s) => match parse_go_duration(&s) {
                    Ok(ns) if ns <= 0.0 => format!(
                        "{} has `timeout: {s}`: the apiserver rejects the file (`timeout should be a positive value`)",
                        kms.label()
                    ),
                    Ok(_) => continue,
                    Err(e) => format!(
                        "{} `timeout: {s}` is not a Go duration ({e}): the file fails to decode; write e.g. `3s`",
                        kms.label()
                    ),
                },
                serde_json::Value::Number(_) => format!(
                    "{} has `timeout: {shown}`, a bare number: the timeout must be a duration string such as `3s`, so the file fails to decode",
                    kms.label()
                ),
                _ => format!(
                    "{} `timeout` is not a duration string: the file fails to decode; write e.g. `3s`",
                    kms.label()
                ),
            };
            cx.report(obj, node, msg);
        }
    }
}
