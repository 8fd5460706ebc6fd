// The findings panel, the examples gallery and the feel of the page: every gallery example
// loads and shows exactly its declared rule ids; clicking a finding selects its span in the
// editor; the rule documentation dialog shows the `secrets-guard explain` text; filters and
// grouping; the dark theme applies and is remembered; the work is kept between visits;
// keyboard shortcuts and help; phone width.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, editorText, expectFindings, keys, seedDocument, seedDocumentFindings } from './lib.mjs';

// ---- helpers ---------------------------------------------------------------------------------

/**
 * The gallery as web/src/examples.rs declares it: `[{id, expected, file}]`, in gallery order
 * (parsed from the source, so the page's own rendering of `expected` is not what is checked).
 */
function declaredExamples() {
  const src = readFileSync(join(ROOT, 'web/src/examples.rs'), 'utf8');
  const examples = [];
  const re =
    /id: "([^"]+)",[\s\S]*?text: include_str!\("([^"]+)"\),\s*expected: &\[([^\]]*)\]/g;
  for (const m of src.matchAll(re)) {
    const expected = [...m[3].matchAll(/"([A-Z]+-\d+)"/g)].map((x) => x[1]);
    examples.push({ id: m[1], file: join(ROOT, 'web/src', m[2]), expected });
  }
  return examples;
}

/** The distinct rule ids of the findings shown, sorted. */
async function shownRuleIds(page) {
  const ids = await page
    .locator('[data-testid=finding]')
    .evaluateAll((els) => els.map((e) => e.dataset.rule));
  return [...new Set(ids)].sort();
}

/** The `data-rule`s of the findings shown, in page order. */
async function shownRules(page) {
  return page.locator('[data-testid=finding]').evaluateAll((els) => els.map((e) => e.dataset.rule));
}

async function selectedTab(page) {
  return page.locator('[role=tab][aria-selected=true]').getAttribute('data-testid');
}

async function backgroundColour(page) {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

/** The explain text of a rule, as `secrets-guard explain` prints it (pinned by a native test). */
function explainText(rule) {
  return readFileSync(join(ROOT, `web/tests/golden/explain-${rule}.md`), 'utf8');
}

/** What a reader sees of markdown: the text without its markup, whitespace collapsed. */
function markdownToText(md) {
  const out = [];
  let fenced = false;
  let prose = [];
  const flush = () => {
    // Inline markup may span lines, so it goes after the line prefixes are gone.
    out.push(
      prose
        .join('\n')
        .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\*\*([^*]+)\*\*/g, '$1')
        .replace(/(^|[^\w*])\*([A-Za-z][^*]*?[^\s*])\*(?!\w)/g, '$1$2'),
    );
    prose = [];
  };
  for (const line of md.split('\n')) {
    if (line.startsWith('```')) {
      if (!fenced) flush();
      fenced = !fenced;
      continue;
    }
    if (fenced) out.push(line);
    else prose.push(line.replace(/^#+ /, '').replace(/^- /, ''));
  }
  flush();
  return collapse(out.join('\n'));
}

const collapse = (s) => s.replace(/\s+/g, ' ').trim();

/** The character offset of 1-based `line`:`column` in `text`. */
function offsetOf(text, line, column) {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  return offset + column - 1;
}

// ---- tests -----------------------------------------------------------------------------------

export async function every_gallery_example_loads_and_shows_its_expected_rule_ids(t) {
  const declared = declaredExamples();
  assert.ok(declared.length >= 15, `at least 15 examples, found ${declared.length}`);
  const page = await t.open();
  await page.locator('[data-testid=tab-gallery]').click();
  const onPage = await page
    .locator('[data-testid=example]')
    .evaluateAll((els) => els.map((e) => e.dataset.example));
  assert.deepEqual(onPage, declared.map((e) => e.id), 'the gallery shows every example, in order');
  for (const example of declared) {
    await page.locator('[data-testid=tab-gallery]').click();
    await page.locator(`[data-testid=example][data-example="${example.id}"]`).click();
    assert.equal(await selectedTab(page), 'tab-findings', `${example.id}: shows the findings`);
    assert.equal(await editorText(page), readFileSync(example.file, 'utf8'), `${example.id}: editor text`);
    const deadline = Date.now() + 5000;
    let shown;
    for (;;) {
      shown = await shownRuleIds(page);
      if (JSON.stringify(shown) === JSON.stringify(example.expected) || Date.now() > deadline) break;
      await page.waitForTimeout(25);
    }
    assert.deepEqual(shown, example.expected, `${example.id}: rule ids shown`);
    if (example.expected.length === 0) {
      await page.locator('[data-testid=findings-empty]').waitFor();
    }
  }
  await t.screenshot('gallery-last-example');
  await page.locator('[data-testid=tab-gallery]').click();
  await t.screenshot('gallery');
}

export async function clicking_a_finding_selects_its_span_in_the_editor(t) {
  const page = await t.open();
  const golden = seedDocumentFindings();
  await expectFindings(page, keys(golden));
  const text = seedDocument();
  for (const rule of ['ENC-008', 'RBAC-002', 'AUD-001']) {
    const f = golden.find((g) => g.rule === rule && !g.suppressed);
    // Click the finding's message (not a button inside it).
    await page.locator(`[data-testid=finding][data-rule="${rule}"] .message`).first().click();
    const start = offsetOf(text, f.line, f.column);
    const end = offsetOf(text, f.end_line, f.end_column);
    const deadline = Date.now() + 3000;
    let sel;
    for (;;) {
      sel = await page.locator('[data-testid=editor]').evaluate((el) => [el.selectionStart, el.selectionEnd]);
      if ((sel[0] === start && sel[1] === end) || Date.now() > deadline) break;
      await page.waitForTimeout(25);
    }
    assert.deepEqual(sel, [start, end], `${rule}: selection of line ${f.line}:${f.column}`);
    assert.equal(
      text.slice(0, start).split('\n').length,
      f.line,
      `${rule}: the selection starts on the finding's line`,
    );
  }
}

export async function rule_docs_dialog_shows_the_explain_text(t) {
  const page = await t.open();
  await expectFindings(page, keys(seedDocumentFindings()));
  const button = page.locator('[data-testid=finding][data-rule="ENC-008"] [data-testid=docs-button]');
  await button.click();
  const dialog = page.locator('[data-testid=rule-docs]');
  await dialog.waitFor();
  assert.equal(await dialog.evaluate((d) => d.open && d.matches(':modal')), true, 'a modal dialog');
  // The text comes from the background worker (fetched now, on first use).
  await dialog.locator('article[aria-busy=false]').waitFor();
  const explain = explainText('ENC-008');
  const article = dialog.locator('article');
  assert.equal(collapse(await article.innerText()), markdownToText(explain));
  // Structured, not raw: headings, the code blocks verbatim, the references as links.
  assert.equal(
    await dialog.locator('h2').first().textContent(),
    'ENC-008 KMS endpoint is not a unix:// socket',
  );
  assert.deepEqual(await dialog.locator('h3').allTextContents(), [
    'What it does',
    'Why is this bad?',
    'Example',
    'Use instead',
    'References',
  ]);
  const blocks = explain.split('```yaml\n').slice(1).map((b) => b.split('```')[0]);
  assert.deepEqual(await dialog.locator('pre code').allTextContents(), blocks);
  assert.equal(
    await dialog.locator('a').first().getAttribute('href'),
    'https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/#configuring-the-kms-provider-kms-v2',
  );
  await t.screenshot('rule-docs');
  // Escape closes it and gives the focus back to the button.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await button.evaluate((b) => b === document.activeElement), true, 'focus returns');
}

export async function filters_and_grouping(t) {
  const page = await t.open();
  await expectFindings(page, keys(seedDocumentFindings()));
  const counts = {};
  for (const s of ['critical', 'high', 'medium', 'low', 'info']) {
    counts[s] = Number(await page.locator(`[data-testid=count-${s}]`).textContent());
  }
  assert.deepEqual(counts, { critical: 1, high: 7, medium: 1, low: 2, info: 0 });

  await page.locator('[data-testid=filter-text]').fill('kms');
  assert.deepEqual(await shownRules(page), ['ENC-007', 'ENC-008', 'ENC-003']);
  // Every word must match, in any case, in the id, title, message or object: the Role's two
  // RBAC-001 findings (title "…list or watch…"), not its RBAC-002 or OBJ-007.
  await page.locator('[data-testid=filter-text]').fill('secret-reader WATCH');
  assert.deepEqual(await shownRules(page), ['RBAC-001', 'RBAC-001']);
  await page.locator('[data-testid=filter-text]').fill('');

  await page.locator('[data-testid=filter-severity]').selectOption('low');
  assert.deepEqual(await shownRules(page), ['ENC-003', 'OBJ-007']);
  await page.locator('[data-testid=filter-severity]').selectOption('');
  await page.locator('[data-testid=filter-area]').selectOption('audit');
  assert.deepEqual(await shownRuleIds(page), ['AUD-001', 'AUD-015']);
  await page.locator('[data-testid=filter-area]').selectOption('');
  // The counts filter too, and the severity select follows.
  await page.locator('[data-testid=count-high]').click();
  assert.equal((await shownRules(page)).length, 7);
  assert.equal(await page.locator('[data-testid=filter-severity]').inputValue(), 'high');
  await page.locator('[data-testid=count-high]').click();
  assert.equal((await shownRules(page)).length, 11);

  const groups = async () =>
    page.locator('section.group').evaluateAll((els) =>
      els.map((e) => [e.dataset.group, e.querySelectorAll('[data-testid=finding]').length]),
    );
  assert.deepEqual(await groups(), [['critical', 1], ['high', 7], ['medium', 1], ['low', 2]]);
  await page.locator('[data-testid=group-by]').selectOption('area');
  assert.deepEqual(await groups(), [
    ['encryption-at-rest', 3],
    ['access-control', 3],
    ['audit', 4],
    ['secret-data', 1],
  ]);
  await page.locator('[data-testid=group-by]').selectOption('object');
  assert.deepEqual(
    await page.locator('section.group .group-title').evaluateAll((els) =>
      els.map((e) => e.firstChild.textContent),
    ),
    ['EncryptionConfiguration', 'Role default/secret-reader', 'AuditSink my-audit-sink'],
  );
  await page.locator('[data-testid=filter-text]').fill('nothing-matches-this');
  await page.locator('[data-testid=findings-empty]').waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  assert.equal((await shownRules(page)).length, 11);
  assert.equal(await page.locator('[data-testid=group-by]').inputValue(), 'object', 'grouping is kept');
}

export async function dark_theme_applies_and_is_remembered(t) {
  const { page: light } = await t.launch({ colorScheme: 'light' });
  const page = await t.open(light);
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  assert.equal(await theme(), 'light');
  assert.equal(await backgroundColour(page), 'rgb(245, 246, 248)');
  const toggle = page.locator('[data-testid=theme-toggle]');
  await toggle.click(); // system → light
  assert.equal(await toggle.getAttribute('data-theme-choice'), 'light');
  await toggle.click(); // light → dark
  assert.equal(await toggle.getAttribute('data-theme-choice'), 'dark');
  assert.equal(await theme(), 'dark');
  assert.equal(await backgroundColour(page), 'rgb(14, 17, 22)');
  await t.screenshot('dark', page);
  await page.reload();
  await page.locator('[data-testid=finding]').first().waitFor();
  assert.equal(await theme(), 'dark', 'remembered after a reload');
  assert.equal(await backgroundColour(page), 'rgb(14, 17, 22)');
  // The chosen theme applies before the app starts (web/theme.js): the Wasm is held back
  // until the page has been checked.
  const early = await page.context().newPage();
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await early.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  // (The module loader waits for the Wasm, so the document never gets to DOMContentLoaded.)
  await early.goto(t.url, { waitUntil: 'commit' });
  await early.waitForFunction(() => document.body !== null);
  // Stylesheets may still be arriving when <body> exists: wait for every one to be applied.
  await early.waitForFunction(() =>
    [...document.querySelectorAll('link[rel=stylesheet]')].every((l) => l.sheet !== null),
  );
  assert.equal(await early.evaluate(() => window.__sg.started), false, 'the app has not started');
  assert.equal(await early.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await backgroundColour(early), 'rgb(14, 17, 22)');
  release();
  await early.waitForFunction(() => window.__sg.started);
  await early.close();
  await toggle.click(); // dark → system (light here)
  assert.equal(await toggle.getAttribute('data-theme-choice'), 'system');
  assert.equal(await theme(), 'light');

  // A system that prefers dark gets the dark theme without asking.
  const { page: dark } = await t.launch({ colorScheme: 'dark' });
  await t.open(dark);
  assert.equal(await dark.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await backgroundColour(dark), 'rgb(14, 17, 22)');
}

export async function text_settings_and_tab_are_kept_between_visits(t) {
  const page = await t.open();
  assert.equal(await editorText(page), seedDocument(), 'a first visit starts with the seed');
  await page.locator('[data-testid=tab-gallery]').click();
  await page.locator('[data-testid=example][data-example="obj-configmap-credentials"]').click();
  await page.locator('[data-testid=tab-gallery]').click();
  const text = await editorText(page);
  await page.reload();
  await page.locator('[data-testid=editor]').waitFor();
  assert.equal(await editorText(page), text);
  assert.equal(await selectedTab(page), 'tab-gallery');
  // Turning "keep my work" off deletes it: the next visit starts with the seed again.
  await page.locator('[data-testid=help-button]').click();
  await page.locator('[data-testid=remember-toggle]').uncheck();
  const stored = await page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(stored, ['secrets-guard/v1/remember']);
  await page.reload();
  await page.locator('[data-testid=editor]').waitFor();
  assert.equal(await editorText(page), seedDocument());
  assert.equal(await selectedTab(page), 'tab-findings');
}

export async function keyboard_shortcuts_and_help(t) {
  const page = await t.open();
  await expectFindings(page, keys(seedDocumentFindings()));
  // `?` in the editor is text.
  const before = await editorText(page);
  const editor = page.locator('[data-testid=editor]');
  await editor.focus();
  await editor.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await page.keyboard.type('?');
  assert.equal(await page.locator('[data-testid=help-dialog]').count(), 0);
  assert.equal(await editorText(page), before + '?');
  // Outside text fields it opens the help, which lists the shortcuts.
  await page.locator('[data-testid=tab-findings]').focus();
  await page.keyboard.press('?');
  const help = page.locator('[data-testid=help-dialog]');
  await help.waitFor();
  const rows = await help.locator('table.shortcuts tbody tr').allInnerTexts();
  assert.deepEqual(
    rows.map((r) => collapse(r)),
    [
      "Ctrl+Enter or ⌘+Enter Re-evaluate the editor's text now",
      'Ctrl+S or ⌘+S Copy a share link of the current state',
      '? Show this help (outside text fields)',
      'Esc Close a dialog',
      '← or → Move between the tabs (when a tab has focus)',
    ],
  );
  await t.screenshot('help');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  // The focus is back where it was, and arrow keys move between the tabs.
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'tab-findings');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'tab-gallery');
  assert.equal(await selectedTab(page), 'tab-gallery');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'tab-findings');
  assert.equal(await selectedTab(page), 'tab-findings');
}

export async function phone_width_has_no_horizontal_scroll(t) {
  const { page } = await t.launch({ viewport: { width: 375, height: 740 } });
  await t.open(page);
  await page.locator('[data-testid=finding]').first().waitFor();
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  for (const tab of ['findings', 'gallery', 'settings', 'admission', 'access', 'audit', 'encryption']) {
    await page.locator(`[data-testid=tab-${tab}]`).click();
    assert.equal(await overflow(), 0, `no horizontal scroll on the ${tab} tab`);
  }
  // With a KMS v2 value and its byte diagram shown too.
  await page.locator('[data-testid=enc-provider]').selectOption('kms-v2');
  await page.locator('[data-testid=enc-encrypt]').click();
  await page.locator('[data-testid=enc-diagram]').waitFor();
  assert.equal(await overflow(), 0, 'no horizontal scroll with the byte diagram');
  await t.screenshot('phone-encryption', page, { fullPage: true });
  // The panes stack: the results are below the editor.
  const editor = await page.locator('section.editor-pane').boundingBox();
  const tabs = await page.locator('[role=tablist]').boundingBox();
  assert.ok(editor.width <= 375 && tabs.width <= 375, 'both panes fit the width');
  assert.ok(tabs.y >= editor.y + editor.height - 1, 'results below the editor');
  await page.locator('[data-testid=tab-findings]').click();
  await t.screenshot('phone-findings', page, { fullPage: true });
  await page.locator('[data-testid=docs-button]').first().click();
  const dialog = page.locator('[data-testid=rule-docs]');
  await dialog.locator('article[aria-busy=false]').waitFor();
  assert.equal(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth), true, 'the dialog fits');
  assert.equal(await overflow(), 0);
  await t.screenshot('phone-rule-docs', page);
}
