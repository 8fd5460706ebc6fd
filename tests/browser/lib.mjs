// Helpers shared by the end-to-end tests (*.test.mjs): the seed's expected findings, reading
// findings off the page, editing the editor, and the deterministic 1,000-line manifest.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The seed examples' findings as native code computes them (web/tests/golden/seed-findings.json,
 * kept equal to native output by `cargo test -p secrets-guard-web --test seed_golden`):
 * `[{name, findings: [{rule, severity, line, column, end_line, end_column, path, suppressed}]}]`.
 */
export function golden() {
  return JSON.parse(readFileSync(join(ROOT, 'web/tests/golden/seed-findings.json'), 'utf8'));
}

/** The golden findings of the playground's starting document (the three seed examples). */
export function seedDocumentFindings() {
  const entry = golden().find((e) => e.name === 'document');
  assert.ok(entry, 'the golden file has a "document" entry');
  return entry.findings;
}

/**
 * The starting document: the seed's three examples joined by `---` lines, as
 * `examples::seed_document()` builds it.
 */
export function seedDocument() {
  return ['1-encryption-at-rest', '2-access-control', '3-audit-logging']
    .map((f) => readFileSync(join(ROOT, `examples/seed/${f}.yaml`), 'utf8').trimEnd())
    .join('\n---\n');
}

/** `RULE line severity` keys of active findings, sorted (how findings are compared). */
export function keys(findings) {
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => `${f.rule} ${f.line} ${f.severity}`)
    .sort();
}

/** The findings the page shows, as sorted `RULE line severity` keys. */
export async function shownFindings(page) {
  const shown = await page.locator('[data-testid=finding]').evaluateAll((els) =>
    els.map((e) => `${e.dataset.rule} ${e.dataset.line} ${e.dataset.severity}`),
  );
  return shown.sort();
}

/** Wait (up to `timeout` ms) until the page shows exactly `expected` (sorted keys). */
export async function expectFindings(page, expected, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let shown;
  for (;;) {
    shown = await shownFindings(page);
    if (JSON.stringify(shown) === JSON.stringify(expected)) return shown;
    if (Date.now() > deadline) break;
    await page.waitForTimeout(25);
  }
  assert.deepEqual(shown, expected, 'findings shown on the page');
}

/** The text of the editor. */
export async function editorText(page) {
  return page.locator('[data-testid=editor]').inputValue();
}

/** Replace the editor's text (as a paste would). */
export async function setEditorText(page, text) {
  await page.locator('[data-testid=editor]').fill(text);
}

/** Select `needle` (its first occurrence) in the editor, with the caret at its end. */
export async function selectInEditor(page, needle) {
  const editor = page.locator('[data-testid=editor]');
  await editor.focus();
  const found = await editor.evaluate((el, needle) => {
    const start = el.value.indexOf(needle);
    if (start < 0) return false;
    el.setSelectionRange(start, start + needle.length);
    return true;
  }, needle);
  assert.ok(found, `the editor contains ${JSON.stringify(needle)}`);
}

/** Put the caret right after `needle` (its first occurrence) in the editor. */
export async function caretAfter(page, needle) {
  const editor = page.locator('[data-testid=editor]');
  await editor.focus();
  const found = await editor.evaluate((el, needle) => {
    const start = el.value.indexOf(needle);
    if (start < 0) return false;
    el.setSelectionRange(start + needle.length, start + needle.length);
    return true;
  }, needle);
  assert.ok(found, `the editor contains ${JSON.stringify(needle)}`);
}

/** The milliseconds shown by `eval-time` ("<n.n> ms"). */
export async function shownEvalMillis(page) {
  const text = (await page.locator('[data-testid=eval-time]').textContent()).trim();
  const m = /^(\d+(?:\.\d+)?) ms$/.exec(text);
  assert.ok(m, `eval-time shows "<n.n> ms", not ${JSON.stringify(text)}`);
  return Number(m[1]);
}

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---- the 1,000-line manifest ---------------------------------------------------------------

const TEAMS = ['payments', 'search', 'checkout', 'identity', 'ledger', 'billing', 'catalog', 'media'];

function deployment(i, ns) {
  const name = `${ns}-api-${i}`;
  const literal = i % 3 === 0;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: ${ns}
spec:
  replicas: ${2 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${ns}-runner
      containers:
        - name: api
          image: registry.example.com/${ns}/api:1.${i}.0
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
${
  literal
    ? `              value: "S3cr3t-${ns}-${i}-Pa55w0rd!"`
    : `              valueFrom:
                secretKeyRef:
                  name: ${ns}-db
                  key: password`
}
          volumeMounts:
            - name: tls
              mountPath: /etc/tls
              readOnly: true
          resources:
            limits:
              memory: 256Mi
      volumes:
        - name: tls
          secret:
            secretName: ${ns}-tls
`;
}

function role(i, ns) {
  const verbs = i % 2 === 0 ? '["get", "list", "watch"]' : '["get"]';
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${ns}-secret-reader-${i}
  namespace: ${ns}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ${verbs}
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list"]
`;
}

function roleBinding(i, ns) {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${ns}-secret-reader-${i}
  namespace: ${ns}
subjects:
  - kind: ServiceAccount
    name: ${ns}-runner
    namespace: ${ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${ns}-secret-reader-${i}
`;
}

function secret(i, ns) {
  // Deterministic base64 payloads (not real keys).
  const b64 = (s) => Buffer.from(s).toString('base64');
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${ns}-db-${i}
  namespace: ${ns}
type: Opaque
data:
  username: ${b64(`${ns}-user-${i}`)}
  password: ${b64(`pw-${ns}-${i}-${(i * 7919) % 10007}`)}
`;
}

function configMap(i, ns) {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${ns}-settings-${i}
  namespace: ${ns}
data:
  LOG_FORMAT: json
  FEATURE_FLAGS: "search,checkout-v2"
  DATABASE_URL: "postgres://app:hunter${i}@db.${ns}.svc:5432/${ns}"
`;
}

/**
 * A realistic multi-document manifest of exactly `lines` lines (Deployments, Roles,
 * RoleBindings, Secrets and ConfigMaps of eight teams, some of them flawed), the same every time.
 */
export function manifest(lines = 1000) {
  const makers = [deployment, role, roleBinding, secret, configMap];
  const docs = [];
  let count = 0;
  for (let i = 0; ; i++) {
    const ns = TEAMS[i % TEAMS.length];
    const doc = makers[i % makers.length](i, ns).trimEnd();
    const docLines = doc.split('\n').length + (docs.length ? 1 : 0); // + the `---` line
    if (count + docLines > lines) break;
    docs.push(doc);
    count += docLines;
  }
  let text = docs.join('\n---\n');
  for (; count < lines; count++) text += `\n# padding ${count + 1}`;
  const n = text.split('\n').length;
  if (n !== lines) throw new Error(`manifest(): ${n} lines, not ${lines}`);
  return text + '\n';
}
