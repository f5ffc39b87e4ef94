// End-to-end tests of the web UI in Debian's headless Chromium at laptop and phone widths.
// Needs a running server (IMR_E2E_URL) over a corpus, and a staff token (IMR_E2E_TOKEN);
// scripts/e2e.sh provides both. Screenshots go to IMR_E2E_SHOTS (default build/e2e-screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.IMR_E2E_URL || 'http://127.0.0.1:8080/';
const TOKEN = process.env.IMR_E2E_TOKEN || '';
const ADMIN = process.env.IMR_E2E_ADMIN_TOKEN || '';

// Sets up casework through the API (as intake would): a reviewer and a case under review.
async function apiPost(path, body) {
  const res = await fetch(new URL(path, BASE), { method: 'POST', headers: { Authorization: 'Bearer ' + ADMIN, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : '' });
  const j = await res.json();
  assert.ok(res.ok, `${path}: ${JSON.stringify(j)}`);
  return j;
}
async function caseUnderReview(claim) {
  await apiPost('/api/reviewers', { name: 'E2E Hidden Reviewer', licence_states: ['California'], board_certifications: ['Orthopaedic Surgery'],
    specialties: ['Orthopedic Surgery'], years_active_practice: 12, weekly_practice_hours: 30, capacity: 5 });
  const c = await apiPost('/api/cases', { received: '2024-03-20T09:00', ur: { date: '2024-03-01', served_by: 'electronic', outcome: 'denied' },
    claim_number: claim, date_of_injury: '2023-05-01', worker: 'Worker ' + claim, employer: 'Big Warehouse Inc', insurer: 'Acme Insurance',
    physician: { name: 'Dr. Treat', specialty: 'Orthopaedic Surgery' },
    items: [{ request: 'MRI of the lumbar spine' }, { request: 'Physical therapy 12 sessions for the lumbar spine' }] });
  for (const e of ['screen', 'assign', 'records']) await apiPost(`/api/cases/${c.case_number}/${e}`);
  return c.case_number;
}
const SHOTS = process.env.IMR_E2E_SHOTS || path.resolve(import.meta.dirname, '../../build/e2e-screenshots');
mkdirSync(SHOTS, { recursive: true });

const VIEWPORTS = {
  laptop: { viewport: { width: 1366, height: 860 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

let browser;
before(async () => {
  // Never a downloaded browser: Debian's chromium package only.
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => { await browser?.close(); });

async function page(kind) {
  const ctx = await browser.newContext(VIEWPORTS[kind]);
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', e => errors.push(String(e)));
  p.errors = errors;
  return p;
}

async function noHorizontalScroll(p) {
  const [sw, iw] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= iw + 1, `page is ${sw}px wide in a ${iw}px window`);
}

for (const kind of Object.keys(VIEWPORTS)) {
  test(`${kind}: search with filters shows marked snippets and opens a redacted letter`, async () => {
    const p = await page(kind);
    await p.goto(BASE + '#/search');
    await p.fill('#q', 'physical therapy');
    await p.click('#search-form button[type=submit]');
    await p.waitForSelector('.hit');
    assert.ok(await p.locator('.hit mark').count() > 0, 'matched words are marked');
    await noHorizontalScroll(p);
    await p.screenshot({ path: `${SHOTS}/${kind}-search.png`, fullPage: false });

    // Filter: only overturned items.
    await p.goto(BASE + '#/search?q=therapy&decision=overturned');
    await p.waitForSelector('.hit, #results p');
    const badges = await p.locator('.hit .badge').allTextContents();
    assert.ok(badges.every(b => b === 'overturned'), `only overturned: ${badges}`);

    // Bad input shows the API's message naming the field.
    await p.goto(BASE + '#/search?q=knee&from=2016-13-40');
    await p.waitForSelector('.error');
    assert.match(await p.locator('.error').innerText(), /from/);

    await p.goto(BASE + '#/search?q=physical%20therapy');
    await p.waitForSelector('.hit a');
    await p.locator('.hit a').first().click();
    await p.waitForSelector('#record');
    assert.ok(await p.locator('h1 .badge.redacted').count() === 1, 'the public sees the redacted letter');
    assert.equal(await p.locator('text=Reviewer specialties').count(), 0);
    assert.ok((await p.locator('#original pre').innerText()).length > 200);
    await noHorizontalScroll(p);
    await p.screenshot({ path: `${SHOTS}/${kind}-letter-public.png`, fullPage: false });
    assert.deepEqual(p.errors, []);
    await p.context().close();
  });

  test(`${kind}: statistics dashboard draws its charts`, async () => {
    const p = await page(kind);
    await p.goto(BASE + '#/stats');
    for (const id of ['chart-category', 'chart-guideline', 'chart-month', 'chart-volume'])
      await p.waitForSelector(`#${id} svg rect`);
    assert.ok(await p.locator('#chart-category rect').count() >= 3);
    const tiles = await p.locator('.tile b').allTextContents();
    assert.ok(Number(tiles[0].replace(/,/g, '')) > 0, 'letters counted');
    await noHorizontalScroll(p);
    await p.screenshot({ path: `${SHOTS}/${kind}-stats.png`, fullPage: true });
    assert.deepEqual(p.errors, []);
    await p.context().close();
  });

  test(`${kind}: staff sign in and see the whole letter beside its original text`, { skip: !TOKEN && 'IMR_E2E_TOKEN not set' }, async () => {
    const p = await page(kind);
    await p.goto(BASE + '#/signin');
    await p.fill('#token', TOKEN);
    await p.click('form button[type=submit]');
    await p.waitForFunction(() => !/public/.test(document.getElementById('who').textContent));
    await p.goto(BASE + '#/search?q=physical%20therapy');
    await p.waitForSelector('.hit a');
    await p.locator('.hit a').first().click();
    await p.waitForSelector('#record');
    assert.equal(await p.locator('h1 .badge.redacted').count(), 0);
    assert.ok(await p.locator('text=Reviewer specialties').count() === 1, 'staff see the reviewer block');
    assert.match(await p.locator('#original h2').innerText(), /Original text/);
    await noHorizontalScroll(p);
    await p.screenshot({ path: `${SHOTS}/${kind}-letter-staff.png`, fullPage: false });
    // A wrong token is refused and the UI falls back to the public view.
    await p.goto(BASE + '#/signin');
    await p.fill('#token', 'imr_wrong');
    await p.click('form button[type=submit]');
    await p.waitForSelector('.error');
    assert.deepEqual(p.errors, []);
    await p.context().close();
  });

  test(`${kind}: casework dashboard and the reviewer workspace decide a case and issue its letter`, { skip: !ADMIN && 'IMR_E2E_ADMIN_TOKEN not set' }, async () => {
    const n = await caseUnderReview('E2E-' + kind);
    const p = await page(kind);
    await p.goto(BASE + '#/signin');
    await p.fill('#token', ADMIN);
    await p.click('form button[type=submit]');
    await p.waitForFunction(() => /admin/.test(document.getElementById('who').textContent));
    await p.goto(BASE + '#/cases');
    await p.waitForSelector(`a[href="#/case/${n}"]`);
    assert.ok(await p.locator('#load').count() === 1, 'reviewer load shown');
    await noHorizontalScroll(p);
    await p.screenshot({ path: `${SHOTS}/${kind}-cases.png`, fullPage: true });
    await p.click(`a[href="#/case/${n}"]`);
    await p.waitForSelector('#workspace');
    await p.fill('#summary', 'Chronic low back pain with radiating symptoms for 8 months. Prior physical therapy 6 sessions gave no lasting improvement. MRI not done.');
    await p.click('#run-review');
    await p.waitForSelector('#review .item');
    const drafts = p.locator('#review button.link');
    for (let k = 0; k < await drafts.count(); ++k) await drafts.nth(k).click();
    assert.ok((await p.inputValue('#rationale-0')).length > 20, 'the draft rationale fills the editor');
    await p.screenshot({ path: `${SHOTS}/${kind}-workspace.png`, fullPage: true });
    await p.click('#decide');
    await p.waitForSelector('h1 .badge:text("decided")');
    await p.click('#issue');
    await p.waitForSelector('#issued');
    const letter = await p.locator('#issued').innerText();
    assert.ok(letter.includes(n), 'the issued letter carries the case number');
    assert.ok(!letter.includes('Hidden'), 'the letter never names the reviewer');
    await noHorizontalScroll(p);
    await p.screenshot({ path: `${SHOTS}/${kind}-letter-issued.png`, fullPage: false });
    assert.deepEqual(p.errors, []);
    await p.context().close();
  });
}
