// Cover images and attachments in the browser: Kemberg's admin starts a process with a
// cover and a PDF chosen through the file inputs, the page shows both (the image decoded,
// its space reserved), stays free of WCAG 2.1 AA violations, and a file that lies about
// its type is refused with the file named and the typed text kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launchBrowser, openPage, visit, runAxe, formatViolations, demoAccounts, logIn } from './lib.mjs';

const ADMIN = 'gemeinde-admin@demo.augenhoehe.invalid';

const skip = !process.env.AH_DATA_DIR && 'AH_DATA_DIR not set';
const session = {};
before(async () => Object.assign(session, { browser: await launchBrowser(), accounts: await demoAccounts() }));
after(() => session.browser?.close());

// Real files from the demo server itself: the Kemberg process's cover (a PNG drawn at
// seeding) and its notice-board poster (a PDF), so that nothing binary is kept here.
async function demoFiles(page) {
  await visit(page, '/beteiligung/1');
  const coverUrl = await page.getAttribute('img.ah-cover', 'src');
  assert.ok(coverUrl, 'the demo process has a cover');
  const png = await (await page.request.get(BASE_URL + coverUrl)).body();
  const pdf = await (await page.request.get(`${BASE_URL}/beteiligung/1/aushang.pdf`)).body();
  return { png, pdf };
}

async function fillProcess(page, title) {
  await visit(page, '/beteiligung/neu');
  await page.fill('#field-title', title);
  await page.fill('#field-summary', 'Wo sollen die neuen Bänke stehen?');
  await page.check('#state-published');
}

test('a cover and an attachment uploaded with the create form show on the process page', { timeout: 120_000, skip }, async () => {
  const { context, page } = await openPage(session.browser);
  try {
    await logIn(page, ADMIN, session.accounts[ADMIN]);
    const { png, pdf } = await demoFiles(page);
    await fillProcess(page, 'Bänke am Marktplatz');
    await page.setInputFiles('#field-cover', { name: 'markt.png', mimeType: 'image/png', buffer: png });
    await page.fill('#field-cover_alt', 'Zeichnung des Marktplatzes');
    await page.setInputFiles('#field-attachment0', { name: 'Lageplan.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.fill('#field-attachment0_title', 'Lageplan der Bänke');
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    assert.match(new URL(page.url()).pathname, /^\/beteiligung\/\d+$/);

    const cover = page.locator('img.ah-cover');
    assert.equal(await cover.getAttribute('alt'), 'Zeichnung des Marktplatzes');
    assert.equal(await cover.getAttribute('width'), '480');
    assert.equal(await cover.getAttribute('height'), '270');
    assert.ok(await cover.evaluate((img) => img.complete && img.naturalWidth === 480), 'the browser decoded the image');
    const link = page.locator('a', { hasText: 'Lageplan der Bänke' });
    assert.equal(await link.getAttribute('type'), 'application/pdf');
    assert.match(await link.locator('xpath=..').textContent(), /\(PDF, [\d,]+ (kB|MB)\)/);
    const served = await page.request.get(BASE_URL + await link.getAttribute('href'));
    assert.equal(served.status(), 200);
    assert.equal(served.headers()['content-type'], 'application/pdf');
    assert.match(served.headers()['content-disposition'], /^attachment; filename="Lageplan.pdf"/);
    assert.equal(served.headers()['x-content-type-options'], 'nosniff');

    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(violations));
  } finally {
    await context.close();
  }
});

test('a file that lies about its type is refused, naming it, and the form keeps the text', { timeout: 120_000, skip }, async () => {
  const { context, page } = await openPage(session.browser);
  try {
    await logIn(page, ADMIN, session.accounts[ADMIN]);
    await fillProcess(page, 'Ein Titel, der bleibt');
    await page.setInputFiles('#field-cover', {
      name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from('<!doctype html><script>alert(1)</script>'),
    });
    await page.fill('#field-cover_alt', 'Ein Foto');
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, '/beteiligung/neu');
    const summary = await page.textContent('[role=alert]');
    assert.match(summary, /Die Datei „foto\.png“ ist kein PNG-Bild\./);
    assert.match(summary, /wählen Sie Titelbild und Anhänge noch einmal aus/);
    assert.equal(await page.inputValue('#field-title'), 'Ein Titel, der bleibt');
    assert.equal(await page.inputValue('#field-cover_alt'), 'Ein Foto');
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(violations));
  } finally {
    await context.close();
  }
});
