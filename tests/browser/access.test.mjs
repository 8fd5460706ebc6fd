// The "Access" tab: who can read Secrets in which namespace (direct / implicit / escalation),
// computed by the background worker from the editor's documents; a cell's evidence paths as an
// SVG graph (subject → binding → role → rule). Expected cells are `secrets-guard who-can`'s
// answers for the same objects (policy/core/tests/who_can.rs).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, setEditorText } from './lib.mjs';

const fixture = (name) => readFileSync(join(ROOT, 'tests/fixtures/access', name), 'utf8');

/** The matrix as `subject | namespace | how | text` lines, in page order. */
async function cells(page) {
  return page.locator('[data-testid=access-cell]').evaluateAll((els) =>
    els.map((e) => `${e.dataset.subject} | ${e.dataset.namespace} | ${e.dataset.how} | ${e.querySelector('.cell-button, .cell-label').textContent}`),
  );
}

/** Wait until the matrix shows exactly `expected` (the worker answers asynchronously). */
async function expectCells(page, expected, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let shown;
  for (;;) {
    if ((await page.locator('[data-testid=access][aria-busy=false]').count()) === 1) {
      shown = await cells(page);
      if (JSON.stringify(shown) === JSON.stringify(expected)) return;
    }
    if (Date.now() > deadline) break;
    await page.waitForTimeout(50);
  }
  assert.deepEqual(shown, expected, 'the access matrix');
}

/** The graph's nodes as `kind depth label`, in document order. */
async function graphNodes(page) {
  return page.locator('[data-testid=access-graph] [data-testid=graph-node]').evaluateAll((els) =>
    els.map((e) => `${e.dataset.kind} ${e.dataset.depth} ${e.querySelector('text').textContent}`),
  );
}

async function openCell(page, subject, namespace) {
  await page.locator(`[data-testid=access-cell][data-subject="${subject}"][data-namespace="${namespace}"] button`).click();
  // The worker answers asynchronously: wait for the answer about this cell (the previous
  // cell's graph stays on screen until then).
  await page.waitForFunction((s) => {
    const busy = document.querySelector('[data-testid=access]')?.getAttribute('aria-busy');
    const root = document.querySelector('[data-testid=access-graph] [data-testid=graph-node][data-depth="0"] text');
    return busy === 'false' && root?.textContent === s;
  }, subject);
}

export async function gallery_example_matrix_colours_and_evidence_graph(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-gallery]').click();
  await page.locator('[data-testid=example][data-example=rbac-broad-binding]').click();
  await page.locator('[data-testid=tab-access]').click();
  assert.equal(await page.locator('[data-testid=tab-access]').getAttribute('aria-selected'), 'true');
  await expectCells(page, [
    'Group system:authenticated | * | direct | direct, implicit, escalation',
    'Group system:serviceaccounts | * | direct | direct',
  ]);
  const heads = await page.locator('[data-testid=access-matrix] thead th').allTextContents();
  assert.deepEqual(heads, ['Subject', 'other namespaces']);
  // Colour and text: the cell's class names its strongest way.
  const td = page.locator('[data-testid=access-cell][data-subject="Group system:serviceaccounts"]');
  assert.match(await td.getAttribute('class'), /\bhow-direct\b/);
  const colour = await td.evaluate((e) => getComputedStyle(e).backgroundColor);
  const none = await page.locator('[data-testid=access-matrix] th.subject').first().evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(colour, none, 'a coloured cell');

  await openCell(page, 'Group system:serviceaccounts', '*');
  assert.deepEqual(await graphNodes(page), [
    'subject 0 Group system:serviceaccounts',
    'binding 1 ClusterRoleBinding all-serviceaccounts-read-secrets',
    'role 2 ClusterRole secret-reader',
    'rule 3 rules[0] get secrets',
  ]);
  assert.equal(await page.locator('[data-testid=access-graph] path.edge').count(), 3);
  assert.deepEqual(await page.locator('[data-testid=access-path]').allTextContents(), [
    'direct (cluster) Group system:serviceaccounts → ClusterRoleBinding all-serviceaccounts-read-secrets → ClusterRole secret-reader → rules[0] get secrets',
  ]);
  assert.equal(
    await page.locator('[data-testid=access-cell][data-subject="Group system:serviceaccounts"] button').getAttribute('aria-pressed'),
    'true',
  );

  // cluster-admin to every authenticated user: 13 ways, one subject, binding and role.
  await openCell(page, 'Group system:authenticated', '*');
  const nodes = await graphNodes(page);
  assert.deepEqual(nodes.slice(0, 3), [
    'subject 0 Group system:authenticated',
    'binding 1 ClusterRoleBinding demo-admins',
    'role 2 ClusterRole cluster-admin (built-in)',
  ]);
  assert.equal(await page.locator('[data-testid=access-path]').count(), 13);
  assert.deepEqual(
    (await page.locator('[data-testid=access-path]').evaluateAll((els) => els.map((e) => e.dataset.how))).filter((v, i, a) => a.indexOf(v) === i),
    ['direct', 'implicit', 'escalation'],
  );
  assert.ok(nodes.includes('binds 7 binds ClusterRole cluster-admin (built-in)'), nodes.join('\n'));
  await t.screenshot('access-broad-binding');
}

export async function pasted_rbac_objects_are_analysed_live(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-access]').click();
  // The seed document has a Role that reads Secrets but binds it to nobody.
  await page.locator('[data-testid=access-none]').waitFor();
  assert.equal(await page.locator('[data-testid=access-none]').textContent(), 'No subject can read Secrets in the editor\'s documents.');

  const text = ['01-direct-role.yaml', '03-resource-names.yaml', '07-chain-bind-edit.yaml', '09-nodes-proxy.yaml']
    .map(fixture)
    .join('\n---\n');
  await setEditorText(page, text);
  await expectCells(page, [
    'ServiceAccount kube-system/metrics | app | implicit | implicit',
    'ServiceAccount kube-system/metrics | pay | implicit | implicit',
    'ServiceAccount kube-system/metrics | * | implicit | implicit',
    'ServiceAccount pay/pay-api | app | none | —',
    'ServiceAccount pay/pay-api | pay | direct | direct (limited)',
    'ServiceAccount pay/pay-api | * | none | —',
    'User alice | app | direct | direct',
    'User alice | pay | none | —',
    'User alice | * | none | —',
    'User jane | app | escalation | escalation',
    'User jane | pay | none | —',
    'User jane | * | none | —',
  ]);
  await openCell(page, 'User jane', 'app');
  assert.deepEqual(await graphNodes(page), [
    'subject 0 User jane',
    'binding 1 RoleBinding app/jane-writes-bindings',
    'role 2 Role binding-writer',
    'rule 3 rules[0] create rolebindings',
    'binding 4 ClusterRoleBinding jane-binds-edit',
    'role 5 ClusterRole edit-binder',
    'rule 6 rules[0] bind clusterroles named edit, view',
    'binds 7 binds ClusterRole edit (built-in)',
    'rule 8 rules[0] get, list, watch secrets',
  ]);
  assert.equal(await page.locator('[data-testid=access-evidence] h3').textContent(), 'How User jane reaches Secrets in app');
  await t.screenshot('access-chain');

  // An edit: alice's binding goes; the rest is recomputed, the selected cell stays open.
  await setEditorText(page, ['03-resource-names.yaml', '07-chain-bind-edit.yaml'].map(fixture).join('\n---\n'));
  await expectCells(page, [
    'ServiceAccount pay/pay-api | app | none | —',
    'ServiceAccount pay/pay-api | pay | direct | direct (limited)',
    'User jane | app | escalation | escalation',
    'User jane | pay | none | —',
  ]);
  assert.equal(await page.locator('[data-testid=graph-node]').count(), 9);

  // A document that does not parse is reported with its line; the others are still answered.
  await setEditorText(page, `${fixture('01-direct-role.yaml')}---\nkind: [unclosed\n`);
  await expectCells(page, ['User alice | app | direct | direct']);
  const errors = await page.locator('[data-testid=access-error]').evaluateAll((els) => els.map((e) => e.dataset.line));
  assert.equal(errors.length, 1);
}

export async function keyboard_reaches_the_new_tabs(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-findings]').focus();
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'tab-audit');
  assert.equal(await page.locator('[data-testid=tab-audit]').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'tab-access');
  await page.locator('[data-testid=access]').waitFor();
  assert.deepEqual(
    await page.locator('[role=tab]').evaluateAll((els) => els.map((e) => e.dataset.testid)),
    ['tab-findings', 'tab-gallery', 'tab-settings', 'tab-admission', 'tab-encryption', 'tab-access', 'tab-audit'],
  );
}

export async function phone_width_scrolls_the_matrix_and_graph_not_the_page(t) {
  const { page } = await t.launch({ viewport: { width: 375, height: 740 } });
  await t.open(page);
  await setEditorText(page, ['01-direct-role.yaml', '03-resource-names.yaml', '07-chain-bind-edit.yaml', '09-nodes-proxy.yaml'].map(fixture).join('\n---\n'));
  await page.locator('[data-testid=tab-access]').click();
  await openCell(page, 'User jane', 'app');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scroll of the page');
  // The page loaded by t.launch is not t.page: check its audit tab too, with the sample.
  await page.locator('[data-testid=tab-audit]').click();
  await page.locator('[data-testid=audit-sample]').click();
  await page.locator('[data-testid=audit-timeline]').waitFor();
  assert.equal(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    'no horizontal scroll with the audit results',
  );
  await t.screenshot('access-phone', page);
}
