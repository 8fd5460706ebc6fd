//! The examples gallery: the seed article's three examples first (verbatim copies in
//! `examples/seed/`), then the playground's own in `web/examples/`.
//!
//! Every example declares the exact set of distinct rule ids the core reports for it with the
//! playground's default settings; a test evaluates each one through [`crate::engine`] and
//! compares, so no broken example ships.

/// What an example is about: the gallery groups examples by topic, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// The article that started the project.
    Seed,
    /// `EncryptionConfiguration` (ENC rules).
    Encryption,
    /// The kube-apiserver static Pod's flags (API rules).
    Apiserver,
    /// Roles and bindings one object at a time (RBAC rules).
    Rbac,
    /// Who can read Secrets once bindings, roles and workloads are resolved together (RBG rules).
    RbacGraph,
    /// Audit policies (AUD rules).
    Audit,
    /// How workloads consume Secrets (WL rules).
    Workloads,
    /// Secret, ConfigMap and ServiceAccount objects (OBJ rules).
    Objects,
}

impl Topic {
    /// Every topic, in gallery order.
    pub const ALL: [Topic; 8] = [
        Topic::Seed,
        Topic::Encryption,
        Topic::Apiserver,
        Topic::Rbac,
        Topic::RbacGraph,
        Topic::Audit,
        Topic::Workloads,
        Topic::Objects,
    ];

    /// The heading shown in the gallery.
    pub fn label(self) -> &'static str {
        match self {
            Topic::Seed => "From the article",
            Topic::Encryption => "Encryption at rest",
            Topic::Apiserver => "kube-apiserver flags",
            Topic::Rbac => "RBAC",
            Topic::RbacGraph => "Who can read Secrets (RBAC graph)",
            Topic::Audit => "Audit logging",
            Topic::Workloads => "Workloads",
            Topic::Objects => "Secret objects",
        }
    }
}

/// One gallery entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Stable id (`data-example`), the file name without `.yaml`.
    pub id: &'static str,
    pub title: &'static str,
    /// What the example shows (for the seed: what the article got wrong).
    pub note: &'static str,
    pub topic: Topic,
    /// A manifest to copy: it raises no finding above `info`.
    pub good: bool,
    pub text: &'static str,
    /// The exact set of distinct rule ids the core reports with the playground's default
    /// settings, sorted (checked by a test, so no broken example ships).
    pub expected: &'static [&'static str],
}

/// The seed article's three examples, each flawed (see `docs/rules.md` and the design notes,
/// section B).
pub const SEED: [Example; 3] = [
    Example {
        id: "seed-1-encryption-at-rest",
        title: "Seed 1: encryption at rest",
        note: "The article's KMS endpoint `kms.example.com:12345` is not a unix:// socket, so the \
               apiserver refuses the whole file (ENC-008). Without `apiVersion` the provider is KMS \
               v1, disabled by default since Kubernetes 1.29 (ENC-007), and `identity` as a \
               fallback keeps plaintext Secrets readable, which is fine only while migrating \
               (ENC-003). Use `apiVersion: v2` and `endpoint: unix:///var/run/kms-provider.sock`, \
               without `cachesize`.",
        topic: Topic::Seed,
        good: false,
        text: include_str!("../../examples/seed/1-encryption-at-rest.yaml"),
        expected: &["ENC-003", "ENC-007", "ENC-008"],
    },
    Example {
        id: "seed-2-access-control",
        title: "Seed 2: access control",
        note: "The article calls this Role a reader, but `list` and `watch` return the value of \
               every Secret in the namespace, not just names (RBAC-001); without `resourceNames` \
               `get` reaches every Secret, other ServiceAccounts' tokens included (RBAC-002); and \
               Secrets should not live in `default` (OBJ-007). Grant `get` on named Secrets only.",
        topic: Topic::Seed,
        good: false,
        text: include_str!("../../examples/seed/2-access-control.yaml"),
        expected: &["OBJ-007", "RBAC-001", "RBAC-002"],
    },
    Example {
        id: "seed-3-audit-logging",
        title: "Seed 3: audit logging",
        note: "`auditregistration.k8s.io/v1` never existed: AuditSink was only ever v1alpha1 and \
               was removed in Kubernetes 1.19, and it never had per-resource rules (AUD-015). Its \
               `RequestResponse` level would log every request body, Secret values included \
               (AUD-001). Use a static `audit.k8s.io/v1` Policy that logs Secrets at `Metadata`.",
        topic: Topic::Seed,
        good: false,
        text: include_str!("../../examples/seed/3-audit-logging.yaml"),
        expected: &["AUD-001", "AUD-015"],
    },
];

/// The playground's own examples: every area, good and bad.
pub const OWN: [Example; 22] = [
    Example {
        id: "enc-kms-v2",
        title: "KMS v2 on a local socket",
        note: "Secrets and ConfigMaps written through a KMS v2 plugin on a unix:// socket, with a \
               timeout and no v1-only settings. Nothing to report.",
        topic: Topic::Encryption,
        good: true,
        text: include_str!("../examples/enc-kms-v2.yaml"),
        expected: &[],
    },
    Example {
        id: "enc-identity-first",
        title: "identity first: nothing is encrypted",
        note: "The first provider writes. With `identity` first every Secret reaches etcd in \
               plain text, and the fallback aescbc key is the 16-byte sample from the docs.",
        topic: Topic::Encryption,
        good: false,
        text: include_str!("../examples/enc-identity-first.yaml"),
        expected: &["ENC-002", "ENC-013", "ENC-015"],
    },
    Example {
        id: "enc-masked",
        title: "A wildcard masks the Secrets entry",
        note: "`*.` comes first, so the later KMS entry for `secrets` is masked and the apiserver \
               refuses to start; Secrets would be written with aesgcm and a key on disk.",
        topic: Topic::Encryption,
        good: false,
        text: include_str!("../examples/enc-masked.yaml"),
        expected: &["ENC-004", "ENC-006", "ENC-018"],
    },
    Example {
        id: "api-hardened",
        title: "A hardened kube-apiserver",
        note: "Encryption config with automatic reload, an audit policy and log backend with CIS \
               retention, Node,RBAC authorization, etcd over mutual TLS, read-only host mounts.",
        topic: Topic::Apiserver,
        good: true,
        text: include_str!("../examples/api-hardened.yaml"),
        expected: &[],
    },
    Example {
        id: "api-defaults",
        title: "A hand-written kube-apiserver",
        note: "No encryption at rest, no audit policy or backend, anonymous requests, a static \
               token file, plain-HTTP etcd and all of /etc/kubernetes mounted.",
        topic: Topic::Apiserver,
        good: false,
        text: include_str!("../examples/api-defaults.yaml"),
        expected: &[
            "API-001", "API-006", "API-007", "API-012", "API-014", "API-016", "API-017", "API-018",
            "WL-005", "WL-006", "WL-011",
        ],
    },
    Example {
        id: "rbac-named-secret",
        title: "Read one Secret by name",
        note: "Least privilege: a dedicated ServiceAccount, `get` on one named Secret, bound in \
               its namespace. Only informational findings remain, recording who can read it.",
        topic: Topic::Rbac,
        good: true,
        text: include_str!("../examples/rbac-named-secret.yaml"),
        expected: &["RBAC-003", "RBG-001"],
    },
    Example {
        id: "rbac-wildcards",
        title: "An operator role full of wildcards",
        note: "`*` on every resource includes Secrets, nodes/proxy and pods/exec; escalate, bind \
               and impersonate turn any permission into all of them.",
        topic: Topic::Rbac,
        good: false,
        text: include_str!("../examples/rbac-wildcards.yaml"),
        expected: &[
            "RBAC-001", "RBAC-002", "RBAC-004", "RBAC-005", "RBAC-007", "RBAC-008", "RBAC-009",
            "RBAC-011", "RBAC-012", "RBAC-013",
        ],
    },
    Example {
        id: "rbac-broad-binding",
        title: "Bindings to everyone",
        note: "cluster-admin for `system:authenticated` and a Secret reader for every \
               ServiceAccount: each binding alone hands every Secret to the whole cluster.",
        topic: Topic::Rbac,
        good: false,
        text: include_str!("../examples/rbac-broad-binding.yaml"),
        expected: &["RBAC-002", "RBAC-021", "RBAC-023", "RBG-001", "RBG-002"],
    },
    Example {
        id: "rbg-deployer",
        title: "A deployer can read every Secret",
        note: "Creating Deployments looks harmless, but a new Pod can mount any Secret of the \
               namespace, so the CI ServiceAccount can read them all.",
        topic: Topic::RbacGraph,
        good: false,
        text: include_str!("../examples/rbg-deployer.yaml"),
        expected: &["RBAC-012", "RBG-002", "WL-005"],
    },
    Example {
        id: "rbg-cross-namespace",
        title: "A ServiceAccount from another namespace",
        note: "A RoleBinding in `billing` lets the monitoring ServiceAccount list billing's \
               Secrets: compromising monitoring now reaches billing.",
        topic: Topic::RbacGraph,
        good: false,
        text: include_str!("../examples/rbg-cross-namespace.yaml"),
        expected: &["RBAC-001", "RBAC-002", "RBG-001", "RBG-010"],
    },
    Example {
        id: "rbg-exec-support",
        title: "Exec access is Secret access",
        note: "The support group may only exec into Pods, but the payments Pod holds an API key \
               in its environment: `kubectl exec ... -- env` prints it.",
        topic: Topic::RbacGraph,
        good: false,
        text: include_str!("../examples/rbg-exec-support.yaml"),
        expected: &["RBAC-013", "RBG-003", "WL-001"],
    },
    Example {
        id: "rbg-token-in-pod",
        title: "A Secret-reading token in a Pod",
        note: "The config reloader's ServiceAccount can watch every Secret, and its token is \
               auto-mounted: code execution in the Pod is enough to read them all.",
        topic: Topic::RbacGraph,
        good: false,
        text: include_str!("../examples/rbg-token-in-pod.yaml"),
        expected: &["RBAC-001", "RBAC-002", "RBG-001", "RBG-005", "WL-005"],
    },
    Example {
        id: "aud-good-policy",
        title: "An audit policy that keeps Secrets out of the log",
        note: "Secrets, ConfigMaps and token reviews at Metadata before anything broader; exec, \
               RBAC and workload changes recorded; a Metadata catch-all last.",
        topic: Topic::Audit,
        good: true,
        text: include_str!("../examples/aud-good-policy.yaml"),
        expected: &[],
    },
    Example {
        id: "aud-docs-sample",
        title: "The docs' sample policy",
        note: "The Secrets good-practices page logs Secrets at RequestResponse, writing their \
               values to the audit log, and audits nothing else.",
        topic: Topic::Audit,
        good: false,
        text: include_str!("../examples/aud-docs-sample.yaml"),
        expected: &[
            "AUD-001", "AUD-004", "AUD-005", "AUD-006", "AUD-014", "AUD-017",
        ],
    },
    Example {
        id: "aud-shadowed",
        title: "A Secrets rule that never matches",
        note: "Audit rules are first-match: the `level: None` rule for all authenticated users \
               silences Secret reads before the Metadata rule is reached. And v1beta1 no longer \
               loads.",
        topic: Topic::Audit,
        good: false,
        text: include_str!("../examples/aud-shadowed.yaml"),
        expected: &[
            "AUD-003", "AUD-004", "AUD-005", "AUD-006", "AUD-007", "AUD-014",
        ],
    },
    Example {
        id: "wl-good-deployment",
        title: "Consuming a Secret as files",
        note: "A dedicated ServiceAccount without an API token, the Secret mounted read-only with \
               mode 0400, the app told where the file is. Nothing to report.",
        topic: Topic::Workloads,
        good: true,
        text: include_str!("../examples/wl-good-deployment.yaml"),
        expected: &[],
    },
    Example {
        id: "wl-leaky-deployment",
        title: "Every way a Pod can leak a credential",
        note: "Secrets in environment variables, a password in the manifest and on the command \
               line, a world-writable Secret volume, a privileged container.",
        topic: Topic::Workloads,
        good: false,
        text: include_str!("../examples/wl-leaky-deployment.yaml"),
        expected: &[
            "WL-001", "WL-002", "WL-003", "WL-004", "WL-005", "WL-006", "WL-007", "WL-010",
        ],
    },
    Example {
        id: "wl-reviewed-exception",
        title: "A reviewed exception",
        note: "The finding is suppressed on the object with a reason, but suppression \
               annotations are ignored by default; turn them on in Settings to see it move to \
               the suppressed list.",
        topic: Topic::Workloads,
        good: false,
        text: include_str!("../examples/wl-reviewed-exception.yaml"),
        expected: &["WL-015"],
    },
    Example {
        id: "obj-committed-secret",
        title: "A Secret committed to Git",
        note: "Base64 is an encoding, not encryption: the repository now holds a database \
               password and an AWS key, in the `default` namespace.",
        topic: Topic::Objects,
        good: false,
        text: include_str!("../examples/obj-committed-secret.yaml"),
        expected: &["OBJ-001", "OBJ-002", "OBJ-007", "OBJ-008", "OBJ-012"],
    },
    Example {
        id: "obj-configmap-credentials",
        title: "Credentials in a ConfigMap",
        note: "A database URL with a password and a Slack token in a ConfigMap: not encrypted at \
               rest and readable with the broad `view` role.",
        topic: Topic::Objects,
        good: false,
        text: include_str!("../examples/obj-configmap-credentials.yaml"),
        expected: &["OBJ-006"],
    },
    Example {
        id: "obj-legacy-token",
        title: "Tokens that never expire",
        note: "A legacy ServiceAccount token Secret and a bootstrap token without expiry, both \
               valid until someone remembers to delete them.",
        topic: Topic::Objects,
        good: false,
        text: include_str!("../examples/obj-legacy-token.yaml"),
        expected: &[
            "OBJ-001", "OBJ-002", "OBJ-003", "OBJ-004", "OBJ-008", "OBJ-010",
        ],
    },
    Example {
        id: "obj-bound-token",
        title: "Bound tokens instead of token Secrets",
        note: "No Secret object at all: the kubelet projects a token bound to the Pod, for one \
               audience, valid for an hour and rotated automatically.",
        topic: Topic::Objects,
        good: true,
        text: include_str!("../examples/obj-bound-token.yaml"),
        expected: &[],
    },
];

/// Every example, the seed's first.
pub fn all() -> impl Iterator<Item = &'static Example> {
    SEED.iter().chain(OWN.iter())
}

/// The example with this id.
pub fn find(id: &str) -> Option<&'static Example> {
    all().find(|e| e.id == id)
}

/// The starting document: the seed's three examples, one YAML stream.
pub fn seed_document() -> String {
    SEED.iter()
        .map(|e| e.text.trim_end())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use secrets_guard_core::admission::PolicySettings;
    use secrets_guard_core::{registry, Area, Severity};

    use super::*;
    use crate::engine;

    /// The distinct rule ids the playground shows for `text` with its default settings.
    fn reported(text: &str) -> (BTreeSet<&'static str>, engine::Evaluation) {
        let evaluation = engine::evaluate(text, &PolicySettings::default());
        let ids = evaluation.report.findings.iter().map(|f| f.rule).collect();
        (ids, evaluation)
    }

    #[test]
    fn every_example_reports_exactly_its_expected_rule_ids() {
        let mut wrong = vec![];
        for e in all() {
            let (ids, evaluation) = reported(e.text);
            assert!(
                evaluation.report.errors.is_empty(),
                "{}: input errors {:?}",
                e.id,
                evaluation.report.errors
            );
            let expected: BTreeSet<&str> = e.expected.iter().copied().collect();
            if ids != expected {
                wrong.push(format!("{}: expected {expected:?}, got {ids:?}", e.id));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn expected_ids_are_sorted_unique_and_registered() {
        for e in all() {
            let mut sorted = e.expected.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(
                sorted, e.expected,
                "{}: keep `expected` sorted and unique",
                e.id
            );
            for id in e.expected {
                assert!(registry::find(id).is_some(), "{}: unknown rule {id}", e.id);
            }
        }
    }

    #[test]
    fn good_examples_raise_at_most_info_and_bad_ones_more() {
        for e in all() {
            let (_, evaluation) = reported(e.text);
            let worst = evaluation.report.active().map(|f| f.severity).max();
            if e.good {
                assert!(
                    worst.is_none_or(|s| s == Severity::Info),
                    "{} is marked good but reports {worst:?}",
                    e.id
                );
            } else {
                assert!(
                    worst.is_some_and(|s| s > Severity::Info),
                    "{} is marked bad but reports only {worst:?}",
                    e.id
                );
            }
        }
    }

    #[test]
    fn gallery_covers_every_area_and_rule_family_with_good_and_bad_examples() {
        assert!(OWN.len() >= 12, "at least 12 examples of our own");
        // Every rule family (id prefix) is raised by some example.
        let families: BTreeSet<&str> = all()
            .flat_map(|e| e.expected.iter())
            .filter_map(|id| id.split_once('-').map(|(p, _)| p))
            .collect();
        assert_eq!(
            families,
            ["API", "AUD", "ENC", "OBJ", "RBAC", "RBG", "WL"]
                .into_iter()
                .collect()
        );
        // Every area of the core is raised by some example.
        let areas: HashSet<Area> = all()
            .flat_map(|e| e.expected.iter())
            .filter_map(|id| registry::find(id))
            .map(|r| r.meta().area)
            .collect();
        for area in Area::ALL {
            assert!(areas.contains(&area), "no example for area {area}");
        }
        // Each topic beyond the seed has at least one example, and good and bad both exist
        // among the playground's own (the RBAC graph's good case is `rbac-named-secret`).
        for topic in Topic::ALL {
            assert!(all().any(|e| e.topic == topic), "no example for {topic:?}");
        }
        for topic in [
            Topic::Encryption,
            Topic::Apiserver,
            Topic::Rbac,
            Topic::Audit,
            Topic::Workloads,
            Topic::Objects,
        ] {
            assert!(
                OWN.iter().any(|e| e.topic == topic && e.good),
                "{topic:?}: no good example"
            );
            assert!(
                OWN.iter().any(|e| e.topic == topic && !e.good),
                "{topic:?}: no bad example"
            );
        }
    }

    #[test]
    fn ids_are_unique_and_match_file_names() {
        let mut seen = HashSet::new();
        for e in all() {
            assert!(seen.insert(e.id), "duplicate example id {}", e.id);
            assert!(!e.title.is_empty() && !e.note.is_empty(), "{}", e.id);
        }
        // Every file in web/examples/ is in the gallery.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("web/examples")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        let mut own: Vec<String> = OWN.iter().map(|e| format!("{}.yaml", e.id)).collect();
        own.sort();
        assert_eq!(files, own);
    }

    #[test]
    fn seed_notes_name_the_rules_the_seed_raises() {
        for e in &SEED {
            for id in e.expected {
                assert!(e.note.contains(id), "{}: note does not mention {id}", e.id);
            }
        }
    }

    #[test]
    fn seed_document_joins_the_three_seed_examples() {
        let doc = seed_document();
        assert_eq!(doc.matches("\n---\n").count(), 2);
        for e in &SEED {
            assert!(doc.contains(e.text.trim_end()));
        }
    }
}
