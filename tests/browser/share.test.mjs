// Settings, admission preview, share links, redaction, export and suggested fixes, in the browser:
// the seed Role's verdict, a share link opened in a fresh browser, secret values kept out of a
// link, the JSON/SARIF exports equal to the CLI's output, and a suggested fix applied.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

import { ROOT, editorText, expectFindings, keys, seedDocumentFindings, setEditorText } from './lib.mjs';

/** The payload of a share link: `{text, tab, settings?}` (format 1: raw DEFLATE, base64url). */
function sharePayload(link) {
  const fragment = new URL(link).hash.slice(1);
  const params = new URLSearchParams(fragment);
  assert.equal(params.get('share'), '1', `share format of ${link.slice(0, 80)}`);
  assert.match(params.get('engine'), /^\d+\.\d+\.\d+/);
  return JSON.parse(inflateRawSync(Buffer.from(params.get('data'), 'base64url')).toString('utf8'));
}

/** Open the share dialog and return the link it offers. */
async function shareLink(page) {
  await page.locator('[data-testid=share-button]').click();
  await page.locator('[data-testid=share-dialog]').waitFor();
  const input = page.locator('[data-testid=share-link]');
  await input.waitFor();
  return input.inputValue();
}

/** The findings shown, as sorted `RULE line severity` keys. */
async function shown(page) {
  const all = await page
    .locator('[data-testid=finding]')
    .evaluateAll((els) => els.map((e) => `${e.dataset.rule} ${e.dataset.line} ${e.dataset.severity}`));
  return all.sort();
}

/** `secrets-guard scan --format <format> playground.yaml` on `text` (the CLI of this workspace). */
function cli(text, format) {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cli-'));
  try {
    writeFileSync(join(dir, 'playground.yaml'), text);
    const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
    const built = [process.env.SG_CLI, join(target, 'release/secrets-guard'), join(target, 'debug/secrets-guard')]
      .filter(Boolean)
      .find((p) => existsSync(p));
    const [cmd, args] = built
      ? [built, []]
      : ['cargo', ['run', '--quiet', '--manifest-path', join(ROOT, 'Cargo.toml'), '-p', 'secrets-guard-cli', '--']];
    try {
      return execFileSync(cmd, [...args, 'scan', '--format', format, 'playground.yaml'], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (e) {
      // Exit code 1: findings at or above --fail-on; the output is complete.
      if (e.status === 1 && e.stdout) return e.stdout;
      throw e;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The admission verdict, once the worker has answered for the current request. */
async function verdict(page) {
  await page.locator('section.verdict[aria-busy=false]').waitFor();
  return page.locator('[data-testid=admission-verdict]').textContent();
}

export async function admission_preview_rejects_the_seed_role(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-admission]').click();
  const object = page.locator('[data-testid=admission-object]');
  await object.selectOption({ label: 'Role default/secret-reader (line 15)' });
  await page.locator('[data-testid=admission-operation]').selectOption('CREATE');
  await page.locator('[data-testid=admission-user]').fill('jane@example.com');
  await page.locator('[data-testid=admission-groups]').fill('system:authenticated, dev');

  assert.equal((await verdict(page)).trim(), 'rejected');
  assert.equal((await page.locator('[data-testid=admission-code]').textContent()).trim(), 'code 403');
  const message = await page.locator('[data-testid=admission-message]').textContent();
  assert.ok(message.startsWith('[RBAC-001] '), message);
  assert.deepEqual(message.match(/\[[A-Z]+-\d{3}\]/g), ['[RBAC-001]', '[RBAC-001]'], 'the message names the rule (list and watch)');
  const warnings = await page.locator('[data-testid=admission-warnings] li').allTextContents();
  assert.ok(warnings.some((w) => w.startsWith('[RBAC-002]')), warnings.join('\n'));

  const response = JSON.parse(await page.locator('[data-testid=admission-response]').textContent());
  assert.equal(response.accepted, false);
  assert.equal(response.code, 403);
  assert.equal(response.message, message);
  assert.equal(response.audit_annotations['secrets-guard.io/findings'], 'high=2,medium=1,low=1');
  const review = JSON.parse(await page.locator('[data-testid=admission-review]').textContent());
  assert.equal(review.apiVersion, 'admission.k8s.io/v1');
  assert.equal(review.kind, 'AdmissionReview');
  assert.equal(review.response.allowed, false);
  assert.equal(review.response.status.code, 403);
  assert.equal(review.response.status.message, response.message);
  // The request the policy-server would send carries the chosen user, groups and object.
  const request = JSON.parse(await page.locator('[data-testid=admission-request]').textContent());
  assert.equal(request.request.uid, review.response.uid);
  assert.equal(request.request.operation, 'CREATE');
  assert.deepEqual(request.request.userInfo, { username: 'jane@example.com', groups: ['system:authenticated', 'dev'] });
  assert.equal(request.request.object.metadata.name, 'secret-reader');
  await t.screenshot('admission-seed-role');

  // DELETE is accepted; exempting the user accepts too (settings apply to the preview).
  await page.locator('[data-testid=admission-operation]').selectOption('DELETE');
  assert.equal((await verdict(page)).trim(), 'accepted');
  await page.locator('[data-testid=admission-operation]').selectOption('CREATE');
  assert.equal((await verdict(page)).trim(), 'rejected');
  await page.locator('[data-testid=tab-settings]').click();
  await page.locator('[data-testid=setting-exempt-users]').fill('jane@example.com');
  await page.locator('[data-testid=tab-admission]').click();
  await object.selectOption({ label: 'Role default/secret-reader (line 15)' });
  assert.equal((await verdict(page)).trim(), 'accepted');
  const exempt = JSON.parse(await page.locator('[data-testid=admission-response]').textContent());
  assert.equal(exempt.audit_annotations['secrets-guard.io/exempt'], 'user jane@example.com');

  // Raw mode for a document no webhook sees: the seed's EncryptionConfiguration.
  await object.selectOption({ label: 'EncryptionConfiguration (line 2)' });
  await page.locator('[data-testid=admission-raw-note]').waitFor();
  const raw = await page.locator('[data-testid=admission-message]').textContent();
  assert.deepEqual(raw.match(/\[[A-Z]+-\d{3}\]/g).sort(), ['[ENC-007]', '[ENC-008]']);
}

export async function invalid_settings_are_not_applied(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-settings]').click();
  await page.locator('[data-testid=setting-disable]').fill('RBAC-999');
  const error = page.locator('[data-testid=settings-error]');
  assert.match(await error.textContent(), /Not applied: unknown rule id or area `RBAC-999`/);
  // The settings in force are still the defaults.
  assert.match(await page.locator('[data-testid=settings-block]').textContent(), /^settings:\n  reject_at: "high"\n/);
  assert.match(await page.locator('[data-testid=settings-block]').textContent(), /\n  disable: \[\]\n/);
  await page.locator('[data-testid=setting-disable]').fill('RBAC-002');
  await error.waitFor({ state: 'detached' });
  assert.match(await page.locator('[data-testid=settings-block]').textContent(), /\n  disable:\n    - "RBAC-002"\n/);
  await page.locator('[data-testid=tab-findings]').click();
  const withoutRbac002 = keys(seedDocumentFindings()).filter((k) => !k.startsWith('RBAC-002 '));
  await expectFindings(page, withoutRbac002);
}

export async function a_share_link_opens_the_same_state_in_a_fresh_browser(t) {
  const page = await t.open();
  const text = (await editorText(page)).replace('verbs: ["get", "list", "watch"]', 'verbs: ["get", "list"]');
  await setEditorText(page, text);
  await page.locator('[data-testid=tab-settings]').click();
  await page.locator('[data-testid=setting-reject-at]').selectOption('critical');
  await page.locator('[data-testid=setting-disable]').fill('OBJ-007');
  await page.locator('[data-testid=tab-admission]').click();
  const link = await shareLink(page);
  assert.ok(link.startsWith(t.url + '#share=1&engine='), link.slice(0, 100));
  t.note(`share link of the edited seed document with two settings changed: ${link.length} characters`);
  const payload = sharePayload(link);
  assert.equal(payload.text, text);
  assert.equal(payload.tab, 'admission');
  assert.equal(payload.settings.reject_at, 'critical');
  assert.deepEqual(payload.settings.disable, ['OBJ-007']);

  await page.keyboard.press('Escape');
  await page.locator('[data-testid=share-link]').waitFor({ state: 'detached' });

  // A browser with an empty profile: no local storage, only the link.
  const { page: fresh } = await t.launch();
  await t.open(fresh, new URL(link).hash);
  assert.equal(await editorText(fresh), text);
  assert.equal(await fresh.locator('[data-testid=tab-admission]').getAttribute('aria-selected'), 'true');
  // The admission preview under the shared settings: RBAC-001 is high, below reject_at critical.
  assert.equal((await verdict(fresh)).trim(), 'accepted');
  await fresh.locator('[data-testid=tab-settings]').click();
  assert.equal(await fresh.locator('[data-testid=setting-reject-at]').inputValue(), 'critical');
  assert.equal(await fresh.locator('[data-testid=setting-disable]').inputValue(), 'OBJ-007');
  await fresh.locator('[data-testid=tab-findings]').click();
  await page.locator('[data-testid=tab-findings]').click();
  const expected = await shown(page);
  assert.ok(expected.length > 0 && !expected.some((k) => k.startsWith('OBJ-007 ')), expected.join(', '));
  await expectFindings(fresh, expected);
  // The fragment is dropped once opened, so a reload shows the work, not the link again.
  assert.equal(new URL(fresh.url()).hash, '');
  await t.screenshot('share-opened', fresh);

  // A damaged link: a clear error, and the page starts as usual.
  const { page: broken } = await t.launch();
  await t.open(broken, new URL(link).hash.slice(0, 120));
  assert.match(
    await broken.locator('[data-testid=share-error]').textContent(),
    /The share link could not be opened: the link's data is damaged/,
  );
}

export async function redaction_removes_secret_values_from_the_link(t) {
  const secrets = ['UzNjcjN0UGE1NQ==', 't0p-Secret-Value', 'Xk9vQ2mPz7LwR4tZ'];
  const text = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: db, namespace: shop}',
    'data:',
    `  password: ${secrets[0]}`,
    'stringData:',
    `  token: ${secrets[1]}`,
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api, namespace: shop}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: api',
    '        image: api:1',
    '        env:',
    '        - name: DB_PASSWORD',
    `          value: ${secrets[2]}`,
    '',
  ].join('\n');
  const page = await t.open();
  await setEditorText(page, text);
  const link = await shareLink(page);
  const redact = page.locator('[data-testid=share-redact]');
  assert.equal(await redact.isChecked(), true, 'redaction is on by default when there are secrets');
  const warning = await page.locator('[data-testid=share-warning]').textContent();
  assert.match(warning, /The link carries the text itself/);
  assert.match(warning, /3 secret values are replaced by REDACTED/);
  await t.screenshot('share-dialog-redacted');

  const payload = sharePayload(link);
  for (const s of secrets) assert.ok(!payload.text.includes(s), `${s} is not in the link`);
  assert.ok(!link.includes(Buffer.from(secrets[1]).toString('base64url')));
  assert.match(payload.text, /password: "UkVEQUNURUQ="/);
  assert.match(payload.text, /token: "REDACTED"/);
  assert.match(payload.text, /value: "REDACTED"/);
  assert.equal(payload.text.split('\n').length, text.split('\n').length, 'lines stay where they were');
  // The editor keeps the values.
  assert.equal(await editorText(page), text);

  // The same link opened elsewhere shows the redacted text, still readable YAML.
  const { page: fresh } = await t.launch();
  await t.open(fresh, new URL(link).hash);
  assert.equal(await editorText(fresh), payload.text);
  assert.equal(await fresh.locator('[data-testid=parse-error]').count(), 0);

  // Turning redaction off puts the values in the link, and the warning says so.
  await redact.uncheck();
  const plain = sharePayload(await page.locator('[data-testid=share-link]').inputValue());
  assert.equal(plain.text, text);
  assert.match(await page.locator('[data-testid=share-warning]').textContent(), /holds 3 secret values/);
}

export async function exports_equal_the_cli_output(t) {
  const page = await t.open();
  const text = await editorText(page);
  for (const [button, format] of [
    ['export-json', 'json'],
    ['export-sarif', 'sarif'],
  ]) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`[data-testid=${button}]`).click(),
    ]);
    assert.equal(download.suggestedFilename(), `secrets-guard.${format}`);
    const exported = readFileSync(await download.path(), 'utf8');
    assert.equal(exported, cli(text, format), `${format} export equals \`secrets-guard scan --format ${format}\``);
    if (format === 'json') {
      const report = JSON.parse(exported);
      assert.deepEqual(
        report.findings.map((f) => `${f.rule} ${f.line} ${f.severity}`).sort(),
        keys(seedDocumentFindings()),
      );
    }
  }
}

export async function a_suggested_fix_is_shown_and_applied(t) {
  const page = await t.open();
  await setEditorText(page, 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndata:\n  password: UzNjcjN0UGE1NQ==\n');
  const finding = page.locator('[data-testid=finding][data-rule=OBJ-008]');
  await finding.waitFor();
  await finding.locator('[data-testid=fix-button]').click();
  const fixed = page.locator('[data-testid=fixed-manifest]');
  await fixed.waitFor();
  assert.equal(
    await fixed.textContent(),
    'apiVersion: v1kind: Secretmetadata: {name: db, namespace: shop}immutable: truedata:  password: UzNjcjN0UGE1NQ==',
  );
  assert.deepEqual(await page.locator('[data-testid=fixed-manifest] [data-changed=true]').allTextContents(), ['immutable: true']);
  await t.screenshot('suggested-fix');
  await page.locator('[data-testid=apply-fix]').click();
  assert.equal(
    await editorText(page),
    'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\nimmutable: true\ndata:\n  password: UzNjcjN0UGE1NQ==\n',
  );
  await page.locator('[data-testid=finding][data-rule=OBJ-008]').waitFor({ state: 'detached' });
}

export async function files_are_imported_by_picker_and_by_drop(t) {
  const page = await t.open();
  const seed = await editorText(page);
  const role =
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: lister, namespace: app}\nrules:\n- apiGroups: [""]\n  resources: [secrets]\n  verbs: [list]\n';
  await page.locator('[data-testid=file-input]').setInputFiles([
    { name: 'lister.yaml', mimeType: 'text/yaml', buffer: Buffer.from(role) },
  ]);
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.includes('# lister.yaml'));
  assert.equal(await editorText(page), `${seed}\n---\n# lister.yaml\n${role}`);
  await page.locator('[data-testid=finding][data-rule=RBAC-001][data-line="50"]').waitFor();
  assert.match(await page.locator('[data-testid=io-status]').textContent(), /Imported lister\.yaml/);

  // Two files dropped onto the editor are appended in order.
  const pod = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}';
  await page.locator('[data-testid=editor]').evaluate((el, files) => {
    const dt = new DataTransfer();
    for (const [name, text] of files) dt.items.add(new File([text], name, { type: 'text/plain' }));
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [['a.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n'], ['pod.json', pod]]);
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.includes('# pod.json'));
  assert.equal(
    await editorText(page),
    `${seed}\n---\n# lister.yaml\n${role.trimEnd()}\n---\n# a.yaml\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# pod.json\n${pod}\n`,
  );
  await page.locator('[data-testid=finding][data-rule=WL-005]').first().waitFor();
}

export async function ctrl_s_copies_a_share_link_of_the_current_state(t) {
  const page = await t.open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
  const text = (await editorText(page)).replace('name: secret-reader', 'name: ctrl-s-reader');
  await setEditorText(page, text);
  // The dialog is closed: the link is made when the shortcut is pressed.
  await page.locator('[data-testid=tab-findings]').focus();
  await page.keyboard.press('Control+s');
  await page.locator('[data-testid=share-status]').filter({ hasText: 'The link is on the clipboard.' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.locator('[data-testid=share-link]').inputValue(), 'the dialog shows the copied link');
  assert.equal(sharePayload(copied).text, text, 'the link carries the edited text');
}
