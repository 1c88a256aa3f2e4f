// Drives the web chat page at / in headless Chromium: types a message, waits for streamed tokens, takes a screenshot.
// Usage: TARKA_ROOT=http://127.0.0.1:8000 CHROMIUM=/usr/bin/chromium node web-chat.mjs [screenshot.png]
import { chromium } from 'playwright-core';

const root = process.env.TARKA_ROOT ?? 'http://127.0.0.1:8000';
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.goto(root + '/');
await page.waitForFunction(() => document.querySelectorAll('#model option').length > 0);
await page.fill('#temp', '0');
await page.fill('#input', 'Once upon a time');
// Every distinct text the answer shows is recorded inside the page, by a mutation observer, so a fast server whose
// whole answer arrives between two polls from here is still seen growing.
await page.evaluate(() => {
  window.__seen = [];
  new MutationObserver(() => {
    const el = document.querySelector('.msg.assistant');
    const t = el ? el.textContent : '';
    if (t && (window.__seen.length === 0 || t !== window.__seen[window.__seen.length - 1])) window.__seen.push(t);
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
});
await page.click('#send');
for (let i = 0; i < 2000; i++) {
  const t = await page.textContent('.msg.assistant');
  if (await page.isDisabled('#stop') && t) break;
  await page.waitForTimeout(10);
}
const seen = await page.evaluate(() => window.__seen);
await page.screenshot({ path: process.argv[2] ?? 'web-chat.png' });
await browser.close();
const final = seen[seen.length - 1] ?? '';
console.log(JSON.stringify({ partialUpdates: seen.length, final }));
process.exit(final.length > 0 ? 0 : 1);
