//! The rule interface, rule metadata and the `declare_rule!` macro (one rule per file, in the style
//! of ruff and oxc: the doc comment *is* the rule's documentation).

use std::borrow::Cow;

use crate::engine::Inventory;
use crate::finding::{Area, Finding, Location, ObjectRef, Severity};
use crate::k8s::access::Access;
use crate::object::Object;
use crate::yaml::Node;

/// What a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleInput {
    /// Kubernetes manifests (`secrets-guard scan`, the admission policy, the playground editor).
    Manifests,
    /// `audit.k8s.io/v1` Events (`secrets-guard audit-log`); see
    /// [`crate::audit_events::rules`]. Such rules never run on manifests.
    AuditEvents,
}

/// Everything known about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id from the catalog, e.g. `RBAC-001`. Never reused.
    pub id: &'static str,
    /// Rust type name, e.g. `SecretListWatch` (used in docs).
    pub name: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub area: Area,
    /// CIS Kubernetes Benchmark ids (kube-bench cis-1.12 numbering).
    pub cis: &'static [&'static str],
    /// Equivalent checks of other tools (for the corpus mapping and docs).
    pub peers: &'static [&'static str],
    /// One-line fix, shown as `help:`.
    pub remediation: &'static str,
    /// Object kinds the per-object check looks at; empty for cross-object rules (and for
    /// audit event rules).
    pub kinds: &'static [&'static str],
    /// What the rule reads.
    pub input: RuleInput,
    /// The doc comment (markdown; one leading space per line, as rustc stores it).
    pub raw_doc: &'static str,
    /// Inputs on which the rule must stay silent (only in the core's test build).
    pub pass: &'static [&'static str],
    /// Inputs on which the rule must fire (only in the core's test build). Lines ending in
    /// `# <-` must be exactly the lines reported.
    pub fail: &'static [&'static str],
}

impl RuleMeta {
    /// The rule's documentation as markdown.
    pub fn doc(&self) -> String {
        let mut out = String::with_capacity(self.raw_doc.len());
        for line in self.raw_doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }

    /// The full `explain` text: header, metadata, documentation.
    pub fn explain(&self) -> String {
        let mut s = format!(
            "# {} {}\n\n- Severity: {}\n- Area: {}\n",
            self.id, self.title, self.severity, self.area
        );
        if !self.cis.is_empty() {
            s += &format!("- CIS Kubernetes Benchmark: {}\n", self.cis.join(", "));
        }
        if !self.peers.is_empty() {
            s += &format!("- Peer checks: {}\n", self.peers.join("; "));
        }
        if self.input == RuleInput::AuditEvents {
            s += "- Looks at: audit events (`secrets-guard audit-log`)\n";
        } else if !self.kinds.is_empty() {
            s += &format!("- Looks at: {}\n", self.kinds.join(", "));
        } else {
            s += "- Looks at: the whole input (cross-object)\n";
        }
        s += &format!("- Fix: {}\n\n", self.remediation);
        s += &self.doc();
        s.push('\n');
        s
    }

    /// A manifest rule that looks at the whole input rather than one object.
    pub fn is_cross_object(&self) -> bool {
        self.kinds.is_empty() && self.input == RuleInput::Manifests
    }
}

/// A rule. Per-object rules implement [`Rule::check`]; cross-object rules implement
/// [`Rule::check_inventory`], which runs once after every input was read; `access` holds the
/// inventory's resolved bindings and grants, computed once and shared by all cross-object rules.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    fn check(&self, _obj: &Object<'_>, _cx: &mut Ctx<'_>) {}

    fn check_inventory(&self, _inv: &Inventory, _access: &Access<'_>, _cx: &mut Ctx<'_>) {}
}

/// What a rule reports into.
pub struct Ctx<'r> {
    pub(crate) meta: &'static RuleMeta,
    pub(crate) out: &'r mut Vec<Finding>,
}

impl<'r> Ctx<'r> {
    pub fn new(meta: &'static RuleMeta, out: &'r mut Vec<Finding>) -> Self {
        Ctx { meta, out }
    }

    /// Report a finding at `at` (a key or value node inside `obj`).
    pub fn report(
        &mut self,
        obj: &Object<'_>,
        at: &Node<'_>,
        message: impl Into<String>,
    ) -> &mut Finding {
        let loc = obj.locate(at);
        self.report_at(loc, &obj.oref, message)
    }

    /// Report at an explicit location (cross-object rules).
    pub fn report_at(
        &mut self,
        loc: Location,
        object: &ObjectRef,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.out.push(Finding {
            rule: self.meta.id,
            title: self.meta.title,
            severity: self.meta.severity,
            area: self.meta.area,
            message: message.into(),
            file: loc.file,
            line: loc.line,
            column: loc.column,
            end_line: loc.end_line,
            end_column: loc.end_column,
            path: loc.path,
            document: loc.document,
            object: object.clone(),
            remediation: Cow::Borrowed(self.meta.remediation),
            suppressed: false,
            suppression_reason: None,
            fix: None,
            item: loc.item,
        });
        self.out.last_mut().expect("just pushed")
    }
}

/// Declares a rule: its doc comment, metadata and inline pass/fail cases.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct SecretListWatch;
///     id: "RBAC-001",
///     title: "Role grants list or watch on Secrets",
///     severity: High,
///     area: AccessControl,
///     cis: ["5.1.2"],
///     peers: ["KY restrict-secret-role-verbs"],
///     remediation: "Grant `get` with `resourceNames` instead.",
///     kinds: ["Role", "ClusterRole"], // or a constant such as `WORKLOAD_KINDS`
///     // input: AuditEvents, // for the audit event rules (default: Manifests)
///     pass: [r#"..."#],
///     fail: [r#"..."#],
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident;
        id: $id:literal,
        title: $title:literal,
        severity: $sev:ident,
        area: $area:ident,
        cis: [$($cis:literal),* $(,)?],
        peers: [$($peer:literal),* $(,)?],
        remediation: $rem:literal,
        kinds: $kinds:expr,
        $(input: $input:ident,)?
        pass: [$($pass:expr),* $(,)?],
        fail: [$($fail:expr),* $(,)?] $(,)?
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                id: $id,
                name: stringify!($name),
                title: $title,
                severity: $crate::finding::Severity::$sev,
                area: $crate::finding::Area::$area,
                cis: &[$($cis),*],
                peers: &[$($peer),*],
                remediation: $rem,
                kinds: &$kinds,
                input: $crate::__rule_input!($($input)?),
                // Without the `rule-docs` feature (the Kubewarden policy's Wasm) the docs are
                // left out of the binary; the inline cases are only in the core's own test
                // build (the registry test runs them), never in the CLI or the playground.
                raw_doc: if cfg!(feature = "rule-docs") { concat!($($doc, "\n"),*) } else { "" },
                pass: if cfg!(test) { &[$($pass),*] } else { &[] },
                fail: if cfg!(test) { &[$($fail),*] } else { &[] },
            };
        }
    };
}

/// The `input:` of [`declare_rule!`]: `Manifests` unless given.
#[doc(hidden)]
#[macro_export]
macro_rules! __rule_input {
    () => {
        $crate::rule::RuleInput::Manifests
    };
    ($input:ident) => {
        $crate::rule::RuleInput::$input
    };
}

/// Implements `Rule::meta` for a type declared with [`declare_rule!`].
#[macro_export]
macro_rules! rule_meta {
    () => {
        fn meta(&self) -> &'static $crate::rule::RuleMeta {
            &Self::META
        }
    };
}
