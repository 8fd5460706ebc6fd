use crate::k8s::credentials::{
    is_placeholder, is_sensitive_name, looks_like_secret_value, scan_value,
};
use crate::k8s::workload::{container_name, containers, pod_spec, WORKLOAD_KINDS};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags literal credentials in the `command` and `args` of every container, init container
    /// and ephemeral container of a workload:
    /// - a value with a known credential format (AWS key id, GitHub token, PEM private key, JWT,
    ///   URL with `user:password@`, `Bearer` token, ...), also inside `sh -c` scripts;
    /// - a flag whose name names a credential with a secret-looking value: `--password=...`,
    ///   `--db-password ...`, `--client-secret=...`, `--token ...` (not `--password-file`,
    ///   `--token-ttl`, `--secret-name`, nor values such as `$(DB_PASSWORD)` or `${TOKEN}`);
    /// - shell assignments such as `DB_PASSWORD=...` in scripts;
    /// - `mysql`/`mysqldump`/`mysqladmin`/`mariadb` with an attached `-p<password>`, and `curl -u
    ///   user:password`.
    ///
    /// ## Why is this bad?
    /// Arguments are stored in the workload object (readable by anyone who can `get` it) and
    /// are visible to every process on the node through `ps` and `/proc/<pid>/cmdline`. Pass the
    /// credential through a mounted Secret file, or at least through an environment variable
    /// filled from a Secret, referenced as `$(VAR)`.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     args: ["--db-password=S3cr3tPa55"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     args: ["--db-password-file=/etc/db/password"]
    ///     volumeMounts: [{name: db, mountPath: /etc/db, readOnly: true}]
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Define a command and arguments for a container](https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/)
    pub struct CredentialInArgs;
    id: "WL-004",
    title: "Literal credential in container command or args",
    severity: High,
    area: Workload,
    cis: [],
    peers: [],
    remediation: "Read the credential from a mounted Secret file (or `$(VAR)` from a `secretKeyRef` env var) instead of the command line.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.io/shop/api:3.1
          command: ["/app/api"]
          args:
            - --db-password-file=/etc/db/password
            - --token-ttl=3600
            - --secret-name=api-tls
            - --password=$(DB_PASSWORD)
            - --token
            - $(API_TOKEN)
            - --authentication-token-webhook=true
            - --database-url=postgres://api@db.shop.svc:5432/shop
        - name: probe
          image: mysql:8.4
          command: ["sh", "-c", "mysqladmin ping -uroot -p\"$MYSQL_ROOT_PASSWORD\""]
"#,
        r#"{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "kube-apiserver", "namespace": "kube-system"},
  "spec": {
    "containers": [{
      "name": "kube-apiserver",
      "image": "registry.k8s.io/kube-apiserver:v1.31.0",
      "command": ["kube-apiserver", "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
                  "--token-auth-file=/etc/kubernetes/tokens.csv", "--enable-bootstrap-token-auth=true",
                  "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key", "--secure-port", "6443"]
    }]
  }
}"#,
    ],
    fail: [
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers:
        - name: migrate
          image: registry.example.io/shop/migrate:3.1
          args: ["--url", "postgres://api:S3cr3tPa55@db.shop.svc:5432/shop"] # <-
      containers:
        - name: api
          image: registry.example.io/shop/api:3.1
          args:
            - --db-password=S3cr3tPa55 # <-
            - --client-secret
            - Zk3Jd8sQm1Vb7Xw2 # <-
            - --verbose
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: dump, namespace: ops}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: dump
              image: mysql:8.4
              command:
                - sh
                - -c
                - mysqldump -h db -u root -pHunter2Hunter2 shop > /backup/shop.sql # <-
            - name: notify
              image: curlimages/curl:8.8.0
              args: ["-u", "bot:Zk3Jd8sQm1", "https://ci.example.io/hook"] # <-
"#,
        r#"{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "sync", "namespace": "ops"},
  "spec": {
    "containers": [{
      "name": "sync",
      "image": "amazon/aws-cli:2.17.0",
      "command": ["sh", "-c", "export AWS_SECRET_ACCESS_KEY=Zk3Jd8sQm1Vb7Xw2Rt9Lp4Nc6Hy0Ga5Ue8Io3Pq1 && aws s3 sync /data s3://bucket"]
    }]
  }
}"#,
    ],
}

const MYSQL_TOOLS: &[&str] = &[
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mariadb",
    "mariadb-dump",
];

struct Word<'o, 'a> {
    text: String,
    node: &'o Node<'a>,
}

fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'')
}

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// Why a word (or the word after it) is a literal credential, if it is one.
fn flag_credential(
    words: &[Word<'_, '_>],
    i: usize,
    mysql: bool,
    curl: bool,
) -> Option<(usize, String)> {
    let w = unquote(&words[i].text);
    let next = words.get(i + 1).map(|n| unquote(&n.text));
    if let Some(flag) = w.strip_prefix('-') {
        let flag = flag.trim_start_matches('-');
        if let Some((name, value)) = flag.split_once('=') {
            let value = unquote(value);
            if is_sensitive_name(name) && looks_like_secret_value(value) {
                return Some((
                    i,
                    format!(
                        "flag `--{name}` with a literal value ({} chars)",
                        value.chars().count()
                    ),
                ));
            }
            if curl && name == "user" {
                return curl_user(value).map(|n| (i, format!("`--user` credentials ({n} chars)")));
            }
            return None;
        }
        if mysql && !w.starts_with("--") {
            if let Some(pw) = flag.strip_prefix('p').map(unquote) {
                if !pw.is_empty() && looks_like_secret_value(pw) {
                    return Some((
                        i,
                        format!("MySQL `-p` password ({} chars)", pw.chars().count()),
                    ));
                }
            }
        }
        let next = next?;
        if next.starts_with('-') {
            return None;
        }
        if curl && (w == "-u" || w == "--user") {
            return curl_user(next).map(|n| (i + 1, format!("`{w}` credentials ({n} chars)")));
        }
        if is_sensitive_name(flag) && looks_like_secret_value(next) {
            return Some((
                i + 1,
                format!("value of flag `{w}` ({} chars)", next.chars().count()),
            ));
        }
        return None;
    }
    // Shell assignment: `DB_PASSWORD=...`.
    let (name, value) = w.split_once('=')?;
    let name = name.strip_prefix("export ").unwrap_or(name);
    if !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && is_sensitive_name(name)
        && looks_like_secret_value(unquote(value))
    {
        return Some((
            i,
            format!(
                "assignment to `{name}` ({} chars)",
                unquote(value).chars().count()
            ),
        ));
    }
    None
}

/// `user:password` for curl: the password length when it is a literal.
fn curl_user(v: &str) -> Option<usize> {
    let (_, pw) = v.split_once(':')?;
    (!pw.is_empty() && !is_placeholder(pw)).then(|| pw.chars().count())
}

impl Rule for CredentialInArgs {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if !WORKLOAD_KINDS.contains(&obj.kind()) {
            return;
        }
        let Some(spec) = pod_spec(obj) else {
            return;
        };
        for (_, c) in containers(spec) {
            let mut reported: Vec<*const Node<'_>> = vec![];
            let mut hits: Vec<(&Node<'_>, String)> = vec![];
            let mut words: Vec<Word<'_, '_>> = vec![];
            for field in ["command", "args"] {
                for (item, node) in c.get(field).map(Node::str_items).into_iter().flatten() {
                    if let Some(d) = scan_value(item) {
                        hits.push((node, d.describe()));
                    }
                    for w in item.split_whitespace().take(4096) {
                        words.push(Word {
                            text: w.to_string(),
                            node,
                        });
                    }
                }
            }
            let mysql = words
                .iter()
                .any(|w| MYSQL_TOOLS.contains(&basename(unquote(&w.text))));
            let curl = words.iter().any(|w| basename(unquote(&w.text)) == "curl")
                || c.get("image")
                    .and_then(Node::as_str)
                    .is_some_and(|i| i.contains("curl"));
            for i in 0..words.len() {
                if let Some((at, what)) = flag_credential(&words, i, mysql, curl) {
                    if let Some(w) = words.get(at) {
                        hits.push((w.node, what));
                    }
                }
            }
            for (node, what) in hits {
                let p = node as *const Node<'_>;
                if reported.contains(&p) {
                    continue;
                }
                reported.push(p);
                cx.report(
                    obj,
                    node,
                    format!(
                        "{} `{}` container `{}` has a literal credential on its command line ({what}): it is stored in the workload and visible in the process list",
                        obj.kind(),
                        obj.name(),
                        container_name(c),
                    ),
                );
            }
        }
    }
}
