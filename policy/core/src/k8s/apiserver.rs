//! kube-apiserver command lines in Pod specs (static Pod manifests such as kubeadm's
//! `/etc/kubernetes/manifests/kube-apiserver.yaml`, and the workload kinds hosted control planes use).
//!
//! [`find`] returns one [`ApiServerFlags`] per container that runs kube-apiserver. Flags are read
//! from `command` and then `args` (the order the kubelet passes them), in the `--flag=value` and
//! `--flag value` forms, the way `spf13/pflag` parses them:
//! - a repeated flag: the last occurrence wins for scalar flags ([`ApiServerFlags::get`]); list flags
//!   (`--authorization-mode`, `--enable-admission-plugins`, `--feature-gates`, ...) accumulate across
//!   occurrences ([`ApiServerFlags::list`]);
//! - a boolean flag never takes the next element as its value (`--anonymous-auth false` sets `true`,
//!   and kube-apiserver then refuses the stray `false` argument); the stray element is kept in
//!   [`Flag::ignored_value`];
//! - any other flag written without `=` takes the next element when it does not start with `-`
//!   (or is exactly `-`, as in `--audit-log-path -`); otherwise it is bare and reads as `true`;
//! - `--` ends the flags; single-dash tokens are not flags.
//!
//! A `command` element with spaces that contains the kube-apiserver executable (`sh -c
//! "kube-apiserver --a=b ..."`) is split on whitespace, with surrounding quotes removed from each
//! word; all its words point at that element. Scalars of any type are read as text, so `- 30` in
//! `args` is the value `30`.

use crate::k8s::workload::{self, ContainerList};
use crate::object::Object;
use crate::yaml::Node;

/// kube-apiserver flags whose type is `bool` (they never consume the next element).
pub const BOOL_FLAGS: &[&str] = &[
    "anonymous-auth",
    "allow-privileged",
    "audit-log-compress",
    "audit-log-batch-throttle-enable",
    "audit-log-truncate-enabled",
    "audit-webhook-batch-throttle-enable",
    "audit-webhook-truncate-enabled",
    "contention-profiling",
    "enable-aggregator-routing",
    "enable-bootstrap-token-auth",
    "enable-garbage-collector",
    "enable-logs-handler",
    "enable-priority-and-fairness",
    "encryption-provider-config-automatic-reload",
    "profiling",
    "service-account-extend-token-expiration",
    "service-account-lookup",
    "watch-cache",
    "alsologtostderr",
    "logtostderr",
    "add-dir-header",
    "skip-headers",
    "skip-log-headers",
];

/// One occurrence of a `--flag` on the command line.
#[derive(Debug, Clone)]
pub struct Flag<'o, 'a> {
    /// The name without the leading `--`.
    pub name: String,
    /// The value as written (`None` for a bare `--flag`).
    pub value: Option<String>,
    /// The element that holds the flag name.
    pub node: &'o Node<'a>,
    /// The element that holds the value (the flag's own element for `--flag=value` and bare flags).
    pub value_node: &'o Node<'a>,
    /// Whether the flag came from `args` (else from `command`).
    pub in_args: bool,
    /// For a boolean flag followed by a separate `true`/`false` element: that element, which
    /// pflag does not read as the value.
    pub ignored_value: Option<(String, &'o Node<'a>)>,
}

impl<'o, 'a> Flag<'o, 'a> {
    /// The effective text: the value, or `true` for a bare flag.
    pub fn text(&self) -> &str {
        self.value.as_deref().unwrap_or("true")
    }

    /// The value as a Go `strconv.ParseBool` reads it (`None` when it is not a boolean).
    pub fn as_bool(&self) -> Option<bool> {
        parse_go_bool(self.text())
    }

    /// The comma-separated items of the value, trimmed, empty items dropped.
    pub fn items(&self) -> Vec<&str> {
        split_list(self.text())
    }
}

/// A mount that covers a path inside the container.
#[derive(Debug, Clone)]
pub struct Mount<'o, 'a> {
    /// The `volumeMounts` item.
    pub node: &'o Node<'a>,
    pub mount_path: &'o str,
    /// `readOnly: true` on the volumeMount, or a volume type the kubelet always mounts read-only.
    pub read_only: bool,
    /// The `volumes` item the mount refers to (by name), if it exists.
    pub volume: Option<&'o Node<'a>>,
    /// The volume source (`hostPath`, `secret`, `configMap`, ...), if the volume exists.
    pub source: Option<&'o str>,
}

impl Mount<'_, '_> {
    /// Whether the data outlives the Pod (a host directory or a persistent volume).
    pub fn is_persistent(&self) -> bool {
        matches!(self.source, Some("hostPath" | "persistentVolumeClaim"))
    }
}

/// The flags of one kube-apiserver container.
#[derive(Debug, Clone)]
pub struct ApiServerFlags<'o, 'a> {
    /// The Pod spec that holds the container.
    pub spec: &'o Node<'a>,
    pub container: &'o Node<'a>,
    pub list: ContainerList,
    pub flags: Vec<Flag<'o, 'a>>,
}

/// Every container of a workload object that runs kube-apiserver, with its parsed flags.
///
/// A container runs kube-apiserver when a `command` element is the `kube-apiserver` executable
/// (any directory; also `hyperkube apiserver`, and inside an `sh -c` string), or when its `name`
/// or the last path segment of its `image` starts with `kube-apiserver`
/// (`registry.k8s.io/kube-apiserver:v1.31.0`, `kube-apiserver-amd64`; not
/// `cluster-kube-apiserver-operator`).
pub fn find<'o, 'a>(obj: &'o Object<'a>) -> Vec<ApiServerFlags<'o, 'a>> {
    let Some(spec) = workload::pod_spec(obj) else {
        return vec![];
    };
    workload::containers(spec)
        .filter(|(_, c)| is_apiserver_container(c))
        .map(|(list, c)| ApiServerFlags {
            spec,
            container: c,
            list,
            flags: parse_container(c),
        })
        .collect()
}

/// Whether a container runs kube-apiserver (see [`find`]).
pub fn is_apiserver_container(c: &Node<'_>) -> bool {
    let cmd: Vec<&str> = c
        .get("command")
        .map(|n| n.str_items().map(|(s, _)| s).collect())
        .unwrap_or_default();
    for (i, s) in cmd.iter().enumerate() {
        if is_apiserver_exe(s) {
            return true;
        }
        if basename(s) == "hyperkube"
            && matches!(cmd.get(i + 1), Some(&"apiserver" | &"kube-apiserver"))
        {
            return true;
        }
        if s.contains(char::is_whitespace) && shell_words(s).any(|w| is_apiserver_exe(&w)) {
            return true;
        }
    }
    if c.get("name")
        .and_then(Node::as_str)
        .is_some_and(|n| n.starts_with("kube-apiserver"))
    {
        return true;
    }
    c.get("image")
        .and_then(Node::as_str)
        .is_some_and(|i| image_name(i).starts_with("kube-apiserver"))
}

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

fn is_apiserver_exe(s: &str) -> bool {
    basename(s) == "kube-apiserver"
}

/// The last path segment of an image reference, without tag or digest.
fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = basename(no_digest);
    last.split(':').next().unwrap_or(last)
}

fn strip_quotes(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

fn shell_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split_whitespace().map(|w| {
        let w = strip_quotes(w);
        match w.split_once('=') {
            Some((k, v)) if k.starts_with("--") => format!("{k}={}", strip_quotes(v)),
            _ => w.to_string(),
        }
    })
}

/// Parse the flags of a container (`command`, then `args`).
pub fn parse_container<'o, 'a>(c: &'o Node<'a>) -> Vec<Flag<'o, 'a>> {
    let mut tokens: Vec<(String, &'o Node<'a>, bool)> = vec![];
    for (field, in_args) in [("command", false), ("args", true)] {
        for n in c.get(field).map(Node::items).unwrap_or_default() {
            let Some(s) = n.as_str() else { continue };
            if !in_args
                && s.contains(char::is_whitespace)
                && shell_words(s).any(|w| is_apiserver_exe(&w))
            {
                tokens.extend(shell_words(s).map(|w| (w, n, in_args)));
            } else {
                tokens.push((s.to_string(), n, in_args));
            }
        }
    }
    parse_tokens(&tokens)
}

fn parse_tokens<'o, 'a>(tokens: &[(String, &'o Node<'a>, bool)]) -> Vec<Flag<'o, 'a>> {
    let mut flags = vec![];
    let mut i = 0;
    while i < tokens.len() {
        let (tok, node, in_args) = &tokens[i];
        i += 1;
        if tok == "--" {
            break;
        }
        let Some(body) = tok.strip_prefix("--") else {
            continue;
        };
        if body.is_empty() || body.starts_with('-') {
            continue;
        }
        let mut flag = Flag {
            name: String::new(),
            value: None,
            node,
            value_node: node,
            in_args: *in_args,
            ignored_value: None,
        };
        if let Some((name, value)) = body.split_once('=') {
            flag.name = name.to_string();
            flag.value = Some(value.to_string());
        } else {
            flag.name = body.to_string();
            if let Some((next, next_node, _)) = tokens.get(i) {
                if BOOL_FLAGS.contains(&body) {
                    if parse_go_bool(next).is_some() {
                        flag.ignored_value = Some((next.clone(), next_node));
                    }
                } else if !next.starts_with('-') || next == "-" {
                    flag.value = Some(next.clone());
                    flag.value_node = next_node;
                    i += 1;
                }
            }
        }
        flags.push(flag);
    }
    flags
}

/// Go's `strconv.ParseBool`, which pflag uses for boolean flags.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Split a comma-separated flag value (`Node,RBAC`), trimming items and dropping empty ones.
pub fn split_list(s: &str) -> Vec<&str> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

/// Normalise an absolute path for prefix comparison: no trailing `/`, no `//`, no `.` segments.
fn normalize(path: &str) -> String {
    let mut out = String::new();
    for seg in path.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        out.push('/');
        out.push_str(seg);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

fn covers(mount_path: &str, path: &str) -> bool {
    let (m, p) = (normalize(mount_path), normalize(path));
    m == "/" || p == m || p.strip_prefix(&m).is_some_and(|rest| rest.starts_with('/'))
}

impl<'o, 'a> ApiServerFlags<'o, 'a> {
    /// The container's name, or `?`.
    pub fn name(&self) -> &'o str {
        workload::container_name(self.container)
    }

    /// `kube-apiserver in Pod `x`` (with the container name when it is not `kube-apiserver`),
    /// for messages.
    pub fn subject(&self, obj: &Object<'_>) -> String {
        let name = self.name();
        if name == "kube-apiserver" {
            format!("kube-apiserver in {} `{}`", obj.kind(), obj.name())
        } else {
            format!(
                "kube-apiserver (container `{name}`) in {} `{}`",
                obj.kind(),
                obj.name()
            )
        }
    }

    /// The last occurrence of `--name`.
    pub fn get(&self, name: &str) -> Option<&Flag<'o, 'a>> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// Every occurrence of `--name`, in order.
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Flag<'o, 'a>> + 's {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// The last occurrence of `--name` when it carries a non-blank value (`--name=` and a bare
    /// `--name` count as unset for path-like flags).
    pub fn set(&self, name: &str) -> Option<&Flag<'o, 'a>> {
        self.get(name)
            .filter(|f| f.value.as_deref().is_some_and(|v| !v.trim().is_empty()))
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The effective value of `--name` (last occurrence; `true` when bare).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(Flag::text)
    }

    /// Every value given to `--name` (one per occurrence).
    pub fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.all(name).map(Flag::text)
    }

    /// The comma-separated items of a list flag across all its occurrences (pflag's
    /// `StringSlice` and `MapStringBool` accumulate), with the flag each came from.
    pub fn list<'s>(&'s self, name: &str) -> Vec<(&'s str, &'s Flag<'o, 'a>)> {
        self.flags
            .iter()
            .filter(|f| f.name == name)
            .flat_map(|f| f.items().into_iter().map(move |i| (i, f)))
            .collect()
    }

    /// Where to report a missing flag: the `command` key (or the `args` key when only `args`
    /// holds flags), else the container itself.
    pub fn anchor(&self) -> &'o Node<'a> {
        let c = self.container;
        let only_args = !self.flags.is_empty() && self.flags.iter().all(|f| f.in_args);
        let keys: [&str; 2] = if only_args {
            ["args", "command"]
        } else {
            ["command", "args"]
        };
        keys.iter().find_map(|k| c.key_node(k)).unwrap_or(c)
    }

    /// The volume mount of this container that covers `path` (the deepest one), for absolute
    /// paths. Relative paths and paths outside every mount give `None`.
    pub fn mount_for(&self, path: &str) -> Option<Mount<'o, 'a>> {
        if !path.starts_with('/') {
            return None;
        }
        let mut best: Option<Mount<'o, 'a>> = None;
        for m in self
            .container
            .get("volumeMounts")
            .map(Node::items)
            .unwrap_or_default()
        {
            let Some(mp) = m.get("mountPath").and_then(Node::as_str) else {
                continue;
            };
            if !mp.starts_with('/') || !covers(mp, path) {
                continue;
            }
            if best
                .as_ref()
                .is_some_and(|b| normalize(b.mount_path).len() >= normalize(mp).len())
            {
                continue;
            }
            let vol_name = m.get("name").and_then(Node::as_str);
            let volume = vol_name.and_then(|vn| {
                self.spec
                    .get("volumes")
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .rev()
                    .find(|v| v.get("name").and_then(Node::as_str) == Some(vn))
            });
            let source = volume.and_then(|v| {
                v.entries()
                    .iter()
                    .filter_map(|e| e.key.as_str())
                    .find(|k| *k != "name")
            });
            let read_only = m.get("readOnly").and_then(Node::as_bool) == Some(true)
                || matches!(
                    source,
                    Some("secret" | "configMap" | "projected" | "downwardAPI")
                );
            best = Some(Mount {
                node: m,
                mount_path: mp,
                read_only,
                volume,
                source,
            });
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse_documents, Limits};

    fn with_flags<R>(yaml: &str, f: impl FnOnce(Vec<ApiServerFlags<'_, '_>>) -> R) -> R {
        let mut roots = vec![];
        parse_documents(yaml, &Limits::default(), |d| {
            roots.push(d.expect("parses").root);
        });
        let root = roots.into_iter().next().expect("one document");
        let obj = Object::new("t.yaml".into(), 0, None, root).expect("object");
        f(find(&obj))
    }

    fn pod(container: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: kube-apiserver, namespace: kube-system}}\nspec:\n  containers:\n{container}"
        )
    }

    #[test]
    fn both_forms_command_and_args() {
        let y = pod(r#"    - name: api
      image: example.com/whatever:1
      command: [/usr/local/bin/kube-apiserver, --encryption-provider-config=/etc/enc.yaml, --audit-log-path, /var/log/audit.log]
      args:
        - --audit-log-maxage
        - 30
        - "--authorization-mode=Node,RBAC"
        - --profiling
"#);
        with_flags(&y, |found| {
            assert_eq!(found.len(), 1);
            let a = &found[0];
            assert_eq!(a.value("encryption-provider-config"), Some("/etc/enc.yaml"));
            assert_eq!(a.value("audit-log-path"), Some("/var/log/audit.log"));
            assert_eq!(a.value("audit-log-maxage"), Some("30"));
            assert!(a.get("audit-log-maxage").is_some_and(|f| f.in_args));
            assert!(!a.get("audit-log-path").is_some_and(|f| f.in_args));
            let modes: Vec<&str> = a.list("authorization-mode").iter().map(|x| x.0).collect();
            assert_eq!(modes, ["Node", "RBAC"]);
            assert_eq!(a.value("profiling"), Some("true"));
            assert_eq!(a.get("profiling").and_then(|f| f.value.as_deref()), None);
            assert_eq!(a.anchor().as_str(), Some("command"));
            // the value node of `--audit-log-maxage 30` is the `30` element
            assert_eq!(
                a.get("audit-log-maxage").map(|f| f.value_node.span.line),
                Some(11)
            );
        });
    }

    #[test]
    fn flag_at_end_repeats_and_terminator() {
        let y = pod(r#"    - name: kube-apiserver
      command: [kube-apiserver]
      args: ["--anonymous-auth=true", "--authorization-mode=Node", "--authorization-mode=RBAC",
             "--anonymous-auth=false", "--audit-log-path", "-", "--", "--token-auth-file=/x", "--etcd-cafile"]
"#);
        with_flags(&y, |found| {
            let a = &found[0];
            assert_eq!(a.value("anonymous-auth"), Some("false"));
            assert_eq!(a.values("anonymous-auth").count(), 2);
            let modes: Vec<&str> = a.list("authorization-mode").iter().map(|x| x.0).collect();
            assert_eq!(modes, ["Node", "RBAC"]);
            assert_eq!(a.value("audit-log-path"), Some("-"));
            assert!(!a.has("token-auth-file"), "flags after `--` are arguments");
            assert!(!a.has("etcd-cafile"));
            assert_eq!(a.anchor().as_str(), Some("args"));
        });
        let y = pod(r#"    - name: kube-apiserver
      command: [kube-apiserver, --etcd-cafile]
"#);
        with_flags(&y, |found| {
            assert_eq!(found[0].value("etcd-cafile"), Some("true"));
        });
    }

    #[test]
    fn bool_flags_do_not_take_the_next_element() {
        let y = pod(r#"    - name: kube-apiserver
      command: [kube-apiserver, --anonymous-auth, "false", --secure-port, "6443"]
"#);
        with_flags(&y, |found| {
            let a = &found[0];
            let f = a.get("anonymous-auth").expect("flag");
            assert_eq!(f.as_bool(), Some(true));
            assert_eq!(
                f.ignored_value.as_ref().map(|x| x.0.as_str()),
                Some("false")
            );
            assert_eq!(a.value("secure-port"), Some("6443"));
        });
    }

    #[test]
    fn shell_strings_and_quotes() {
        let y = pod(r#"    - name: apiserver
      image: busybox
      command: ["/bin/sh", "-c", "exec /usr/local/bin/kube-apiserver --audit-policy-file='/etc/k/audit.yaml' \"--token-auth-file=/t.csv\" --v 2"]
"#);
        with_flags(&y, |found| {
            let a = &found[0];
            assert_eq!(a.value("audit-policy-file"), Some("/etc/k/audit.yaml"));
            assert_eq!(a.value("token-auth-file"), Some("/t.csv"));
            assert_eq!(a.value("v"), Some("2"));
            assert!(!a.has("c"), "single-dash tokens are not flags");
        });
    }

    #[test]
    fn which_containers_run_the_apiserver() {
        let y = pod(r#"    - name: sidecar
      image: registry.k8s.io/kas-network-proxy/proxy-server:v0.30.0
    - name: operator
      image: quay.io/openshift/cluster-kube-apiserver-operator:4.16
    - name: x
      image: registry.k8s.io/kube-apiserver-amd64:v1.16.0@sha256:abc
    - name: kube-apiserver-main
      image: example.com/custom
    - name: hk
      command: [/hyperkube, apiserver, --anonymous-auth=false]
    - {name: wrong-types, command: 5, args: {a: b}}
    - name: etcd
      command: [etcd, --client-cert-auth=true]
"#);
        with_flags(&y, |found| {
            let names: Vec<&str> = found.iter().map(|a| a.name()).collect();
            assert_eq!(names, ["x", "kube-apiserver-main", "hk"]);
            assert_eq!(found[2].value("anonymous-auth"), Some("false"));
        });
    }

    #[test]
    fn mounts() {
        let y = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: kube-apiserver}
spec:
  template:
    spec:
      containers:
        - name: kube-apiserver
          command: [kube-apiserver]
          volumeMounts:
            - {name: k8s, mountPath: /etc/kubernetes/, readOnly: true}
            - {name: enc, mountPath: /etc/kubernetes/enc}
            - {name: cfg, mountPath: /etc/cfg}
            - {name: logs, mountPath: /var/log/kubernetes}
      volumes:
        - {name: k8s, hostPath: {path: /etc/kubernetes}}
        - {name: enc, hostPath: {path: /etc/kubernetes/enc, type: DirectoryOrCreate}}
        - {name: cfg, configMap: {name: cfg}}
        - {name: logs, emptyDir: {}}
"#;
        with_flags(y, |found| {
            let a = &found[0];
            let m = a.mount_for("/etc/kubernetes/enc/enc.yaml").expect("mount");
            assert_eq!(m.mount_path, "/etc/kubernetes/enc");
            assert_eq!(m.source, Some("hostPath"));
            assert!(!m.read_only);
            let m = a.mount_for("/etc/kubernetes/pki/ca.crt").expect("mount");
            assert!(m.read_only && m.is_persistent());
            let m = a.mount_for("/etc/cfg/a.yaml").expect("mount");
            assert!(m.read_only && !m.is_persistent());
            assert!(!a
                .mount_for("/var/log/kubernetes/audit.log")
                .is_some_and(|m| m.is_persistent()));
            assert!(a.mount_for("/etc/kubernetesx/a").is_none());
            assert!(a.mount_for("enc.yaml").is_none());
        });
    }

    #[test]
    fn hostile_shapes_do_not_panic() {
        let settings = crate::Settings {
            enable: vec!["apiserver".into()],
            ..Default::default()
        };
        for c in [
            "    - {name: kube-apiserver, command: 5, args: {a: b}, volumeMounts: x}\n",
            "    - {name: kube-apiserver, command: [[--a], {b: c}, null, ~], args: [--, --x]}\n",
            "    - {name: kube-apiserver, command: [kube-apiserver, --audit-log-path=/a, --encryption-provider-config=/e], volumeMounts: [{mountPath: 5}, {name: v, mountPath: /}, 7]}\n",
            "    - {image: 5, name: [x], command: [\"sh -c '' \\\"\"]}\n",
            "    - {name: kube-apiserver, command: [--=, ---x, --a=b=c, --feature-gates=KMSv1, --feature-gates==true]}\n",
        ] {
            let y = pod(c) + "  volumes: [{name: v}, 3, {name: v, hostPath: 9}]\n";
            let report = crate::evaluate(&[("h.yaml", &y)], &settings);
            assert!(report.errors.is_empty(), "{y}: {:?}", report.errors);
        }
    }
}
