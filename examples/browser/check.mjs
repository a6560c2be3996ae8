// examples/run --check --browser: drives the demo page in headless Chromium the way a person would
// (filled-in credentials, each step's button), checks each answer next to its step, and saves a
// screenshot of the whole page.
//
//   DEMO_USERNAME=... DEMO_PASSWORD=... CHROMIUM=/usr/bin/chromium node check.mjs <page URL> <screenshot.png>
//
// The page comes with the emulator's demo user filled in; DEMO_USERNAME/DEMO_PASSWORD (a real pool's
// user) replace them when they differ.
import { expect, failures, launch } from './common.mjs';

const [url, screenshot] = process.argv.slice(2);
const { DEMO_USERNAME: username, DEMO_PASSWORD: password } = process.env;
if (!url || !screenshot) {
  console.error('usage: node check.mjs <page URL> <screenshot.png>');
  process.exit(2);
}

const chrome = await launch({ width: 1000, height: 900 });
const { browser } = chrome;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // The status an answer box shows once its request has come back.
  const answer = async (id) => {
    await page.waitForFunction((box) => document.getElementById(box).dataset.status !== undefined, {}, id);
    return page.$eval('#' + id, (box) => box.dataset.status);
  };

  await page.goto(url, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.getElementById('info').textContent.startsWith('Server:'));
  expect('page: the credentials are filled in', 'yes',
    (await page.$eval('#login', (f) => f.username.value !== '' && f.password.value !== '')) ? 'yes' : 'no');

  if (username && password) {
    await page.$eval('#login', (f, u, p) => {
      if (f.username.value !== u) f.username.value = u;
      if (f.password.value !== p) f.password.value = p;
    }, username, password);
  }
  await page.click('#login-button');
  expect('1. Log in', 200, await answer('a-login'));
  expect('   ... the status says logged in', /^Logged in as /, await page.$eval('#status', (e) => e.textContent));
  expect('   ... token previews are not the shared JWT header', 'yes',
    (await page.$eval('#status', (e) => e.textContent.includes('…') && !e.textContent.includes('eyJ'))) ? 'yes' : 'no');

  await page.click('#hello');
  expect('2. GET api/hello', 200, await answer('a-hello'));

  await page.click('#logout');
  expect('3. POST logout', 204, await answer('a-logout'));
  expect('   ... the status says logged out', /^Logged out/, await page.$eval('#status', (e) => e.textContent));

  await page.click('#compare');
  expect('4. outside the filter: GET unprotected/hello', 200, await answer('a-outside'));
  expect('   ... the app\'s own TokenRevocationService says revoked', /"revoked": true/,
    await page.$eval('#a-outside', (e) => e.textContent));
  expect('4. behind the filter: GET api/hello (same token)', 401, await answer('a-behind'));
  expect('   ... 401 says the token was revoked', /has been revoked/,
    await page.$eval('#a-behind', (e) => e.textContent));

  await page.click('#refresh');
  expect('5. POST api/refresh with the revoked refresh token', 401, await answer('a-refresh'));
  expect('page: no script errors', '', errors.join('; '));

  // The whole page at 1x: the README shows it (keep it under 300 KB).
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`  saved ${screenshot}`);
} finally {
  await chrome.close();
}
process.exit(failures() === 0 ? 0 : 1);
