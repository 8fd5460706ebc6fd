//! `make bench-access`: the who-can access graph on a synthetic cluster.
//!
//! Generates in process (deterministic, fixed seed) 500 namespaces, 2,000 Roles, 10,000
//! RoleBindings (plus a few ClusterRoles and ClusterRoleBindings), then measures in one process:
//! the parse-only baseline (the span-aware loader alone over the same text), loading the
//! inventory (loader + summaries), building the graph (`who_can_read_secrets`), answering
//! "who can read Secrets in ns-N" for every namespace from it, and `reach_of` for one
//! identity. Reports median times, the ratios to parse-only, peak RSS and a digest of the graph
//! (every entry's fields, in order: an optimisation must leave it unchanged).
//!
//! Options: `--namespaces N` (500), `--roles N` (2000), `--bindings N` (10000),
//! `--iterations N` (3; the median is reported), `--write PATH` (only write the cluster's YAML).

use std::fmt::Write;
use std::time::{Duration, Instant};

use secrets_guard_core::k8s::who_can::{self, AccessEntry, How, Identity};
use secrets_guard_core::yaml::{parse_documents, Limits};
use secrets_guard_core::{Evaluator, Settings};
use secrets_guard_tests::peak_rss_bytes;
use secrets_guard_tests::synth::Rng;

const SEED: u64 = 0xACCE55;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The synthetic cluster as one multi-document YAML text.
fn cluster(namespaces: usize, roles: usize, bindings: usize) -> String {
    let mut rng = Rng::new(SEED);
    let mut s = String::new();
    const RULES: &[&str] = &[
        "  - {apiGroups: [\"\"], resources: [pods, services], verbs: [get, list, watch]}\n",
        "  - {apiGroups: [\"\"], resources: [secrets], verbs: [get, list]}\n",
        "  - {apiGroups: [\"\"], resources: [secrets], resourceNames: [app-config], verbs: [get]}\n",
        "  - {apiGroups: [apps], resources: [deployments], verbs: [create, update, patch]}\n",
        "  - {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n",
        "  - {apiGroups: [\"\"], resources: [configmaps], verbs: [\"*\"]}\n",
        "  - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}\n",
        "  - {apiGroups: [\"\"], resources: [serviceaccounts/token], verbs: [create]}\n",
    ];
    for r in 0..roles {
        let ns = r % namespaces;
        let _ = write!(
            s,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: role-{r}, namespace: ns-{ns}}}\nrules:\n"
        );
        for _ in 0..1 + rng.below(3) {
            s += RULES[rng.below(RULES.len() as u64) as usize];
        }
    }
    // A few cluster-wide grants.
    s += "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: binder}\nrules:\n  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}\n";
    for (i, role) in ["view", "binder", "edit"].iter().enumerate() {
        let _ = write!(
            s,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {{name: crb-{i}}}\nsubjects: [{{kind: Group, name: team-{i}, apiGroup: rbac.authorization.k8s.io}}]\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role}}}\n"
        );
    }
    let per_ns = (roles / namespaces).max(1);
    for b in 0..bindings {
        let ns = b % namespaces;
        let role_ref = match rng.below(10) {
            0 => "{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}".to_string(),
            1 => "{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}".to_string(),
            2 => {
                "{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}".to_string()
            }
            _ => {
                let r = ns + namespaces * rng.below(per_ns as u64) as usize;
                format!("{{apiGroup: rbac.authorization.k8s.io, kind: Role, name: role-{r}}}")
            }
        };
        let _ = write!(
            s,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: rb-{b}, namespace: ns-{ns}}}\nsubjects:\n"
        );
        for _ in 0..1 + rng.below(3) {
            match rng.below(3) {
                0 => {
                    let _ = writeln!(
                        s,
                        "  - {{kind: User, name: user-{}, apiGroup: rbac.authorization.k8s.io}}",
                        rng.below(2000)
                    );
                }
                1 => {
                    let _ = writeln!(
                        s,
                        "  - {{kind: Group, name: team-{}, apiGroup: rbac.authorization.k8s.io}}",
                        rng.below(100)
                    );
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "  - {{kind: ServiceAccount, name: sa-{}}}",
                        rng.below(20)
                    );
                }
            }
        }
        let _ = writeln!(s, "roleRef: {role_ref}");
    }
    s
}

/// FNV-1a over every field of every entry, in order: equal digests mean an unchanged graph
/// (same entries, order and paths), whatever the implementation.
fn graph_digest(entries: &[AccessEntry]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0xff]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for e in entries {
        eat(&e.subject.to_string());
        eat(e.scope_label());
        eat(e.how.as_str());
        eat(&e.path);
        eat(&e.what);
        for s in &e.secrets {
            eat(s);
        }
        eat("");
    }
    h
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let namespaces = arg("--namespaces", 500).max(1);
    let roles = arg("--roles", 2000);
    let bindings = arg("--bindings", 10_000);
    let iterations = arg("--iterations", 3).max(1);
    let text = cluster(namespaces, roles, bindings);
    if let Some(i) = std::env::args().position(|a| a == "--write") {
        // The cluster as a file, e.g. for `secrets-guard who-can` on the same input.
        let path = std::env::args().nth(i + 1).expect("--write PATH");
        std::fs::write(&path, &text).expect("write the cluster");
        println!("wrote {path}");
        return;
    }
    println!(
        "cluster: {namespaces} namespaces, {roles} Roles, {bindings} RoleBindings (+1 ClusterRole, 3 ClusterRoleBindings), {:.1} MB of YAML",
        text.len() as f64 / 1e6
    );
    let settings = Settings {
        enable: vec!["RBG-001".into()],
        ..Settings::default()
    };
    let (mut parse, mut load, mut graph, mut answer, mut reach_t) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut entries = 0;
    let (mut digest, mut reach_digest) = (0, 0);
    let mut by_how = [0usize; 3];
    let mut answered = 0;
    let mut reach = 0;
    for _ in 0..iterations {
        let t = Instant::now();
        let mut docs = 0;
        parse_documents(&text, &Limits::default(), |d| {
            if let Ok(d) = d {
                std::hint::black_box(&d.root);
                docs += 1;
            }
        });
        parse.push(t.elapsed());
        assert_eq!(docs, roles + bindings + 4);

        let t = Instant::now();
        let mut ev = Evaluator::new(&settings);
        ev.keep_inventory();
        ev.add_source("cluster.yaml", &text);
        let (inv, errors) = ev.into_inventory();
        load.push(t.elapsed());
        assert!(errors.is_empty(), "{errors:?}");

        let t = Instant::now();
        let all = who_can::who_can_read_secrets(&inv);
        graph.push(t.elapsed());
        entries = all.len();
        digest = graph_digest(&all);
        by_how = [How::Direct, How::Implicit, How::Escalation]
            .map(|h| all.iter().filter(|e| e.how == h).count());

        // "Who can read Secrets in ns-N?" for every namespace, from the one graph (the filter
        // of `who_can::in_namespace`, by reference), then one `in_namespace` call as the CLI
        // makes it.
        let t = Instant::now();
        answered = 0;
        for ns in 0..namespaces {
            let ns = format!("ns-{ns}");
            answered += all.iter().filter(|e| e.scope.covers(&ns)).count();
        }
        let one = who_can::in_namespace(all, "ns-7").len();
        std::hint::black_box(one);
        answer.push(t.elapsed());

        // What one identity reaches (builds its own graph, as `who-can --subject` does).
        let t = Instant::now();
        let who = Identity {
            user: "user-7".into(),
            groups: vec!["team-1".into(), "team-42".into()],
        };
        let reached = who_can::reach_of(&inv, &who);
        reach_t.push(t.elapsed());
        reach = reached.len();
        reach_digest = graph_digest(&reached);
    }
    let (p, l, g, a, r) = (
        median(parse),
        median(load),
        median(graph),
        median(answer),
        median(reach_t),
    );
    println!(
        "entries: {entries} (direct {}, implicit {}, escalation {}); digest {digest:016x}",
        by_how[0], by_how[1], by_how[2]
    );
    println!("parse only (baseline):          {:8.1} ms", ms(p));
    println!("load inventory (parse+collect): {:8.1} ms", ms(l));
    println!(
        "build who-can graph:            {:8.1} ms   ({:.2}x parse-only)",
        ms(g),
        g.as_secs_f64() / p.as_secs_f64()
    );
    println!(
        "answer every namespace from the graph ({answered} rows):  {:8.1} ms",
        ms(a)
    );
    println!(
        "reach_of one identity ({reach} entries, own graph):     {:8.1} ms   (digest {reach_digest:016x})",
        ms(r)
    );
    println!(
        "load + graph + answers: {:.1} ms ({:.2}x parse-only); peak RSS {:.0} MB",
        ms(l + g + a),
        (l + g + a).as_secs_f64() / p.as_secs_f64(),
        peak_rss_bytes().unwrap_or(0) as f64 / 1e6
    );
}
