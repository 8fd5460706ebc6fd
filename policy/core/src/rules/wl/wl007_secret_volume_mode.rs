use super::model::{describe, secret_volumes};
use crate::k8s::workload::pod_spec;
use crate::rules::prelude::*;
use crate::yaml::Value;

declare_rule! {
    /// ## What it does
    /// Checks the file modes of Secret volumes: `secret.defaultMode`, `secret.items[].mode`, and
    /// for `projected` volumes with a `secret` source, `projected.defaultMode` and
    /// `sources[].secret.items[].mode`. It reports a mode that:
    /// - is a decimal number that reads like octal: `defaultMode: 400` is decimal 400 = `0o620`
    ///   (`rw--w----`), not `0o400`. Only three-digit values made of the digits 0, 4, 5, 6, 7 and
    ///   starting with 4–7 are taken for octal look-alikes, so the usual decimal forms (`420` =
    ///   `0o644`, `256` = `0o400`, `384` = `0o600`, `288` = `0o440`) pass;
    /// - is outside 0–0777 (0–511), which the apiserver rejects (`644` is decimal 644 > 511);
    /// - is a quoted string (`"0400"`) or not an integer, which the apiserver rejects;
    /// - has a leading zero in a `.json` file (JSON has no octal numbers);
    /// - grants write permission to group or others (`0o022` bits).
    ///
    /// ## Why is this bad?
    /// The default mode is `0644`. The field is an integer: YAML reads `0400` as octal, but JSON
    /// only has decimal, and a decimal value such as `400` silently becomes a different,
    /// unintended permission set. Secret volumes are mounted read-only, so write bits do not make
    /// the files writable in place, but they carry over when files are copied with their mode
    /// (an init container's `cp -p`) and show the mode was not set deliberately.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: tls
    ///     secret:
    ///       secretName: web-tls
    ///       defaultMode: 400
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// volumes:
    ///   - name: tls
    ///     secret:
    ///       secretName: web-tls
    ///       defaultMode: 0400 # YAML octal; in JSON write 256
    /// ```
    ///
    /// ## References
    /// - [Volume API reference: `secret.defaultMode`, `items[].mode`](https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/volume/) ("Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511 … Defaults to 0644")
    /// - [Distribute credentials securely using Secrets](https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/)
    pub struct SecretVolumeMode;
    id: "WL-007",
    title: "Secret volume file mode is wrong or too open",
    severity: Low,
    area: Workload,
    cis: [],
    peers: [],
    remediation: "Write the mode in octal with a leading zero in YAML (`0400`) or as its decimal value in JSON (256), without group/other write.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: modes, namespace: app}
spec:
  containers:
    - name: app
      image: busybox
      volumeMounts: [{name: tls, mountPath: /tls, readOnly: true}]
  volumes:
    - name: tls
      secret:
        secretName: web-tls
        defaultMode: 0400
        items:
          - {key: tls.key, path: tls.key, mode: 256}
          - {key: tls.crt, path: tls.crt, mode: 420}
    - name: config
      configMap: {name: settings, defaultMode: 0777}
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: rotate, namespace: app}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: rotate, image: busybox}]
          volumes:
            - name: creds
              projected:
                defaultMode: 0440
                sources:
                  - secret: {name: creds, items: [{key: token, path: token, mode: 0o600}]}
            - name: cm
              projected:
                defaultMode: 0666
                sources: [{configMap: {name: settings}}]
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: decimal-looks-octal, namespace: app}
spec:
  containers: [{name: app, image: busybox}]
  volumes:
    - name: tls
      secret:
        secretName: web-tls
        defaultMode: 400 # <-
        items:
          - key: tls.key
            path: tls.key
            mode: 644 # <-
          - key: ca.crt
            path: ca.crt
            mode: "0444" # <-
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: writable, namespace: app}
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: job, image: busybox}]
          volumes:
            - name: creds
              projected:
                defaultMode: 0666 # <-
                sources:
                  - secret:
                      name: creds
                      items: [{key: a, path: a, mode: 0777}] # <-
"#,
        r#"{"apiVersion": "apps/v1", "kind": "Deployment",
 "metadata": {"name": "web", "namespace": "app"},
 "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx"}],
   "volumes": [{"name": "s", "secret": {"secretName": "s",
     "defaultMode": 438}}]}}}} # <-
"#,
    ],
}

impl Rule for SecretVolumeMode {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        let json = obj.file.ends_with(".json");
        for v in secret_volumes(spec) {
            let mut modes: Vec<(&Node<'_>, String)> = vec![];
            if let Some(s) = v.volume.get("secret") {
                if let Some(n) = s.get("defaultMode") {
                    modes.push((n, "`defaultMode`".into()));
                }
                for item in s.get("items").map(Node::items).unwrap_or_default() {
                    if let Some(n) = item.get("mode") {
                        modes.push((n, item_label(item)));
                    }
                }
            }
            if let Some(p) = v.volume.get("projected") {
                if let Some(n) = p.get("defaultMode") {
                    modes.push((n, "projected `defaultMode`".into()));
                }
                for src in p.get("sources").map(Node::items).unwrap_or_default() {
                    let Some(s) = src.get("secret") else { continue };
                    for item in s.get("items").map(Node::items).unwrap_or_default() {
                        if let Some(n) = item.get("mode") {
                            modes.push((n, item_label(item)));
                        }
                    }
                }
            }
            for (node, what) in modes {
                if let Some(problem) = judge(node, json) {
                    cx.report(
                        obj,
                        node,
                        format!(
                            "{} Secret volume `{}` ({}): {what} {problem}",
                            describe(obj),
                            v.name,
                            v.secret_list(),
                        ),
                    );
                }
            }
        }
    }
}

fn item_label(item: &Node<'_>) -> String {
    match item.get("key").and_then(Node::as_str) {
        Some(k) => format!("`mode` of key `{k}`"),
        None => "item `mode`".into(),
    }
}

/// `rw-r-----` for the low nine permission bits.
fn rwx(v: i64) -> String {
    let mut s = String::with_capacity(9);
    for shift in [6, 3, 0] {
        let b = (v >> shift) & 7;
        s.push(if b & 4 != 0 { 'r' } else { '-' });
        s.push(if b & 2 != 0 { 'w' } else { '-' });
        s.push(if b & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// Three digits from {0,4,5,6,7}, the first at least 4: how octal permissions look.
fn looks_octal(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 3 && matches!(b[0], b'4'..=b'7') && b.iter().all(|c| matches!(c, b'0' | b'4'..=b'7'))
}

/// What is wrong with a mode node, if anything.
fn judge(node: &Node<'_>, json: bool) -> Option<String> {
    if node.is_null() {
        return None;
    }
    let Some(text) = node.plain_text() else {
        return Some(match &node.value {
            Value::Scalar(s) => format!(
                "is the string `\"{}\"`: the field is an integer and the apiserver rejects a string",
                s.text
            ),
            _ => "is not a number: the apiserver rejects it".into(),
        });
    };
    let Some(v) = node.as_i64() else {
        return Some(format!(
            "is `{text}`, not an int32: the apiserver rejects it"
        ));
    };
    let decimal = !text.starts_with('0') && text.bytes().all(|c| c.is_ascii_digit());
    if !(0..=0o777).contains(&v) {
        let hint = if decimal && text.bytes().all(|c| matches!(c, b'0'..=b'7')) {
            format!(" (decimal; did you mean octal `0{text}`?)")
        } else {
            String::new()
        };
        return Some(format!(
            "is {text}{hint}, outside 0–0777 (0–511): the apiserver rejects it"
        ));
    }
    if decimal && looks_octal(text) {
        let meant = i64::from_str_radix(text, 8).unwrap_or(0);
        return Some(format!(
            "is decimal {text} = 0o{v:o} ({}), not 0o{text}: write `0{text}` in YAML or {meant} in JSON",
            rwx(v)
        ));
    }
    if json && text.len() > 1 && text.starts_with('0') {
        return Some(format!(
            "is `{text}`, a number with a leading zero, which is not valid JSON: write the decimal value {v}"
        ));
    }
    if v & 0o022 != 0 {
        return Some(format!(
            "is 0o{v:03o} ({}), which gives group or others write permission",
            rwx(v)
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::{evaluate, Settings};

    #[test]
    fn json_file_with_leading_zero() {
        let text = r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
 "spec": {"containers": [{"name": "c", "image": "i"}],
  "volumes": [{"name": "s", "secret": {"secretName": "s", "defaultMode": 0400}}]}}"#;
        let settings = Settings {
            enable: vec!["WL-007".into()],
            ..Settings::default()
        };
        let r = evaluate(&[("pod.json", text)], &settings);
        assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        assert!(r.findings[0].message.contains("not valid JSON"));
        let r = evaluate(&[("pod.yaml", text)], &settings);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }
}
