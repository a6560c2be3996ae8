// examples/run --managed-login --check: signs in to the managed-login demo in headless Chromium through the
// local managed login's form, saves a screenshot of the signed-in page, logs out, and checks that the browser
// passed Cognito's /logout and that "Log in" asks for the password again.
//
//   DEMO_USERNAME=... DEMO_PASSWORD=... CHROMIUM=/usr/bin/chromium node login-check.mjs <app URL> <screenshot.png>
import { expect, fail, failures, launch } from './common.mjs';

const [url, screenshot] = process.argv.slice(2);
const { DEMO_USERNAME: username, DEMO_PASSWORD: password, COGNITO_DOMAIN: domain } = process.env;
if (!url || !screenshot || !username || !password || !domain) {
  console.error('usage: DEMO_USERNAME=... DEMO_PASSWORD=... COGNITO_DOMAIN=... node login-check.mjs <app URL> <screenshot.png>');
  process.exit(2);
}

const chrome = await launch({ width: 1000, height: 420 });
const { browser } = chrome;
const signInForm = async (page) => {
  await page.waitForSelector('#signInFormUsername');
  return new URL(page.url()).origin;
};
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(url, { waitUntil: 'load' });
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  expect('Log in: the managed login\'s form', domain, await signInForm(page));
  await page.type('#signInFormUsername', username);
  await page.type('#signInFormPassword', password);
  await Promise.all([page.waitForNavigation(), page.click('#signInSubmitButton')]);
  await page.waitForSelector('#hello');
  expect('signed in: the application\'s page', `Hello ${username}`, await page.$eval('#hello', (e) => e.textContent));
  await page.screenshot({ path: screenshot });
  const session = (await page.cookies()).find((c) => c.name === 'JSESSIONID');

  await Promise.all([page.waitForNavigation(), page.click('#logout')]);
  await page.waitForSelector('#signed-out');
  expect('Log out: through Cognito\'s /logout to logoutUri', `${url}signed-out.html`, page.url());

  const old = await fetch(`${url}page`, { redirect: 'manual', headers: { Cookie: `JSESSIONID=${session?.value}` } });
  expect('the old session cookie gets no page', /^(30\d|401)$/, old.status);

  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  expect('Log in again: the form, not straight back in', domain, await signInForm(page));
} catch (e) {
  fail(e.message);
} finally {
  await chrome.close();
}
if (failures() > 0) process.exit(1);
console.log(`  screenshot: ${screenshot}`);
