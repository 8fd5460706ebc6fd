use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container that sets `--token-auth-file` (a static token CSV file).
    ///
    /// ## Why is this bad?
    /// The file holds long-lived bearer tokens in plain text on the control-plane host. They never
    /// expire, and a leaked token cannot be revoked without editing the file and restarting the
    /// apiserver. Tokens there often belong to powerful users that can read Secrets.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --token-auth-file=/etc/kubernetes/tokens.csv
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --client-ca-file=/etc/kubernetes/pki/ca.crt  # or OIDC / webhook token authentication
    /// ```
    ///
    /// ## References
    /// - [Authenticating: static token file](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file)
    /// - CIS Kubernetes Benchmark 1.2.2 "Ensure that the --token-auth-file parameter is not set"
    pub struct TokenAuthFile;
    id: "API-016",
    title: "kube-apiserver accepts static tokens from a file",
    severity: High,
    area: Apiserver,
    cis: ["1.2.2"],
    peers: ["kube-bench 1.2.2", "CKV_K8S_70", "KS C-0114", "TRV KCV-0002"],
    remediation: "Remove `--token-auth-file`; use client certificates, OIDC or webhook token authentication.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command:
        - kube-apiserver
        - --client-ca-file=/etc/kubernetes/pki/ca.crt
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: token-tool, namespace: default}
spec:
  containers:
    - name: tool
      image: example.com/token-tool:1.0
      args: [--token-auth-file=/data/tokens.csv]
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command:
        - kube-apiserver
        - --token-auth-file=/etc/kubernetes/tokens.csv # <-
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver]
      args:
        - --token-auth-file # <-
        - /etc/kubernetes/tokens.csv
"#,
    ],
}

impl Rule for TokenAuthFile {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            for f in a.all("token-auth-file") {
                if f.value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                    continue;
                }
                cx.report(
                    obj,
                    f.node,
                    format!(
                        "{}: `--token-auth-file={}` accepts static bearer tokens that never expire and cannot be revoked without a restart",
                        a.subject(obj),
                        f.text()
                    ),
                );
            }
        }
    }
}
