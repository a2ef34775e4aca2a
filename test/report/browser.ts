/**
 * Headless Chromium for the report tests: Debian's /usr/bin/chromium driven by playwright-core (which
 * downloads no browser). The flags keep Chromium off the network (the machine has none, and the report
 * must not need one).
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

// The page's document, for the function waitForFunction runs in the page (the build has no DOM types).
declare const document: { body: { getAttribute(name: string): string | null } };

export const CHROMIUM = process.env.TASKLENS_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (scripts/install-system-deps.sh does)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright gives every launch a fresh, empty profile directory of its own.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedReport {
  page: Page;
  /** Console errors, page errors, dialogs and requests other than the file itself. */
  errors: string[];
  dialogs: string[];
  requests: string[];
  /** Milliseconds from navigation to the page saying it is ready. */
  openMs: number;
}

/** Opens a report file and waits until its script says it is ready (or failed). */
export async function openReport(browser: Browser, file: string, viewport = { width: 1400, height: 860 }): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  const url = `file://${file}`;
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.body.getAttribute('data-state') !== 'loading', null, { timeout: 30_000 });
  return { page, errors, dialogs, requests, openMs: Date.now() - t0 };
}
