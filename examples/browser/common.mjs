// What the browser checks share: one line per expectation, and a headless Chromium in a throwaway profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

let failureCount = 0;

/** Prints "ok" or "FAIL" with what was expected; counts the failures. */
export function expect(description, expected, actual) {
  const match = expected instanceof RegExp ? String(actual).match(expected) : null;
  const ok = expected instanceof RegExp ? match !== null : String(expected) === String(actual);
  const shown = (match ? match[0] : String(actual)).replace(/\s+/g, ' ').slice(0, 40); // one line
  if (ok) console.log(`  ok    ${description.padEnd(58)} ${shown}`);
  else {
    console.log(`  FAIL  ${description.padEnd(58)} got ${shown}, expected ${expected}`);
    failureCount++;
  }
}

/** Counts one failure that is no expectation (an exception). */
export function fail(message) {
  console.log(`  FAIL  ${message}`);
  failureCount++;
}

/** @returns the failures so far */
export function failures() {
  return failureCount;
}

/** Starts $CHROMIUM (default /usr/bin/chromium) headless; close() also removes its profile. */
export async function launch(viewport) {
  const profile = mkdtempSync(join(tmpdir(), 'cognito-revoke-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    defaultViewport: { ...viewport, deviceScaleFactor: 1 },
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
