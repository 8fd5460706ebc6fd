use crate::k8s::apiserver;
use crate::rules::prelude::*;

/// (flag, CIS minimum, what the number counts, CIS id)
const LIMITS: &[(&str, i64, &str, &str)] = &[
    ("audit-log-maxage", 30, "days", "1.2.17"),
    ("audit-log-maxbackup", 10, "rotated files", "1.2.18"),
    ("audit-log-maxsize", 100, "MB per file", "1.2.19"),
];

declare_rule! {
    /// ## What it does
    /// Flags `--audit-log-maxage` below 30, `--audit-log-maxbackup` below 10 and
    /// `--audit-log-maxsize` below 100 on a kube-apiserver container, one finding per flag.
    ///
    /// A flag that is unset or `0` is not reported, unlike in the CIS audit: kube-apiserver hands
    /// these values to its log rotator (lumberjack), where `0` means *no* age or count limit (old
    /// files are kept) and a size of 100 MB. Negative and non-numeric values make kube-apiserver
    /// refuse to start and are not reported here either.
    ///
    /// ## Why is this bad?
    /// The log backend rotates the audit log and deletes old files by age and count. Small limits
    /// delete the record of who read a Secret before an incident is noticed and investigated.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    ///   - --audit-log-maxage=7
    ///   - --audit-log-maxbackup=3
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    ///   - --audit-log-maxage=30
    ///   - --audit-log-maxbackup=10
    ///   - --audit-log-maxsize=100
    /// ```
    ///
    /// ## References
    /// - [Auditing: log backend](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend)
    /// - [lumberjack Logger (MaxAge, MaxBackups, MaxSize defaults)](https://pkg.go.dev/gopkg.in/natefinch/lumberjack.v2#Logger)
    /// - kubernetes/apiserver `pkg/server/options/audit.go` (`getWriter`)
    /// - CIS Kubernetes Benchmark 1.2.17, 1.2.18, 1.2.19
    pub struct AuditLogRetention;
    id: "API-008",
    title: "Audit log retention below CIS minimums",
    severity: Low,
    area: Apiserver,
    cis: ["1.2.17", "1.2.18", "1.2.19"],
    peers: ["kube-bench 1.2.17-1.2.19", "CKV_K8S_92", "CKV_K8S_93", "CKV_K8S_94", "KS C-0131", "KS C-0132", "KS C-0133", "TRV KCV-0020", "TRV KCV-0021", "TRV KCV-0022"],
    remediation: "Set `--audit-log-maxage=30`, `--audit-log-maxbackup=10` and `--audit-log-maxsize=100` or more.",
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
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
        - --audit-log-maxage=30
        - --audit-log-maxbackup=10
        - --audit-log-maxsize=200
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
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
        - --audit-log-maxage
        - 90
        - --audit-log-maxbackup=0
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
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
        - --audit-log-maxage=7 # <-
        - --audit-log-maxbackup=3 # <-
        - --audit-log-maxsize=100
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
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
        - --audit-log-maxsize
        - 10 # <-
"#,
    ],
}

impl Rule for AuditLogRetention {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            for &(name, min, unit, cis) in LIMITS {
                let Some(f) = a.get(name) else { continue };
                let Ok(v) = f.text().trim().parse::<i64>() else {
                    continue;
                };
                if v > 0 && v < min {
                    cx.report(
                        obj,
                        f.value_node,
                        format!(
                            "{}: `--{name}={v}` is below the CIS {cis} minimum of {min} {unit}, so audit records of Secret access may be deleted before they are examined",
                            a.subject(obj)
                        ),
                    );
                }
            }
        }
    }
}
