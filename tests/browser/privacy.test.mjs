// Nothing leaves the tab: after the page has loaded, it makes no request at all but, once, the
// GETs of its own background worker's files (when the rule docs, the Access or the Audit log tab
// are first opened), and it never
// contacts a host other than 127.0.0.1 (the harness checks the latter for every test).

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, expectFindings, keys, seedDocumentFindings, selectInEditor, setEditorText } from './lib.mjs';

export async function no_network_request_after_load(t) {
  const page = await t.open();
  await expectFindings(page, keys(seedDocumentFindings()));

  // Use the app: edit, paste, visit every tab, wait for anything deferred.
  await selectInEditor(page, '"watch"');
  await page.keyboard.type('"delete"', { delay: 10 });
  await setEditorText(page, 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n');
  for (const tab of ['gallery', 'settings', 'findings']) {
    await page.locator(`[data-testid=tab-${tab}]`).click();
  }
  await page.waitForTimeout(2000);

  const after = t.requestsAfterLoad().map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(after, [], 'requests made by the page after load');
  assert.equal(t.server.requests.length, t.serverRequestsAtLoad, 'requests the server saw after load');

  // The rule docs live in the background worker, fetched the first time they are opened: three
  // GETs of files of dist/ (no query, no body: nothing typed can ride along), then never again.
  const openDocs = async () => {
    await page.locator('[data-testid=tab-findings]').click();
    await page.locator('[data-testid=docs-button]').first().click();
    await page.locator('[data-testid=rule-docs] article[aria-busy=false]').waitFor();
    await page.locator('[data-testid=rule-docs] [data-testid=dialog-close]').click();
  };
  await openDocs();
  await page.waitForTimeout(500);
  const base = new URL(t.url).origin;
  const lazy = t.requestsAfterLoad().map((r) => `${r.method} ${r.url}`).sort();
  assert.deepEqual(lazy, [
    `GET ${base}/secrets-guard-worker.js`,
    `GET ${base}/secrets-guard-worker_bg.wasm`,
    `GET ${base}/secrets-guard-worker_loader.js`,
  ], 'the worker is the only thing fetched after load');
  await openDocs();
  await page.waitForTimeout(500);
  assert.equal(t.requestsAfterLoad().length, 3, 'the worker is fetched once');

  // The admission preview, Access and Audit log tabs ask the same worker: no request either,
  // whatever they read.
  await page.locator('[data-testid=tab-admission]').click();
  await page.locator('section.verdict[aria-busy=false]').waitFor();
  await page.locator('[data-testid=tab-access]').click();
  await page.locator('[data-testid=access][aria-busy=false]').waitFor();
  await page.locator('[data-testid=tab-audit]').click();
  await page.locator('[data-testid=audit-sample]').click();
  await page.locator('[data-testid=audit-summary]').waitFor();
  await page.waitForTimeout(500);
  assert.equal(t.requestsAfterLoad().length, 3, 'the admission, Access and Audit log tabs fetch nothing');

  // Before load: each of dist/'s files at most once, from 127.0.0.1, and nothing else.
  const files = new Set(readdirSync(join(ROOT, 'dist')).map((f) => `/${f}`));
  files.add('/');
  const paths = t.requests.map((r) => new URL(r.url)).filter((u) => u.protocol.startsWith('http'));
  for (const u of paths) {
    assert.equal(u.hostname, '127.0.0.1', u.href);
    assert.ok(files.has(u.pathname), `${u.pathname} is a file of dist/`);
  }
  const seen = paths.map((u) => u.pathname);
  assert.deepEqual(seen, [...new Set(seen)], 'no file is fetched twice');
  assert.ok(seen.some((p) => p.endsWith('.wasm')), 'the .wasm was fetched');
  t.note(`requests: ${seen.length} before load (${seen.join(', ')}), 0 after but the worker's 3`);
}
