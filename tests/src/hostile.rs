//! The hostile-input suite: one list of cases, run against the three front ends.
//!
//! - the CLI binary (`policy/cli/tests/hostile.rs`): `secrets-guard scan --format json` on the
//!   case written to a file, with its wall time and peak RSS (`wait4` rusage);
//! - the Kubewarden policy, `policy.wasm` in the waPC host (`tests/tests/hostile_policy.rs`): the
//!   case as a raw request (a YAML string), and JSON objects also inside an `AdmissionRequest`;
//! - the Wasm core in headless Chromium (`web/tests/wasm_hostile.rs`): the case through
//!   `secrets_guard_web::engine::evaluate`, what the playground's editor calls.
//!
//! Every input is built here, deterministically and in memory (no 50 MB fixture in git). Each
//! case states, per front end, the exact set of rule ids it must report and the input error it
//! must give (a message substring) or that it gives none; and every run must finish within
//! [`TIME_LIMIT_MS`] and [`MEMORY_LIMIT_BYTES`]. The front ends differ where they should: the
//! CLI's limits are [`secrets_guard_core::yaml::Limits::default`], the policy and the playground
//! use the tighter `admission_limits`; the CLI refuses bytes that are not UTF-8 while the
//! browser decodes a file as the Encoding Standard says (a UTF-16 byte-order mark is honoured,
//! invalid bytes become U+FFFD), and the policy's payload is JSON, which must be UTF-8.
//!
//! This file is plain `std` Rust: the web crate's tests include it with `#[path]`, the CLI's
//! tests too, so the three runners share this list rather than copies of it.

/// Every case must be answered within this wall time (milliseconds).
pub const TIME_LIMIT_MS: u64 = 2_000;

/// Every case must be answered within this memory (peak RSS of the CLI, the policy's linear
/// memory, the playground's Wasm memory).
pub const MEMORY_LIMIT_BYTES: u64 = 256 * 1024 * 1024;

/// What one front end must answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// Exactly these rule ids have (unsuppressed) findings, sorted.
    pub rules: &'static [&'static str],
    /// Some input error contains this text; `None`: there is no input error at all.
    pub error: Option<&'static str>,
}

/// Neither findings nor errors.
pub const CLEAN: Expect = Expect {
    rules: &[],
    error: None,
};

/// An input error containing `text`, and no findings.
pub const fn error(text: &'static str) -> Expect {
    Expect {
        rules: &[],
        error: Some(text),
    }
}

/// These findings, and no input error.
pub const fn rules(ids: &'static [&'static str]) -> Expect {
    Expect {
        rules: ids,
        error: None,
    }
}

/// One hostile input.
pub struct Case {
    pub name: &'static str,
    /// The input's bytes (a file's content, the editor's text, the raw request).
    pub input: fn() -> Vec<u8>,
    /// Limits set for this case: the CLI flag `--max-…`, the `limits` setting of the policy and
    /// of the playground (the other limits keep each front end's defaults).
    pub limits: &'static [(&'static str, usize)],
    pub cli: Expect,
    pub policy: Expect,
    pub web: Expect,
}

impl Case {
    /// The same expectation in the three front ends.
    const fn same(name: &'static str, input: fn() -> Vec<u8>, expect: Expect) -> Case {
        Case {
            name,
            input,
            limits: &[],
            cli: expect,
            policy: expect,
            web: expect,
        }
    }

    /// The `limits` settings object of the case, as JSON (`{}` when it sets none).
    pub fn limits_json(&self) -> String {
        let fields: Vec<String> = self
            .limits
            .iter()
            .map(|(name, v)| format!("\"{name}\":{v}"))
            .collect();
        format!("{{{}}}", fields.join(","))
    }

    /// The CLI flags that set the case's limits.
    pub fn limit_flags(&self) -> Vec<String> {
        self.limits
            .iter()
            .flat_map(|(name, v)| [format!("--{}", name.replace('_', "-")), v.to_string()])
            .collect()
    }
}

// --- Building blocks -----------------------------------------------------------------------

/// A Role that may list Secrets: RBAC-001, RBAC-002 and OBJ-007.
const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: secret-reader
  namespace: default
rules:
  - apiGroups: [\"\"]
    resources: [\"secrets\"]
    verbs: [\"get\", \"list\", \"watch\"]
";
const ROLE_RULES: &[&str] = &["OBJ-007", "RBAC-001", "RBAC-002"];

/// The same Role as one line of JSON.
const ROLE_JSON: &str = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"secret-reader","namespace":"default"},"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get","list","watch"]}]}"#;

/// A small deterministic pseudo-random generator (xorshift64*), for junk that is the same on
/// every run.
pub struct Junk(u64);

impl Junk {
    pub fn new(seed: u64) -> Junk {
        Junk(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next_u64() >> 56) as u8).collect()
    }
}

/// `n` base64 characters (a legitimate-looking Secret value).
fn base64_text(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut j = Junk::new(7);
    (0..n)
        .map(|_| ALPHABET[(j.next_u64() >> 58) as usize] as char)
        .collect()
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

// --- The inputs ----------------------------------------------------------------------------

fn billion_laughs() -> Vec<u8> {
    let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n");
    s.push_str("  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = 'a';
    for c in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 10].join(",");
        s.push_str(&format!("  {c}: &{c} [{refs}]\n"));
        prev = c;
    }
    s.into_bytes()
}

/// Few nodes, much text: a 64 KiB scalar aliased 2,000 times (128 MiB once expanded).
fn alias_text_bomb() -> Vec<u8> {
    let value = "x".repeat(64 * 1024);
    let refs = vec!["*v"; 2000].join(", ");
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\nvalue: &v \"{value}\"\ncopies: [{refs}]\n")
        .into_bytes()
}

/// An alias chain: each level holds the previous one (depth grows by one per level).
fn alias_chain() -> Vec<u8> {
    let mut s = String::from("kind: ConfigMap\nmetadata: {name: chain}\nl0: &l0 [x]\n");
    for i in 1..=120 {
        s.push_str(&format!("l{i}: &l{i} [*l{}]\n", i - 1));
    }
    s.into_bytes()
}

fn unknown_anchor() -> Vec<u8> {
    format!("{ROLE}---\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: *nowhere\n").into_bytes()
}

fn deep_flow() -> Vec<u8> {
    let mut s = "[".repeat(10_000);
    s.push_str(&"]".repeat(10_000));
    s.into_bytes()
}

fn deep_block() -> Vec<u8> {
    // `- - - - … x`: 10,000 nested block sequences on one line.
    let mut s = "- ".repeat(10_000);
    s.push_str("x\n");
    s.into_bytes()
}

fn deep_block_200() -> Vec<u8> {
    let mut s = "- ".repeat(200);
    s.push_str("x\n");
    s.into_bytes()
}

fn deep_flow_300() -> Vec<u8> {
    format!("{}x{}", "[".repeat(300), "]".repeat(300)).into_bytes()
}

fn deep_json_object() -> Vec<u8> {
    let mut s =
        String::from(r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":"#);
    s.push_str(&r#"{"a":"#.repeat(10_000));
    s.push('1');
    s.push_str(&"}".repeat(10_000));
    s.push('}');
    s.into_bytes()
}

/// A 50 MB document: one ConfigMap with a million data keys.
fn document_50mb() -> Vec<u8> {
    let mut s = String::with_capacity(50 * 1024 * 1024 + 100);
    s.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n");
    let mut i = 0u32;
    while s.len() < 50_000_000 {
        s.push_str(&format!(
            "  key{i:08}: value-{i:08}-abcdefghijklmnopqrstuvwx\n"
        ));
        i += 1;
    }
    s.into_bytes()
}

/// A Secret whose one value is a 1 MB line of base64: legitimate (a Secret holds up to 1 MiB).
fn line_1mb_secret() -> Vec<u8> {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: blob\n  namespace: app\ntype: Opaque\ndata:\n  blob: {}\n",
        base64_text(1024 * 1024)
    )
    .into_bytes()
}

/// A minified JSON List of Roles on a single line of about 1 MB (each Role carries a 16 KiB
/// annotation).
fn line_1mb_json_list() -> Vec<u8> {
    let note = base64_text(16 * 1024);
    let mut items = vec![];
    let mut len = 0;
    let mut i = 0;
    while len < 1024 * 1024 {
        let item = ROLE_JSON.replace(
            r#""name":"secret-reader","#,
            &format!(r#""name":"reader-{i}","annotations":{{"note":"{note}"}},"#),
        );
        len += item.len() + 1;
        items.push(item);
        i += 1;
    }
    format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        items.join(",")
    )
    .into_bytes()
}

fn invalid_utf8() -> Vec<u8> {
    let mut b = ROLE.replace("secret-reader", "reader-\u{1}").into_bytes();
    // `\u{1}` becomes two bytes that are not UTF-8: a lone continuation byte and a bad lead.
    let at = b.iter().position(|&c| c == 1).unwrap_or(0);
    b.splice(at..=at, [0x80, 0xC3, 0x28]);
    b
}

fn utf16_le() -> Vec<u8> {
    utf16(ROLE, false)
}

fn utf16_be() -> Vec<u8> {
    utf16(ROLE, true)
}

fn utf8_bom() -> Vec<u8> {
    format!("\u{feff}{ROLE}").into_bytes()
}

fn duplicate_keys() -> Vec<u8> {
    // The last value of a repeated key counts (as go-yaml's non-strict decoding does).
    "apiVersion: rbac.authorization.k8s.io/v1
kind: ConfigMap
kind: Role
metadata:
  name: dup
  name: secret-reader
  namespace: default
rules:
  - apiGroups: [\"\"]
    resources: [\"configmaps\"]
    resources: [\"secrets\"]
    verbs: [\"get\"]
    verbs: [\"get\", \"list\", \"watch\"]
"
    .into()
}

/// Every field the rules read, with the wrong type: scalars for lists and maps, lists for
/// maps, maps for scalars.
fn wrong_types() -> Vec<u8> {
    "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: [not, a, map]
rules: \"everything\"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: [x], annotations: 5, labels: \"x\"}
rules:
  - apiGroups: \"\"
    resources: {secrets: yes}
    verbs: 7
    resourceNames: {a: b}
  - 42
  - [list]
aggregationRule: \"x\"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: [x]}
subjects: 3
roleRef: [Role, r]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: c}
subjects: [5, {kind: [User]}, {kind: ServiceAccount, name: {a: b}, namespace: 1}]
roleRef: {kind: {a: b}, name: [x], apiGroup: 1}
---
apiVersion: v1
kind: Secret
metadata: {name: s, annotations: [x]}
type: [Opaque]
data: [a, b]
stringData: 5
immutable: \"yes\"
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
secrets: {name: x}
imagePullSecrets: 4
automountServiceAccountToken: \"maybe\"
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app}
spec:
  serviceAccountName: [a]
  automountServiceAccountToken: {x: y}
  volumes: {secret: x}
  containers:
    - name: c
      image: [nginx]
      env: {DB_PASSWORD: x}
      envFrom: 5
      securityContext: []
      volumeMounts: \"x\"
    - 17
  initContainers: {a: b}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template: [x]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec: {template: {spec: 5}}
---
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources: {secrets: x}
---
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: secrets
    providers: {aescbc: x}
  - resources: [secrets]
    providers: [5, {identity: x}, {aesgcm: {keys: 3}}, {kms: [x]}, {secretbox: {keys: [{name: 1, secret: [x]}]}}]
---
apiVersion: audit.k8s.io/v1
kind: Policy
rules: {level: Metadata}
omitStages: 5
---
apiVersion: audit.k8s.io/v1
kind: Policy
rules: [5, {level: [x], resources: \"secrets\"}, {level: None, resources: [{group: 1, resources: 2}]}]
"
    .into()
}

/// Numbers (and booleans, nulls) where the rules expect strings.
fn numbers_for_strings() -> Vec<u8> {
    "apiVersion: 1
kind: Role
metadata: {name: 123, namespace: 0x10}
rules:
  - apiGroups: [0]
    resources: [1, 2.5, true, null]
    verbs: [1e3, -1, .inf, .nan]
---
apiVersion: v1
kind: Secret
metadata: {name: 7, namespace: 8}
type: 9
data: {password: 12345, token: true, empty: null}
stringData: {a: 1.5}
---
apiVersion: v1
kind: Pod
metadata: {name: 1, namespace: 2}
spec:
  serviceAccountName: 3
  automountServiceAccountToken: 1
  containers:
    - name: 4
      image: 5
      env: [{name: 6, value: 7}, {name: DB_PASSWORD, value: 99999999}]
"
    .into()
}

fn huge_integers() -> Vec<u8> {
    let big = "9".repeat(5_000);
    format!(
        "apiVersion: v1
kind: Pod
metadata: {{name: big, namespace: app}}
spec:
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {big}
  securityContext: {{runAsUser: -{big}, fsGroup: 0x{big}}}
  volumes:
    - name: s
      secret: {{secretName: s, defaultMode: 0{big}, items: [{{key: a, path: a, mode: 0o{big}}}]}}
  containers:
    - name: c
      image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000
      ports: [{{containerPort: 1e400}}, {{containerPort: -1e400}}, {{containerPort: 18446744073709551616}}]
"
    )
    .into_bytes()
}

/// 64 KiB of pseudo-random bytes.
fn binary_junk() -> Vec<u8> {
    Junk::new(42).bytes(64 * 1024)
}

/// 64 KiB of pseudo-random characters, valid UTF-8 (control characters, YAML indicators,
/// letters, non-ASCII).
fn text_junk() -> Vec<u8> {
    const PIECES: &[&str] = &[
        "\u{0}", "\u{7}", "\t", "\n", "\r", " ", ":", "-", "?", "[", "]", "{", "}", "&", "*", "!",
        "|", ">", "'", "\"", "%", "@", "`", "#", ",", "a", "kind", "é", "\u{2028}", "\u{feff}",
        "---", "...",
    ];
    let mut j = Junk::new(1234);
    let mut s = String::new();
    while s.len() < 64 * 1024 {
        s.push_str(PIECES[(j.next_u64() % PIECES.len() as u64) as usize]);
    }
    s.into_bytes()
}

fn tabs() -> Vec<u8> {
    // A tab-indented document (invalid YAML), then the Role with tabs inside flow collections
    // and values (valid).
    format!(
        "kind: ConfigMap\nmetadata:\n\tname: tabbed\n---\n{}",
        ROLE.replace("[\"get\", \"list\", \"watch\"]", "[\t\"get\",\t\"list\"\t]")
            .replace(
                "name: secret-reader",
                "name: secret-reader\t# tab before a comment"
            )
    )
    .into_bytes()
}

fn tags() -> Vec<u8> {
    "--- !!map
apiVersion: !!str rbac.authorization.k8s.io/v1
kind: !!str Role
metadata: !custom {name: !!str secret-reader, namespace: default}
rules: !!seq
  - apiGroups: [!!str \"\"]
    resources: [!!str secrets]
    verbs: !<tag:yaml.org,2002:seq> [!!str list, !!binary Z2V0]
---
apiVersion: v1
kind: !Secret Secret
metadata: {name: tagged, namespace: app}
data: {key: !!binary cGFzc3dvcmQ=, other: !!int 12}
"
    .into()
}

fn merge_keys() -> Vec<u8> {
    "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: merged
  namespace: default
base: &base
  apiGroups: [\"\"]
  resources: [secrets]
rules:
  - <<: *base
    verbs: [list]
  - <<: [*base, {verbs: [get]}]
"
    .into()
}

/// A merge whose both sides have 40,000 keys (quadratic when merged pairwise).
fn merge_keys_large() -> Vec<u8> {
    let n = 40_000;
    let own: Vec<String> = (0..n).map(|i| format!("k{i}: own")).collect();
    let merged: Vec<String> = (n / 2..n + n / 2)
        .map(|i| format!("k{i}: merged"))
        .collect();
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: merge}}\ndata: {{<<: {{{}}}, {}}}\n",
        merged.join(", "),
        own.join(", ")
    )
    .into_bytes()
}

fn crlf() -> Vec<u8> {
    ROLE.replace('\n', "\r\n").into_bytes()
}

fn empty() -> Vec<u8> {
    vec![]
}

fn comments_only() -> Vec<u8> {
    b"# nothing here\n\n---\n# still nothing\n...\n   \n".to_vec()
}

/// 100,000 tiny documents, each a ServiceAccount.
fn tiny_documents() -> Vec<u8> {
    let mut s = String::new();
    for i in 0..100_000 {
        s.push_str(&format!(
            "---\nkind: ServiceAccount\nmetadata: {{name: sa{i}}}\n"
        ));
    }
    s.into_bytes()
}

/// 250,000 documents: over the CLI's max_documents.
fn too_many_documents() -> Vec<u8> {
    "---\na: 1\n".repeat(250_000).into_bytes()
}

/// 5,000 Roles, RoleBindings, ServiceAccounts and Pods in one file: the cross-object rules
/// over a large inventory.
fn large_inventory() -> Vec<u8> {
    let mut s = String::new();
    for i in 0..5_000 {
        s.push_str(&format!(
            "---
kind: Role
apiVersion: rbac.authorization.k8s.io/v1
metadata: {{name: r{i}, namespace: ns{n}}}
rules: [{{apiGroups: [\"\"], resources: [secrets], verbs: [get], resourceNames: [s{i}]}}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {{name: b{i}, namespace: ns{n}}}
subjects: [{{kind: ServiceAccount, name: sa{i}, namespace: ns{n}}}]
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: r{i}}}
---
kind: ServiceAccount
apiVersion: v1
metadata: {{name: sa{i}, namespace: ns{n}}}
automountServiceAccountToken: false
---
kind: Pod
apiVersion: v1
metadata: {{name: p{i}, namespace: ns{n}}}
spec:
  serviceAccountName: sa{i}
  automountServiceAccountToken: false
  containers: [{{name: c, image: \"nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\"}}]
",
            n = i % 50
        ));
    }
    s.into_bytes()
}

fn nul_bytes() -> Vec<u8> {
    ROLE.replace("secret-reader", "secret\u{0}reader")
        .into_bytes()
}

fn long_key() -> Vec<u8> {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: k}}\ndata:\n  {}: v\n",
        "k".repeat(1024 * 1024)
    )
    .into_bytes()
}

fn role_bytes() -> Vec<u8> {
    ROLE.as_bytes().to_vec()
}

fn role_in_five_documents() -> Vec<u8> {
    format!("{ROLE}---\n").repeat(5).into_bytes()
}

fn nested_ten() -> Vec<u8> {
    format!("{ROLE}extra: {}1{}\n", "[".repeat(10), "]".repeat(10)).into_bytes()
}

fn small_alias() -> Vec<u8> {
    ROLE.replace(
        "    verbs: [\"get\", \"list\", \"watch\"]\n",
        "    verbs: &v [\"get\", \"list\", \"watch\"]\nother: *v\n",
    )
    .into_bytes()
}

// --- The cases -----------------------------------------------------------------------------

/// The error of a limit, as the three front ends word it (the limit's name and value).
const CLI_MAX_DOCUMENT_CHARS: &str =
    "over the limit max_document_chars=16777216 (raise it with --max-document-chars or the `limits` setting)";
const POLICY_MAX_DOCUMENT_CHARS: &str =
    "over the limit max_document_chars=8388608 (raise it with --max-document-chars or the `limits` setting)";

/// Raising max_depth past the parser's own limit.
const PARSER_DEPTH: &str = "nesting deeper than 256 levels, the YAML parser's fixed limit";

/// Every case. Names are unique; the runners report them.
pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "billion-laughs",
            input: billion_laughs,
            limits: &[],
            cli: error("over the limit max_alias_nodes=100000 (raise it with --max-alias-nodes or the `limits` setting)"),
            policy: error("over the limit max_alias_nodes=10000"),
            web: error("over the limit max_alias_nodes=10000"),
        },
        Case {
            name: "alias-text-bomb",
            input: alias_text_bomb,
            limits: &[],
            cli: error(CLI_MAX_DOCUMENT_CHARS),
            policy: error("over the limit max_document_chars=8388608"),
            web: error(POLICY_MAX_DOCUMENT_CHARS),
        },
        Case::same("alias-chain-120", alias_chain, CLEAN),
        Case::same(
            "unknown-anchor",
            unknown_anchor,
            Expect {
                rules: ROLE_RULES,
                error: Some("while parsing node, found unknown anchor"),
            },
        ),
        Case {
            name: "nesting-10000-flow",
            input: deep_flow,
            limits: &[],
            cli: error("nesting too deep, over the limit max_depth=128 (raise it with --max-depth or the `limits` setting)"),
            policy: error("nesting too deep, over the limit max_depth=64"),
            web: error("nesting too deep, over the limit max_depth=64 (raise it with --max-depth or the `limits` setting)"),
        },
        Case {
            name: "nesting-10000-block",
            input: deep_block,
            limits: &[],
            cli: error("nesting too deep, over the limit max_depth=128 (raise it with --max-depth or the `limits` setting)"),
            policy: error("nesting too deep, over the limit max_depth=64"),
            web: error("nesting too deep, over the limit max_depth=64 (raise it with --max-depth or the `limits` setting)"),
        },
        Case {
            name: "nesting-10000-json-object",
            input: deep_json_object,
            limits: &[],
            cli: error("nesting too deep, over the limit max_depth=128 (raise it with --max-depth or the `limits` setting)"),
            policy: error("nesting too deep, over the limit max_depth=64"),
            web: error("nesting too deep, over the limit max_depth=64 (raise it with --max-depth or the `limits` setting)"),
        },
        Case {
            name: "document-50mb",
            input: document_50mb,
            limits: &[],
            cli: error(CLI_MAX_DOCUMENT_CHARS),
            policy: error("over the limit max_input_bytes=8388608"),
            web: error("over the limit max_input_bytes=8388608 (raise it with --max-input-bytes or the `limits` setting)"),
        },
        Case {
            name: "nesting-200-max-depth-raised",
            input: deep_block_200,
            limits: &[("max_depth", 300)],
            cli: CLEAN,
            policy: CLEAN,
            web: CLEAN,
        },
        Case {
            name: "nesting-300-beyond-the-parser",
            input: deep_flow_300,
            limits: &[("max_depth", 1000)],
            cli: error(PARSER_DEPTH),
            policy: error(PARSER_DEPTH),
            web: error(PARSER_DEPTH),
        },
        Case::same(
            "line-1mb-secret",
            line_1mb_secret,
            rules(&["OBJ-001", "OBJ-008"]),
        ),
        Case::same(
            "line-1mb-minified-json-list",
            line_1mb_json_list,
            rules(ROLE_RULES),
        ),
        Case {
            name: "line-over-max-line-bytes",
            input: line_1mb_secret,
            limits: &[("max_line_bytes", 65_536)],
            cli: error("line 8 is 1048584 bytes long, over the limit max_line_bytes=65536 (raise it with --max-line-bytes or the `limits` setting)"),
            policy: error("line 8 is 1048584 bytes long, over the limit max_line_bytes=65536"),
            web: error("line 8 is 1048584 bytes long, over the limit max_line_bytes=65536 (raise it with --max-line-bytes or the `limits` setting)"),
        },
        Case {
            name: "invalid-utf8",
            input: invalid_utf8,
            limits: &[],
            cli: error("input is not valid UTF-8"),
            policy: error("invalid ValidationRequest"),
            web: rules(ROLE_RULES),
        },
        Case {
            name: "utf16-le-bom",
            input: utf16_le,
            limits: &[],
            cli: error("input is UTF-16 (byte-order mark found); save it as UTF-8"),
            policy: error("invalid ValidationRequest"),
            web: rules(ROLE_RULES),
        },
        Case {
            name: "utf16-be-bom",
            input: utf16_be,
            limits: &[],
            cli: error("input is UTF-16 (byte-order mark found); save it as UTF-8"),
            policy: error("invalid ValidationRequest"),
            web: rules(ROLE_RULES),
        },
        Case::same("utf8-bom", utf8_bom, rules(ROLE_RULES)),
        Case::same("duplicate-keys", duplicate_keys, rules(ROLE_RULES)),
        Case::same(
            "wrong-types-everywhere",
            wrong_types,
            rules(&[
                "AUD-009", "ENC-001", "ENC-002", "ENC-007", "ENC-008", "ENC-012", "ENC-013",
                "ENC-014", "ENC-016", "ENC-017", "RBAC-026", "RBAC-027", "WL-005",
            ]),
        ),
        Case::same(
            "numbers-for-strings",
            numbers_for_strings,
            rules(&["OBJ-001", "OBJ-002", "OBJ-008", "OBJ-011", "RBG-009", "WL-005"]),
        ),
        Case::same("huge-integers", huge_integers, rules(&["WL-007"])),
        Case {
            name: "binary-junk",
            input: binary_junk,
            limits: &[],
            cli: error("input is not valid UTF-8"),
            policy: error("invalid ValidationRequest"),
            web: error("found unprintable character"),
        },
        Case::same(
            "text-junk",
            text_junk,
            error("\"-\" is only valid inside a block"),
        ),
        Case::same(
            "tabs",
            tabs,
            Expect {
                rules: ROLE_RULES,
                error: Some("tabs disallowed within this context (block indentation)"),
            },
        ),
        Case::same(
            "yaml-tags",
            tags,
            rules(&["OBJ-001", "OBJ-007", "OBJ-008", "OBJ-011", "RBAC-001"]),
        ),
        Case::same("merge-keys", merge_keys, rules(ROLE_RULES)),
        Case::same("merge-keys-40000", merge_keys_large, CLEAN),
        Case::same("crlf-line-ends", crlf, rules(ROLE_RULES)),
        Case::same("empty-file", empty, CLEAN),
        Case::same("comments-only", comments_only, CLEAN),
        Case {
            name: "documents-100000-tiny",
            input: tiny_documents,
            limits: &[],
            cli: CLEAN,
            policy: error("too many documents, over the limit max_documents=10000"),
            web: Expect {
                rules: &[],
                error: Some("too many documents, over the limit max_documents=10000 (raise it with --max-documents or the `limits` setting)"),
            },
        },
        Case {
            name: "documents-250000",
            input: too_many_documents,
            limits: &[],
            cli: error("too many documents, over the limit max_documents=200000 (raise it with --max-documents or the `limits` setting)"),
            policy: error("too many documents, over the limit max_documents=10000"),
            web: error("too many documents, over the limit max_documents=10000 (raise it with --max-documents or the `limits` setting)"),
        },
        Case {
            name: "objects-20000-cross-object",
            input: large_inventory,
            limits: &[],
            cli: rules(&["RBAC-003", "RBG-001"]),
            // 20,000 documents: the policy and the playground read their first 10,000.
            policy: Expect {
                rules: &["RBAC-003", "RBG-001"],
                error: Some("too many documents, over the limit max_documents=10000"),
            },
            web: Expect {
                rules: &["RBAC-003", "RBG-001"],
                error: Some("too many documents, over the limit max_documents=10000 (raise it with --max-documents or the `limits` setting)"),
            },
        },
        Case::same("nul-bytes", nul_bytes, error("found unprintable character")),
        // YAML bounds implicit keys to 1024 characters.
        Case::same(
            "key-1mb",
            long_key,
            error("mapping values are not allowed in this context"),
        ),
        // Each limit, lowered through the CLI flag and the `limits` setting.
        Case {
            name: "limit-max-input-bytes",
            input: role_bytes,
            limits: &[("max_input_bytes", 100)],
            cli: error("over the limit max_input_bytes=100 (raise it with --max-input-bytes or the `limits` setting)"),
            policy: error("over the limit max_input_bytes=100"),
            web: error("over the limit max_input_bytes=100 (raise it with --max-input-bytes or the `limits` setting)"),
        },
        Case {
            name: "limit-max-document-chars",
            input: role_bytes,
            limits: &[("max_document_chars", 100)],
            cli: error("over the limit max_document_chars=100 (raise it with --max-document-chars or the `limits` setting)"),
            policy: error("over the limit max_document_chars=100"),
            web: error("over the limit max_document_chars=100 (raise it with --max-document-chars or the `limits` setting)"),
        },
        Case {
            name: "limit-max-depth",
            input: nested_ten,
            limits: &[("max_depth", 5)],
            cli: error("nesting too deep, over the limit max_depth=5 (raise it with --max-depth or the `limits` setting)"),
            policy: error("nesting too deep, over the limit max_depth=5"),
            web: error("nesting too deep, over the limit max_depth=5 (raise it with --max-depth or the `limits` setting)"),
        },
        Case {
            name: "limit-max-alias-nodes",
            input: small_alias,
            limits: &[("max_alias_nodes", 0)],
            cli: error("over the limit max_alias_nodes=0 (raise it with --max-alias-nodes or the `limits` setting)"),
            policy: error("over the limit max_alias_nodes=0"),
            web: error("over the limit max_alias_nodes=0 (raise it with --max-alias-nodes or the `limits` setting)"),
        },
        Case {
            name: "limit-max-documents",
            input: role_in_five_documents,
            limits: &[("max_documents", 3)],
            cli: Expect {
                rules: ROLE_RULES,
                error: Some("too many documents, over the limit max_documents=3 (raise it with --max-documents or the `limits` setting)"),
            },
            policy: Expect {
                rules: ROLE_RULES,
                error: Some("too many documents, over the limit max_documents=3"),
            },
            web: Expect {
                rules: ROLE_RULES,
                error: Some("too many documents, over the limit max_documents=3 (raise it with --max-documents or the `limits` setting)"),
            },
        },
    ]
}
