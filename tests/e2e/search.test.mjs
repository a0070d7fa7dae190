// Searching /beteiligung the way people do: type words into "Suche", pick a topic, press
// the button — without JavaScript, on the demo data (`serve --demo`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, visit } from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const PLAYGROUND = 'Neugestaltung des Spielplatzes am Markt';
const DIGITAL = 'Digitale Verwaltung: Was wünschen Sie sich?';

test('search and topic filter work as a plain GET form', { timeout: 30_000 }, async () => {
  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  try {
    assert.equal(await visit(page, '/beteiligung'), 200);
    // An inflected form finds the demo process titled "… des Spielplatzes …".
    await page.getByLabel('Suche').fill('Spielplätze');
    await Promise.all([page.waitForURL(/q=Spielpl/), page.getByRole('button', { name: 'Anzeigen' }).click()]);
    const list = page.getByRole('main');
    assert.equal(await list.getByRole('link', { name: PLAYGROUND }).count(), 1);
    assert.equal(await list.getByRole('link', { name: DIGITAL }).count(), 0);
    assert.equal(await page.getByLabel('Suche').inputValue(), 'Spielplätze', 'keeps what was typed');
    assert.match(await page.getByRole('status').first().innerText(), /Suchergebnisse für „Spielplätze“/);

    // Topic and search together: nothing; then the topic alone.
    await page.getByLabel('Thema').selectOption({ label: 'Digitales' });
    await Promise.all([page.waitForURL(/topic=digitales/), page.getByRole('button', { name: 'Anzeigen' }).click()]);
    assert.equal(await list.getByRole('link', { name: PLAYGROUND }).count(), 0);
    assert.match(await list.innerText(), /Keine Verfahren gefunden/);
    await page.getByLabel('Suche').fill('');
    await Promise.all([page.waitForURL(/q=&|q=$/), page.getByRole('button', { name: 'Anzeigen' }).click()]);
    assert.equal(await list.getByRole('link', { name: DIGITAL }).count(), 1);
    assert.equal(await list.getByRole('link', { name: PLAYGROUND }).count(), 0);

    // Query syntax is not an error page.
    assert.equal(await visit(page, '/beteiligung?q=%22%28NEAR+OR+*+-'), 200);
  } finally {
    await context.close();
  }
});
