// Drives the analyst page in headless Chromium against a running riskline server.
//
//   RISKLINE_URL=http://127.0.0.1:8080 RISKLINE_ANALYST_KEY=... RISKLINE_READER_KEY=... \
//     node browser.test.mjs
//
// Optional: RISKLINE_COMPANY_QUERY (part of a company name to type, default "Meta Plat"),
// RISKLINE_COMPANY_TICKER (the ticker it must find, default "META"; the demo data has
// lawsuits, a regulatory fine and a service halt for it), CHROMIUM_PATH
// (default /usr/bin/chromium), RISKLINE_SCREENSHOT=1 to write docs/screenshot-timeline.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

const BASE = required('RISKLINE_URL').replace(/\/$/, '');
const ANALYST_KEY = required('RISKLINE_ANALYST_KEY');
const READER_KEY = required('RISKLINE_READER_KEY');
const QUERY = process.env.RISKLINE_COMPANY_QUERY || 'Meta Plat';
const TICKER = process.env.RISKLINE_COMPANY_TICKER || 'META';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot-timeline.png', import.meta.url));
const TAG = `browser-check-${process.pid}`;

let context;
let page;
let profile;
let openedEventId;
const consoleErrors = [];
let allowUnauthorized = false;

async function apiCall(method, path, key) {
  return fetch(`${BASE}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${key}` } });
}

function expectNoConsoleErrors() {
  assert.deepEqual(consoleErrors, [], 'the page logged errors');
}

async function enterKey(key) {
  const dialog = page.locator('#key-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.locator('#key-input').fill(key);
  await page.getByRole('button', { name: 'Use key' }).click();
}

before(async () => {
  profile = mkdtempSync(join(tmpdir(), 'riskline-chromium-'));
  // a persistent context on a fresh profile directory: nothing from another run leaks in
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (allowUnauthorized && /401/.test(msg.text())) return;
    consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
});

after(async () => {
  if (openedEventId) await apiCall('DELETE', `/events/${openedEventId}/tags/${TAG}`, ANALYST_KEY).catch(() => {});
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('a wrong key is refused with a clear message, then the analyst key is accepted', async () => {
  await page.goto(`${BASE}/`);
  allowUnauthorized = true;
  await enterKey('not-a-real-key');
  await assert.doesNotReject(
    page.locator('#key-error').getByText('not accepted').waitFor(),
    'a wrong key shows why it was refused',
  );
  allowUnauthorized = false;
  await enterKey(ANALYST_KEY);
  await page.locator('#who').getByText('analyst').waitFor();
  assert.equal(await page.locator('#key-dialog').isVisible(), false);
  expectNoConsoleErrors();
});

test('typing part of a name suggests the company and picking it shows its timeline', async () => {
  const search = page.getByRole('combobox', { name: /find a company/i });
  await search.pressSequentially(QUERY, { delay: 20 });
  const exactTicker = new RegExp(`^${TICKER.replace(/[.^$*+?()[\]{}|\\]/g, '\\$&')}$`);
  const option = page.getByRole('option').filter({ has: page.locator('.ticker', { hasText: exactTicker }) });
  await option.waitFor();
  await option.click();
  await page.locator('#company-name').getByText(`(${TICKER})`).waitFor();
  await page.locator('#events .event-row').first().waitFor();
  const rows = await page.locator('#events .event-row').count();
  const dots = await page.locator('#axis circle.ev').count();
  assert.ok(rows > 0, 'the list shows events');
  assert.ok(dots > 0, 'the time axis shows events');
  assert.match(await page.locator('#axis-caption').textContent(), /in view of \d+ loaded/);

  // the risk box says up to which day it counts: the API's as_of
  const company = await (await apiCall('GET', `/companies/${encodeURIComponent(TICKER)}`, ANALYST_KEY)).json();
  const asOf = page.locator('#risk .as-of');
  assert.match(await asOf.textContent(), /^As of \d{1,2} [A-Z][a-z]{2} \d{4} \(UTC\)/);
  assert.equal(await asOf.locator('time').getAttribute('datetime'), company.risk.as_of);

  // zooming by button and keyboard changes the scale the caption reports
  const before = await page.locator('#axis-caption').textContent();
  await page.getByRole('button', { name: 'Week' }).click();
  assert.match(await page.locator('#axis-caption').textContent(), /scale: days/);
  await page.locator('#axis').focus();
  await page.keyboard.press('Home');
  assert.equal(await page.locator('#axis-caption').textContent(), before);
  expectNoConsoleErrors();
});

test('opening an event shows its evidence highlighted in the source text', async () => {
  const row = page.locator('#events .event-row').first();
  openedEventId = Number(await row.getAttribute('data-id'));
  await row.click();
  const mark = page.locator('#detail .doc-text mark').first();
  await mark.waitFor();
  const marked = (await page.locator('#detail .doc-text mark').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  assert.ok(marked.every((t) => t.length > 0), 'highlights are not empty');

  const detail = await (await apiCall('GET', `/events/${openedEventId}`, ANALYST_KEY)).json();
  const expected = detail.evidence.map((e) => e.text.replace(/\s+/g, ' ').trim());
  assert.ok(
    expected.some((text) => marked.some((m) => m.includes(text))),
    `a highlight holds the evidence text: ${JSON.stringify({ marked, expected })}`,
  );
  assert.match(await page.locator('#detail').textContent(), /Reported by/);

  // the evidence reads as plain words: the sentence quoted, no extraction rule names
  // (those stay in the API for debugging)
  assert.ok(detail.evidence.every((e) => e.rule), 'the API keeps each mention\'s rule');
  const quoted = (await page.locator('#detail .mentions q').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  assert.ok(
    expected.some((text) => quoted.some((q) => text.startsWith(q.replace(/…$/, '')))),
    `the evidence sentence is quoted: ${JSON.stringify({ quoted, expected })}`,
  );
  const mentionsText = await page.locator('#detail .mentions').textContent();
  assert.doesNotMatch(mentionsText, /:(verb|noun)\b/);
  for (const e of detail.evidence) {
    assert.ok(!mentionsText.includes(e.rule), `no rule name on the page: ${e.rule}`);
  }
  assert.match(mentionsText, /First report of this event|Another report of this event/);
  expectNoConsoleErrors();
});

test('an analyst adds a tag and it is still there after a reload', async () => {
  await page.locator('#tag-input').fill(TAG);
  await page.locator('#tag-input').press('Enter');
  await page.locator('#detail .tag-name').getByText(TAG, { exact: true }).waitFor();

  await page.reload();
  await page.locator('#detail .tag-name').getByText(TAG, { exact: true }).waitFor();
  await page.locator(`#events .event-row[data-id="${openedEventId}"] .tag`).getByText(TAG).waitFor();
  assert.equal(await page.locator('#detail .tag-remove').count() > 0, true, 'an analyst may remove tags');
  await page.locator('#detail .doc-text mark').first().waitFor();

  if (process.env.RISKLINE_SCREENSHOT === '1') {
    await page.locator('#axis circle.ev').first().waitFor();
    await page.screenshot({ path: SCREENSHOT });
  }
  expectNoConsoleErrors();
});

test('a reader sees the tag but no write controls, and the API refuses the reader a write', async () => {
  await page.getByRole('button', { name: 'Change key' }).click();
  await enterKey(READER_KEY);
  await page.locator('#who').getByText('reader').waitFor();
  await page.locator('#detail .tag-name').getByText(TAG, { exact: true }).waitFor();
  await page.locator('#detail .doc-text mark').first().waitFor();
  for (const selector of ['.tag-remove', '#tag-form', '#review-form', '#edit-form', '#split-button']) {
    assert.equal(await page.locator(`#detail ${selector}`).count(), 0, `a reader has no ${selector}`);
  }
  const refused = await apiCall('PUT', `/events/${openedEventId}/tags/${TAG}-reader`, READER_KEY);
  assert.equal(refused.status, 403);
  expectNoConsoleErrors();
});

test('at phone width nothing scrolls sideways and Escape closes the detail', async () => {
  await page.setViewportSize({ width: 375, height: 812 });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, 'no horizontal scroll with the detail open');
  await page.locator('#detail-close').focus();
  await page.keyboard.press('Escape');
  await page.locator('#detail').waitFor({ state: 'hidden' });
  await page.locator('#axis circle.ev').first().waitFor();
  assert.ok((await overflow()) <= 0, 'no horizontal scroll on the timeline');
  const focused = await page.evaluate(() => document.activeElement?.classList.contains('event-row'));
  assert.ok(focused, 'focus returns to the event list');
  expectNoConsoleErrors();
});
