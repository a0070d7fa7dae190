// Termine in the browser, with the demo accounts of `serve --demo`: a member of the demo
// group plans a meeting (a mistake first), edits its agenda, downloads its .ics (headers and
// event checked), writes the minutes, and makes a personal calendar link; every page on the
// way has no WCAG 2.1 AA violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, visit, noViolations, clickAndWait, demoSuite, logIn, BASE_URL } from './lib.mjs';

const WITTENBERG = 'wittenberg@demo.augenhoehe.invalid';

const demo = demoSuite();
const { skip } = demo;

// "YYYY-MM-DD" some days from now (the server reads it as a Berlin date).
function inDays(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('a member plans a meeting, edits its agenda, downloads the .ics and adds minutes', { timeout: 180_000, skip }, async () => {
  const { context, page } = await openPage(demo.browser);
  const title = `Abstimmung Förderanträge ${Date.now()}`;
  try {
    // A Gemeinde's staff member, member of the demo group, plans as any member would.
    await logIn(page, WITTENBERG, demo.accounts[WITTENBERG]);
    await visit(page, '/arbeitsgruppen/1');
    await clickAndWait(page, 'main a[href="/arbeitsgruppen/1/termine"]');
    assert.match(await page.textContent('main'), /Nächster Termin/);
    await noViolations(page, 'the meetings of the demo group');
    await clickAndWait(page, 'main a[href="/arbeitsgruppen/1/termine/neu"]');
    await noViolations(page, 'the new meeting form');
    // A mistake first: no title, the end before the start. The summary names both; the
    // typed place stays.
    await page.fill('#field-date', inDays(10));
    await page.fill('#field-start_time', '14:00');
    await page.fill('#field-end_time', '13:00');
    await page.fill('#field-place', 'Lutherstadt Wittenberg, Rathaus');
    await clickAndWait(page, 'main form button[type=submit]');
    const summary = await page.textContent('[role=alert]');
    assert.match(summary, /Titel/);
    assert.match(summary, /Ende muss nach dem Beginn/);
    assert.equal(await page.inputValue('#field-place'), 'Lutherstadt Wittenberg, Rathaus');
    await noViolations(page, 'the new meeting form with errors');
    await page.fill('#field-title', title);
    await page.fill('#field-end_time', '16:00');
    await page.fill('#field-agenda', '1. Stand der Anträge');
    await clickAndWait(page, 'main form button[type=submit]');
    const meetingPath = new URL(page.url()).pathname;
    assert.match(meetingPath, /^\/termine\/\d+$/);
    assert.equal(await page.textContent('h1'), title);
    assert.match(await page.textContent('main'), /14:00–16:00 Uhr/);
    await noViolations(page, 'the new meeting');

    // The agenda grows.
    await clickAndWait(page, `main a[href="${meetingPath}/bearbeiten"]`);
    await noViolations(page, 'the edit form');
    await page.fill('#field-agenda', '1. Stand der Anträge\n2. **Fristen** 2027');
    await clickAndWait(page, 'main form button[type=submit]');
    assert.equal(await page.textContent('#tagesordnung ~ div strong'), 'Fristen');

    // The .ics: a calendar file with the event.
    const ics = await page.request.get(`${BASE_URL}${meetingPath}.ics`);
    assert.equal(ics.status(), 200);
    assert.equal(ics.headers()['content-type'], 'text/calendar; charset=utf-8');
    assert.ok(ics.headers()['etag'], 'an ETag for calendar apps');
    const body = await ics.text();
    assert.match(body, /^BEGIN:VCALENDAR\r\n/);
    assert.match(body, /\r\nBEGIN:VEVENT\r\n/);
    assert.match(body.replace(/\r\n /g, ''), new RegExp(`SUMMARY:${title} \\(AG Digitale Beteiligung\\)`));
    assert.match(body, /\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
    assert.match(body, /\r\nSTATUS:CONFIRMED\r\n/);

    // The minutes, written after the meeting.
    await visit(page, `${meetingPath}/bearbeiten`);
    await page.fill('#field-minutes', 'Alle Anträge **fristgerecht** eingereicht.');
    await clickAndWait(page, 'main form button[type=submit]');
    assert.equal(await page.textContent('#protokoll ~ div strong'), 'fristgerecht');
    await noViolations(page, 'the meeting with minutes');

    // A personal calendar link, shown once.
    await visit(page, `/arbeitsgruppen/1/termine`);
    await clickAndWait(page, 'main a[href="/konto/kalender"]');
    await noViolations(page, 'the calendar link page');
    await clickAndWait(page, 'form[action="/konto/kalender"] input[value=renew] ~ button');
    const link = await page.inputValue('#field-link');
    assert.match(link, /\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
    await noViolations(page, 'the new calendar link');
    const feed = await page.request.get(`${BASE_URL}${new URL(link).pathname}`);
    assert.equal(feed.status(), 200);
    assert.match((await feed.text()).replace(/\r\n /g, ''), new RegExp(title));
  } finally {
    await context.close();
  }
});
