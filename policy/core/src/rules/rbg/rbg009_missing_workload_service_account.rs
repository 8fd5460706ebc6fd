use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Pod or workload controller whose Pod spec names a ServiceAccount
    /// (`serviceAccountName`, or the deprecated `serviceAccount`) other than `default` when no
    /// ServiceAccount of that name and namespace is in the input. The namespace is the
    /// workload's (`default` when omitted). Workloads that name no ServiceAccount, or name
    /// `default`, are never flagged: every namespace has a `default` ServiceAccount.
    ///
    /// Scan the ServiceAccounts together with the workloads (the whole chart or kustomization
    /// output) for this rule to be meaningful.
    ///
    /// ## Why is this bad?
    /// The ServiceAccount admission plugin rejects Pods whose ServiceAccount does not exist, so
    /// the workload never starts; this is often left by copy and paste. If the ServiceAccount
    /// is created later by someone else, the workload runs with whatever rights that account
    /// has been given, including access to Secrets.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: web, namespace: app}
    /// spec:
    ///   template:
    ///     spec:
    ///       serviceAccountName: web-sa   # no ServiceAccount web-sa in namespace app
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ServiceAccount
    /// metadata: {name: web-sa, namespace: app}
    /// automountServiceAccountToken: false
    /// ---
    /// kind: Deployment
    /// metadata: {name: web, namespace: app}
    /// spec:
    ///   template:
    ///     spec:
    ///       serviceAccountName: web-sa
    /// ```
    ///
    /// ## References
    /// - [Configure Service Accounts for Pods](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/)
    /// - [Admission controllers: ServiceAccount](https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#serviceaccount)
    /// - kube-linter check `non-existent-service-account`
    pub struct MissingWorkloadServiceAccount;
    id: "RBG-009",
    title: "Workload refers to a missing ServiceAccount",
    severity: Low,
    area: AccessControl,
    cis: [],
    peers: ["KL non-existent-service-account", "KS C-0307"],
    remediation: "Add the ServiceAccount to the manifests, or fix `serviceAccountName`.",
    kinds: [],
    pass: [
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: web-sa, namespace: app}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web-sa
      containers: [{name: web, image: "web:1.0"}]
"#,
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: other}
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  serviceAccountName: default
  containers: [{name: app, image: "app:1.0"}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      serviceAccount: other
      containers: [{name: job, image: "job:1.0"}]
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: web-sa, namespace: other}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web-sa # <-
      containers: [{name: web, image: "web:1.0"}]
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccount: backup # <-
          restartPolicy: Never
          containers: [{name: job, image: "job:1.0"}]
"#,
    ],
}

impl Rule for MissingWorkloadServiceAccount {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, _access: &Access<'_>, cx: &mut Ctx<'_>) {
        for w in &inv.workloads {
            let (ns, sa) = (w.namespace.as_str(), w.service_account.as_str());
            if sa == "default" || inv.service_account(ns, sa).is_some() {
                continue;
            }
            cx.report_at(
                w.location.clone(),
                &w.object,
                format!(
                    "{} {} runs as ServiceAccount {sa}, which is not in namespace {ns} of the input: the Pods are rejected until it exists",
                    w.object.kind,
                    w.object.name.as_deref().unwrap_or("")
                ),
            );
        }
    }
}
