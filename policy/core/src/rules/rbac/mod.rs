//! RBAC, one object at a time (catalog section A.3).

use crate::rule::Rule;

mod rbac001_list_watch_secrets;

pub use rbac001_list_watch_secrets::ListWatchSecrets;

pub static RULES: &[&dyn Rule] = &[&ListWatchSecrets];
