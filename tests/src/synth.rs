//! A deterministic synthetic corpus of mixed Kubernetes objects, for the benchmark.
//!
//! Same seed, same bytes: Deployments, ConfigMaps, Pods, Services, Roles, RoleBindings, Secrets
//! and ServiceAccounts in realistic shapes, some of them flawed (so rules have work to do).

use std::fmt::Write;

/// splitmix64: tiny, fast, and deterministic across platforms.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn word(&mut self, len: usize) -> String {
        const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| A[self.below(A.len() as u64) as usize] as char)
            .collect()
    }
}

const NAMESPACES: &[&str] = &[
    "default",
    "payments",
    "web",
    "data",
    "ops",
    "kube-system",
    "monitoring",
];
const APPS: &[&str] = &[
    "api", "frontend", "worker", "cache", "db", "gateway", "billing", "search", "auth", "mailer",
];

/// The seed of `make bench`'s corpus (and of the one `make compare` writes with `compare-prep synth`).
pub const BENCH_SEED: u64 = 0x5EC2E75;

/// Objects per file in `make bench`'s corpus.
pub const BENCH_PER_FILE: usize = 100;

/// Generate `count` objects as multi-document YAML files of `per_file` objects each.
/// Returns (file name, contents) pairs.
pub fn corpus(seed: u64, count: usize, per_file: usize) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let mut files = vec![];
    let mut current = String::new();
    for i in 0..count {
        if i > 0 {
            current.push_str("---\n");
        }
        object(&mut rng, i, &mut current);
        if (i + 1) % per_file == 0 || i + 1 == count {
            files.push((
                format!("objects-{:05}.yaml", files.len()),
                std::mem::take(&mut current),
            ));
        }
    }
    files
}

fn object(rng: &mut Rng, i: usize, out: &mut String) {
    let ns = rng.pick(NAMESPACES);
    let app = rng.pick(APPS);
    let name = format!("{app}-{i}");
    match rng.below(100) {
        0..=19 => deployment(rng, out, &name, ns, app),
        20..=39 => configmap(rng, out, &name, ns),
        40..=49 => pod(rng, out, &name, ns, app),
        50..=64 => service(out, &name, ns, app),
        65..=72 => role(rng, out, &name, ns),
        73..=80 => binding(rng, out, &name, ns),
        // Secrets and ServiceAccounts carry the names workloads refer to, as in a real repo.
        81..=92 => {
            let secret_name = format!("{app}-{}", rng.pick(&["creds", "db"]));
            secret(rng, out, &secret_name, ns)
        }
        _ => service_account(rng, out, app, ns),
    }
}

fn container(rng: &mut Rng, out: &mut String, app: &str, indent: &str) {
    let _ = writeln!(out, "{indent}- name: {app}");
    let _ = writeln!(
        out,
        "{indent}  image: registry.example.com/{app}:1.{}.{}",
        rng.below(20),
        rng.below(10)
    );
    let _ = writeln!(
        out,
        "{indent}  ports:\n{indent}    - containerPort: {}",
        8000 + rng.below(1000)
    );
    let _ = writeln!(out, "{indent}  env:");
    for k in 0..(4 + rng.below(7)) {
        let _ = writeln!(
            out,
            "{indent}    - name: SETTING_{k}\n{indent}      value: \"{}\"",
            rng.word(12)
        );
    }
    match rng.below(10) {
        0 => {
            let _ = writeln!(
                out,
                "{indent}    - name: DB_PASSWORD\n{indent}      valueFrom:\n{indent}        secretKeyRef: {{name: {app}-db, key: password}}"
            );
        }
        1 => {
            let _ = writeln!(
                out,
                "{indent}    - name: API_TOKEN\n{indent}      value: \"ghp_{}\"",
                rng.word(36)
            );
        }
        _ => {}
    }
    let _ = writeln!(
        out,
        "{indent}  resources:\n{indent}    requests: {{cpu: {}m, memory: {}Mi}}\n{indent}    limits: {{cpu: {}m, memory: {}Mi}}",
        100 + rng.below(400),
        128 + rng.below(512),
        500 + rng.below(1000),
        512 + rng.below(1024)
    );
    let _ = writeln!(
        out,
        "{indent}  readinessProbe:\n{indent}    httpGet: {{path: /healthz, port: 8080}}\n{indent}    periodSeconds: 10"
    );
    if rng.below(8) == 0 {
        let _ = writeln!(out, "{indent}  securityContext: {{privileged: true}}");
    }
}

fn pod_spec(rng: &mut Rng, out: &mut String, app: &str, indent: &str) {
    if rng.below(3) == 0 {
        let _ = writeln!(out, "{indent}serviceAccountName: {app}");
    }
    if rng.below(4) == 0 {
        let _ = writeln!(out, "{indent}automountServiceAccountToken: false");
    }
    let _ = writeln!(out, "{indent}containers:");
    container(rng, out, app, indent);
    if rng.below(4) == 0 {
        container(rng, out, "sidecar", indent);
    }
    if rng.below(3) == 0 {
        let _ = writeln!(
            out,
            "{indent}volumes:\n{indent}  - name: creds\n{indent}    secret:\n{indent}      secretName: {app}-creds\n{indent}      defaultMode: 0400"
        );
    }
}

fn labels(out: &mut String, app: &str, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}labels:\n{indent}  app.kubernetes.io/name: {app}\n{indent}  app.kubernetes.io/part-of: shop\n{indent}  tier: backend\n{indent}  team: platform"
    );
}

fn deployment(rng: &mut Rng, out: &mut String, name: &str, ns: &str, app: &str) {
    let _ = writeln!(
        out,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\n  annotations:\n    deployment.kubernetes.io/revision: \"{}\"\n    example.com/owner: team-{}@example.com",
        rng.below(50),
        rng.word(6)
    );
    labels(out, app, "  ");
    let _ = writeln!(
        out,
        "spec:\n  replicas: {}\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:",
        1 + rng.below(5)
    );
    labels(out, app, "      ");
    let _ = writeln!(out, "    spec:");
    pod_spec(rng, out, app, "      ");
}

fn pod(rng: &mut Rng, out: &mut String, name: &str, ns: &str, app: &str) {
    let _ = writeln!(
        out,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}"
    );
    labels(out, app, "  ");
    let _ = writeln!(out, "spec:");
    pod_spec(rng, out, app, "  ");
}

fn configmap(rng: &mut Rng, out: &mut String, name: &str, ns: &str) {
    let _ = writeln!(
        out,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:"
    );
    for k in 0..(8 + rng.below(12)) {
        let _ = writeln!(out, "  key_{k}: \"{}\"", rng.word(24));
    }
    let _ = writeln!(out, "  LOG_LEVEL: info\n  PASSWORD_MIN_LENGTH: \"12\"");
    if rng.below(10) == 0 {
        let _ = writeln!(
            out,
            "  DATABASE_URL: postgres://app:{}@db:5432/app",
            rng.word(16)
        );
    }
    let _ = writeln!(
        out,
        "  app.properties: |\n    server.port=8080\n    cache.size={}\n    feature.flags=a,b,c\n    http.timeout=30s\n    retry.max=5\n    metrics.enabled=true",
        rng.below(1000)
    );
}

fn service(out: &mut String, name: &str, ns: &str, app: &str) {
    let _ = writeln!(
        out,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  selector:\n    app: {app}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n      protocol: TCP"
    );
}

fn role(rng: &mut Rng, out: &mut String, name: &str, ns: &str) {
    let verbs = rng.pick(&[
        "[get]",
        "[get, list]",
        "[get, list, watch]",
        "[\"*\"]",
        "[create, update]",
    ]);
    let res = rng.pick(&[
        "[pods]",
        "[configmaps]",
        "[secrets]",
        "[deployments]",
        "[\"*\"]",
    ]);
    let _ = writeln!(
        out,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\n  namespace: {ns}\nrules:\n  - apiGroups: [\"\", apps]\n    resources: {res}\n    verbs: {verbs}"
    );
}

fn binding(rng: &mut Rng, out: &mut String, name: &str, ns: &str) {
    let role = rng.pick(&["view", "edit", "admin", "reader", "cluster-admin"]);
    let kind = if role == "reader" {
        "Role"
    } else {
        "ClusterRole"
    };
    let _ = writeln!(
        out,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {name}\n  namespace: {ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {kind}\n  name: {role}\nsubjects:\n  - kind: ServiceAccount\n    name: {}\n    namespace: {ns}",
        rng.pick(APPS)
    );
}

fn secret(rng: &mut Rng, out: &mut String, name: &str, ns: &str) {
    let _ = writeln!(
        out,
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: {ns}\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: {}",
        rng.word(24)
    );
}

fn service_account(rng: &mut Rng, out: &mut String, name: &str, ns: &str) {
    let _ = writeln!(
        out,
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n  namespace: {ns}"
    );
    if rng.below(2) == 0 {
        let _ = writeln!(out, "automountServiceAccountToken: false");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn deterministic_and_parseable() {
        let a = super::corpus(7, 300, 100);
        let b = super::corpus(7, 300, 100);
        assert_eq!(a, b);
        let report = secrets_guard_core::evaluate(
            &a.iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect::<Vec<_>>(),
            &Default::default(),
        );
        assert!(report.errors.is_empty(), "{:?}", report.errors.first());
        assert_eq!(report.summary.objects, 300);
    }
}
