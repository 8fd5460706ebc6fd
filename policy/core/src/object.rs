//! Kubernetes objects read from the input, with their origin.

use std::sync::Arc;

use crate::finding::{Location, ObjectRef};
use crate::yaml::{Node, Span};

/// One Kubernetes object (a document, or one item of a `kind: List`).
#[derive(Debug, Clone)]
pub struct Object<'a> {
    pub file: Arc<str>,
    /// Index of the document in its file.
    pub document: usize,
    /// Index in the enclosing `kind: List`, if any.
    pub item: Option<usize>,
    pub root: Node<'a>,
    pub oref: ObjectRef,
}

impl<'a> Object<'a> {
    /// Builds an object from a document root, or `None` for documents that are not Kubernetes
    /// objects (no string `apiVersion` and `kind`).
    pub fn new(
        file: Arc<str>,
        document: usize,
        item: Option<usize>,
        root: Node<'a>,
    ) -> Option<Self> {
        let api_version = root.get("apiVersion")?.as_str()?.to_string();
        let kind = root.get("kind")?.as_str()?.to_string();
        let meta = root.get("metadata");
        let name = meta
            .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
            .and_then(Node::as_str)
            .map(str::to_string);
        let namespace = meta
            .and_then(|m| m.get("namespace"))
            .and_then(Node::as_str)
            .map(str::to_string);
        Some(Object {
            file,
            document,
            item,
            root,
            oref: ObjectRef {
                api_version,
                kind,
                namespace,
                name,
            },
        })
    }

    pub fn kind(&self) -> &str {
        &self.oref.kind
    }

    pub fn api_version(&self) -> &str {
        &self.oref.api_version
    }

    /// The API group (`rbac.authorization.k8s.io`), empty for the core group.
    pub fn group(&self) -> &str {
        match self.oref.api_version.rsplit_once('/') {
            Some((g, _)) => g,
            None => "",
        }
    }

    pub fn name(&self) -> &str {
        self.oref.name.as_deref().unwrap_or("")
    }

    /// The namespace as written (empty when absent).
    pub fn namespace(&self) -> &str {
        self.oref.namespace.as_deref().unwrap_or("")
    }

    pub fn metadata(&self) -> Option<&Node<'a>> {
        self.root.get("metadata")
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.root.at(&["metadata", "annotations", key])?.as_str()
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.root.at(&["metadata", "labels", key])?.as_str()
    }

    /// JSON pointer of the object inside its document (`/items/3` for List items).
    pub fn base_path(&self) -> String {
        match self.item {
            Some(i) => format!("/items/{i}"),
            None => String::new(),
        }
    }

    /// Location of `node`, which must be inside this object (found by address; a node that is
    /// not is reported at the object root).
    pub fn locate(&self, node: &Node<'_>) -> Location {
        let rel = self.root.path_of(node).unwrap_or_default();
        self.location(node.span, rel)
    }

    /// Location of a JSON pointer inside the object (the source map), if it exists.
    pub fn locate_pointer(&self, pointer: &str) -> Option<Location> {
        let node = self.root.pointer(pointer)?;
        Some(self.location(node.span, pointer.to_string()))
    }

    fn location(&self, span: Span, rel: String) -> Location {
        Location {
            file: self.file.to_string(),
            document: self.document,
            item: self.item,
            line: span.line,
            column: span.col,
            end_line: span.end_line,
            end_column: span.end_col,
            path: self.base_path() + &rel,
        }
    }

    pub fn into_owned(self) -> Object<'static> {
        Object {
            file: self.file,
            document: self.document,
            item: self.item,
            root: self.root.into_owned(),
            oref: self.oref,
        }
    }
}
