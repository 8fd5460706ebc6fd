use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `--authorization-mode` list that lacks `RBAC` (high) or lacks `Node` (medium), when
    /// `--authorization-config` is not used. Repeated `--authorization-mode` flags are merged, as
    /// pflag does. One finding per missing mode, at the last `--authorization-mode` value.
    ///
    /// ## Why is this bad?
    /// Without `RBAC`, Roles and RoleBindings have no effect, so none of the access limits on
    /// Secrets apply. Without `Node` (with the `NodeRestriction` admission plugin), every kubelet
    /// credential can read every Secret instead of only those of Pods scheduled to its node, so one
    /// compromised node exposes the whole cluster.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=Webhook
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=Node,RBAC,Webhook
    /// ```
    ///
    /// ## References
    /// - [Using Node Authorization](https://kubernetes.io/docs/reference/access-authn-authz/node/)
    /// - [Using RBAC Authorization](https://kubernetes.io/docs/reference/access-authn-authz/rbac/)
    /// - CIS Kubernetes Benchmark 1.2.7 "Ensure that the --authorization-mode argument includes Node", 1.2.8 "... includes RBAC"
    pub struct AuthorizationModeLacksRbacNode;
    id: "API-014",
    title: "Authorization modes lack RBAC or Node",
    severity: High,
    area: Apiserver,
    cis: ["1.2.7", "1.2.8"],
    peers: ["kube-bench 1.2.7", "kube-bench 1.2.8", "CKV_K8S_75", "CKV_K8S_77", "KS C-0119", "KS C-0120", "TRV KCV-0008", "TRV KCV-0009"],
    remediation: "Use `--authorization-mode=Node,RBAC` (plus any Webhook you need).",
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
        - --authorization-mode=Node,RBAC
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
      args: [--authorization-mode, Node, --authorization-mode, "RBAC,Webhook", --authorization-webhook-config-file=/etc/kubernetes/authz-webhook.kubeconfig]
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver, --authorization-config=/etc/kubernetes/authz.yaml]
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
        - --authorization-mode=Node,Webhook # <-
        - --authorization-webhook-config-file=/etc/kubernetes/authz-webhook.kubeconfig
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
        - --authorization-mode
        - RBAC # <-
"#,
    ],
}

impl Rule for AuthorizationModeLacksRbacNode {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            if a.has("authorization-config") {
                continue;
            }
            let modes = a.list("authorization-mode");
            let Some((_, last)) = modes.last() else {
                continue;
            };
            let all: Vec<&str> = modes.iter().map(|(m, _)| *m).collect();
            let shown = all.join(",");
            if !all.contains(&"RBAC") {
                cx.report(
                    obj,
                    last.value_node,
                    format!(
                        "{}: `--authorization-mode={shown}` lacks `RBAC`, so Roles and RoleBindings do not limit access to Secrets",
                        a.subject(obj)
                    ),
                );
            }
            if !all.contains(&"Node") {
                cx.report(
                    obj,
                    last.value_node,
                    format!(
                        "{}: `--authorization-mode={shown}` lacks `Node`, so kubelets are not limited to the Secrets of their own Pods",
                        a.subject(obj)
                    ),
                )
                .with_severity(Severity::Medium);
            }
        }
    }
}
