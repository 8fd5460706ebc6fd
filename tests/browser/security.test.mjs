// User text is never HTML: markup and scripts inside YAML values are shown as text, and the
// Content-Security-Policy (scripts only from 'self' plus 'wasm-unsafe-eval') is in force.

import assert from 'node:assert/strict';

import { setEditorText } from './lib.mjs';

/** A Role whose name (quoted in RBAC-001's message) and namespace carry `payload`. */
function role(name, namespace = 'team') {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${JSON.stringify(name)}
  namespace: ${JSON.stringify(namespace)}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["list"]
`;
}

function directives(csp) {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

export async function csp_allows_only_self_and_wasm_unsafe_eval(t) {
  const page = await t.open();
  const metas = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('content')));
  assert.equal(metas.length, 1, 'one CSP meta');
  const csp = directives(metas[0]);
  assert.deepEqual(csp['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(csp['style-src'], ["'self'"]);
  assert.deepEqual(csp['default-src'], ["'self'"]);
  assert.deepEqual(csp['connect-src'], ["'self'"]);
  assert.deepEqual(csp['object-src'], ["'none'"]);
  assert.ok(!/unsafe-inline|unsafe-eval'|\*/.test(metas[0].replace("'wasm-unsafe-eval'", '')), metas[0]);

  // The app loaded under that policy without violating it (the harness checks violations).
  // An inline script put into the page does not run, and the browser reports the violation.
  t.allow.cspViolations = true;
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__sgInline = 1';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return window.__sgInline === 1;
  });
  assert.equal(ran, false, 'an inline script ran');
  const violations = await page.evaluate(() => window.__sg.cspViolations);
  assert.ok(violations.some((v) => v.startsWith('script-src')), `violations: ${violations}`);
}

export async function inline_script_in_a_yaml_value_does_not_execute(t) {
  const page = await t.open();
  const payload = '<script>window.__sgPwned = 1; alert("pwned")</script>';
  const scriptsBefore = await page.locator('script').count();
  await setEditorText(page, role(payload, '</textarea><script>window.__sgPwned = 2</script>'));
  // The seed's own RBAC-001 findings stay until the debounced evaluation: wait for this one.
  const finding = page
    .locator('[data-testid=finding][data-rule=RBAC-001]')
    .filter({ hasText: 'window.__sgPwned = 1' });
  await finding.waitFor();
  assert.ok((await finding.textContent()).includes(payload), 'the payload is shown as text');
  assert.equal(await page.locator('script').count(), scriptsBefore, 'no script element was added');
  assert.equal(await page.evaluate(() => window.__sgPwned), undefined);
  await page.waitForTimeout(200);
  assert.deepEqual(t.dialogs, []);
}

export async function xss_payloads_in_yaml_values_stay_text(t) {
  const page = await t.open();
  const payloads = [
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(2)>',
    '"><iframe src="javascript:alert(3)"></iframe>',
    '<a href="javascript:alert(4)">x</a>',
  ];
  await setEditorText(page, payloads.map((p, i) => role(p, `team-${i}`)).join('---\n'));
  const findings = page.locator('[data-testid=finding][data-rule=RBAC-001]');
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid=finding][data-rule=RBAC-001]').length === n,
    payloads.length,
  );
  const texts = await findings.allTextContents();
  for (const p of payloads) {
    assert.ok(texts.some((text) => text.includes(p)), `${p} is shown as text`);
  }
  assert.equal(await page.locator('img[src=x], svg[onload], iframe, a[href^="javascript:"]').count(), 0);
  await page.waitForTimeout(300);
  assert.deepEqual(t.dialogs, [], 'no dialog opened');
  await t.screenshot('xss-as-text');
}
