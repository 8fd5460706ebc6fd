use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{effectively_grants, hits, who, At};

const GROUP: &str = "certificates.k8s.io";

declare_rule! {
    /// ## What it does
    /// Flags ClusterRoles and Roles that grant `update` or `patch` on
    /// `certificatesigningrequests/approval`, or `approve` on `signers`
    /// (`certificates.k8s.io`). Approving a CSR needs both; the finding is high when the object
    /// grants both and medium when it grants one (the other may come from another role). A rule
    /// with both `*` verbs and `*` resources is left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Whoever can approve certificate signing requests can have the cluster issue client
    /// certificates with arbitrary names and groups, including duplicates of system components
    /// or members of `system:masters`, and authenticate as them.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests/approval"]
    ///     verbs: ["update"]
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["signers"]
    ///     verbs: ["approve"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: CSRs and certificate issuing](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing)
    /// - [Certificates and certificate signing requests: authorization](https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization)
    /// - CIS Kubernetes Benchmark 5.1.11 "Minimize access to the approval sub-resource of certificatesigningrequests objects"
    /// - Checkov `CKV_K8S_156` `checkov/kubernetes/checks/resource/k8s/RbacApproveCertificateSigningRequests.py`
    /// - Kyverno `other/restrict-clusterrole-csr/restrict-clusterrole-csr.yaml`
    pub struct ApproveCsr;
    id: "RBAC-016",
    title: "Role can approve certificate signing requests",
    severity: High,
    area: AccessControl,
    cis: ["5.1.11"],
    peers: ["CKV_K8S_156", "KY restrict-clusterrole-csr"],
    remediation: "Leave CSR approval to the controller manager; limit `approve` on `signers` to a specific signer name.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: csr-creator}
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests"]
    verbs: ["create", "get", "update"]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests/approval"]
    verbs: ["get"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: nothing}
rules:
  - apiGroups: ["", "extensions", "apps"]
    resources: ["*"]
    verbs: [""]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: csr-approver}
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests/approval"]
    verbs: ["update", # <-
            "get"]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["signers"]
    verbs: ["approve"] # <-
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: wildcard-approver}
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["*"]
    verbs: ["approve"] # <-
  - apiGroups: ["certificates.k8s.io"]
    resources: ["*/approval"]
    verbs: ["update"] # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "signer-only"},
 "rules": [{"apiGroups": ["certificates.k8s.io"], "resources": ["signers"],
   "resourceNames": ["kubernetes.io/kube-apiserver-client"], "verbs": ["approve"]}]}
"#,
    ],
}

impl Rule for ApproveCsr {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let rules = policy_rules(obj);
        let approval = |r: &_| {
            effectively_grants(r, GROUP, "certificatesigningrequests/approval", "update")
                || effectively_grants(r, GROUP, "certificatesigningrequests/approval", "patch")
        };
        let signers = |r: &_| effectively_grants(r, GROUP, "signers", "approve");
        let both = rules.iter().any(approval) && rules.iter().any(signers);
        for rule in &rules {
            let mut found = hits(
                rule,
                &[(GROUP, "certificatesigningrequests/approval")],
                &["update", "patch"],
                At::Verb,
                true,
            );
            found.extend(hits(
                rule,
                &[(GROUP, "signers")],
                &["approve"],
                At::Verb,
                true,
            ));
            let mut seen: Vec<*const Node<'_>> = vec![];
            for hit in found {
                let p: *const Node<'_> = hit.node;
                if seen.contains(&p) {
                    continue;
                }
                seen.push(p);
                let other = if both {
                    "with the other CSR approval permission in this object, the holder can approve CSRs and mint client certificates for any identity"
                } else if hit.verbs.contains(&"approve") {
                    "combined with update on `certificatesigningrequests/approval` it approves CSRs and mints client certificates for any identity"
                } else {
                    "combined with `approve` on `signers` it approves CSRs and mints client certificates for any identity"
                };
                let f = cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on {}{}: {other}",
                        who(obj, rule),
                        hit.verb_list(),
                        hit.resource_list(),
                        hit.via(),
                    ),
                );
                if !both {
                    f.with_severity(Severity::Medium);
                }
            }
        }
    }
}
