use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workloads whose Pods get a service-account token mounted automatically. The Pod
    /// field `automountServiceAccountToken` wins: `false` passes, `true` is reported (at the
    /// field). When the Pod leaves it unset, the ServiceAccount's own
    /// `automountServiceAccountToken` decides: the workload passes when that ServiceAccount is
    /// in the input and sets `false`, and is reported when it sets `true` or nothing, or when the
    /// ServiceAccount is not in the input (the message says so: scan the ServiceAccount together
    /// with the workload for a precise result). Every workload kind is covered, CronJob included.
    ///
    /// ## Why is this bad?
    /// An auto-mounted token gives every container of the Pod (init and sidecar containers too)
    /// a credential for the Kubernetes API, readable at
    /// `/var/run/secrets/kubernetes.io/serviceaccount/token`. Most applications never call the
    /// API; for them the token only helps an attacker who gets code execution in the Pod to read
    /// Secrets or move laterally with whatever RBAC the ServiceAccount has.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// spec:
    ///   serviceAccountName: web
    ///   containers: [{name: web, image: nginx}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// spec:
    ///   serviceAccountName: web
    ///   automountServiceAccountToken: false
    ///   containers: [{name: web, image: nginx}]
    /// ```
    ///
    /// ## References
    /// - [Configure Service Accounts for Pods: opt out of API credential automounting](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting)
    /// - [RBAC good practices: hardening](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#hardening)
    /// - CIS Kubernetes Benchmark 5.1.6 "Ensure that Service Account Tokens are only mounted where necessary"
    /// - Checkov `CKV_K8S_38`, Kyverno `other/restrict-automount-sa-token`, Polaris `automountServiceAccountToken`
    pub struct TokenAutomount;
    id: "WL-005",
    title: "Service-account token mounted automatically",
    severity: Medium,
    area: Workload,
    cis: ["5.1.6"],
    peers: ["CKV_K8S_38", "KY restrict-automount-sa-token", "GK K8sPSPAutomountServiceAccountTokenPod", "TRV KSV-0036", "POL automountServiceAccountToken", "KS C-0034", "KS C-0190"],
    remediation: "Set `automountServiceAccountToken: false` in the Pod spec (or on its ServiceAccount) unless the Pod calls the Kubernetes API.",
    kinds: [],
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: quiet, namespace: app}
spec:
  automountServiceAccountToken: false
  containers: [{name: app, image: busybox}]
"#,
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: worker, namespace: jobs}
automountServiceAccountToken: false
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: jobs}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: worker
          restartPolicy: Never
          containers: [{name: job, image: busybox}]
"#,
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: app}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: pod-wins, namespace: app}
spec:
  serviceAccountName: api
  automountServiceAccountToken: true # <-
  containers: [{name: app, image: busybox}]
"#,
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web # <-
      containers: [{name: web, image: nginx}]
"#,
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner, namespace: ci}
automountServiceAccountToken: true
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: build, namespace: ci}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: runner # <-
          restartPolicy: Never
          containers: [{name: build, image: busybox}]
"#,
    ],
}

impl Rule for TokenAutomount {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, _access: &Access<'_>, cx: &mut Ctx<'_>) {
        for w in &inv.workloads {
            let who = format!(
                "{} `{}`",
                w.object.kind,
                w.object.name.as_deref().unwrap_or("")
            );
            match w.automount {
                Some(false) => continue,
                Some(true) => {
                    let loc = w
                        .automount_location
                        .clone()
                        .unwrap_or_else(|| w.location.clone());
                    cx.report_at(
                        loc,
                        &w.object,
                        format!(
                            "{who} sets `automountServiceAccountToken: true`: every container gets a token of ServiceAccount `{}` for the Kubernetes API (the Pod field overrides the ServiceAccount's)",
                            w.service_account
                        ),
                    )
                    .with_fix(fix(w));
                }
                None => {
                    let sa = inv.service_account(&w.namespace, &w.service_account);
                    let sa_setting = sa.and_then(|s| {
                        s.root
                            .get("automountServiceAccountToken")
                            .and_then(Node::as_bool)
                    });
                    let why = match (sa, sa_setting) {
                        (Some(_), Some(false)) => continue,
                        (Some(_), Some(true)) => "which sets `automountServiceAccountToken: true`",
                        (Some(_), None) => "which does not set `automountServiceAccountToken: false`",
                        (None, _) => "which is not in the input, so nothing is known to turn automounting off",
                    };
                    cx.report_at(
                        w.location.clone(),
                        &w.object,
                        format!(
                            "{who} does not set `automountServiceAccountToken` and uses ServiceAccount `{}` (namespace `{}`), {why}: every container gets a Kubernetes API token",
                            w.service_account, w.namespace
                        ),
                    )
                    .with_fix(fix(w));
                }
            }
        }
    }
}

/// Pod-level `automountServiceAccountToken: false` (which overrides the ServiceAccount's).
fn fix(w: &crate::engine::Workload) -> Option<Fix> {
    let edit = w.automount_off.clone()?;
    Some(Fix::new(
        "Set `automountServiceAccountToken: false` in the Pod spec (only if no container calls the Kubernetes API)",
        vec![edit],
    ))
}

#[cfg(test)]
mod tests {
    use crate::{apply_fixes, evaluate, Settings};

    fn fixed(text: &str) -> String {
        let settings = Settings {
            enable: vec!["WL-005".into()],
            ..Settings::default()
        };
        let report = evaluate(&[("w.yaml", text)], &settings);
        apply_fixes(text, &report.findings).text
    }

    #[test]
    fn fixes() {
        let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers: [{name: web, image: nginx}]\n";
        assert_eq!(
            fixed(deploy),
            deploy.replace(
                "    spec:\n      serviceAccountName",
                "    spec:\n      automountServiceAccountToken: false\n      serviceAccountName"
            )
        );
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: true\n  containers: [{name: a, image: b}]\n";
        assert_eq!(fixed(pod), pod.replace(": true", ": false"));
        // A flow-style spec gets no new key.
        let flow = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n";
        assert_eq!(fixed(flow), flow);
        // The fixed text passes.
        let report = evaluate(
            &[("w.yaml", &fixed(deploy))],
            &Settings {
                enable: vec!["WL-005".into()],
                ..Settings::default()
            },
        );
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }
}
