// The editor: markers and underlines at the seed's findings, tooltips, live updates while
// typing, Tab/Shift+Tab/Enter, parse errors, selecting a span, and a 5,000-line paste.

import assert from 'node:assert/strict';

import { caretAfter, editorText, manifest, median, seedDocument, seedDocumentFindings, selectInEditor } from './lib.mjs';

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

/** `line:severity` of each gutter marker the page shows, in line order. */
async function shownMarkers(page) {
  return page
    .locator('[data-testid=marker]')
    .evaluateAll((els) => els.map((e) => `${e.dataset.line}:${e.dataset.severity}`));
}

/** The markers `findings` should give: per line, the highest severity of the findings starting there. */
function expectedMarkers(findings) {
  const byLine = new Map();
  for (const f of findings.filter((f) => !f.suppressed)) {
    const s = byLine.get(f.line);
    if (!s || SEVERITIES.indexOf(f.severity) > SEVERITIES.indexOf(s)) byLine.set(f.line, f.severity);
  }
  return [...byLine].sort((a, b) => a[0] - b[0]).map(([l, s]) => `${l}:${s}`);
}

/** Wait until the markers are `expected`. */
async function expectMarkers(page, expected, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let shown;
  for (;;) {
    shown = await shownMarkers(page);
    if (JSON.stringify(shown) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) break;
    await page.waitForTimeout(25);
  }
  assert.deepEqual(shown, expected, 'gutter markers');
}

/** Characters `column..end_column` (1-based, by character) of line `line` of `text`. */
function spanText(text, f) {
  const chars = [...text.split('\n')[f.line - 1]];
  return chars.slice(f.column - 1, Math.max(f.end_column - 1, f.column)).join('');
}

export async function markers_and_underlines_are_at_the_seed_findings(t) {
  const page = await t.open();
  const findings = seedDocumentFindings().filter((f) => !f.suppressed);
  await expectMarkers(page, expectedMarkers(findings));

  // Each finding's exact span is underlined: same rule, same line, same text.
  const underlines = await page
    .locator('[data-testid=underline]')
    .evaluateAll((els) => els.map((e) => `${e.dataset.rule} ${e.dataset.line} ${e.textContent}`));
  const seed = seedDocument();
  const expected = findings.map((f) => `${f.rule} ${f.line} ${spanText(seed, f)}`);
  assert.deepEqual([...underlines].sort(), [...expected].sort());
  assert.ok(underlines.includes('RBAC-001 23 "list"') && underlines.includes('RBAC-002 23 "get"'));

  // Markers are labelled; the line numbers they duplicate are hidden from assistive technology.
  assert.equal(
    await page.locator('[data-testid=marker][data-line="23"]').getAttribute('aria-label'),
    'Line 23: 3 findings, highest severity high',
  );
  const numbers = page.locator('[data-testid=editor-gutter] .line-number');
  assert.equal(await numbers.count(), 41);
  assert.deepEqual([...new Set(await numbers.evaluateAll((els) => els.map((e) => e.getAttribute('aria-hidden'))))], ['true']);
  assert.equal(await page.locator('[data-testid=editor]').getAttribute('aria-label'), 'YAML manifests');
  await t.screenshot('editor-markers');
}

export async function a_marker_or_an_underline_shows_its_findings(t) {
  const page = await t.open();
  const tooltip = page.locator('[data-testid=editor-tooltip]');
  const marker = page.locator('[data-testid=marker][data-line="23"]');
  await marker.hover();
  await tooltip.waitFor();
  assert.equal(await tooltip.getAttribute('data-line'), '23');
  assert.deepEqual(
    await tooltip.locator('.tip-item').evaluateAll((els) => els.map((e) => e.dataset.rule)),
    ['RBAC-001', 'RBAC-001', 'RBAC-002'],
  );
  const text = await tooltip.textContent();
  assert.match(text, /Role `secret-reader` rule 0 grants `list` on secrets: it reveals the value of every Secret/);
  assert.match(text, /Role grants get on all Secrets \(no resourceNames\)/);
  assert.equal(await marker.getAttribute('aria-describedby'), await tooltip.getAttribute('id'));
  await t.screenshot('editor-tooltip');

  // Leaving closes it; clicking the marker pins it.
  await page.mouse.move(5, 5);
  await tooltip.waitFor({ state: 'detached' });
  await marker.click();
  await page.mouse.move(5, 5);
  await page.waitForTimeout(100);
  assert.equal(await tooltip.getAttribute('data-line'), '23');
  await page.keyboard.press('Escape');
  await tooltip.waitFor({ state: 'detached' });

  // Pointing at an underline (under the transparent textarea) shows its line's findings, and
  // clicking it (the caret lands in the span) keeps them shown.
  const underline = page.locator('[data-testid=underline][data-rule="AUD-001"]');
  await underline.scrollIntoViewIfNeeded();
  const box = await underline.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await tooltip.waitFor();
  assert.equal(await tooltip.getAttribute('data-line'), '38');
  assert.match(await tooltip.textContent(), /AUD-001.*critical/i);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(5, 5);
  await page.waitForTimeout(100);
  assert.equal(await tooltip.getAttribute('data-line'), '38');
  assert.match(await page.locator('[data-testid=editor-announcement]').textContent(), /^Line 38: AUD-001 critical/);
}

export async function typing_updates_the_markers(t) {
  const page = await t.open();
  const seed = expectedMarkers(seedDocumentFindings());
  await expectMarkers(page, seed);

  // A comment line on top: every marker moves down one line (after the debounced evaluation).
  const editor = page.locator('[data-testid=editor]');
  await editor.focus();
  await editor.evaluate((el) => el.setSelectionRange(0, 0));
  await page.keyboard.type('# reviewed\n', { delay: 10 });
  const moved = seed.map((m) => {
    const [line, sev] = m.split(':');
    return `${Number(line) + 1}:${sev}`;
  });
  await expectMarkers(page, moved);
  assert.equal(await page.locator('.editor-line[data-line="1"]').textContent(), '# reviewed');
  assert.equal(await page.locator('.editor-line[data-line="1"] .tok-comment').count(), 1);

  // Without `list` and `watch` the Role's line keeps only the medium RBAC-002.
  await selectInEditor(page, ', "list", "watch"');
  await page.keyboard.press('Backspace');
  await expectMarkers(page, moved.map((m) => (m === '24:high' ? '24:medium' : m)));
  assert.deepEqual(
    await page.locator('[data-testid=underline][data-line="24"]').evaluateAll((els) => els.map((e) => e.dataset.rule)),
    ['RBAC-002'],
  );
}

export async function tab_shift_tab_and_enter_indent_and_undo(t) {
  const page = await t.open();
  const editor = page.locator('[data-testid=editor]');
  const line = async (n) => (await editorText(page)).split('\n')[n - 1];

  await caretAfter(page, 'metadata:\n  namespace: default');
  await page.keyboard.press('Enter');
  await page.keyboard.type('labels:');
  await page.keyboard.press('Enter');
  await page.keyboard.type('app: web');
  // Enter keeps the indentation, and adds one level after `labels:`.
  assert.equal(await line(19), '  labels:');
  assert.equal(await line(20), '    app: web');

  await page.keyboard.press('Home');
  await page.keyboard.press('Tab');
  assert.equal(await line(20), '      app: web');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await line(20), '  app: web');
  // Undo goes back through the indentation edits.
  await page.keyboard.press('Control+z');
  assert.equal(await line(20), '    app: web');

  // Tab over several lines indents them all and keeps them selected; Shift+Tab undoes it.
  await selectInEditor(page, 'rules:\n  - apiGroups: [""]\n    resources: ["secrets"]');
  await page.keyboard.press('Tab');
  const text = await editorText(page);
  assert.match(text, /\n {2}rules:\n {4}- apiGroups: \[""\]\n {6}resources: \["secrets"\]\n {4}verbs:/);
  const [start, end] = await editor.evaluate((el) => [el.selectionStart, el.selectionEnd]);
  assert.equal(text.slice(start, end), '  rules:\n    - apiGroups: [""]\n      resources: ["secrets"]');
  await page.keyboard.press('Shift+Tab');
  assert.match(await editorText(page), /\nrules:\n {2}- apiGroups: \[""\]\n {4}resources: \["secrets"\]\n {4}verbs:/);

  // Escape, then Tab, leaves the editor (no keyboard trap).
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.dataset?.testid), 'editor');
}

export async function a_parse_error_shows_at_its_line_and_the_rest_is_still_checked(t) {
  const page = await t.open();
  await expectMarkers(page, expectedMarkers(seedDocumentFindings()));
  // Break the second document (the Role, lines 14-23).
  await caretAfter(page, 'kind: Role');
  await page.keyboard.type(': oops: [');
  const error = page.locator('[data-testid=parse-error]');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-line'), '16');
  assert.equal(await error.textContent(), 'mapping values are not allowed in this context');
  // The first and third documents' findings are still marked; the Role's are gone.
  const others = expectedMarkers(seedDocumentFindings().filter((f) => f.line < 14 || f.line > 24));
  await expectMarkers(page, others);
  assert.match(await page.locator('[data-testid=editor-status]').textContent(), /1 part could not be read/);
  await t.screenshot('editor-parse-error');

  // The error's button in the status bar selects its position in the text.
  await page.locator('.parse-error-jump').click();
  const [start, end, focused] = await page
    .locator('[data-testid=editor]')
    .evaluate((el) => [el.selectionStart, el.selectionEnd, document.activeElement === el]);
  const text = await editorText(page);
  assert.ok(focused, 'the editor has the focus');
  assert.equal(start, end);
  assert.equal(text.slice(0, start).split('\n').length, 16);
  assert.equal(text.slice(text.lastIndexOf('\n', start - 1) + 1, start), 'kind: Role');
}

export async function a_5000_line_paste_stays_responsive(t) {
  const page = await t.open();
  await expectMarkers(page, expectedMarkers(seedDocumentFindings()));
  const text = manifest(5000).trimEnd();
  await t.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(t.url).origin });
  const editor = page.locator('[data-testid=editor]');
  await editor.focus();
  await page.evaluate(async (text) => {
    await navigator.clipboard.writeText(text);
    const area = document.querySelector('[data-testid=editor]');
    area.select();
    // Times (performance.now) of: the paste, the editor showing the new text, the frame after
    // that, the markers of the new text, and the frame after those.
    const at = (window.__paste = {});
    const frame = (key) => requestAnimationFrame(() => setTimeout(() => (at[key] = performance.now()), 0));
    document.addEventListener('paste', () => (at.paste = performance.now()), { once: true, capture: true });
    new MutationObserver(() => {
      const now = performance.now();
      if (!at.shown && document.querySelector('.line-count')?.textContent === '5000 lines') {
        at.shown = now;
        frame('shownFrame');
      }
      if (!at.marked && [...document.querySelectorAll('[data-testid=marker]')].some((m) => +m.dataset.line > 41)) {
        at.marked = now;
        frame('markedFrame');
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, text);
  await page.keyboard.press('Control+V');
  await page.waitForFunction(() => window.__paste.markedFrame, null, { timeout: 20_000 });
  const at = await page.evaluate(() => window.__paste);
  assert.equal((await editorText(page)).split('\n').length, 5000);

  const editorNodes = await page.locator('.editor').evaluate((e) => e.getElementsByTagName('*').length);
  const lines = await page.locator('.editor-line').count();
  assert.ok(lines <= 200, `${lines} highlighted lines rendered for 5,000`);
  assert.equal(await page.locator('.gutter-row').count(), lines);
  assert.ok(editorNodes < 2500, `${editorNodes} elements in the editor`);

  // Typing in the middle of the screen: time from the key to the next frame, in the page.
  await editor.evaluate((el) => el.setSelectionRange(400, 400));
  const keys = [];
  for (let i = 0; i < 15; i++) {
    await page.evaluate(() => {
      window.__key = {};
      document.addEventListener('keydown', () => (window.__key.down = performance.now()), { once: true, capture: true });
      document.addEventListener('input', () => requestAnimationFrame(() => setTimeout(() => (window.__key.frame = performance.now()), 0)), { once: true, capture: true });
    });
    await page.keyboard.type('x');
    await page.waitForFunction(() => window.__key.frame);
    keys.push(await page.evaluate(() => window.__key.frame - window.__key.down));
  }
  const keyMs = median(keys);

  // Scrolling to the end renders the last lines.
  await page.locator('.editor-scroll').evaluate((s) => (s.scrollTop = s.scrollHeight));
  await page.locator('.editor-line[data-line="5000"]').waitFor();

  const figures = {
    paste_to_input_ms: at.shown - at.paste,
    paste_to_first_frame_ms: at.shownFrame - at.paste,
    paste_to_markers_ms: at.marked - at.paste,
    paste_to_markers_frame_ms: at.markedFrame - at.paste,
    eval_time: (await page.locator('[data-testid=eval-time]').textContent()).trim(),
    keystroke_to_frame_median_ms: keyMs,
    keystroke_to_frame_ms: keys,
    highlighted_lines: lines,
    editor_elements: editorNodes,
    page_elements: await page.evaluate(() => document.getElementsByTagName('*').length),
  };
  t.note(
    `5,000-line paste: shown after ${figures.paste_to_first_frame_ms.toFixed(0)} ms, markers after ` +
      `${figures.paste_to_markers_frame_ms.toFixed(0)} ms (evaluation ${figures.eval_time}); ` +
      `keystroke to frame ${keyMs.toFixed(1)} ms (median); ${lines} lines, ${editorNodes} elements in the editor`,
  );
  await t.saveJson('editor-5000-lines', figures);
  await t.screenshot('editor-5000-lines');
  assert.ok(figures.paste_to_first_frame_ms < 3000, `the paste shows after ${figures.paste_to_first_frame_ms} ms`);
  assert.ok(keyMs < 250, `a keystroke takes ${keyMs} ms to show`);
}
