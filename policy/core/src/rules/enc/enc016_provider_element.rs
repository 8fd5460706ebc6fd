use super::model::{EncConfig, ProviderKind};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `providers[]` element that holds more than one provider type, or none: an empty
    /// element, a misspelled type (`aes-gcm`, `AESCBC`), a type with no value (`- identity:`
    /// instead of `- identity: {}`), or an element that is not a mapping. Also flags an entry with
    /// no `providers` at all.
    ///
    /// ## Why is this bad?
    /// The validator requires exactly one type per element: `more than one provider specified in
    /// a single element, should split into different list elements`, `provider does not contain
    /// any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity`, `at least one
    /// providers is required`. Keys are case-sensitive and decoded strictly, and a key with a null
    /// value decodes to "not set". The apiserver does not start, or ignores the file on reload.
    /// With several types in one element it is also unclear which one was meant to write.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - aescbc:
    ///       keys: [{name: key1, secret: <base64 32 bytes>}]
    ///     identity: {}
    ///   - identity:
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - aescbc:
    ///       keys: [{name: key1, secret: <base64 32 bytes>}]
    ///   - identity: {}
    /// ```
    ///
    /// ## References
    /// - [EncryptionConfiguration (v1) reference: ProviderConfiguration](https://kubernetes.io/docs/reference/config-api/apiserver-config.v1/#apiserver-config-k8s-io-v1-ProviderConfiguration)
    /// - kubernetes/apiserver `pkg/apis/apiserver/validation/validation_encryption.go` (`validateSingleProvider`)
    pub struct ProviderElementInvalid;
    id: "ENC-016",
    title: "Provider element has several provider types or none",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Give each `providers` list element exactly one of `kms`, `aesgcm`, `aescbc`, `secretbox`, `identity: {}`.",
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
      - identity: {}
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"aescbc": {"keys": [{"name": "k1", "secret": "TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y="}]}},
                 {"identity": {}}]}]}
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
      - aescbc:
          keys:
            - name: key1
              secret: TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y=
        identity: {} # <-
      - identity: # <-
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aes-gcm: # <-
          keys: [{name: key1, secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=}]
      - {} # <-
      - identity # <-
  - resources: [configmaps] # <-
"#,
    ],
}

impl Rule for ProviderElementInvalid {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for entry in &m.entries {
            match entry.providers_value {
                None => {
                    cx.report(
                        obj,
                        entry.anchor(),
                        format!(
                            "resources[{}] has no `providers`: the apiserver rejects the file (`at least one providers is required`)",
                            entry.index
                        ),
                    );
                    continue;
                }
                Some(v) if v.items().is_empty() => {
                    cx.report(
                        obj,
                        entry.providers_key.unwrap_or(v),
                        format!(
                            "resources[{}] has an empty `providers` list: the apiserver rejects the file (`at least one providers is required`)",
                            entry.index
                        ),
                    );
                    continue;
                }
                Some(_) => {}
            }
            for p in &entry.providers {
                if p.types.len() > 1 {
                    let names: Vec<String> = p
                        .types
                        .iter()
                        .map(|t| format!("`{}`", t.kind.key()))
                        .collect();
                    let at = p.types.get(1).map(|t| t.key).unwrap_or(p.node);
                    cx.report(
                        obj,
                        at,
                        format!(
                            "{} holds {} provider types ({}): the apiserver rejects the file (`more than one provider specified in a single element, should split into different list elements`)",
                            p.path(),
                            p.types.len(),
                            names.join(", ")
                        ),
                    );
                    continue;
                }
                if !p.types.is_empty() {
                    continue;
                }
                const NONE: &str = "provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity";
                if !p.node.is_map() {
                    cx.report(
                        obj,
                        p.node,
                        format!(
                            "{} is not a mapping such as `identity: {{}}`: the apiserver rejects the file",
                            p.path()
                        ),
                    );
                    continue;
                }
                let entries = p.node.entries();
                let null_type = entries.iter().find(|e| {
                    e.value.is_null()
                        && e.key.as_scalar().and_then(ProviderKind::from_key).is_some()
                });
                if let Some(e) = null_type {
                    let k = e.key.as_scalar().unwrap_or("");
                    let hint = if k == "identity" {
                        "`identity: {}`".to_string()
                    } else {
                        format!("its configuration under `{k}:`")
                    };
                    cx.report(
                        obj,
                        &e.key,
                        format!(
                            "`{k}:` at {} has no value, so the apiserver sees no provider in this element (`{NONE}`); write {hint}",
                            p.path()
                        ),
                    );
                } else if let Some(e) = entries.first() {
                    let k = e.key.as_scalar().unwrap_or("?");
                    cx.report(
                        obj,
                        &e.key,
                        format!(
                            "`{k}` at {} is not a provider type (expected one of `kms`, `aesgcm`, `aescbc`, `secretbox`, `identity`; keys are case-sensitive): the apiserver rejects the file (`{NONE}`)",
                            p.path()
                        ),
                    );
                } else {
                    cx.report(
                        obj,
                        p.node,
                        format!(
                            "{} is empty: the apiserver rejects the file (`{NONE}`)",
                            p.path()
                        ),
                    );
                }
            }
        }
    }
}
