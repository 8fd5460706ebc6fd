//! The rules, one per file, grouped by catalog prefix.

pub mod api;
pub mod aud;
pub mod enc;
pub mod obj;
pub mod rbac;
pub mod rbg;
pub mod wl;

/// What every rule file needs.
pub mod prelude {
    pub use crate::declare_rule;
    pub use crate::engine::{ns_or_default, Inventory};
    pub use crate::finding::Severity;
    pub use crate::fix::{insert_entry_before, Edit, Fix};
    pub use crate::k8s::access::Access;
    pub use crate::object::Object;
    pub use crate::rule::{Ctx, Rule};
    pub use crate::rule_meta;
    pub use crate::yaml::Node;
}
