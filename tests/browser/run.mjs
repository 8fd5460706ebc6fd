// The playground's end-to-end suite: serves the Trunk-built dist/ on 127.0.0.1, and runs every
// test of tests/browser/*.test.mjs in Debian's Chromium (playwright-core, no browser download),
// each in a fresh browser profile. Prints cargo-style lines, ending with
// `test result: ok. N passed; M failed; ...` (which .ci/run adds up), and exits non-zero when a
// test fails.
//
//   node tests/browser/run.mjs [--dist DIR] [--artifacts DIR] [FILTER...]
//
// A test is any exported async function of a `*.test.mjs` file; it is named `file::function`
// and receives a `TestContext` (below). FILTERs keep the tests whose name contains one of them.
// Screenshots and measurements go to the artifacts folder (default target/browser-artifacts,
// or $SG_BROWSER_ARTIFACTS).
//
// Every test, whatever it checks, also fails when the page: throws an uncaught error (a Rust
// panic is one), opens a dialog (alert/confirm/prompt), violates its Content-Security-Policy, or
// sends a request anywhere but 127.0.0.1. A test that provokes one of these on purpose says so
// (`t.allow.cspViolations = true`, ...).

import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

import { serve } from './serve.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

/** Debian's Chromium (scripts/bootstrap.sh installs it); $CHROMIUM overrides. */
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps trying to reach the internet. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
];
const TEST_TIMEOUT_MS = 90_000;

/** Recorded in every page before its own scripts run. */
const INIT_SCRIPT = () => {
  window.__sg = { cspViolations: [], started: false };
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__sg.cspViolations.push(`${e.violatedDirective} ${e.blockedURI || ''}`.trim());
  });
  addEventListener('TrunkApplicationStarted', () => {
    window.__sg.started = true;
  });
};

/** What a test receives: a fresh browser profile, the server, and recorders. */
export class TestContext {
  constructor(name, server, artifacts) {
    this.name = name;
    this.server = server;
    /** The served playground, e.g. `http://127.0.0.1:40000/`. */
    this.url = server.url;
    this.artifacts = artifacts;
    /** Every request any page of the test made: `{url, method, at, afterLoad}`. */
    this.requests = [];
    this.pageErrors = [];
    this.consoleErrors = [];
    this.dialogs = [];
    /** Opt-outs from the checks made after every test. */
    this.allow = { pageErrors: false, dialogs: false, cspViolations: false };
    this.notes = [];
    this._contexts = [];
    this._profiles = [];
    this._pages = [];
    this._loadedPages = new WeakSet();
  }

  /** A fresh browser (its own empty profile); the first one is `t.context` / `t.page`. */
  async launch(options = {}) {
    const profile = await mkdtemp(join(tmpdir(), 'sg-browser-'));
    this._profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      ...options,
    });
    this._contexts.push(context);
    await context.addInitScript(INIT_SCRIPT);
    const watch = (page) => {
      this._pages.push(page);
      page.on('pageerror', (e) => this.pageErrors.push(String(e.stack || e)));
      page.on('console', (m) => m.type() === 'error' && this.consoleErrors.push(m.text()));
      page.on('dialog', (d) => {
        this.dialogs.push(`${d.type()}: ${d.message()}`);
        d.dismiss().catch(() => {});
      });
    };
    context.on('page', watch);
    context.pages().forEach(watch);
    context.on('request', (r) => {
      let page = null;
      try {
        page = r.frame().page();
      } catch {
        // A request of no page (a service worker's): counted as after load.
      }
      const afterLoad = page ? this._loadedPages.has(page) : true;
      this.requests.push({ url: r.url(), method: r.method(), at: Date.now(), page, afterLoad });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    if (!this.context) {
      this.context = context;
      this.page = page;
    }
    return { context, page };
  }

  /**
   * Open the playground (`hash`: an optional `#fragment`) in `page` and wait until the page's
   * `load` event has fired and the app has started and rendered its editor. Requests made after
   * that are flagged `afterLoad`.
   */
  async open(page = this.page, hash = '') {
    this._loadedPages.delete(page);
    await page.goto(this.url + hash, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__sg && window.__sg.started, null, { timeout: 20_000 });
    await page.locator('[data-testid=editor]').waitFor({ timeout: 20_000 });
    this._loadedPages.add(page);
    this.serverRequestsAtLoad = this.server.requests.length;
    return page;
  }

  /** The requests made after `open` finished loading (by `page`, or by any page). */
  requestsAfterLoad(page = null) {
    return this.requests.filter((r) => r.afterLoad && (!page || r.page === page));
  }

  /** Save a PNG of `page` as `<artifacts>/<name>.png`. */
  async screenshot(name, page = this.page, options = {}) {
    const path = join(this.artifacts, `${name}.png`);
    await page.screenshot({ path, ...options });
    return path;
  }

  /** A line printed under the test's result (measurements). */
  note(text) {
    this.notes.push(text);
  }

  /** Save `value` as JSON in `<artifacts>/<name>.json`. */
  async saveJson(name, value) {
    await writeFile(join(this.artifacts, `${name}.json`), JSON.stringify(value, null, 2) + '\n');
  }

  /** The checks every test gets; returns the problems found. */
  async _afterChecks() {
    const problems = [];
    for (const r of this.requests) {
      const u = new URL(r.url);
      if (/^(https?|wss?):$/.test(u.protocol) && u.hostname !== '127.0.0.1') {
        problems.push(`request to a host other than 127.0.0.1: ${r.url}`);
      }
    }
    if (!this.allow.pageErrors && this.pageErrors.length) {
      problems.push(`uncaught errors in the page:\n  ${this.pageErrors.join('\n  ')}`);
    }
    if (!this.allow.dialogs && this.dialogs.length) {
      problems.push(`the page opened dialogs: ${this.dialogs.join('; ')}`);
    }
    if (!this.allow.cspViolations) {
      for (const page of this._pages) {
        if (page.isClosed()) continue;
        const violations = await page.evaluate(() => window.__sg?.cspViolations ?? []).catch(() => []);
        if (violations.length) problems.push(`Content-Security-Policy violations: ${violations.join('; ')}`);
      }
    }
    return problems;
  }

  async _close() {
    await Promise.all(this._contexts.map((c) => c.close().catch(() => {})));
    await Promise.all(this._profiles.map((p) => rm(p, { recursive: true, force: true })));
  }
}

async function collectTests(filters) {
  const files = (await readdir(HERE)).filter((f) => f.endsWith('.test.mjs')).sort();
  const tests = [];
  for (const file of files) {
    const module = await import(pathToFileURL(join(HERE, file)).href);
    const stem = basename(file, '.test.mjs');
    for (const [name, fn] of Object.entries(module)) {
      if (typeof fn !== 'function') continue;
      tests.push({ name: `${stem}::${name}`, fn });
    }
  }
  const kept = filters.length ? tests.filter((t) => filters.some((f) => t.name.includes(f))) : tests;
  return { tests: kept, filteredOut: tests.length - kept.length };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]);
}

async function main() {
  const args = process.argv.slice(2);
  let dist = join(ROOT, 'dist');
  let artifacts = process.env.SG_BROWSER_ARTIFACTS || join(ROOT, 'target', 'browser-artifacts');
  const filters = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dist') dist = resolve(args[++i]);
    else if (args[i] === '--artifacts') artifacts = resolve(args[++i]);
    else filters.push(args[i]);
  }
  // The folder is this suite's own: start it empty, so every file in it is from this run.
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });

  const started = Date.now();
  const { tests, filteredOut } = await collectTests(filters);
  const server = await serve(dist);
  console.log(`serving ${dist} at ${server.url}; artifacts in ${artifacts}`);
  console.log(`\nrunning ${tests.length} test${tests.length === 1 ? '' : 's'}`);

  const failures = [];
  for (const test of tests) {
    const t = new TestContext(test.name, server, artifacts);
    let error = null;
    try {
      await t.launch();
      await withTimeout(test.fn(t), TEST_TIMEOUT_MS, test.name);
      const problems = await t._afterChecks();
      if (problems.length) error = new Error(problems.join('\n'));
    } catch (e) {
      error = e;
      if (t.page && !t.page.isClosed()) {
        await t.screenshot(`FAILED-${test.name.replace(/[^\w.-]+/g, '_')}`).catch(() => {});
      }
    } finally {
      await t._close();
    }
    console.log(`test ${test.name} ... ${error ? 'FAILED' : 'ok'}`);
    for (const note of t.notes) console.log(`    ${note}`);
    if (error) failures.push({ name: test.name, error, consoleErrors: t.consoleErrors });
  }
  await server.close();

  if (failures.length) {
    console.log('\nfailures:\n');
    for (const f of failures) {
      console.log(`---- ${f.name} ----`);
      console.log(f.error?.stack || String(f.error));
      if (f.consoleErrors.length) console.log(`console errors:\n  ${f.consoleErrors.join('\n  ')}`);
      console.log('');
    }
    console.log('failures:');
    for (const f of failures) console.log(`    ${f.name}`);
  }
  const passed = tests.length - failures.length;
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  console.log(
    `\ntest result: ${failures.length ? 'FAILED' : 'ok'}. ${passed} passed; ${failures.length} failed; ` +
      `0 ignored; 0 measured; ${filteredOut} filtered out; finished in ${seconds}s\n`,
  );
  process.exitCode = failures.length || tests.length === 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    console.log('\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n');
    process.exitCode = 1;
  });
}
