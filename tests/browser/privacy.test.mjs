// Nothing leaves the tab: after the page has loaded, it makes no request at all, and it never
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
  for (const tab of ['gallery', 'settings', 'admission', 'findings']) {
    await page.locator(`[data-testid=tab-${tab}]`).click();
  }
  await page.waitForTimeout(2000);

  const after = t.requestsAfterLoad().map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(after, [], 'requests made by the page after load');
  assert.equal(t.server.requests.length, t.serverRequestsAtLoad, 'requests the server saw after load');

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
  t.note(`requests: ${seen.length} before load (${seen.join(', ')}), 0 after`);
}
