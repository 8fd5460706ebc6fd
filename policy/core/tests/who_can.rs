//! The access graph (`who_can`) on hand-built scenarios (`tests/fixtures/access/*.yaml`), each
//! with its exact expected access table: `subject | scope | how | path`.

use std::path::PathBuf;

use secrets_guard_core::k8s::who_can::{self, AccessEntry, Identity};
use secrets_guard_core::{Evaluator, Inventory, Settings};

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/access")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn inventory(name: &str) -> Inventory {
    let settings = Settings::default();
    let mut ev = Evaluator::new(&settings);
    ev.keep_inventory();
    ev.add_source(name, &fixture(name));
    let (inv, errors) = ev.into_inventory();
    assert!(errors.is_empty(), "{errors:?}");
    inv
}

fn rows(entries: &[AccessEntry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| {
            let how = if e.is_limited() {
                format!("{} (limited: {})", e.how, e.secrets.join(", "))
            } else {
                e.how.to_string()
            };
            format!("{} | {} | {how} | {}", e.subject, e.scope_label(), e.path)
        })
        .collect()
}

#[track_caller]
fn assert_table(entries: &[AccessEntry], want: &[&str]) {
    let got = rows(entries);
    assert_eq!(got, want, "actual table:\n{}", got.join("\n"));
}

#[track_caller]
fn check(name: &str, want: &[&str]) {
    assert_table(&who_can::who_can_read_secrets(&inventory(name)), want);
}

#[test]
fn s01_direct_role() {
    check("01-direct-role.yaml", &[
            "User alice | app | direct | User alice → RoleBinding app/readers → Role reader → rules[1] get, list secrets",
        ],
    );
}

#[test]
fn s02_wildcards() {
    check("02-wildcards.yaml", &[
            "Group ops | cluster | direct | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] get, list, watch secrets",
            "Group ops | cluster | implicit | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] create pods, replicationcontrollers, deployments, statefulsets, daemonsets, replicasets, jobs, cronjobs",
            "Group ops | cluster | implicit | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] create, get pods/exec, pods/attach",
            "Group ops | cluster | implicit | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] get, create nodes/proxy",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] create secrets",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] create serviceaccounts/token",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] create, update, patch clusterrolebindings → ClusterRoleBinding ops-god → ClusterRole god → rules[0] bind clusterroles → binds ClusterRole cluster-admin (built-in) → rules[0] get, list, watch secrets",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] create, update, patch mutatingwebhookconfigurations, validatingwebhookconfigurations",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] create, update, patch rolebindings → ClusterRoleBinding ops-god → ClusterRole god → rules[0] bind clusterroles → binds ClusterRole cluster-admin (built-in) → rules[0] get, list, watch secrets",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] escalate roles, clusterroles",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] impersonate serviceaccounts",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] impersonate users, groups",
            "Group ops | cluster | escalation | Group ops → ClusterRoleBinding ops-god → ClusterRole god → rules[0] update, patch certificatesigningrequests/approval",
        ],
    );
}

#[test]
fn s03_resource_names() {
    check("03-resource-names.yaml", &[
            "ServiceAccount pay/pay-api | pay | direct (limited: db-password, api-key) | ServiceAccount pay/pay-api → RoleBinding pay/pay-app → Role two-secrets → rules[0] get, watch secrets named db-password, api-key",
        ],
    );
}

#[test]
fn s04_aggregation() {
    check("04-aggregation.yaml", &[
            "ServiceAccount monitoring/prometheus | cluster | direct | ServiceAccount monitoring/prometheus → ClusterRoleBinding prometheus → ClusterRole monitoring → aggregated ClusterRole deep-secrets → rules[0] list, watch secrets",
        ],
    );
}

#[test]
fn s05_cross_namespace_sa() {
    check("05-cross-namespace-sa.yaml", &[
            "ServiceAccount tools/ci | prod | direct | ServiceAccount tools/ci → RoleBinding prod/ci-reads-prod → Role secret-reader → rules[0] get secrets",
        ],
    );
}

#[test]
fn s06_builtin_roles() {
    check("06-builtin-roles.yaml", &[
            "Group team-a | team-a | direct | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[0] get, list, watch secrets",
            "Group team-a | team-a | implicit | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[0] get pods/exec, pods/attach",
            "Group team-a | team-a | implicit | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[2] create pods",
            "Group team-a | team-a | implicit | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[2] create pods/exec, pods/attach",
            "Group team-a | team-a | implicit | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[3] create replicationcontrollers",
            "Group team-a | team-a | implicit | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[5] create deployments, statefulsets, daemonsets, replicasets",
            "Group team-a | team-a | implicit | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[6] create jobs, cronjobs",
            "Group team-a | team-a | escalation | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[1] impersonate serviceaccounts",
            "Group team-a | team-a | escalation | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[3] create secrets",
            "Group team-a | team-a | escalation | Group team-a → RoleBinding team-a/team-a-admins → ClusterRole admin (built-in) → rules[4] create serviceaccounts/token",
        ],
    );
}

#[test]
fn s07_chain_bind_edit() {
    check("07-chain-bind-edit.yaml", &[
            "User jane | app | escalation | User jane → RoleBinding app/jane-writes-bindings → Role binding-writer → rules[0] create rolebindings → ClusterRoleBinding jane-binds-edit → ClusterRole edit-binder → rules[0] bind clusterroles named edit, view → binds ClusterRole edit (built-in) → rules[0] get, list, watch secrets",
        ],
    );
}

#[test]
fn s08_chain_dead_ends() {
    check("08-chain-dead-ends.yaml", &[]);
}

#[test]
fn s09_nodes_proxy() {
    check("09-nodes-proxy.yaml", &[
            "ServiceAccount kube-system/metrics | cluster | implicit | ServiceAccount kube-system/metrics → ClusterRoleBinding metrics-proxy → ClusterRole kubelet-proxy → rules[0] get nodes/proxy",
        ],
    );
}

#[test]
fn s10_broad_groups() {
    check("10-broad-groups.yaml", &[
            "Group system:serviceaccounts | cluster | direct | Group system:serviceaccounts → ClusterRoleBinding all-sas-list → ClusterRole secret-lister → rules[0] list secrets",
            "Group system:serviceaccounts:b | b | direct | Group system:serviceaccounts:b → RoleBinding b/b-sas-list → ClusterRole secret-lister → rules[0] list secrets",
        ],
    );
}

#[test]
fn s11_impersonation() {
    check("11-impersonation.yaml", &[
            "Group support | cluster | escalation | Group support → ClusterRoleBinding support-impersonates → ClusterRole impersonate-admin → rules[0] impersonate users named admin",
            "Group support | cluster | escalation | Group support → ClusterRoleBinding support-impersonates → ClusterRole impersonate-admin → rules[1] impersonate serviceaccounts",
            "User dave | app | escalation | User dave → RoleBinding app/dave-impersonates → ClusterRole impersonate-admin → rules[1] impersonate serviceaccounts",
        ],
    );
}

#[test]
fn s12_token_minting() {
    check("12-token-minting.yaml", &[
            "ServiceAccount ci/deployer | ci | escalation | ServiceAccount ci/deployer → RoleBinding ci/deployer-mints → Role token-minter → rules[0] create serviceaccounts/token",
            "ServiceAccount ci/deployer | ci | escalation | ServiceAccount ci/deployer → RoleBinding ci/deployer-mints → Role token-minter → rules[1] create secrets",
        ],
    );
}

#[test]
fn s13_csr_and_webhooks() {
    check("13-csr-and-webhooks.yaml", &[
            "User erin | cluster | escalation | User erin → ClusterRoleBinding plumbers → ClusterRole cluster-plumbing → rules[0] update certificatesigningrequests/approval",
            "User erin | cluster | escalation | User erin → ClusterRoleBinding plumbers → ClusterRole cluster-plumbing → rules[1] patch mutatingwebhookconfigurations, validatingwebhookconfigurations",
        ],
    );
}

#[test]
fn s14_workloads_exec() {
    check("14-workloads-exec.yaml", &[
            "Group web-devs | web | implicit | Group web-devs → RoleBinding web/deployers → Role deployer → rules[0] create deployments",
            "Group web-devs | web | implicit | Group web-devs → RoleBinding web/deployers → Role deployer → rules[1] create pods/exec",
        ],
    );
}

#[test]
fn s15_escalate_verb() {
    check("15-escalate-verb.yaml", &[
            "User frank | app | escalation | User frank → RoleBinding app/frank-escalates → Role role-escalator → rules[0] escalate roles",
        ],
    );
}

#[test]
fn s16_chain_cluster_admin() {
    check("16-chain-cluster-admin.yaml", &[
            "ServiceAccount operators/rbac-operator | cluster | escalation | ServiceAccount operators/rbac-operator → ClusterRoleBinding rbac-managers → ClusterRole rbac-manager → rules[0] create clusterrolebindings → ClusterRoleBinding rbac-managers → ClusterRole rbac-manager → rules[1] bind clusterroles → binds ClusterRole cluster-admin (built-in) → rules[0] get, list, watch secrets",
        ],
    );
}

#[test]
fn s17_bind_own_role() {
    check("17-bind-own-role.yaml", &[
            "User grace | vault | escalation | User grace → RoleBinding vault/grace-self-binds → Role self-binder → rules[0] patch rolebindings → RoleBinding vault/grace-self-binds → Role self-binder → rules[1] bind roles → binds Role vault-reader → rules[0] watch secrets",
        ],
    );
}
#[test]
fn s18_reach_of_service_account_through_every_subject_form() {
    let inv = inventory("18-reach.yaml");
    let sa = Identity {
        user: "system:serviceaccount:app:api".into(),
        groups: vec![],
    };
    assert_table(
        &who_can::reach_of(&inv, &sa),
        &[
            "Group system:authenticated | cluster | direct | Group system:authenticated → ClusterRoleBinding authenticated-list → ClusterRole secret-lister → rules[0] list secrets",
            "Group system:serviceaccounts:app | app | direct | Group system:serviceaccounts:app → RoleBinding app/app-sas → Role reader → rules[0] get secrets",
            "ServiceAccount app/api | app | direct | ServiceAccount app/api → RoleBinding app/app-sas → Role reader → rules[0] get secrets",
            "User system:serviceaccount:app:api | app | direct | User system:serviceaccount:app:api → RoleBinding app/app-sas → Role reader → rules[0] get secrets",
        ],
    );
    // The ServiceAccount of the same name in another namespace gets only the broad grant.
    let other = Identity {
        user: "system:serviceaccount:other:api".into(),
        groups: vec![],
    };
    assert_table(
        &who_can::reach_of(&inv, &other),
        &[
            "Group system:authenticated | cluster | direct | Group system:authenticated → ClusterRoleBinding authenticated-list → ClusterRole secret-lister → rules[0] list secrets",
            "ServiceAccount other/api | app | direct | ServiceAccount other/api → RoleBinding app/app-sas → Role reader → rules[0] get secrets",
        ],
    );
}

#[test]
fn s18_reach_of_user_with_groups_and_anonymous() {
    let inv = inventory("18-reach.yaml");
    let jane = Identity {
        user: "jane".into(),
        groups: vec!["dev".into()],
    };
    assert_table(
        &who_can::reach_of(&inv, &jane),
        &[
            "Group dev | app | direct | Group dev → RoleBinding app/app-sas → Role reader → rules[0] get secrets",
            "Group system:authenticated | cluster | direct | Group system:authenticated → ClusterRoleBinding authenticated-list → ClusterRole secret-lister → rules[0] list secrets",
        ],
    );
    // Anonymous requests are not in system:authenticated.
    let anonymous = Identity {
        user: "system:anonymous".into(),
        groups: vec![],
    };
    assert_table(&who_can::reach_of(&inv, &anonymous), &[]);
}

#[test]
fn s10_namespace_filter_keeps_cluster_wide_and_own_namespace() {
    let all = who_can::who_can_read_secrets(&inventory("10-broad-groups.yaml"));
    assert_table(
        &who_can::in_namespace(all.clone(), "a"),
        &["Group system:serviceaccounts | cluster | direct | Group system:serviceaccounts → ClusterRoleBinding all-sas-list → ClusterRole secret-lister → rules[0] list secrets"],
    );
    assert_eq!(who_can::in_namespace(all, "b").len(), 2);
}

#[test]
fn every_fixture_is_sorted_and_unique() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/access");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    for n in names {
        let entries = who_can::who_can_read_secrets(&inventory(&n));
        let mut sorted = entries.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(entries, sorted, "{n}");
    }
}

#[test]
fn s19_chain_across_two_subjects_of_one_identity() {
    let inv = inventory("19-chain-across-subjects.yaml");
    // Per binding subject, neither completes the chain.
    assert_table(&who_can::who_can_read_secrets(&inv), &[]);
    let ci = Identity {
        user: "system:serviceaccount:build:ci".into(),
        groups: vec![],
    };
    assert_table(
        &who_can::reach_of(&inv, &ci),
        &["Group system:serviceaccounts:build | build | escalation | Group system:serviceaccounts:build → RoleBinding build/build-sas-write-bindings → Role binding-writer → rules[0] update rolebindings → ServiceAccount build/ci → RoleBinding build/ci-binds-admin → Role admin-binder → rules[0] bind clusterroles named admin → binds ClusterRole admin (built-in) → rules[0] get, list, watch secrets"],
    );
    // Another ServiceAccount of build has the group but not the bind.
    let other = Identity {
        user: "system:serviceaccount:build:other".into(),
        groups: vec![],
    };
    assert_table(&who_can::reach_of(&inv, &other), &[]);
}

#[test]
fn inventory_is_kept_when_no_cross_object_rule_runs() {
    let settings = Settings {
        enable: vec!["RBAC-001".into()],
        ..Settings::default()
    };
    let text = fixture("01-direct-role.yaml");
    let mut without = Evaluator::new(&settings);
    without.add_source("a.yaml", &text);
    assert!(who_can::who_can_read_secrets(&without.into_inventory().0).is_empty());
    let mut with = Evaluator::new(&settings);
    with.keep_inventory();
    with.add_source("a.yaml", &text);
    assert_eq!(
        who_can::who_can_read_secrets(&with.into_inventory().0).len(),
        1
    );
}

/// RBG-004 and RBG-006 are computed from this graph: over every scenario, their exact findings,
/// each naming the evidence path of a graph entry of its subject.
#[test]
fn escalation_rules_report_from_the_graph() {
    let settings = Settings {
        enable: vec!["RBG-004".into(), "RBG-006".into()],
        ..Settings::default()
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/access");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 19);
    let mut got = vec![];
    for name in &names {
        let text = fixture(name);
        let report = secrets_guard_core::evaluate(&[(name.as_str(), text.as_str())], &settings);
        let graph = who_can::who_can_read_secrets(&inventory(name));
        for f in &report.findings {
            let subject = f.message.split(" can escalate").next().unwrap_or_default();
            assert!(
                graph.iter().any(|e| e.how == who_can::How::Escalation
                    && e.subject.to_string() == subject
                    && f.message.contains(&e.path)),
                "{name}: {} has no escalation entry in the graph",
                f.message
            );
            got.push(format!("{name}:{} {} {subject}", f.line, f.rule));
        }
    }
    assert_eq!(
        got,
        [
            "07-chain-bind-edit.yaml:21 RBG-004 User jane",
            "11-impersonation.yaml:12 RBG-004 Group support",
            "11-impersonation.yaml:18 RBG-004 User dave",
            "12-token-minting.yaml:12 RBG-004 ServiceAccount ci/deployer",
            "13-csr-and-webhooks.yaml:12 RBG-004 User erin",
            "15-escalate-verb.yaml:11 RBG-004 User frank",
            "16-chain-cluster-admin.yaml:12 RBG-004 ServiceAccount operators/rbac-operator",
            "17-bind-own-role.yaml:19 RBG-004 User grace",
        ]
    );
}
