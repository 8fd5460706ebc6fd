use super::model::describe;
use crate::k8s::workload::pod_spec;
use crate::rules::prelude::*;

/// One day: the kubelet refreshes a projected token once it is older than 24 hours (or 80% of
/// its lifetime), so a longer lifetime only extends how long a stolen copy stays valid.
const MAX_SECONDS: i64 = 86_400;

declare_rule! {
    /// ## What it does
    /// Flags a `projected` volume source `serviceAccountToken` whose `expirationSeconds` is above
    /// 86400 (one day). The default is 3600 (one hour); the apiserver accepts values from 600 up
    /// to 2^32 seconds, unless `--service-account-max-token-expiration` caps them.
    ///
    /// A missing `audience` is not reported: the token then targets the API server, which is the
    /// normal in-cluster use, and a manifest does not show whether the token is sent elsewhere.
    ///
    /// ## Why is this bad?
    /// A projected token is a bearer credential written to the Pod's filesystem. The kubelet
    /// replaces it once it is older than 80% of its lifetime or 24 hours, whichever comes first,
    /// so a lifetime beyond one day does not reduce refreshes; it only keeps a leaked copy (from
    /// a log, a backup, a compromised sidecar) valid for longer after the Pod has moved on.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: token
    ///     projected:
    ///       sources:
    ///         - serviceAccountToken: {path: token, audience: vault, expirationSeconds: 31536000}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// volumes:
    ///   - name: token
    ///     projected:
    ///       sources:
    ///         - serviceAccountToken: {path: token, audience: vault, expirationSeconds: 3600}
    /// ```
    ///
    /// ## References
    /// - [Service account token volume projection](https://kubernetes.io/docs/concepts/storage/projected-volumes/#serviceaccounttoken)
    /// - [Configure Service Accounts for Pods: ServiceAccount token volume projection](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#launch-a-pod-using-service-account-token-projection) (80% / 24 hours rotation)
    /// - [RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/) (minimise distribution of privileged tokens)
    pub struct LongLivedProjectedToken;
    id: "WL-016",
    title: "Projected service-account token lives longer than a day",
    severity: Low,
    area: Workload,
    cis: [],
    peers: [],
    remediation: "Drop `expirationSeconds` (default 3600) or keep it at most 86400.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: vault-client, namespace: app}
spec:
  serviceAccountName: app
  containers: [{name: app, image: busybox}]
  volumes:
    - name: token
      projected:
        sources:
          - serviceAccountToken: {path: token, audience: vault, expirationSeconds: 86400}
          - serviceAccountToken: {path: api-token}
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: sync, namespace: app}
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: sync
          restartPolicy: Never
          containers: [{name: sync, image: busybox}]
          volumes:
            - name: kube-api-access
              projected:
                sources:
                  - serviceAccountToken: {expirationSeconds: 3607, path: token}
                  - configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}
"#,
    ],
    fail: [
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: exporter, namespace: app}
spec:
  selector: {matchLabels: {app: exporter}}
  template:
    metadata: {labels: {app: exporter}}
    spec:
      serviceAccountName: exporter
      containers: [{name: exporter, image: busybox}]
      volumes:
        - name: token
          projected:
            sources:
              - serviceAccountToken:
                  path: token
                  audience: https://sts.example.com
                  expirationSeconds: 31536000 # <-
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: upload, namespace: app}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: upload
          restartPolicy: Never
          containers: [{name: upload, image: busybox}]
          volumes:
            - name: token
              projected:
                sources: [{serviceAccountToken: {path: t, expirationSeconds: 172800}}] # <-
"#,
    ],
}

impl Rule for LongLivedProjectedToken {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        for v in spec.get("volumes").map(Node::items).unwrap_or_default() {
            for src in v
                .at(&["projected", "sources"])
                .map(Node::items)
                .unwrap_or_default()
            {
                let Some(n) = src.at(&["serviceAccountToken", "expirationSeconds"]) else {
                    continue;
                };
                let Some(secs) = n.as_i64() else { continue };
                if secs <= MAX_SECONDS {
                    continue;
                }
                let days = secs / MAX_SECONDS;
                cx.report(
                    obj,
                    n,
                    format!(
                        "{} projects a service-account token (volume `{}`) valid for {secs} seconds (about {days} days): a leaked copy stays usable that long; the default is 3600",
                        describe(obj),
                        v.get("name").and_then(Node::as_str).unwrap_or("?"),
                    ),
                );
            }
        }
    }
}
