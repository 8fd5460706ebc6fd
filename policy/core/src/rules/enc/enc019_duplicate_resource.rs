use super::model::{Coverage, EncConfig};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an exact resource (e.g. `secrets`) that appears in more than one `resources[]`
    /// entry, and says which provider actually writes it.
    ///
    /// ## Why is this bad?
    /// The apiserver does not reject this: it **concatenates** the provider lists of all entries
    /// that name the resource, in file order. So the first provider of the *first* entry encrypts
    /// every write, and the later entry's providers are only tried for reads. A later entry that
    /// was meant to switch Secrets to KMS silently has no effect on writes, and an earlier
    /// `identity` entry keeps Secrets in plaintext.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   - resources: [secrets, configmaps]
    ///     providers: [{identity: {}}]
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    ///       - identity: {}
    ///   - resources: [configmaps]
    ///     providers: [{identity: {}}]
    /// ```
    ///
    /// ## References
    /// - kubernetes/apiserver `pkg/server/options/encryptionconfig/config.go` (`getTransformerOverridesAndKMSPluginProbes`: `append(resourceToPrefixTransformer[gr], transformers...)`)
    /// - [Encrypting Confidential Data at Rest](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/)
    pub struct DuplicateResourceEntry;
    id: "ENC-019",
    title: "Resource listed in several entries (provider lists are concatenated)",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "List each resource in exactly one entry, with its providers in the intended order (write provider first).",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
  - resources: [configmaps, '*.']
    providers: [{identity: {}}]
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"], "providers": [{"identity": {}}]},
               {"resources": ["secrets.apps"], "providers": [{"identity": {}}]}]}
"#,
    ],
    fail: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
      - configmaps
    providers:
      - identity: {}
  - resources:
      - secrets # <-
    providers:
      - kms:
          apiVersion: v2
          name: kms-plugin
          endpoint: unix:///var/run/kms-plugin.sock
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [deployments.apps]
    providers:
      - aesgcm: {keys: [{name: k1, secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=}]}
  - resources: [deployments.apps] # <-
    providers: [{identity: {}}]
  - resources: [secrets]
    providers: [{identity: {}}]
  - resources: ["secrets."] # <-
    providers: [{identity: {}}]
"#,
    ],
}

impl Rule for DuplicateResourceEntry {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for entry in &m.entries {
            for (ri, r) in entry.resources.iter().enumerate() {
                if r.is_wildcard()
                    || m.masked
                        .iter()
                        .any(|x| x.entry == entry.index && x.resource == ri)
                {
                    continue;
                }
                let Some(eff) = m.effective(r.group, r.resource) else {
                    continue;
                };
                if eff.coverage != Coverage::Exact {
                    continue;
                }
                let Some(&first) = eff.entries.first() else {
                    continue;
                };
                if first == entry.index {
                    continue;
                }
                // Report each later entry once per resource (not repeated names in one list).
                if entry.resources[..ri]
                    .iter()
                    .any(|o| o.resource == r.resource && o.group == r.group)
                {
                    continue;
                }
                let writer = match eff.writer() {
                    Some(p) if p.entry == entry.index => format!(
                        "`{}` from this entry writes it because resources[{first}] has no valid provider",
                        p.kind().map(|k| k.key()).unwrap_or("?")
                    ),
                    Some(p) => format!(
                        "`{}` from resources[{}] writes it and this entry's providers are only tried for reads",
                        p.kind().map(|k| k.key()).unwrap_or("?"),
                        p.entry
                    ),
                    None => "no valid provider writes it".to_string(),
                };
                cx.report(
                    obj,
                    r.node,
                    format!(
                        "`{}` is already listed in resources[{first}]: the apiserver concatenates the provider lists of {}, so {writer}",
                        r.display(),
                        eff.entries.iter().map(|i| format!("resources[{i}]")).collect::<Vec<_>>().join(" + ")
                    ),
                );
            }
        }
    }
}
