// A Konsultation from beginning to end in the browser, with the demo accounts of
// `serve --demo`: the Land opens a consultation to all Gemeinden of the Landkreis
// Wittenberg with a deadline a few minutes ahead; Wittenberg and Kemberg find it as open
// for them, comment (Kemberg with an amended wording) and release their Stellungnahmen; the
// Land watches the board, and after the deadline answers every point and publishes the
// Abwägung, which both Gemeinden are told about and which comes out as XLSX and PDF. Every
// page on the way has no WCAG 2.1 A/AA violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, openPage, visit, demoSuite, logIn, noViolations, clickAndWait } from './lib.mjs';

const LAND = 'land@demo.augenhoehe.invalid';
const WITTENBERG = 'wittenberg@demo.augenhoehe.invalid';
const KEMBERG = 'gemeinde-admin@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

// The date and time fields of a deadline in Berlin, `seconds` from now rounded up to the
// next full minute, and the instant they stand for.
function berlinDeadline(seconds) {
  const at = new Date(Math.ceil((Date.now() + seconds * 1000) / 60_000) * 60_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, at };
}

const TEXT = [
  '# § 1 Zweck',
  '',
  '(1) Die Gemeinden melden offene Stellen im Landesportal.',
  '',
  '# § 2 Fristen',
  '',
  '(1) Die Meldung erfolgt innerhalb von zwei Wochen.',
  '',
].join('\n');

test('the Land consults the Gemeinden of a Kreis, two answer, the Abwägung is published', { timeout: 540_000, skip }, async () => {
  const land = await openPage(demo.browser);
  const wittenberg = await openPage(demo.browser);
  const kemberg = await openPage(demo.browser);
  const title = `Erlass Stellenmeldung ${Date.now()}`;
  // Room for the steps before the deadline on a loaded machine (each page is checked with
  // axe); the test waits for the rest of it anyway.
  const deadline = berlinDeadline(240);
  try {
    // The Land opens the consultation.
    await logIn(land.page, LAND, demo.accounts[LAND]);
    assert.equal(await visit(land.page, '/konsultationen/neu'), 200);
    await noViolations(land.page, 'the form for a new consultation');
    await land.page.selectOption('#field-author', { label: 'Land Sachsen-Anhalt' });
    await land.page.fill('#field-title', title);
    await land.page.fill('#field-summary', 'Bitte prüfen Sie die Frist.');
    await land.page.fill('#field-body', TEXT);
    await land.page.check('#openness-lesbar');
    await land.page.check('#kreis-15091');
    await land.page.fill('#field-deadline-date', deadline.date);
    await land.page.fill('#field-deadline-time', deadline.time);
    await clickAndWait(land.page, 'main form button[type=submit]');
    const path = new URL(land.page.url()).pathname;
    assert.match(path, /^\/konsultationen\/\d+$/);
    assert.match(await land.page.textContent('main'), /Gemeinden im Landkreis Wittenberg/);
    await noViolations(land.page, 'the new consultation');

    // Wittenberg finds it as open for its organisation, comments and releases.
    await logIn(wittenberg.page, WITTENBERG, demo.accounts[WITTENBERG]);
    await visit(wittenberg.page, '/konsultationen');
    const mine = await wittenberg.page.textContent('section[aria-labelledby="fuer-mich"]');
    assert.ok(mine.includes(title), 'open for Wittenberg');
    await noViolations(wittenberg.page, 'the list with what is open for my organisation');
    assert.equal(await visit(wittenberg.page, `${path}/abschnitte/a2`), 200);
    // Selecting words in the section offers to take them as the passage.
    await wittenberg.page.evaluate(() => {
      const text = document.querySelector('[data-passage-source] p').firstChild;
      const at = text.data.indexOf('offene Stellen');
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + 'offene Stellen'.length);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
    });
    await wittenberg.page.click('[data-passage-take]');
    assert.equal(await wittenberg.page.inputValue('#field-passage'), 'offene Stellen');
    await wittenberg.page.fill('#field-body', 'Auch Ausbildungsplätze?');
    await clickAndWait(wittenberg.page, `main form[action="${path}/abschnitte/a2"] button[type=submit]`);
    assert.match(await wittenberg.page.textContent('main'), /Auch Ausbildungsplätze\?/);
    await noViolations(wittenberg.page, 'a section with a comment');
    assert.equal(await visit(wittenberg.page, `${path}/stellungnahme`), 200);
    await wittenberg.page.fill('#field-body', 'Wir stimmen grundsätzlich zu.');
    await clickAndWait(wittenberg.page, `main form[action="${path}/stellungnahme"] button[type=submit]`);
    assert.match(await wittenberg.page.textContent('main'), /Gespeichert/);
    await wittenberg.page.check('#confirm');
    await clickAndWait(wittenberg.page, `main form[action="${path}/stellungnahme/freigeben"] button[type=submit]`);
    assert.match(await wittenberg.page.textContent('main'), /Freigegeben am/);
    await noViolations(wittenberg.page, 'a released statement');

    // Kemberg proposes another wording and releases.
    await logIn(kemberg.page, KEMBERG, demo.accounts[KEMBERG]);
    assert.equal(await visit(kemberg.page, `${path}/abschnitte/a4`), 200);
    await kemberg.page.fill('#field-body', 'Zwei Wochen sind zu kurz.');
    await kemberg.page.fill('#field-amendment', '(1) Die Meldung erfolgt innerhalb von vier Wochen.');
    await clickAndWait(kemberg.page, `main form[action="${path}/abschnitte/a4"] button[type=submit]`);
    assert.match(await kemberg.page.textContent('main ins'), /vier/);
    await noViolations(kemberg.page, 'a comment with an amended wording');
    await visit(kemberg.page, `${path}/stellungnahme`);
    await kemberg.page.check('#confirm');
    await clickAndWait(kemberg.page, `main form[action="${path}/stellungnahme/freigeben"] button[type=submit]`);
    assert.match(await kemberg.page.textContent('main'), /Freigegeben am/);

    // The Land sees who has answered.
    assert.equal(await visit(land.page, `${path}/stand`), 200);
    assert.match(await land.page.textContent('#stand-live'), /2 von 9 Organisationen/);
    await noViolations(land.page, 'the board');

    assert.ok(Date.now() < deadline.at.getTime(),
      'the steps before the deadline took longer than the deadline allowed; the comments above were refused');
    // After the deadline the Land answers every point.
    const wait = deadline.at.getTime() + 2000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    assert.equal(await visit(land.page, `${path}/abwaegung`), 200);
    assert.match(await land.page.textContent('main'), /Noch nicht abgewogen: 3/);
    await noViolations(land.page, 'the Abwägung being written');
    const actions = await land.page.$$eval('main form[action*="/abwaegung/"]:not([action$="veroeffentlichen"])',
      (forms) => forms.map((f) => f.getAttribute('action')));
    assert.equal(actions.length, 3);
    const verdicts = ['teilweise', 'uebernommen', 'kenntnis'];
    for (const [i, action] of actions.entries()) {
      await land.page.check(`form[action="${action}"] input[name=verdict][value=${verdicts[i]}]`);
      await land.page.fill(`form[action="${action}"] textarea[name=reason]`, `Begründung ${i + 1}`);
      await clickAndWait(land.page, `form[action="${action}"] button[type=submit]`);
    }
    assert.match(await land.page.textContent('main'), /Noch nicht abgewogen: 0/);
    await clickAndWait(land.page, `main form[action="${path}/abwaegung/veroeffentlichen"] button[type=submit]`);
    assert.match(await land.page.textContent('main'), /Veröffentlicht am/);
    await noViolations(land.page, 'the published Abwägung');

    // Both Gemeinden are told; the table comes out as files.
    for (const who of [wittenberg, kemberg]) {
      await visit(who.page, '/konto/benachrichtigungen');
      assert.match(await who.page.textContent('main'), new RegExp(`Die Abwägung ist veröffentlicht: „${title}“`));
    }
    for (const [suffix, type] of [['xlsx', 'spreadsheetml'], ['pdf', 'application/pdf']]) {
      const response = await wittenberg.page.request.get(`${BASE_URL}${path}/abwaegung.${suffix}`);
      assert.equal(response.status(), 200);
      assert.match(response.headers()['content-type'], new RegExp(type));
    }
    await visit(wittenberg.page, `${path}/abwaegung`);
    assert.match(await wittenberg.page.textContent('main'), /teilweise übernommen/);
    assert.match(await wittenberg.page.textContent('main'), /Begründung 1/);
  } finally {
    for (const who of [land, wittenberg, kemberg]) await who.context.close();
  }
});
