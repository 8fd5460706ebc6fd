// The "Encryption at rest" tab: encrypt the form's Secret with aesgcm (WebCrypto in the page),
// read the annotated byte diagram (prefix, key name, 12-byte nonce, ciphertext, 16-byte tag),
// decrypt it back to the Secret, flip a byte and see AES-GCM's authentication fail; with
// aescbc a flipped IV byte is not noticed by the cipher.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, setEditorText } from './lib.mjs';

/** A file of tests/browser/fixtures/envelope/ (values made natively by the CLI: see make.sh). */
function fixture(name) {
  return readFileSync(join(ROOT, 'tests/browser/fixtures/envelope', name), 'utf8');
}

async function segments(page) {
  return page
    .locator('[data-testid=enc-segment]')
    .evaluateAll((rows) =>
      rows.map((r) => ({
        label: r.dataset.label,
        length: Number(r.dataset.length),
        text: r.querySelector('.enc-detail').textContent,
      })),
    );
}

export async function aesgcm_value_diagram_decrypt_and_tamper(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-encryption]').click();
  assert.equal(await page.locator('[data-testid=tab-encryption]').getAttribute('aria-selected'), 'true');
  await page.locator('[data-testid=enc-provider]').selectOption('aesgcm');
  await page.locator('[data-testid=enc-encrypt]').click();
  await page.locator('[data-testid=enc-diagram]').waitFor();

  const steps = await page.locator('[data-testid=enc-step]').allTextContents();
  assert.deepEqual(
    steps.map((s) => s.split(':')[0]),
    ['Secret encoded for storage', 'Key generated', 'Data encrypted', 'Written to etcd'],
  );
  const segs = await segments(page);
  assert.deepEqual(
    segs.map((s) => s.label),
    ['prefix', 'key name', 'nonce', 'ciphertext', 'tag'],
  );
  assert.equal(segs[0].text, 'k8s:enc:aesgcm:v1:');
  assert.equal(segs[0].length, 'k8s:enc:aesgcm:v1:'.length);
  assert.equal(segs[1].length, 'key1:'.length);
  assert.equal(segs[2].length, 12, 'a 12-byte nonce');
  assert.equal(segs[4].length, 16, 'a 16-byte tag');

  // The value, base64 then hex, starts with the prefix.
  const b64 = await page.locator('[data-testid=enc-value]').textContent();
  assert.ok(Buffer.from(b64, 'base64').toString('latin1').startsWith('k8s:enc:aesgcm:v1:key1:'), b64);
  await page.locator('[data-testid=enc-encoding]').selectOption('hex');
  const hex = await page.locator('[data-testid=enc-value]').textContent();
  assert.equal(hex, Buffer.from(b64, 'base64').toString('hex'));
  await t.screenshot('encryption-aesgcm');

  await page.locator('[data-testid=enc-decrypt]').click();
  await page.locator('[data-testid=enc-secret]').waitFor();
  const yaml = await page.locator('[data-testid=enc-secret]').textContent();
  assert.match(yaml, /^ {2}name: db-credentials$/m);
  assert.match(yaml, /^ {2}namespace: prod$/m);
  assert.match(yaml, new RegExp(`^ {2}password: ${Buffer.from('s3cr3t').toString('base64')}$`, 'm'));

  await page.locator('[data-testid=enc-flip-ciphertext]').click();
  assert.match(await page.locator('[data-testid=enc-flips]').textContent(), /^Tampered: lowest bit flipped at byte \d+\.$/);
  assert.equal(await page.locator('[data-testid=enc-segment].tampered').getAttribute('data-label'), 'ciphertext');
  await page.locator('[data-testid=enc-decrypt]').click();
  const status = page.locator('[data-testid=enc-read-status]');
  await status.waitFor();
  assert.match(await status.textContent(), /^authentication failed: the AES-GCM tag does not match \(OperationError/);
  assert.equal(await page.locator('[data-testid=enc-secret]').count(), 0);
  await t.screenshot('encryption-aesgcm-tampered');

  // Restored, it reads again.
  await page.locator('[data-testid=enc-restore]').click();
  await page.locator('[data-testid=enc-decrypt]').click();
  await page.locator('[data-testid=enc-secret]').waitFor();
}

export async function aescbc_does_not_notice_a_flipped_iv(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-encryption]').click();
  await page.locator('[data-testid=enc-provider]').selectOption('aescbc');
  await page.locator('[data-testid=enc-encrypt]').click();
  await page.locator('[data-testid=enc-diagram]').waitFor();
  const segs = await segments(page);
  assert.deepEqual(segs.map((s) => s.label), ['prefix', 'key name', 'IV', 'ciphertext']);
  assert.equal(segs[2].length, 16);
  await page.locator('[data-testid=enc-flip-nonce]').click();
  await page.locator('[data-testid=enc-decrypt]').click();
  const status = page.locator('[data-testid=enc-read-status]');
  await status.waitFor();
  assert.match(
    await status.textContent(),
    /^The cipher raised no error \(nothing authenticates the bytes\) and returned altered data: /,
  );
}

export async function kms_v2_shows_the_encrypted_object_and_secretbox_is_native_only(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-encryption]').click();
  await page.locator('[data-testid=enc-provider]').selectOption('kms-v2');
  await page.locator('[data-testid=enc-encrypt]').click();
  await page.locator('[data-testid=enc-diagram]').waitFor();
  const labels = (await segments(page)).map((s) => s.label);
  for (const l of ['prefix', 'provider name', 'HKDF info', 'nonce', 'ciphertext', 'tag', 'wrapped']) {
    assert.ok(labels.includes(l), `${l} in ${labels}`);
  }
  const steps = (await page.locator('[data-testid=enc-step]').allTextContents()).map((s) => s.split(':')[0]);
  assert.deepEqual(steps, [
    'Secret encoded for storage',
    'KEK generated in the KMS',
    'Seed generated',
    'DEK derived',
    'Data encrypted',
    'Seed wrapped by the KMS',
    'Written to etcd',
  ]);
  await page.locator('[data-testid=enc-decrypt]').click();
  await page.locator('[data-testid=enc-secret]').waitFor();
  await t.screenshot('encryption-kms-v2');

  await page.locator('[data-testid=enc-provider]').selectOption('secretbox');
  await page.locator('[data-testid=enc-native-only]').waitFor();
  assert.equal(await page.locator('[data-testid=enc-encrypt]').isDisabled(), true);
}

async function openEncryption(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-encryption]').click();
  return page;
}

async function storedRows(page) {
  return page.locator('[data-testid=enc-stored]').evaluateAll((rows) =>
    rows.map((r) => ({
      key: r.dataset.etcdKey,
      kek: r.dataset.keyId,
      stale: r.dataset.stale,
      status: r.querySelector('[data-testid=enc-stored-status]').textContent,
    })),
  );
}

const STORED_KEYS = [
  '/registry/secrets/prod/db-credentials',
  '/registry/secrets/prod/api-token',
  '/registry/secrets/payments/tls-client',
];

export async function kek_rotation_marks_values_stale_and_a_rewrite_clears_them(t) {
  const page = await openEncryption(t);
  const kms = page.locator('[data-testid=enc-kms]');
  const log = page.locator('[data-testid=enc-store-log]');

  await page.locator('[data-testid=enc-store-write]').click();
  await kms.waitFor();
  assert.equal(
    await kms.textContent(),
    'KMS keys: kek-1 (current: kek-1) · calls so far: 1 KMS Encrypt call, 0 KMS Decrypt calls',
  );
  assert.deepEqual(
    await storedRows(page),
    STORED_KEYS.map((key) => ({ key, kek: 'kek-1', stale: 'false', status: 'current' })),
  );
  assert.equal(
    await log.textContent(),
    'Wrote 3 Secrets under KEK kek-1: 1 KMS Encrypt call (one seed, wrapped once, a key derived per write).',
  );

  // Rotate: the KMS keeps kek-1 for reads, kek-2 wraps; every stored value is stale.
  await page.locator('[data-testid=enc-rotate]').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=enc-kms]').textContent.includes('current: kek-2'),
  );
  assert.equal(
    await kms.textContent(),
    'KMS keys: kek-1, kek-2 (current: kek-2) · calls so far: 1 KMS Encrypt call, 0 KMS Decrypt calls',
  );
  assert.deepEqual(
    await storedRows(page),
    STORED_KEYS.map((key) => ({
      key,
      kek: 'kek-1',
      stale: 'true',
      status: 'stale: wrapped by kek-1, not the current kek-2',
    })),
  );
  await page.locator('[data-testid=enc-store]').scrollIntoViewIfNeeded();
  await t.screenshot('encryption-rotation-stale');

  // Rewrite: read with the seed the apiserver still holds (no Decrypt call), written again
  // under a new seed wrapped by kek-2 (one Encrypt call).
  await page.locator('[data-testid=enc-rewrite]').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=enc-store-log]').textContent.startsWith('Rewrote'),
  );
  assert.equal(
    await log.textContent(),
    'Rewrote 3 values (read, then written again): 0 KMS Decrypt calls and 1 KMS Encrypt call; every value is now under kek-2.',
  );
  assert.deepEqual(
    await storedRows(page),
    STORED_KEYS.map((key) => ({ key, kek: 'kek-2', stale: 'false', status: 'current' })),
  );

  // Once more after an apiserver restart: the old seed must come from the KMS (one Decrypt
  // call for the three values, which share it).
  await page.locator('[data-testid=enc-rotate]').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=enc-kms]').textContent.includes('current: kek-3'),
  );
  await page.locator('[data-testid=enc-restart]').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=enc-store-log]').textContent.startsWith('The apiserver restarted'),
  );
  await page.locator('[data-testid=enc-rewrite]').click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=enc-store-log]').textContent.startsWith('Rewrote'),
  );
  assert.equal(
    await log.textContent(),
    'Rewrote 3 values (read, then written again): 1 KMS Decrypt call and 1 KMS Encrypt call; every value is now under kek-3.',
  );
  assert.equal(
    await kms.textContent(),
    'KMS keys: kek-1, kek-2, kek-3 (current: kek-3) · calls so far: 3 KMS Encrypt calls, 1 KMS Decrypt call',
  );
  assert.deepEqual((await storedRows(page)).map((r) => [r.kek, r.stale]), STORED_KEYS.map(() => ['kek-3', 'false']));
}

export async function dek_per_write_against_a_cached_seed_is_measured(t) {
  const page = await openEncryption(t);
  await page.locator('[data-testid=enc-cost-writes]').fill('300');
  await page.locator('[data-testid=enc-cost-run]').click();
  const ratio = page.locator('[data-testid=enc-cost-ratio]');
  await ratio.waitFor({ timeout: 60_000 });
  const row = async (id) => ({
    ms: await page.locator(`[data-testid=${id}] [data-testid=enc-cost-ms]`).textContent(),
    kms: await page.locator(`[data-testid=${id}] [data-testid=enc-cost-kms]`).textContent(),
  });
  const perWrite = await row('enc-cost-dek-per-write');
  const cached = await row('enc-cost-cached');
  // The KMS call counts are exact: one wrap per write against one seed for all writes.
  assert.equal(perWrite.kms, '300');
  assert.equal(cached.kms, '1');
  for (const r of [perWrite, cached]) assert.match(r.ms, /^\d+\.\d ms$/);
  const text = await ratio.textContent();
  const m = /^300 writes: a DEK per write took (\d+\.\d) ms, the cached seed (\d+\.\d) ms \((\d+\.\d)×\); the DEK per write made 300 KMS calls, the cached seed 1\.$/.exec(text);
  assert.ok(m, text);
  assert.deepEqual([m[1], m[2]], [perWrite.ms, cached.ms].map((s) => s.replace(' ms', '')));
  const [a, b] = [parseFloat(m[1]), parseFloat(m[2])];
  assert.ok(a > 0 && b > 0, `both runs took time: ${a} ms, ${b} ms`);
  // The ratio is of the unrounded times: within what rounding the shown ones to 0.1 allows.
  const [lo, hi] = [(a - 0.05) / (b + 0.05) - 0.05, (a + 0.05) / Math.max(b - 0.05, 1e-9) + 0.05];
  assert.ok(lo <= Number(m[3]) && Number(m[3]) <= hi, `${m[3]}× vs ${a} ms / ${b} ms`);
  t.note(text);
  await t.saveJson('encryption-cost', { writes: 300, dek_per_write: perWrite, cached_seed: cached, ratio: text });
  await page.locator('[data-testid=enc-cost]').scrollIntoViewIfNeeded();
  await t.screenshot('encryption-cost');
}

const PROVIDER_CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: 8E3Oi0dsFnY4YTyswGEoVz3qkLy+Lj4G5ZAGtCSpGGo=
  - identity: {}
---
apiVersion: v1
kind: Secret
metadata:
  name: billing-db
  namespace: finance
stringData:
  password: hunter22
`;

export async function see_stores_opens_the_encryption_tab_with_the_provider(t) {
  const page = await t.open();
  await setEditorText(page, PROVIDER_CONFIG);
  const finding = (rule) => page.locator(`[data-testid=finding][data-rule=${rule}]`).first();
  await finding('ENC-005').waitFor();
  // Provider rules offer the button (ENC-006: the provider that writes, aescbc here); others not.
  const offered = await page.locator('[data-testid=finding]').evaluateAll((fs) =>
    fs.map((f) => [f.dataset.rule, f.querySelector('[data-testid=see-stores]')?.dataset.provider ?? null]),
  );
  const expected = { 'ENC-003': 'identity', 'ENC-005': 'aescbc', 'ENC-006': 'aescbc' };
  assert.ok(offered.some(([r]) => r === 'ENC-005'), JSON.stringify(offered));
  for (const [rule, provider] of offered) {
    assert.equal(provider, expected[rule] ?? null, `${rule}: ${JSON.stringify(offered)}`);
  }

  await finding('ENC-005').locator('[data-testid=see-stores]').click();
  assert.equal(await page.locator('[data-testid=tab-encryption]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('[data-testid=enc-preset]').textContent(), 'Opened from ENC-005: what aescbc stores.');
  assert.equal(await page.locator('[data-testid=enc-provider]').inputValue(), 'aescbc');
  // The editor's Secret, written at once with aescbc.
  await page.locator('[data-testid=enc-diagram]').waitFor();
  assert.equal(await page.locator('[data-testid=enc-name]').inputValue(), 'billing-db');
  assert.equal(await page.locator('[data-testid=enc-namespace]').inputValue(), 'finance');
  assert.equal(await page.locator('[data-testid=enc-data]').inputValue(), 'password=hunter22');
  assert.deepEqual((await segments(page)).map((s) => s.label), ['prefix', 'key name', 'IV', 'ciphertext']);
  const steps = await page.locator('[data-testid=enc-step]').allTextContents();
  assert.match(steps.at(-1), /^Written to etcd: \d+ bytes under \/registry\/secrets\/finance\/billing-db$/);
  await page.locator('[data-testid=enc-decrypt]').click();
  await page.locator('[data-testid=enc-secret]').waitFor();
  assert.match(await page.locator('[data-testid=enc-secret]').textContent(), new RegExp(`^ {2}password: ${Buffer.from('hunter22').toString('base64')}$`, 'm'));

  // Back to the findings: identity kept as a fallback shows what identity stores.
  await page.locator('[data-testid=tab-findings]').click();
  await finding('ENC-003').locator('[data-testid=see-stores]').click();
  assert.equal(await page.locator('[data-testid=enc-preset]').textContent(), 'Opened from ENC-003: what identity (no encryption) stores.');
  assert.equal(await page.locator('[data-testid=enc-provider]').inputValue(), 'identity');
  await page.locator('[data-testid=enc-diagram]').waitFor();
  assert.equal((await segments(page))[0].label, 'magic');
}

const PASTE_KEY = '/registry/secrets/shop/payments-api';

async function paste(page, { value, key = PASTE_KEY, encoding = 'auto', kek = '' }) {
  await page.locator('[data-testid=enc-paste-value]').fill(value);
  await page.locator('[data-testid=enc-paste-encoding]').selectOption(encoding);
  await page.locator('[data-testid=enc-paste-key]').fill(key);
  await page.locator('[data-testid=enc-paste-kek]').fill(kek);
  const section = page.locator('[data-testid=enc-paste]');
  const reads = Number(await section.getAttribute('data-reads'));
  await page.locator('[data-testid=enc-paste-decrypt]').click();
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid=enc-paste]').dataset.reads) === n,
    reads + 1,
  );
  const error = page.locator('[data-testid=enc-paste-error]');
  if (await error.count()) return { error: await error.textContent() };
  return {
    status: await page.locator('[data-testid=enc-paste-status]').textContent(),
    secret: await page.locator('[data-testid=enc-paste-secret]').textContent(),
    stale: (await page.locator('[data-testid=enc-paste-stale] li').allTextContents()).slice(1),
  };
}

export async function paste_native_values_and_read_the_secret(t) {
  const page = await t.open();
  await page.locator('[data-testid=tab-encryption]').click();
  assert.equal(await page.locator('[data-testid=enc-paste-key]').inputValue(), '/registry/secrets/default/');
  await page.locator('[data-testid=tab-findings]').click();
  // The configuration comes from the editor by default.
  await setEditorText(page, fixture('encryption.yaml'));
  await page.locator('[data-testid=tab-encryption]').click();

  // aesgcm, base64: exactly what `secrets-guard envelope decrypt` prints.
  let r = await paste(page, { value: fixture('aesgcm.b64') });
  assert.equal(r.status, `Read by resources[0].providers[0]: aesgcm key \`key2\` (base64 input, etcd key ${PASTE_KEY})`);
  assert.equal(r.secret, fixture('aesgcm.expected.yaml'));
  assert.deepEqual(r.stale, []);
  const labels = await page.locator('[data-testid=enc-paste-segment]').evaluateAll((rows) => rows.map((x) => x.dataset.label));
  assert.deepEqual(labels.slice(0, 5), ['prefix', 'key name', 'nonce', 'ciphertext', 'tag']);

  // aescbc, pasted as hex: read by the second provider, so stale.
  const hex = Buffer.from(fixture('aescbc.b64').trim(), 'base64').toString('hex');
  r = await paste(page, { value: hex });
  assert.equal(r.status, `Read by resources[0].providers[1]: aescbc key \`cbc1\` (hex input, etcd key ${PASTE_KEY})`);
  assert.equal(r.secret, fixture('aescbc.expected.yaml'));
  assert.deepEqual(r.stale, ['read by resources[0].providers[1] (aescbc), not by the provider that writes (resources[0].providers[0])']);

  // KMS v2: without the KEK the tab says so; with the KEK file it reads.
  r = await paste(page, { value: fixture('kms.b64') });
  assert.equal(
    r.error,
    'no provider could read the value:\n  resources[0].providers[2] kms v2 `vault`: the KEK "kek-2" of KMS provider `vault` is not known here: ' +
      'the KMS keeps its keys. Paste the KEK file that stands in for it (the `--kek` file of `secrets-guard envelope`)',
  );
  r = await paste(page, { value: fixture('kms.b64'), kek: fixture('kek.yaml') });
  // What the user typed stays in the form after a read.
  assert.equal(await page.locator('[data-testid=enc-paste-key]').inputValue(), PASTE_KEY);
  assert.equal(r.status, `Read by resources[0].providers[2]: kms v2 \`vault\` (seed mode, keyID \`kek-2\`) (base64 input, etcd key ${PASTE_KEY})`);
  assert.equal(r.secret, fixture('kms.expected.yaml'));
  const kmsLabels = await page.locator('[data-testid=enc-paste-segment]').evaluateAll((rows) => rows.map((x) => x.dataset.label));
  for (const l of ['prefix', 'provider name', 'HKDF info', 'nonce', 'ciphertext', 'tag', 'wrapped']) {
    assert.ok(kmsLabels.includes(l), `${l} in ${kmsLabels}`);
  }
  await page.locator('[data-testid=enc-paste-secret]').scrollIntoViewIfNeeded();
  await t.screenshot('encryption-paste-kms');

  // secretbox: native only, and the diagram still shows the value.
  r = await paste(page, { value: fixture('secretbox.b64') });
  assert.equal(
    r.error,
    'no provider could read the value:\n  resources[0].providers[3] secretbox key `sb1`: secretbox (XSalsa20-Poly1305) is not in WebCrypto: ' +
      'read this value natively with `secrets-guard envelope decrypt`',
  );
  assert.equal(await page.locator('[data-testid=enc-paste-segment]').first().getAttribute('data-label'), 'prefix');
}

export async function paste_errors_are_clear(t) {
  const page = await t.open();
  await setEditorText(page, fixture('encryption.yaml'));
  await page.locator('[data-testid=tab-encryption]').click();
  const gcm = fixture('aesgcm.b64').trim();

  assert.deepEqual(await paste(page, { value: 'not*base64!', encoding: 'base64' }), { error: 'the input is not valid base64' });
  assert.deepEqual(await paste(page, { value: 'hello world' }), {
    error: 'the value is not valid base64 or hex, and as raw text it is no etcd value (those start with `k8s`)',
  });
  // A prefix no provider has.
  assert.deepEqual(await paste(page, { value: 'k8s:enc:kms:v2:other:xyz', encoding: 'raw' }), {
    error: 'no matching prefix found among the providers of `secrets`: the value is kms v2 data with provider name `other`, which no provider has',
  });
  // The aesgcm prefix with a key name no key has.
  const renamed = Buffer.concat([
    Buffer.from('k8s:enc:aesgcm:v1:key9:'),
    Buffer.from(gcm, 'base64').subarray('k8s:enc:aesgcm:v1:key2:'.length),
  ]).toString('base64');
  assert.deepEqual(await paste(page, { value: renamed }), {
    error: 'no provider could read the value:\n  resources[0].providers[0] aesgcm: no matching key was found for the provided AES transformer',
  });
  // Another etcd key (the AAD): authentication fails.
  const r = await paste(page, { value: gcm, key: '/registry/secrets/shop/other' });
  assert.match(
    r.error,
    /^no provider could read the value:\n {2}resources\[0\]\.providers\[0\] aesgcm key `key2`: authentication failed: the AES-GCM tag does not match \(OperationError/,
  );
  // No EncryptionConfiguration anywhere.
  await page.locator('[data-testid=tab-findings]').click();
  await setEditorText(page, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
  await page.locator('[data-testid=tab-encryption]').click();
  assert.deepEqual(await paste(page, { value: gcm }), {
    error: 'EncryptionConfiguration: no `kind: EncryptionConfiguration` (apiVersion: apiserver.config.k8s.io/v1) document found',
  });
}

export async function kms_v2_key_mode_is_in_the_provider_selector(t) {
  const page = await openEncryption(t);
  const options = await page.locator('[data-testid=enc-provider] option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(options.find(([v]) => v === 'kms-v2-key'), ['kms-v2-key', 'KMS v2 (key mode)']);
  await page.locator('[data-testid=enc-provider]').selectOption('kms-v2-key');
  await page.locator('[data-testid=enc-encrypt]').click();
  await page.locator('[data-testid=enc-diagram]').waitFor();
  const steps = (await page.locator('[data-testid=enc-step]').allTextContents()).map((s) => s.split(':')[0]);
  assert.deepEqual(steps, [
    'Secret encoded for storage',
    'KEK generated in the KMS',
    'DEK generated',
    'Data encrypted',
    'DEK wrapped by the KMS',
    'Written to etcd',
  ]);
  const labels = (await segments(page)).map((s) => s.label);
  assert.ok(!labels.includes('HKDF info'), `key mode has no HKDF info: ${labels}`);
  for (const l of ['prefix', 'provider name', 'nonce', 'ciphertext', 'tag', 'wrapped']) {
    assert.ok(labels.includes(l), `${l} in ${labels}`);
  }
  await page.locator('[data-testid=enc-decrypt]').click();
  await page.locator('[data-testid=enc-secret]').waitFor();
  assert.match(await page.locator('[data-testid=enc-secret]').textContent(), /^ {2}name: db-credentials$/m);
}
