//! The evaluator: reads inputs document by document, runs per-object rules as each object is
//! read, keeps only what cross-object rules need (the [`Inventory`]), then runs those.
//!
//! Memory stays proportional to one document plus the inventory: the full tree of an ordinary
//! object (a Deployment, a ConfigMap) is dropped as soon as its rules have run.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use crate::finding::{Finding, InputError, Location, ObjectRef, Report, Severity, Summary};
use crate::k8s::access::Access;
use crate::k8s::{rbac, workload};
use crate::object::Object;
use crate::registry;
use crate::rule::{Ctx, Rule};
use crate::settings::{parse_suppressions, Settings, Suppression, IGNORE_ANNOTATION};
use crate::yaml::{self, Node};

/// Kinds kept whole for cross-object rules (small, and few per cluster).
pub const RETAINED_KINDS: &[&str] = &[
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ServiceAccount",
    "Namespace",
];

/// A workload, summarised for cross-object rules.
#[derive(Debug, Clone)]
pub struct Workload {
    pub object: ObjectRef,
    /// Namespace (`default` when the manifest has none).
    pub namespace: String,
    pub service_account: String,
    /// Pod-level `automountServiceAccountToken`, when set.
    pub automount: Option<bool>,
    /// Where the Pod spec is (or its `serviceAccountName`, when set).
    pub location: Location,
    /// Location of the `automountServiceAccountToken` field, when set.
    pub automount_location: Option<Location>,
    /// The edit that turns automounting off in the Pod spec: `true` → `false`, or a new
    /// `automountServiceAccountToken: false` line (block-style specs only).
    pub automount_off: Option<crate::fix::Edit>,
    pub secrets: Vec<WorkloadSecret>,
}

/// A Secret a workload refers to.
#[derive(Debug, Clone)]
pub struct WorkloadSecret {
    pub name: String,
    pub optional: bool,
    pub how: &'static str,
    pub location: Location,
}

/// A Secret object, summarised (its data is not kept).
#[derive(Debug, Clone)]
pub struct SecretInfo {
    pub object: ObjectRef,
    pub namespace: String,
    pub secret_type: String,
    /// `kubernetes.io/service-account.name` annotation (service-account-token Secrets).
    pub service_account: Option<String>,
    pub location: Location,
}

/// What cross-object rules see: every RBAC object and ServiceAccount in full, workloads and
/// Secrets as summaries.
#[derive(Debug, Default)]
pub struct Inventory {
    pub objects: Vec<Object<'static>>,
    pub workloads: Vec<Workload>,
    pub secrets: Vec<SecretInfo>,
    /// Lookup tables over `objects`, built on first use (after every input was read).
    index: OnceLock<Index>,
}

impl Inventory {
    /// The RBAC objects and ServiceAccounts of `text` (one file, every document valid), as the
    /// engine keeps them: for tests of what is computed over an inventory.
    #[cfg(test)]
    pub(crate) fn of_text(text: &str) -> Inventory {
        let mut inv = Inventory::default();
        let file: std::sync::Arc<str> = "t.yaml".into();
        crate::yaml::parse_documents(text, &crate::yaml::Limits::default(), |d| {
            let d = d.expect("valid yaml");
            if let Some(o) = Object::new(file.clone(), d.index, None, d.root.into_owned()) {
                if RETAINED_KINDS.contains(&o.kind()) {
                    inv.objects.push(o);
                }
            }
        });
        inv
    }
}

#[derive(Debug, Default)]
struct Index {
    /// (kind, namespace or "" for cluster-scoped kinds, name) → position in `objects`.
    by_key: HashMap<(String, String, String), usize>,
    /// Namespaces that have at least one ServiceAccount in the input.
    sa_namespaces: HashSet<String>,
}

fn index_namespace<'o>(kind: &str, obj: &'o Object<'_>) -> &'o str {
    match kind {
        "ClusterRole" | "ClusterRoleBinding" | "Namespace" => "",
        _ => ns_or_default(obj),
    }
}

/// The namespace of a namespaced object, `default` when the manifest leaves it out.
pub fn ns_or_default<'o>(obj: &'o Object<'_>) -> &'o str {
    match obj.namespace() {
        "" => "default",
        ns => ns,
    }
}

impl Inventory {
    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut idx = Index::default();
            for (i, o) in self.objects.iter().enumerate() {
                let key = (
                    o.kind().to_string(),
                    index_namespace(o.kind(), o).to_string(),
                    o.name().to_string(),
                );
                // First definition wins, as a later duplicate would be rejected by the apiserver.
                idx.by_key.entry(key).or_insert(i);
                if o.kind() == "ServiceAccount" {
                    idx.sa_namespaces.insert(ns_or_default(o).to_string());
                }
            }
            idx
        })
    }

    /// The retained object of this kind, namespace (ignored for cluster-scoped kinds) and name.
    pub fn find(&self, kind: &str, namespace: &str, name: &str) -> Option<&Object<'static>> {
        let ns = match kind {
            "ClusterRole" | "ClusterRoleBinding" | "Namespace" => "",
            "" => return None,
            _ if namespace.is_empty() => "default",
            _ => namespace,
        };
        let i = *self
            .index()
            .by_key
            .get(&(kind.to_string(), ns.to_string(), name.to_string()))?;
        self.objects.get(i)
    }

    /// Whether the input holds any ServiceAccount in `namespace`.
    pub fn has_service_accounts_in(&self, namespace: &str) -> bool {
        self.index().sa_namespaces.contains(namespace)
    }

    pub fn of_kind<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Object<'static>> + 's {
        self.objects.iter().filter(move |o| o.kind() == kind)
    }

    pub fn bindings(&self) -> impl Iterator<Item = &Object<'static>> {
        self.objects
            .iter()
            .filter(|o| rbac::BINDING_KINDS.contains(&o.kind()))
    }

    pub fn roles(&self) -> impl Iterator<Item = &Object<'static>> {
        self.objects
            .iter()
            .filter(|o| rbac::ROLE_KINDS.contains(&o.kind()))
    }

    /// Resolve a binding's `roleRef` to a role of the input, or a built-in ClusterRole.
    pub fn resolve_role_ref(&self, binding: &Object<'_>) -> Option<&Object<'static>> {
        let (kind, name) = rbac::role_ref(binding)?;
        if !rbac::ROLE_KINDS.contains(&kind) {
            return None;
        }
        let found = self.find(kind, ns_or_default(binding), name);
        found.or_else(|| {
            (kind == "ClusterRole")
                .then(|| rbac::builtin_role(name))
                .flatten()
        })
    }

    /// Whether a role named by a binding's `roleRef` exists in the input or is built in.
    pub fn role_ref_exists(&self, binding: &Object<'_>) -> bool {
        match rbac::role_ref(binding) {
            Some(("ClusterRole", name)) if rbac::is_builtin_cluster_role(name) => true,
            Some(_) => self.resolve_role_ref(binding).is_some(),
            None => true,
        }
    }

    pub fn service_account(&self, namespace: &str, name: &str) -> Option<&Object<'static>> {
        self.find("ServiceAccount", namespace, name)
    }
}

/// Reads inputs and produces a [`Report`].
pub struct Evaluator<'s> {
    settings: &'s Settings,
    /// Which registry rules run, by registry position.
    enabled: Vec<bool>,
    cross: Vec<&'static dyn Rule>,
    findings: Vec<Finding>,
    errors: Vec<InputError>,
    inventory: Inventory,
    suppressions: HashMap<(String, usize, Option<usize>), Vec<Suppression>>,
    files: Vec<String>,
    documents: usize,
    objects: usize,
    /// Keep the inventory even when no cross-object rule runs (see
    /// [`Evaluator::keep_inventory`]).
    keep_inventory: bool,
}

impl<'s> Evaluator<'s> {
    pub fn new(settings: &'s Settings) -> Self {
        let all = registry::rules();
        let enabled: Vec<bool> = all
            .iter()
            .map(|r| settings.rule_enabled(r.meta()))
            .collect();
        let cross = registry::cross_object_rules()
            .iter()
            .filter(|&&i| enabled[i])
            .map(|&i| all[i])
            .collect();
        Evaluator {
            settings,
            enabled,
            cross,
            findings: vec![],
            errors: vec![],
            inventory: Inventory::default(),
            suppressions: HashMap::new(),
            files: vec![],
            documents: 0,
            objects: 0,
            keep_inventory: false,
        }
    }

    /// Keep the inventory of the inputs (for [`Evaluator::into_inventory`]) even when the
    /// settings enable no cross-object rule. Call before adding inputs.
    pub fn keep_inventory(&mut self) {
        self.keep_inventory = true;
    }

    /// Add raw bytes (a file, stdin). Rejects UTF-16 and invalid UTF-8 with a clear error.
    pub fn add_bytes(&mut self, file: &str, bytes: &[u8]) {
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            self.files.push(file.to_string());
            self.error(
                file,
                1,
                1,
                "input is UTF-16 (byte-order mark found); save it as UTF-8".into(),
            );
            return;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => self.add_source(file, text),
            Err(e) => {
                let valid = &bytes[..e.valid_up_to()];
                let line = valid.iter().filter(|b| **b == b'\n').count() as u32 + 1;
                let col = valid.iter().rev().take_while(|b| **b != b'\n').count() as u32 + 1;
                self.files.push(file.to_string());
                self.error(file, line, col, "input is not valid UTF-8".into());
            }
        }
    }

    fn error(&mut self, file: &str, line: u32, column: u32, message: String) {
        self.errors.push(InputError {
            file: file.to_string(),
            line,
            column,
            message,
        });
    }

    /// Add one input text (a file's contents). Its documents are evaluated as they are read.
    pub fn add_source(&mut self, file: &str, text: &str) {
        self.add_source_inspect(file, text, &mut |_| {});
    }

    /// [`Evaluator::add_source`], showing each object to `inspect` before it is evaluated (for
    /// callers that need something from the object too, without parsing it a second time).
    pub fn add_source_inspect(
        &mut self,
        file: &str,
        text: &str,
        inspect: &mut dyn FnMut(&Object<'_>),
    ) {
        self.files.push(file.to_string());
        let file_arc: Arc<str> = file.into();
        let limits = self.settings.limits;
        yaml::parse_documents(text, &limits, |doc| match doc {
            Ok(doc) => {
                self.documents += 1;
                self.add_document(&file_arc, doc.index, doc.root, inspect);
            }
            Err(e) => self.errors.push(InputError::from_parse(file, e)),
        });
    }

    fn add_document(
        &mut self,
        file: &Arc<str>,
        index: usize,
        root: Node<'_>,
        inspect: &mut dyn FnMut(&Object<'_>),
    ) {
        let is_list = root.get("kind").and_then(Node::as_str).is_some_and(|k| {
            k == "List" || (k.ends_with("List") && root.get("items").is_some_and(Node::is_seq))
        });
        if is_list {
            if let yaml::Value::Map(entries) = root.value {
                for e in entries {
                    if e.key.as_scalar() == Some("items") {
                        if let yaml::Value::Seq(items) = e.value.value {
                            for (i, item) in items.into_iter().enumerate() {
                                if let Some(obj) = Object::new(file.clone(), index, Some(i), item) {
                                    inspect(&obj);
                                    self.add_object(obj);
                                }
                            }
                        }
                    }
                }
            }
        } else if let Some(obj) = Object::new(file.clone(), index, None, root) {
            inspect(&obj);
            self.add_object(obj);
        }
    }

    /// Evaluate one object with the per-object rules and keep what cross-object rules need.
    pub fn add_object(&mut self, obj: Object<'_>) {
        self.objects += 1;
        if self.settings.namespace_exempt(obj.namespace()) {
            return;
        }
        let start = self.findings.len();
        let all = registry::rules();
        for i in registry::rules_for_kind(obj.kind()) {
            if self.enabled[i] {
                let rule = all[i];
                let mut cx = Ctx::new(rule.meta(), &mut self.findings);
                rule.check(&obj, &mut cx);
            }
        }
        if self.settings.honor_suppression_annotations {
            if let Some(value) = obj.annotation(IGNORE_ANNOTATION) {
                let (sups, errs) = parse_suppressions(value);
                let at = obj
                    .root
                    .at(&["metadata", "annotations", IGNORE_ANNOTATION])
                    .map(|n| obj.locate(n))
                    .unwrap_or_default();
                for e in errs {
                    self.error(&obj.file, at.line, at.column, e);
                }
                for f in &mut self.findings[start..] {
                    apply_suppression(f, &sups);
                }
                self.suppressions
                    .insert((obj.file.to_string(), obj.document, obj.item), sups);
            }
        }
        self.collect(obj);
    }

    fn collect(&mut self, obj: Object<'_>) {
        if self.cross.is_empty() && !self.keep_inventory {
            return;
        }
        let kind = obj.kind();
        if workload::WORKLOAD_KINDS.contains(&kind) {
            if let Some(spec) = workload::pod_spec(&obj) {
                let sa_node = spec
                    .get("serviceAccountName")
                    .or_else(|| spec.get("serviceAccount"));
                let automount_node = spec.get("automountServiceAccountToken");
                let w = Workload {
                    object: obj.oref.clone(),
                    namespace: ns_or_default(&obj).to_string(),
                    service_account: workload::service_account_name(spec).to_string(),
                    automount: automount_node.and_then(Node::as_bool),
                    location: obj.locate(sa_node.unwrap_or(spec)),
                    automount_location: automount_node.map(|n| obj.locate(n)),
                    automount_off: match automount_node {
                        Some(n) if n.as_bool() == Some(true) => {
                            crate::fix::Edit::replace_scalar(n, "false")
                        }
                        Some(_) => None,
                        None => spec.entries().first().and_then(|first| {
                            crate::fix::insert_entry_before(
                                spec,
                                &first.key,
                                "automountServiceAccountToken: false",
                            )
                        }),
                    },
                    secrets: workload::secret_uses(spec)
                        .into_iter()
                        .map(|u| WorkloadSecret {
                            name: u.name.to_string(),
                            optional: u.optional,
                            how: u.how,
                            location: obj.locate(u.node),
                        })
                        .collect(),
                };
                self.inventory.workloads.push(w);
            }
        } else if kind == "Secret" {
            let info = SecretInfo {
                object: obj.oref.clone(),
                namespace: ns_or_default(&obj).to_string(),
                secret_type: obj
                    .root
                    .get("type")
                    .and_then(Node::as_str)
                    .unwrap_or("Opaque")
                    .to_string(),
                service_account: obj
                    .annotation("kubernetes.io/service-account.name")
                    .map(str::to_string),
                location: obj.locate(&obj.root),
            };
            self.inventory.secrets.push(info);
        } else if RETAINED_KINDS.contains(&kind) {
            self.inventory.objects.push(obj.into_owned());
        }
    }

    /// The inventory of every input added so far (RBAC objects, ServiceAccounts, workload and
    /// Secret summaries) and the input errors, without running the cross-object rules: for
    /// questions about the whole input such as [`crate::k8s::who_can`]. Objects of exempt
    /// namespaces are left out; when the settings enable no cross-object rule, call
    /// [`Evaluator::keep_inventory`] first.
    pub fn into_inventory(self) -> (Inventory, Vec<InputError>) {
        (self.inventory, self.errors)
    }

    /// Run cross-object rules and build the report.
    pub fn finish(mut self) -> Report {
        let start = self.findings.len();
        let access = Access::new(&self.inventory);
        for rule in &self.cross {
            let mut cx = Ctx::new(rule.meta(), &mut self.findings);
            rule.check_inventory(&self.inventory, &access, &mut cx);
        }
        drop(access);
        if !self.suppressions.is_empty() {
            for f in &mut self.findings[start..] {
                if let Some(sups) = self.suppressions.get(&(f.file.clone(), f.document, f.item)) {
                    apply_suppression(f, sups);
                }
            }
        }
        let settings = self.settings;
        let order: HashMap<&str, usize> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.as_str(), i))
            .collect();
        let kept: Vec<Finding> = self
            .findings
            .into_iter()
            .filter(|f| {
                !f.object
                    .namespace
                    .as_deref()
                    .is_some_and(|ns| settings.namespace_exempt(ns))
            })
            .map(|mut f| {
                f.severity = settings.severity_for(f.rule, f.severity);
                f
            })
            .filter(|f| f.severity >= settings.min_severity)
            .collect();
        // Sort small keys (file input order, line, column, rule, message) rather than the large
        // findings themselves; the position last keeps equal keys in report order, as a stable
        // sort would.
        let mut keys: Vec<(usize, u32, u32, &str, &str, usize)> = kept
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let file = order.get(f.file.as_str()).copied().unwrap_or(usize::MAX);
                (file, f.line, f.column, f.rule, f.message.as_str(), i)
            })
            .collect();
        keys.sort_unstable();
        let positions: Vec<usize> = keys.into_iter().map(|k| k.5).collect();
        let mut slots: Vec<Option<Finding>> = kept.into_iter().map(Some).collect();
        let mut findings: Vec<Finding> = positions
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take))
            .collect();
        findings.dedup_by(|a, b| {
            a.rule == b.rule && a.file == b.file && a.path == b.path && a.message == b.message
        });
        let mut summary = Summary {
            files: self.files.len(),
            documents: self.documents,
            objects: self.objects,
            errors: self.errors.len(),
            ..Summary::default()
        };
        for s in Severity::ALL {
            summary.by_severity.insert(s, 0);
        }
        for f in &findings {
            if f.suppressed {
                summary.suppressed += 1;
            } else {
                summary.findings += 1;
                *summary.by_severity.entry(f.severity).or_default() += 1;
                summary.max_severity = summary.max_severity.max(Some(f.severity));
            }
        }
        Report {
            findings,
            errors: self.errors,
            summary,
        }
    }
}

fn apply_suppression(f: &mut Finding, sups: &[Suppression]) {
    if let Some(s) = sups.iter().find(|s| s.rule == f.rule) {
        f.suppressed = true;
        f.suppression_reason = Some(s.reason.clone());
    }
}

/// Evaluate named texts in one go.
pub fn evaluate(inputs: &[(&str, &str)], settings: &Settings) -> Report {
    let mut ev = Evaluator::new(settings);
    for (name, text) in inputs {
        ev.add_source(name, text);
    }
    ev.finish()
}
