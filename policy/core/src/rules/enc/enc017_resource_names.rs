use super::model::{EncConfig, ResourceName};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags resource names in `resources[].resources` that the validator rejects:
    /// - `*` alone (use `*.` for every core resource or `*.*` for everything);
    /// - capital letters (`Secrets`);
    /// - the `events.k8s.io` group (`*.events.k8s.io`: events are stored as `events`);
    /// - the removed `extensions` group;
    /// - `resource.*` (one resource across all groups);
    /// - resources without a REST API: `apiserveripinfo`, `serviceipallocations`,
    ///   `servicenodeportallocations`;
    /// - the same resource twice in one list (`secrets` and `secrets.` are the same);
    /// - overlapping names in one list, such as `secrets` with `*.`, or anything with `*.*`;
    /// - an entry with no resources.
    ///
    /// ## Why is this bad?
    /// The file is rejected, so the apiserver does not start (or keeps the old file on reload).
    /// The messages are `use '*.' to encrypt all the resources from core API group or *.* to
    /// encrypt all resources`, `resource name should not contain capital letters`,
    /// `'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events'
    /// instead in the config file`, `'extensions' group has been removed and cannot be used for
    /// encryption`, `encrypting the same resource across groups is not supported`, `resources
    /// which do not have REST API/s cannot be encrypted`, `the same resource cannot be specified
    /// multiple times`, and `using overlapping resources such as 'secrets' and '*.' in the same
    /// resource list is not allowed as they will be masked`.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   - resources: ["*", Secrets, "*.events.k8s.io"]
    ///     providers: [{identity: {}}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resources:
    ///   - resources: [secrets, events]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: Understanding the encryption at rest configuration](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#understanding-the-encryption-at-rest-configuration)
    /// - kubernetes/apiserver `pkg/apis/apiserver/validation/validation_encryption.go` (`validateResourceNames`, `validateResourceOverlap`)
    pub struct InvalidResourceName;
    id: "ENC-017",
    title: "Invalid or overlapping resource name in encryption configuration",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Use lowercase `resource` or `resource.group` names, `*.` / `*.<group>` / `*.*` wildcards, each once, without overlaps in one list.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
      - configmaps
      - events
      - deployments.apps
      - '*.rbac.authorization.k8s.io'
      - widgets.example.com
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
  - resources: ['*.*']
    providers: [{identity: {}}]
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["*."], "providers": [{"identity": {}}]}]}
"#,
    ],
    fail: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - "*" # <-
      - Secrets # <-
      - "*.events.k8s.io" # <-
      - ingresses.extensions # <-
      - "configmaps.*" # <-
      - serviceipallocations # <-
    providers: [{identity: {}}]
  - resources: [] # <-
    providers: [{identity: {}}]
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
      - secrets. # <-
      - "*." # <-
    providers: [{identity: {}}]
  - resources: ["*.*", configmaps.apps] # <-
    providers: [{identity: {}}]
"#,
    ],
}

/// The validator's `validateResourceNames` complaint about one name.
fn name_error(r: &ResourceName<'_>) -> Option<&'static str> {
    if r.text.chars().any(|c| c.is_uppercase()) {
        Some("resource name should not contain capital letters")
    } else if r.text == "*" {
        Some("use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources")
    } else if matches!(
        r.text,
        "apiserveripinfo" | "serviceipallocations" | "servicenodeportallocations"
    ) {
        Some("resources which do not have REST API/s cannot be encrypted")
    } else if r.group == "events.k8s.io" {
        Some("'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events' instead in the config file")
    } else if r.group == "extensions" {
        Some("'extensions' group has been removed and cannot be used for encryption")
    } else if r.group == "*" && r.resource != "*" {
        Some("encrypting the same resource across groups is not supported")
    } else {
        None
    }
}

fn same(a: &ResourceName<'_>, b: &ResourceName<'_>) -> bool {
    a.resource == b.resource && a.group == b.group
}

/// `validateResourceOverlap`: `*.*` overlaps everything; `*.<group>` overlaps its group.
fn overlaps(a: &ResourceName<'_>, b: &ResourceName<'_>) -> bool {
    let any = |r: &ResourceName<'_>| r.resource == "*" && r.group == "*";
    any(a) || any(b) || (a.group == b.group && (a.resource == "*" || b.resource == "*"))
}

impl Rule for InvalidResourceName {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for entry in &m.entries {
            let empty = entry.resources_value.is_none_or(|v| v.items().is_empty());
            if empty {
                cx.report(
                    obj,
                    entry.resources_key.unwrap_or(entry.node),
                    format!(
                        "resources[{}] lists no resources: the apiserver rejects the file (`at least one resources[{}].resources is required`)",
                        entry.index, entry.index
                    ),
                );
                continue;
            }
            for (j, r) in entry.resources.iter().enumerate() {
                if let Some(err) = name_error(r) {
                    cx.report(
                        obj,
                        r.node,
                        format!(
                            "resource `{}` in resources[{}] is invalid: the apiserver rejects the file (`{err}`)",
                            r.text, entry.index
                        ),
                    );
                    continue;
                }
                let earlier = &entry.resources[..j];
                if let Some(first) = earlier.iter().find(|e| same(e, r)) {
                    cx.report(
                        obj,
                        r.node,
                        format!(
                            "resource `{}` repeats `{}` in the same list: the apiserver rejects the file (`the same resource cannot be specified multiple times`)",
                            r.text, first.text
                        ),
                    );
                } else if let Some(other) = earlier.iter().find(|e| overlaps(e, r)) {
                    cx.report(
                        obj,
                        r.node,
                        format!(
                            "resource `{}` overlaps `{}` in the same list: the apiserver rejects the file (`using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked`)",
                            r.text, other.text
                        ),
                    );
                }
            }
        }
    }
}
