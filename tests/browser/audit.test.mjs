// The "Audit log" tab: paste or drop audit events (JSON lines or an EventList) and see the AEV
// findings with their line numbers, the skipped lines, who accessed which Secrets, and a
// timeline per user — the analyses of `secrets-guard audit-log`, run by the background worker.
// The sample is the CLI's fixture (tests/fixtures/audit/incidents.jsonl, whose expected
// findings are in policy/cli/tests/audit_log.rs).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, editorText, setEditorText } from './lib.mjs';

const fixture = (name) => readFileSync(join(ROOT, 'tests/fixtures/audit', name), 'utf8');

async function findings(page) {
  return page.locator('[data-testid=audit-finding]').evaluateAll((els) =>
    els.map((e) => `${e.dataset.rule} ${e.dataset.line} ${e.dataset.severity}`),
  );
}

/** Wait for the summary line to read `text` (the worker answers asynchronously). */
async function expectSummary(page, text) {
  const summary = page.locator('[data-testid=audit-summary]');
  try {
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid=audit-summary]')?.textContent === want
        && document.querySelector('[data-testid=audit]')?.getAttribute('aria-busy') === 'false',
      text,
      { timeout: 10000 },
    );
  } catch (e) {
    assert.equal(await summary.textContent().catch(() => null), text, 'the summary line');
    throw e;
  }
}

async function lanes(page) {
  return page.locator('[data-testid=timeline-lane]').evaluateAll((els) =>
    els.map((e) => `${e.dataset.user} ${e.dataset.total}`),
  );
}

/** One audit Event as the log backend writes it. */
function event(id, { verb, user, ns = '', name = '', resource = 'secrets', code = 200, time, extra = {} }) {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `id-${id}`,
    stage: 'ResponseComplete',
    verb,
    user: { username: user },
    sourceIPs: ['10.0.0.9'],
    objectRef: { resource, namespace: ns, name, apiVersion: 'v1' },
    responseStatus: { code },
    requestReceivedTimestamp: time,
    ...extra,
  });
}

export async function sample_log_findings_malformed_lines_and_timeline(t) {
  const page = await t.open();
  const before = await editorText(page);
  await page.locator('[data-testid=tab-audit]').click();
  assert.equal(await page.locator('[data-testid=tab-audit]').getAttribute('aria-selected'), 'true');
  await page.locator('[data-testid=audit-sample]').click();
  await expectSummary(page, '19 events, 8 findings (2 critical, 3 high, 3 medium), 2 malformed lines');
  assert.deepEqual(await findings(page), [
    'AEV-002 4 high',
    'AEV-004 7 critical',
    'AEV-005 13 medium',
    'AEV-006 15 medium',
    'AEV-006 16 medium',
    'AEV-007 17 high',
    'AEV-001 18 critical',
    'AEV-009 22 high',
  ]);
  const first = page.locator('[data-testid=audit-finding]').first();
  assert.equal(
    await first.locator('.audit-message').textContent(),
    'mallory ran a cluster-wide list of secrets (status 200)',
  );
  assert.deepEqual(await page.locator('[data-testid=audit-malformed]').allTextContents(), [
    'line 6: not valid JSON: EOF while parsing a string at line 1 column 57',
    'line 20: not an audit.k8s.io/v1 Event (kind `Pod`, apiVersion `v1`)',
  ]);
  // The timeline: one lane per user of the access summary, 30 s buckets from 10:00:00.
  assert.deepEqual(await lanes(page), [
    'alice as bob 1',
    'ci-bot 1',
    'eve 6',
    'jane 3',
    'mallory 1',
    'system:anonymous 2',
    'system:serviceaccount:kube-system:generic-garbage-collector 1',
  ]);
  const eve = await page
    .locator('[data-testid=timeline-lane][data-user=eve] [data-testid=timeline-bucket]')
    .evaluateAll((els) => els.map((e) => `${e.dataset.index}: ${e.dataset.ok} ok, ${e.dataset.refused} refused`));
  assert.deepEqual(eve, ['6: 0 ok, 5 refused', '7: 0 ok, 1 refused']);
  assert.equal(
    await page.locator('[data-testid=timeline-lane][data-user=eve] rect.refused').count(),
    2,
  );
  assert.match(await page.locator('.audit-timeline-figure figcaption').textContent(),
    /From 2026-11-27T10:00:00\.100000Z to 2026-11-27T10:07:00\.000000Z; each bar is 30 s \(UTC\)/);
  assert.equal(await page.locator('[data-testid=audit-access-row]').count(), 14);
  await page.locator('[data-testid=audit-timeline]').scrollIntoViewIfNeeded();
  await t.screenshot('audit-timeline');

  // The log is not a manifest: the editor is untouched, and the log outlives a tab switch.
  assert.equal(await editorText(page), before);
  await page.locator('[data-testid=tab-findings]').click();
  await page.locator('[data-testid=tab-audit]').click();
  await expectSummary(page, '19 events, 8 findings (2 critical, 3 high, 3 medium), 2 malformed lines');
  assert.equal(await page.locator('[data-testid=audit-input]').inputValue(), fixture('incidents.jsonl'));
}

export async function pasted_log_with_planted_incidents_and_a_malformed_line(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-audit]').click();
  const log = [
    event(1, { verb: 'get', user: 'dev', ns: 'shop', name: 'db', time: '2026-11-27T09:00:00Z' }),
    event(2, { verb: 'list', user: 'intruder', time: '2026-11-27T09:00:20Z' }),
    '{"kind":"Event", this is not JSON',
    event(4, { verb: 'get', user: 'system:anonymous', ns: 'shop', name: 'db', time: '2026-11-27T09:01:00Z' }),
    event(5, { verb: 'get', user: 'dev', ns: 'shop', name: 'api', code: 403, time: '2026-11-27T09:01:30Z' }),
  ].join('\n') + '\n';
  await page.locator('[data-testid=audit-input]').fill(log);
  await expectSummary(page, '4 events, 2 findings (1 critical, 1 high), 1 malformed line');
  assert.deepEqual(await findings(page), ['AEV-002 2 high', 'AEV-004 4 critical']);
  assert.deepEqual(
    await page.locator('[data-testid=audit-malformed]').evaluateAll((els) => els.map((e) => e.dataset.line)),
    ['3'],
  );
  assert.deepEqual(await lanes(page), ['dev 2', 'intruder 1', 'system:anonymous 1']);
  // 09:00:00 to 09:01:30: 5 s buckets; dev's 403 is in the last.
  const dev = await page
    .locator('[data-testid=timeline-lane][data-user=dev] [data-testid=timeline-bucket]')
    .evaluateAll((els) => els.map((e) => `${e.dataset.index}: ${e.dataset.ok}/${e.dataset.refused}`));
  assert.deepEqual(dev, ['0: 1/0', '18: 0/1']);

  // Typing more re-analyses: a line at the end adds a finding with its number.
  await page.locator('[data-testid=audit-input]').press('End');
  await page.locator('[data-testid=audit-input]').evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await page.keyboard.insertText(event(6, { verb: 'watch', user: 'intruder', time: '2026-11-27T09:02:00Z' }));
  await expectSummary(page, '5 events, 3 findings (1 critical, 2 high), 1 malformed line');
  assert.deepEqual(await findings(page), ['AEV-002 2 high', 'AEV-004 4 critical', 'AEV-002 6 high']);

  await page.locator('[data-testid=audit-clear]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=audit-summary]'));
  assert.equal(await page.locator('[data-testid=audit-input]').inputValue(), '');
}

export async function dropped_eventlist_file_is_read_in_the_tab(t) {
  const page = await t.open();
  const before = await editorText(page);
  await page.locator('[data-testid=tab-audit]').click();
  // The seed's RequestResponse policy sends Secret data to the webhook (pretty EventList).
  const text = fixture('seed-webhook-batch-pretty.json');
  const dt = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'webhook-batch.json', { type: 'application/json' }));
    return dt;
  }, text);
  const zone = page.locator('[data-testid=audit-drop]');
  await zone.dispatchEvent('dragover', { dataTransfer: dt });
  await zone.dispatchEvent('drop', { dataTransfer: dt });
  await expectSummary(page, '2 events, 1 finding (1 critical), 0 malformed lines');
  assert.deepEqual(await findings(page), ['AEV-001 34 critical']);
  assert.equal(await page.locator('[data-testid=audit-note]').textContent(), 'Read webhook-batch.json.');
  assert.equal(await page.locator('[data-testid=audit-input]').inputValue(), text);
  // Dropped on the log's zone, the file is not imported into the editor.
  assert.equal(await editorText(page), before);
}

export async function cross_check_with_the_editors_audit_policy_and_workloads(t) {
  const page = await t.open();
  // The editor holds an audit Policy with three mistakes and the workloads of the log's Pods.
  await setEditorText(page, `${fixture('policy-gaps.yaml')}---\n${fixture('workloads.yaml')}`);
  await page.locator('[data-testid=tab-audit]').click();
  await page.locator('[data-testid=audit-input]').fill(fixture('exec-and-gaps.jsonl'));
  // The CLI's answer for `audit-log --policy policy-gaps.yaml workloads.yaml exec-and-gaps.jsonl`.
  await expectSummary(page, '10 events, 6 findings (1 high, 4 medium, 1 low), 0 malformed lines');
  assert.deepEqual(await findings(page), [
    'AEV-010 2 medium',
    'AEV-010 3 medium',
    'AEV-010 4 high',
    'AEV-010 4 low',
    'AEV-008 5 medium',
    'AEV-008 8 medium',
  ]);
  assert.equal(
    await page.locator('[data-testid=audit-policy-levels]').textContent(),
    'Of 10 events, it logs 5 None, 4 Metadata, 1 Request.',
  );
  assert.deepEqual(
    await page.locator('[data-testid=audit-gap]').evaluateAll((els) =>
      els.map((e) => `${e.dataset.kind} ${e.children[1].textContent} ${e.children[2].textContent} line ${e.dataset.line} hides ${e.children[7].textContent}`),
    ),
    [
      'not-logged get secrets rules[0] line 2 hides -',
      'not-logged list secrets rules[0] line 3 hides -',
      'leak update secrets rules[1] line 4 hides -',
      'level-differs update secrets rules[1] line 4 hides -',
      'not-logged create pods/exec rules[3] line 5 hides AEV-008',
      'no-body create pods rules[4] line 7 hides -',
      'level-differs create pods rules[4] line 7 hides -',
      'no-body create rolebindings rules[4] line 9 hides -',
    ],
  );
  await page.locator('[data-testid=audit-policy]').scrollIntoViewIfNeeded();
  await t.screenshot('audit-policy');

  // Without the editor's documents: no Policy to check, no workloads behind the first exec.
  await page.locator('[data-testid=audit-use-editor]').uncheck();
  await page.waitForFunction(() => !document.querySelector('[data-testid=audit-policy]'));
  await page.locator('[data-testid=audit][aria-busy=false]').waitFor();
  const alone = await findings(page);
  assert.ok(!alone.some((f) => f.startsWith('AEV-010')), alone.join(', '));
  assert.ok(!alone.includes('AEV-008 5 medium'), alone.join(', '));
}
