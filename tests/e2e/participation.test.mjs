// The Beteiligungsportal in the browser, as its people use it (server started with --demo):
//   - a citizen finds a process of their Gemeinde, registers, proposes, edits the proposal,
//     asks about the process itself, supports another one and comments on it;
//   - staff of Kemberg start a process with phases, change it, hide a comment and answer a
//     proposal (Rechenschaft).
// Every page on the way is checked with axe, for CSP violations and console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, visit, submit, registerAndLogIn, logIn, VIEWPORTS, checkPage, demoSuite,
} from './lib.mjs';

const ADMIN = 'gemeinde-admin@demo.augenhoehe.invalid';
const demo = demoSuite();
const { skip } = demo;

test('a citizen finds the process of her Gemeinde, registers, proposes, supports and comments', { timeout: 180_000, skip }, async () => {
  const { context, page, problems } = await openPage(demo.browser, { viewport: VIEWPORTS.phone });
  try {
    // Find: "In meiner Gemeinde" → Kemberg → the playground process.
    await visit(page, '/beteiligung');
    await page.selectOption('#field-gemeinde', '15091160');
    await submit(page, 'form.ah-filters');
    assert.match(page.url(), /gemeinde=15091160/);
    await Promise.all([page.waitForNavigation(), page.click('text=Neugestaltung des Spielplatzes am Markt')]);
    const processUrl = new URL(page.url()).pathname;
    assert.match(processUrl, /^\/beteiligung\/\d+$/);
    assert.match(await page.textContent('main'), /Melden Sie sich an, um einen Vorschlag zu machen/);

    // Register (the confirmation link comes by mail) and come back.
    const email = `mia-${Date.now()}@example.org`;
    await registerAndLogIn(page, email, 'Mia Muster');
    await visit(page, processUrl);

    // Propose: a mistake first (no text), then the full proposal.
    await Promise.all([page.waitForNavigation(), page.click('text=Vorschlag machen')]);
    await checkPage(page, problems, 'proposal form');
    await page.fill('#field-title', 'Ein Sandkasten mit Sonnensegel');
    await submit(page, 'main form[method=post]');
    assert.match(await page.textContent('.kern-alert'), /Bitte beschreiben Sie Ihren Vorschlag/);
    assert.equal(await page.inputValue('#field-title'), 'Ein Sandkasten mit Sonnensegel', 'keeps what was typed');
    await checkPage(page, problems, 'proposal form with errors', 422);
    await page.fill('#field-body', 'Ein **großer** Sandkasten:\n\n- mit Sonnensegel\n- und Bänken am Rand');
    await submit(page, 'main form[method=post]');
    assert.match(new URL(page.url()).pathname, /^\/vorschlaege\/\d+$/);
    const mine = new URL(page.url()).pathname;
    assert.equal(await page.textContent('.ah-text strong'), 'großer', 'Markdown is rendered');
    assert.equal(await page.locator('.ah-text li').count(), 2);
    await checkPage(page, problems, 'own proposal');

    // Edit while nobody has supported it.
    await Promise.all([page.waitForNavigation(), page.click('text=Vorschlag bearbeiten')]);
    await page.fill('#field-title', 'Ein Sandkasten mit großem Sonnensegel');
    await submit(page, 'main form[method=post]');
    assert.equal(new URL(page.url()).pathname, mine);
    assert.match(await page.textContent('h1'), /großem Sonnensegel/);

    // Ask something about the process itself, under its own discussion.
    await visit(page, processUrl);
    await page.fill('#field-comment', 'Gibt es auch Sitzplätze im Schatten für Eltern?');
    await submit(page, 'form[action$="/kommentare"]:has(#field-comment)');
    assert.equal(new URL(page.url()).pathname, processUrl);
    assert.match(await page.textContent('#comments-heading'), /Diskussion zum Verfahren/);
    assert.match(await page.textContent('main'), /Sitzplätze im Schatten für Eltern\?/);
    await checkPage(page, problems, 'process with its discussion');

    // Support someone else's proposal and comment on it.
    await visit(page, processUrl);
    await Promise.all([page.waitForNavigation(), page.click('text=Eine Rutsche für die Kleinen')]);
    const before = Number((await page.textContent('[role=status] strong')).replace(/\D/g, ''));
    await submit(page, 'form[action$="/unterstuetzung"]');
    assert.equal(Number((await page.textContent('[role=status] strong')).replace(/\D/g, '')), before + 1);
    assert.match(await page.textContent('main'), /Unterstützung zurücknehmen/);
    await page.fill('#field-comment', 'Ja, bitte mit weichem Boden darunter.');
    await submit(page, 'form[action$="/kommentare"]:has(#field-comment)');
    assert.match(await page.textContent('main'), /Ja, bitte mit weichem Boden darunter\./);
    assert.match(await page.textContent('main'), /Mia Muster/);
    await checkPage(page, problems, 'supported and commented proposal');
  } finally {
    await context.close();
  }
});

test('Kemberg\'s staff start a process with phases and answer a proposal', { timeout: 180_000, skip }, async () => {
  const { context, page, problems } = await openPage(demo.browser, { viewport: VIEWPORTS.desktop });
  try {
    await logIn(page, ADMIN, demo.accounts[ADMIN]);
    await visit(page, '/beteiligung');
    await Promise.all([page.waitForNavigation(), page.click('a[href="/beteiligung/neu"]')]);
    await checkPage(page, problems, 'new process form');
    await page.fill('#field-title', 'Radweg nach Wittenberg');
    await page.fill('#field-summary', 'Wo soll der Radweg entlangführen?');
    await page.fill('#field-body', 'Die Stadt plant einen **Radweg**.');
    await page.fill('input[name=phase0_title]', 'Ideen');
    await page.check('#phase0-propose');
    await page.check('#phase0-support');
    await page.check('#state-published');
    await submit(page, 'main form[method=post]');
    const processUrl = new URL(page.url()).pathname;
    assert.match(processUrl, /^\/beteiligung\/\d+$/, `landed on ${page.url()}`);
    assert.equal(await page.textContent('h1'), 'Radweg nach Wittenberg');
    assert.match(await page.textContent('main'), /Ideen/);
    await checkPage(page, problems, 'new process');

    // Change it later: a sharper summary, and closed once the ideas are in.
    await Promise.all([page.waitForNavigation(), page.click('text=Verfahren bearbeiten')]);
    await checkPage(page, problems, 'process edit form');
    assert.equal(await page.inputValue('#field-title'), 'Radweg nach Wittenberg', 'the form shows what is');
    await page.fill('#field-summary', 'Wo soll der Radweg nach Wittenberg entlangführen?');
    await page.check('#state-closed');
    await submit(page, 'main form[method=post]');
    assert.equal(new URL(page.url()).pathname, processUrl);
    assert.match(await page.textContent('[role=status]'), /Die Änderungen sind gespeichert/);
    assert.match(await page.textContent('main'), /Wo soll der Radweg nach Wittenberg entlangführen\?/);

    // Name a colleague from Wittenberg as moderator (mixed teams: any organisation's staff).
    await Promise.all([page.waitForNavigation(), page.click('a[href$="/team"]')]);
    await page.fill('#field-email', 'wittenberg@demo.augenhoehe.invalid');
    await submit(page, 'form:has(#field-email)');
    assert.match(await page.textContent('[role=status]'), /hinzugefügt/);
    assert.match(await page.textContent('main'), /Lutherstadt Wittenberg \(Demo\) – Moderation/);
    await checkPage(page, problems, 'team of a process');

    // Moderate directly on the page: hide a comment of the demo's discussion with a reason.
    await visit(page, '/beteiligung/1');
    const comment = page.locator('.ah-comment', { hasText: 'Wird der Spielplatz während der Bauzeit' }).first();
    await comment.locator('summary', { hasText: 'Ausblenden' }).first().click();
    await comment.locator('input[name=reason]').first().fill('Doppelt gestellt');
    await Promise.all([page.waitForNavigation(), comment.locator('form[action$="/moderation"] button').first().click()]);
    assert.equal(new URL(page.url()).pathname, '/beteiligung/1');
    assert.match(await page.textContent('main'), /Ausgeblendet: Doppelt gestellt/);
    await checkPage(page, problems, 'process with a hidden comment (moderator)');

    // Rechenschaft: answer the slide proposal of the demo (first a mistake: no reason).
    await visit(page, '/beteiligung/1');
    await Promise.all([page.waitForNavigation(), page.click('text=Eine Rutsche für die Kleinen')]);
    const proposal = new URL(page.url()).pathname;
    await page.selectOption('#field-state', 'accepted');
    await page.fill('#field-progress', '10');
    await submit(page, 'form[action$="/antwort"]');
    assert.match(await page.textContent('main'), /Bitte begründen Sie die Antwort/);
    assert.equal(await page.inputValue('#field-progress'), '10', 'keeps what was typed');
    await checkPage(page, problems, 'answer form with errors', 422);
    await page.fill('#field-text', 'Die Rutsche kommt in den ersten Bauabschnitt.');
    await submit(page, 'form[action$="/antwort"]');
    assert.equal(new URL(page.url()).pathname, proposal);
    assert.match(await page.textContent('#antwort'), /Die Rutsche kommt in den ersten Bauabschnitt\./);
    await checkPage(page, problems, 'answered proposal');

    // Everyone sees the result on the process page.
    const anonymous = await openPage(demo.browser);
    try {
      await visit(anonymous.page, '/beteiligung/1');
      assert.match(await anonymous.page.textContent('main'), /Ergebnisse/);
      assert.match(await anonymous.page.textContent('main'), /angenommen: 2|angenommen: \d/);
    } finally {
      await anonymous.context.close();
    }
  } finally {
    await context.close();
  }
});
