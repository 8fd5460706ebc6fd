// The "Encryption at rest" tab: encrypt the form's Secret with aesgcm (WebCrypto in the page),
// read the annotated byte diagram (prefix, key name, 12-byte nonce, ciphertext, 16-byte tag),
// decrypt it back to the Secret, flip a byte and see AES-GCM's authentication fail; with
// aescbc a flipped IV byte is not noticed by the cipher.

import assert from 'node:assert/strict';

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
