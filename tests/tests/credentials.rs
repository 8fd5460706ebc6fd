//! Credential detection end to end: real credentials in env values, args and ConfigMaps are
//! reported (also base64-encoded), and ordinary settings with credential-like names are not.

use secrets_guard_core::{evaluate, Settings};

fn rules_on(yaml: &str) -> Vec<(&'static str, u32)> {
    let report = evaluate(&[("input.yaml", yaml)], &Settings::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
        .findings
        .iter()
        .filter(|f| ["WL-003", "WL-004", "OBJ-006"].contains(&f.rule))
        .map(|f| (f.rule, f.line))
        .collect()
}

#[test]
fn no_false_alarms_on_ordinary_settings() {
    let yaml = r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data:
  PASSWORD_MIN_LENGTH: "12"
  SECRET_NAME: web-tls
  TOKEN_TTL: "3600"
  KEYCLOAK_URL: https://sso.example.com/auth
  SECRET_FILE: /etc/secret/db-password
  PASSWORD_ENABLED: "true"
  API_KEY_HEADER: X-Api-Key
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          args: ["--token-file=/var/run/secrets/tokens/api", "--password-min-length=12"]
          env:
            - {name: PASSWORD_MIN_LENGTH, value: "12"}
            - {name: SECRET_NAME, value: web-tls}
            - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
            - {name: DB_PASSWORD_FILE, value: /run/secrets/db}
            - {name: OAUTH_CLIENT_SECRET, value: "${OAUTH_CLIENT_SECRET}"}
"#;
    assert_eq!(rules_on(yaml), vec![]);
}

#[test]
fn real_credentials_are_reported_at_their_lines() {
    let yaml = r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: leaky, namespace: shop}
data:
  AWS_ACCESS_KEY_ID: AKIAZ3Q5RUVW7XYZ4ABC
  DATABASE_URL: postgres://app:Zx9vQ2mN7pLk@db.shop.svc:5432/app
  GITHUB_TOKEN_B64: Z2hwX2FCY0RlRmdIaUprTG1Ob1BxUnNUdVZ3WHlaMDEyMzQ1Njc4OWFi
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: shop}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: fetch
              image: registry.example.com/fetch:1
              env:
                - {name: SLACK_WEBHOOK, value: "https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFGH/abcdefghijklmnopqrstuvwx"}
          containers:
            - name: backup
              image: registry.example.com/backup:1
              args: ["--password=Zx9vQ2mN7pLk!r", "--host=db"]
"#;
    let found = rules_on(yaml);
    for want in [
        ("OBJ-006", 6),
        ("OBJ-006", 7),
        ("OBJ-006", 8),
        ("WL-003", 23),
        ("WL-004", 27),
    ] {
        assert!(found.contains(&want), "missing {want:?} in {found:?}");
    }
}
