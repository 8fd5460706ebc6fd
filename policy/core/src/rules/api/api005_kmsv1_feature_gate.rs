use crate::k8s::apiserver::{self, parse_go_bool};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container whose `--feature-gates` enable `KMSv1` (`KMSv1=true`).
    /// Repeated `--feature-gates` flags are merged as kube-apiserver does; the last `KMSv1` entry
    /// wins.
    ///
    /// ## Why is this bad?
    /// KMS v1 is deprecated since Kubernetes 1.28 and disabled by default since 1.29. It calls the
    /// external KMS for every Secret read and write (one DEK per write), which makes it slow and
    /// fragile, and it lacks the key-rotation and observability features of KMS v2. Turning the
    /// gate back on keeps `apiVersion: v1` KMS providers working instead of forcing the migration.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --feature-gates=KMSv1=true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml  # kms providers with apiVersion: v2
    /// ```
    ///
    /// ## References
    /// - [Using a KMS provider for data encryption](https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/)
    /// - [Feature gates: KMSv1](https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/)
    pub struct KmsV1FeatureGate;
    id: "API-005",
    title: "Deprecated KMS v1 re-enabled with a feature gate",
    severity: Medium,
    area: Apiserver,
    cis: [],
    peers: [],
    remediation: "Migrate KMS providers to `apiVersion: v2` and remove `KMSv1=true` from `--feature-gates`.",
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
        - --feature-gates=KMSv1=false,StructuredAuthorizationConfiguration=true
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver, "--feature-gates=KMSv1=true", "--feature-gates=KMSv1=false"]
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
        - --feature-gates=InPlacePodVerticalScaling=true, KMSv1=true # <-
"#,
        r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  selector: {matchLabels: {app: kube-apiserver}}
  template:
    metadata: {labels: {app: kube-apiserver}}
    spec:
      containers:
        - name: kube-apiserver
          image: registry.k8s.io/kube-apiserver:v1.31.0
          args:
            - --feature-gates
            - KMSv1=T # <-
"#,
    ],
}

impl Rule for KmsV1FeatureGate {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            let last = a
                .list("feature-gates")
                .into_iter()
                .filter_map(|(item, f)| {
                    let (k, v) = item.split_once('=')?;
                    (k.trim() == "KMSv1").then(|| (parse_go_bool(v.trim()), f))
                })
                .next_back();
            if let Some((Some(true), f)) = last {
                cx.report(
                    obj,
                    f.value_node,
                    format!(
                        "{}: `--feature-gates` sets `KMSv1=true`, re-enabling the deprecated KMS v1 encryption provider",
                        a.subject(obj)
                    ),
                );
            }
        }
    }
}
