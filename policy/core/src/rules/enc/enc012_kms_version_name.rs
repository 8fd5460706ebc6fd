use super::model::EncConfig;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `kms` providers that the validator rejects because of their `apiVersion` or `name`:
    /// - `apiVersion` other than `v1` or `v2`;
    /// - `name` missing or empty;
    /// - a v2 `name` containing `:` (it becomes part of the `k8s:enc:kms:v2:<name>:` prefix);
    /// - a v2 `name` already used by an earlier `kms` provider anywhere in the file.
    ///
    /// A v1 `name` used twice is rejected only when `--encryption-provider-config-automatic-reload`
    /// is on; it is reported at `medium` severity.
    ///
    /// ## Why is this bad?
    /// The file is rejected (`unsupported apiVersion … for KMS provider, only v1 and v2 are
    /// supported`, `name is a mandatory field for a provider`, `invalid KMS provider name %s, must
    /// not contain ':'`, `duplicate KMS provider name %s, names must be unique`), so the apiserver
    /// does not start, or ignores the new file on reload. The name is stored in every encrypted
    /// value's prefix, so it must identify one plugin.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - kms: {apiVersion: v2, name: "kms:prod", endpoint: unix:///var/run/a.sock}
    ///   - kms: {apiVersion: v2, name: backup, endpoint: unix:///var/run/b.sock}
    ///   - kms: {apiVersion: v2, name: backup, endpoint: unix:///var/run/c.sock}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - kms: {apiVersion: v2, name: kms-prod, endpoint: unix:///var/run/a.sock}
    ///   - kms: {apiVersion: v2, name: backup-b, endpoint: unix:///var/run/b.sock}
    ///   - kms: {apiVersion: v2, name: backup-c, endpoint: unix:///var/run/c.sock}
    /// ```
    ///
    /// ## References
    /// - [Using a KMS provider for data encryption](https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/)
    /// - kubernetes/apiserver `pkg/apis/apiserver/validation/validation_encryption.go` (`validateKMSAPIVersion`, `validateKMSConfigName`)
    pub struct KmsInvalidVersionOrName;
    id: "ENC-012",
    title: "KMS provider apiVersion or name is invalid",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Use `apiVersion: v2` and a unique `name` without `:` for every `kms` provider.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-a, endpoint: "unix:///var/run/a.sock"}
      - kms: {name: "legacy:v1", endpoint: "unix:///var/run/b.sock"}
  - resources: [configmaps]
    providers:
      - kms: {apiVersion: v2, name: kms-c, endpoint: "unix:///var/run/c.sock"}
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"kms": {"apiVersion": "v2", "name": "p", "endpoint": "unix:///tmp/p.sock"}}]}]}
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
          apiVersion: v3 # <-
          name: a
          endpoint: unix:///var/run/a.sock
      - kms: # <-
          apiVersion: v2
          endpoint: unix:///var/run/b.sock
      - kms:
          apiVersion: v2
          name: "prod:kms" # <-
          endpoint: unix:///var/run/c.sock
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: shared, endpoint: "unix:///var/run/a.sock"}
  - resources: [configmaps]
    providers:
      - kms: {apiVersion: v2, name: shared, endpoint: "unix:///var/run/a.sock"} # <-
"#,
    ],
}

impl Rule for KmsInvalidVersionOrName {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        let mut seen: Vec<(&str, String)> = vec![];
        for kms in m.kms() {
            let version = kms.api_version();
            if version != "v1" && version != "v2" {
                let at = kms.field("apiVersion").unwrap_or(kms.key);
                cx.report(
                    obj,
                    at,
                    format!(
                        "{} has `apiVersion: {version}`: the apiserver rejects the file (unsupported apiVersion for KMS provider, only v1 and v2 are supported)",
                        kms.label()
                    ),
                );
            }
            let name_node = kms.field("name");
            let Some(name) = kms.name() else {
                let at = name_node
                    .filter(|n| n.as_str().is_some())
                    .unwrap_or(kms.key);
                cx.report(
                    obj,
                    at,
                    format!(
                        "KMS provider at {} has no `name`: the apiserver rejects the file (`name is a mandatory field for a provider`)",
                        kms.path()
                    ),
                );
                continue;
            };
            let at = name_node.unwrap_or(kms.key);
            if version != "v1" && name.contains(':') {
                cx.report(
                    obj,
                    at,
                    format!(
                        "KMS v2 provider name `{name}` contains `:`: the apiserver rejects the file (`invalid KMS provider name {name}, must not contain ':'`)"
                    ),
                );
            }
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                if version != "v1" {
                    cx.report(
                        obj,
                        at,
                        format!(
                            "KMS provider name `{name}` is already used at {first}: the apiserver rejects the file (`duplicate KMS provider name {name}, names must be unique`)"
                        ),
                    );
                } else {
                    cx.report(
                        obj,
                        at,
                        format!(
                            "KMS v1 provider name `{name}` is already used at {first}: the apiserver rejects the file when `--encryption-provider-config-automatic-reload` is on (`duplicate KMS provider name {name}, names must be unique`)"
                        ),
                    )
                    .with_severity(Severity::Medium);
                }
            }
            seen.push((name, kms.path()));
        }
    }
}
