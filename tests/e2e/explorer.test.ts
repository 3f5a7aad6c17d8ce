import os from 'node:os';
/**
 * The explorer and GraphiQL in a real browser (Debian's Chromium through playwright-core),
 * against the server in-process on the seeded test database. Skipped, with a note, where
 * /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it as root).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Db } from '../../src/db/executor';
import { logger } from '../../src/logger';
import { PROJECT_ROOT } from '../../src/paths';
import { startServer, type RunningServer } from '../../src/server';
import { resetToSeed, testDb } from '../helpers/graph';

const CHROMIUM = '/usr/bin/chromium';
const SOURCE_TEXT = fs.readFileSync(path.join(PROJECT_ROOT, 'seed', 'sources', 'lt-mod-2024-03-25-chod-belgium.txt'), 'utf8');
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) process.stderr.write(`\nNOTE: browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium).\n`);
const describeInBrowser = haveChromium ? describe : describe.skip;

const EFP_NAME = 'NATO enhanced Forward Presence Battalion Battle Group';
const SEED_ENTITIES = 37;
const SOCC = 'Special Operations Component Command';
const EFP_NATIONS = ['Belgium', 'Czechia', 'Germany', 'Luxembourg', 'Netherlands', 'Norway'];
const EFP_SENTENCE =
  'Belgian troops serve in the NATO enhanced Forward Presence Battalion Battle Group deployed in Rukla since early 2017 alongside German, Czech, Norwegian, Dutch and Luxembourg’s military personnel.';

jest.setTimeout(120_000);

describeInBrowser(`the explorer and GraphiQL in Chromium${haveChromium ? '' : ` (skipped: no ${CHROMIUM})`}`, () => {
  let db: Db;
  let server: RunningServer;
  let base: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // The pages under test are the current sources, bundled now (a second or two).
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build-web.mjs')], { stdio: 'ignore' });
    db = testDb();
    await resetToSeed(db);
    server = await startServer({ db, logger, production: false, host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  const details = () => page.locator('#details');
  const contributions = () => details().locator('.facts li', { hasText: `participates in ${EFP_NAME}` });

  async function setAsOf(day: string): Promise<void> {
    const index = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.UTC(2000, 0, 1)) / 86_400_000);
    // A range input cannot be typed into: set it as a drag would, firing input then change.
    await page.locator('#asof-slider').evaluate((slider, value) => {
      const input = slider as unknown as { value: string; dispatchEvent(event: Event): boolean };
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, index);
    await page.locator('#asof-label').getByText(`in force on ${day}`).waitFor();
  }

  /** The network view's cytoscape.js instance, which cytoscape keeps on its container. */
  const graphState = () =>
    page.locator('#graph').evaluate((el) => {
      const cy = (el as unknown as { _cyreg: { cy: any } })._cyreg.cy;
      return { nodes: cy.nodes().length as number, edges: cy.edges().length as number };
    });

  it('redirects / to the explorer, which loads its entity names and opens on the whole graph (under 200 entities)', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/explorer/');
    await page.locator('#entity-names option').nth(30).waitFor({ state: 'attached' });
    expect(await page.title()).toBe('Explorer · defence cooperation graph');
    await page.locator('#status').getByText(`Whole graph: ${SEED_ENTITIES} entities`).waitFor();
    const shown = await graphState();
    expect(shown.nodes).toBe(SEED_ENTITIES);
    expect(shown.edges).toBeGreaterThan(20);
  });

  it('has a legend of the kinds, every relationship colour and the plan styles', async () => {
    const items = await page.locator('#legend li').allTextContents();
    for (const kind of ['Country', 'Organisation', 'Unit', 'Initiative', 'Person', 'Event', 'Place']) expect(items).toContain(kind);
    for (const type of ['member of', 'participates in', 'trains with', 'hosts', 'located in', 'belongs to']) expect(items).toContain(type);
    expect(items).toContain('Plan or proposal, not a fact (dashed, orange)');
    expect(items).toContain('Ended fact (dotted)');
  });

  it('labels an edge with its relationship when the pointer is over it', async () => {
    const target = await page.locator('#graph').evaluate((el) => {
      const cy = (el as unknown as { _cyreg: { cy: any } })._cyreg.cy;
      // The participation whose midpoint lies farthest from every node, so that no node covers it.
      const distance = (e: any) => {
        const m = e.renderedMidpoint();
        return Math.min(...cy.nodes().map((n: any) => Math.hypot(n.renderedPosition().x - m.x, n.renderedPosition().y - m.y)));
      };
      const edge = cy
        .edges()
        .filter((e: any) => e.data('label').startsWith('PARTICIPATES_IN'))
        .sort((a: any, b: any) => distance(b) - distance(a))
        .first();
      const box = el.getBoundingClientRect();
      const mid = edge.renderedMidpoint();
      return { id: edge.id() as string, x: box.left + mid.x, y: box.top + mid.y, corner: { x: box.left + 8, y: box.top + 8 } };
    });
    const hovered = () =>
      page.locator('#graph').evaluate((el) => {
        const cy = (el as unknown as { _cyreg: { cy: any } })._cyreg.cy;
        return cy.edges('.hover').map((e: any) => ({ id: e.id(), label: e.style('label') }));
      });
    /** Polls (every 50 ms, up to 5 s) until the hovered edges are as expected: the pointer's events arrive when they do. */
    const hoveredWhen = async (done: (seen: Array<{ id: string; label: string }>) => boolean) => {
      let seen = await hovered();
      for (let i = 0; i < 100 && !done(seen); i++) {
        await page.waitForTimeout(50);
        seen = await hovered();
      }
      return seen;
    };
    await page.mouse.move(target.x, target.y);
    const over = await hoveredWhen((seen) => seen.length > 0);
    expect(over).toHaveLength(1);
    expect(over[0]?.id).toBe(target.id);
    expect(over[0]?.label).toMatch(/^PARTICIPATES_IN/);
    // Off the edge, to a corner of the canvas (the layout keeps 40 px of padding free).
    await page.mouse.move(target.corner.x, target.corner.y);
    expect(await hoveredWhen((seen) => seen.length === 0)).toEqual([]);
  });

  it('finds eFP and shows its six contributing nations with the sentence', async () => {
    await page.getByLabel('Search entities').fill('eFP');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: new RegExp(EFP_NAME) }).click();
    await details().getByRole('heading', { name: EFP_NAME }).waitFor();
    await expect(contributions().count()).resolves.toBe(6);
    const lines = await contributions().allTextContents();
    expect(lines.map((line) => line.split(' participates in ')[0]).sort()).toEqual(EFP_NATIONS);
    for (const line of lines) expect(line).toContain('(as contributor), from early 2017');
    await expect(details().locator('blockquote').allTextContents()).resolves.toContain(EFP_SENTENCE);
    await expect(details().getByRole('link', { name: /Chief of Defence departs/ }).first().getAttribute('href')).resolves.toMatch(/^https:\/\/www\.kariuomene\.lt\//);
    await expect(page.locator('#status').textContent()).resolves.toBe(`${EFP_NAME}: 7 facts with the current filters.`);
  });

  it('shows a fact with its date, precision and evidence when it is picked', async () => {
    await contributions().filter({ hasText: /^Belgium/ }).getByRole('button').click();
    await details().getByRole('heading', { name: 'Fact' }).waitFor();
    const text = await details().textContent();
    expect(text).toContain('“early 2017” (range: 2017-01-01 to 2017-04-30)');
    expect(text).toContain('CONTRIBUTOR');
    expect(text).toContain('LAND');
    await expect(details().locator('blockquote').textContent()).resolves.toBe(EFP_SENTENCE);
  });

  it('drops the contributors as of 2016-06-01 and brings them back as of 2024-03-25', async () => {
    await setAsOf('2016-06-01');
    await page.locator('#status').getByText(`${EFP_NAME}: 0 facts with the current filters.`).waitFor();
    await expect(contributions().count()).resolves.toBe(0);
    await expect(page.locator('#export-graphml').getAttribute('href')).resolves.toBe('/export?format=graphml&status=ACTIVE%2CENDED&asOf=2016-06-01');

    await setAsOf('2024-03-25');
    await page.locator('#status').getByText(`${EFP_NAME}: 7 facts with the current filters.`).waitFor();
    await expect(contributions().count()).resolves.toBe(6);
  });

  it('offers the export with the current filters as a download', async () => {
    const href = await page.locator('#export-csv-edges').getAttribute('href');
    expect(href).toBe('/export?format=csv-edges&status=ACTIVE%2CENDED&asOf=2024-03-25');
    const response = await fetch(`${base}${href}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="dcg-edges-as-of-2024-03-25.csv"');
    await page.locator('#asof-on').uncheck();
    await page.locator('#asof-label').getByText('any date').waitFor();
  });

  it('finds the path from Luxembourg to Belgium through the battle group', async () => {
    await page.getByLabel('From', { exact: true }).fill('Luxembourg');
    await page.getByLabel('To', { exact: true }).fill('Belgium');
    await page.getByRole('button', { name: 'Find paths' }).click();
    await details().getByRole('heading', { name: 'Paths from Luxembourg to Belgium' }).waitFor();
    const hops = await details().locator('.hops li').allTextContents();
    expect(hops).toEqual([`Luxembourg — participates in → ${EFP_NAME} ACTIVE`, `${EFP_NAME} ← participates in — Belgium ACTIVE`]);
  });

  it('draws plans apart from facts, and looks right at 1280x800 (docs/explorer.png)', async () => {
    await page.getByLabel('Search entities').fill('Belgium');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await details().getByRole('heading', { name: 'Belgium', exact: true }).waitFor();
    const before = await page.locator('#status').textContent();
    await page.getByLabel('planned (plan)').check();
    await page.getByLabel('proposed (plan)').check();
    await page.locator('#status').filter({ hasNotText: before ?? '' }).filter({ hasNotText: 'Loading' }).waitFor();
    const plans = details().locator('.facts li', { hasText: 'PLANNED · not a fact' });
    await expect(plans.count()).resolves.toBeGreaterThan(0);
    await expect(plans.first().locator('button').getAttribute('class')).resolves.toContain('plan-text');
    // The picture in docs/api.md is refreshed only on request, so a test run leaves the tree clean.
    const shot = process.env.UPDATE_SCREENSHOTS ? path.join(PROJECT_ROOT, 'docs', 'explorer.png') : path.join(os.tmpdir(), 'dcg-explorer.png');
    await page.screenshot({ path: shot });
  });

  it('says "4 plans hidden: show" for the Special Operations Component Command, and shows them', async () => {
    await page.getByLabel('planned (plan)').uncheck();
    await page.getByLabel('proposed (plan)').uncheck();
    await page.getByLabel('Search entities').fill(SOCC);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('#status').getByText(`${SOCC}: 0 facts with the current filters.`).waitFor();
    await expect(page.locator('#hidden').textContent()).resolves.toBe('4 plans hidden: show');
    await page.locator('#hidden').getByRole('button', { name: 'show' }).click();
    await page.locator('#status').getByText(`${SOCC}: 4 facts with the current filters.`).waitFor();
    for (const label of ['planned (plan)', 'proposed (plan)', 'announced (plan)']) await expect(page.getByLabel(label).isChecked()).resolves.toBe(true);
    await expect(page.locator('#hidden').isHidden()).resolves.toBe(true);
  });

  it('says how many facts are not known to be in force on a day, and shows them', async () => {
    await page.getByLabel('Search entities').fill('CRRTs');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('#status').getByText('CRRTs and Mutual Assistance in Cyber: 2 facts').waitFor();
    await setAsOf('2023-06-01');
    await page.locator('#status').getByText('CRRTs and Mutual Assistance in Cyber: 1 fact with the current filters.').waitFor();
    await expect(page.locator('#hidden').textContent()).resolves.toBe('1 not known to be in force on 2023-06-01: show');
    await page.locator('#hidden').getByRole('button', { name: 'show' }).click();
    await page.locator('#status').getByText('CRRTs and Mutual Assistance in Cyber: 2 facts with the current filters.').waitFor();
    await expect(page.locator('#asof-unknown').isChecked()).resolves.toBe(true);
    await page.locator('#asof-unknown').uncheck();
    await page.locator('#asof-on').uncheck();
    await page.locator('#asof-label').getByText('any date').waitFor();
  });

  it("opens a fact's passage in the source reader, marked, with its facts; a click on a mark lists its facts, and each fact links back", async () => {
    await page.getByLabel('Search entities').fill('eFP');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: new RegExp(EFP_NAME) }).first().click();
    await details().getByRole('heading', { name: EFP_NAME }).waitFor();
    await contributions().filter({ hasText: /^Belgium/ }).getByRole('button').click();
    await details().getByRole('heading', { name: 'Fact' }).waitFor();
    await details().getByRole('link', { name: /Read it in the source/ }).first().click();
    await page.waitForURL(/\/explorer\/source\/lt-mod-2024-03-25-chod-belgium#1404-1599$/);
    await page.locator('#status').getByText(/passages marked, stating \d+ facts/).waitFor();
    expect(await page.title()).toMatch(/^Chief of Defence departs/);
    // The text is the source's, whole, and the current passage is the sentence.
    await expect(page.locator('#source-text').textContent()).resolves.toBe(SOURCE_TEXT);
    await expect(page.locator('#source-text mark.current').allTextContents().then((parts) => parts.join(''))).resolves.toBe(EFP_SENTENCE);
    const listed = await details().locator('.facts li').allTextContents();
    expect(listed.filter((line) => line.includes(`participates in ${EFP_NAME} (as contributor)`))).toHaveLength(6);
    expect(listed.some((line) => line.startsWith(`${EFP_NAME} deployed at Rukla`))).toBe(true);

    // Every evidence span is marked: the marks cover exactly the passages' characters.
    const marked = await page.locator('#source-text mark').count();
    expect(marked).toBeGreaterThan(10);

    // A click on another mark lists the facts there: the F-16 sentence.
    await page.locator('#source-text mark', { hasText: 'F-16' }).first().click();
    await details().getByText('Characters 966–1112: 3 facts').waitFor();
    expect(page.url()).toMatch(/#966-1112$/);
    await details().getByRole('button', { name: 'Belgium participates in NATO Air Policing Mission (as contributor)' }).click();
    await details().getByRole('heading', { name: 'Fact' }).waitFor();
    const back = details().getByRole('link', { name: /Read it in the source/ }).first();
    await expect(back.getAttribute('href')).resolves.toBe('/explorer/source/lt-mod-2024-03-25-chod-belgium#966-1112');
    await page.goto(`${base}/explorer/source/lt-mod-2024-03-25-chod-belgium#0-121`);
    await details().getByText(/^Characters 0–121:/).waitFor();
    await expect(page.locator('#source-text mark.current').allTextContents().then((parts) => parts.join(''))).resolves.toBe(SOURCE_TEXT.slice(0, 121));
  });

  it('says so when no source has the id', async () => {
    await page.goto(`${base}/explorer/source/no-such-source`);
    await page.locator('#status').getByText('No source has the id no-such-source.').waitFor();
  });

  it('serves GraphiQL with the example queries, and runs one', async () => {
    await page.goto(`${base}/graphiql/`);
    for (const tab of ['PartnersOfLithuania', 'EfpContributors', 'BelgiumPlans', 'WhatWasLeftOut', 'BelgiumInNato2016', 'EvidenceAboutF16', 'LuxembourgToBelgium']) {
      await page.getByText(tab, { exact: true }).first().waitFor();
    }
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').getByText('"Belgium"').first().waitFor({ timeout: 30_000 });
  });

  it('made no request beyond this server, and broke no Content-Security-Policy rule', () => {
    expect(requests.length).toBeGreaterThan(10);
    const elsewhere = requests.filter((url) => {
      const { protocol, hostname } = new URL(url);
      if (protocol === 'data:' || protocol === 'blob:') return false;
      return !['127.0.0.1', 'localhost'].includes(hostname);
    });
    expect(elsewhere).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
