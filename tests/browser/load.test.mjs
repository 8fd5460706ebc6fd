// The page loads with the seed article's three examples and shows their findings; editing the
// text updates the findings live; the main views render (screenshots in the artifacts folder).

import assert from 'node:assert/strict';

import {
  caretAfter,
  editorText,
  expectFindings,
  keys,
  seedDocument,
  seedDocumentFindings,
  selectInEditor,
  shownEvalMillis,
} from './lib.mjs';

/** `secrets-guard scan` of examples/seed, shifted onto the joined starting document. */
const SEED_RULES = [
  'AUD-001', 'AUD-015', 'AUD-015', 'AUD-015', 'ENC-003', 'ENC-007', 'ENC-008',
  'OBJ-007', 'RBAC-001', 'RBAC-001', 'RBAC-002',
];

export async function page_loads_with_the_seed_examples_and_their_findings(t) {
  const page = await t.open();
  assert.equal(await editorText(page), seedDocument());
  const shown = await expectFindings(page, keys(seedDocumentFindings()));
  assert.deepEqual(shown.map((k) => k.split(' ')[0]).sort(), SEED_RULES);
  // The Role's `list` and `watch` (line 23 of the joined document) are both reported.
  assert.deepEqual(shown.filter((k) => k.startsWith('RBAC-001 ')), ['RBAC-001 23 high', 'RBAC-001 23 high']);
  await shownEvalMillis(page);
  await t.screenshot('findings');
}

export async function typing_a_change_updates_the_findings_live(t) {
  const page = await t.open();
  const seed = keys(seedDocumentFindings());
  await expectFindings(page, seed);
  const withoutListWatch = seed.filter((k) => !k.startsWith('RBAC-001 '));
  assert.equal(seed.length - withoutListWatch.length, 2);

  // Delete `, "list", "watch"` from the seed Role's verbs: both RBAC-001 findings go.
  await selectInEditor(page, ', "list", "watch"');
  await page.keyboard.press('Backspace');
  assert.match(await editorText(page), /verbs: \["get"\]/);
  await expectFindings(page, withoutListWatch);

  // Type `, "list"` back, key by key: RBAC-001 comes back once, on the same line.
  await caretAfter(page, 'verbs: ["get"');
  await page.keyboard.type(', "list"', { delay: 20 });
  assert.match(await editorText(page), /verbs: \["get", "list"\]/);
  await expectFindings(page, [...withoutListWatch, 'RBAC-001 23 high'].sort());
  await shownEvalMillis(page);
  await t.screenshot('after-edit');
}

export async function the_main_views_render(t) {
  const page = await t.open();
  await expectFindings(page, keys(seedDocumentFindings()));
  const tabs = ['findings', 'gallery', 'settings', 'admission'];
  for (const tab of tabs) {
    await page.locator(`[data-testid=tab-${tab}]`).click();
    for (const other of tabs) {
      assert.equal(
        await page.locator(`[data-testid=tab-${other}]`).getAttribute('aria-selected'),
        String(other === tab),
        `aria-selected of tab-${other} after clicking tab-${tab}`,
      );
    }
    await t.screenshot(`tab-${tab}`);
  }
  // Phone width.
  await page.locator('[data-testid=tab-findings]').click();
  await page.setViewportSize({ width: 390, height: 844 });
  await expectFindings(page, keys(seedDocumentFindings()));
  await t.screenshot('phone');
}
