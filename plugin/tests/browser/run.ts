/**
 * Browser test: serves main.tsx with Vite, opens it in Debian's Chromium through playwright-core,
 * checks visible text and band colours, and saves screenshots in test-artifacts/.
 *   npm run test:browser    (needs /usr/bin/chromium: apt-get install -y chromium)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createServer } from 'vite';
import { testIds } from '../../src/shared/testIds';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.resolve(here, '../../test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Check = [name: string, run: (page: Page) => Promise<void>];

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const tid = (id: string) => `[data-testid="${id}"]`;

/** The theme's colour for a Grafana named colour, as the browser computes it (rgb()). */
async function themeColor(page: Page, name: string): Promise<string> {
  return page.evaluate((n) => {
    const probe = document.createElement('div');
    probe.style.color = (
      window as unknown as { theme: { visualization: { getColorByName(c: string): string } } }
    ).theme.visualization.getColorByName(n);
    document.body.append(probe);
    const rgb = getComputedStyle(probe).color;
    probe.remove();
    return rgb;
  }, name);
}

const checks: Check[] = [
  [
    'KPI tiles show value, written band and change',
    async (page) => {
      const tiles = page.locator(`#kpi-large ${tid(testIds.kpi.tile)}`);
      assert((await tiles.count()) === 4, `expected 4 tiles, saw ${await tiles.count()}`);
      const text = await tiles.allInnerTexts();
      assert(text[0]!.includes('42') && /good/i.test(text[0]!), `NPS tile: ${text[0]}`);
      assert(text[0]!.includes('vs previous · better'), `NPS change: ${text[0]}`);
      assert(
        text[1]!.includes('38.5%') && /excellent/i.test(text[1]!) && text[1]!.includes('pts vs previous · better'),
        `bounce tile: ${text[1]}`,
      );
      assert(text[2]!.includes('6.2%') && /poor/i.test(text[2]!) && text[2]!.includes('worse'), `churn tile (by name): ${text[2]}`);
      assert(text[3]!.includes('no benchmark') && text[3]!.includes('acquisition cost'), `CLV tile: ${text[3]}`);
    },
  ],
  [
    'band chips and bar segments are in the band colours',
    async (page) => {
      const expected: Record<string, string> = { good: 'green', excellent: 'dark-green', poor: 'red' };
      for (const [i, band] of [
        [0, 'good'],
        [1, 'excellent'],
        [2, 'poor'],
      ] as const) {
        const chip = page
          .locator(`#kpi-large ${tid(testIds.kpi.tile)}`)
          .nth(i)
          .locator(tid(testIds.kpi.band));
        const bg = await chip.evaluate((el) => getComputedStyle(el).backgroundColor);
        const want = await themeColor(page, expected[band]!);
        assert(bg === want, `${band} chip is ${bg}, expected ${want}`);
      }
      const segments = page
        .locator(`#kpi-large ${tid(testIds.kpi.tile)}`)
        .first()
        .locator(tid(testIds.kpi.bandSegment));
      const colours = await segments.evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
      const want = [
        await themeColor(page, 'red'),
        await themeColor(page, 'orange'),
        await themeColor(page, 'green'),
        await themeColor(page, 'dark-green'),
      ];
      assert(JSON.stringify(colours) === JSON.stringify(want), `NPS bar ${colours.join(' ')} vs ${want.join(' ')}`);
    },
  ],
  [
    'hovering the band bar shows the benchmark source',
    async (page) => {
      await page
        .locator(`#kpi-large ${tid(testIds.kpi.bandBar)}`)
        .first()
        .hover();
      const source = page.locator(tid(testIds.kpi.source));
      await source.waitFor({ timeout: 5000 });
      const text = await source.innerText();
      assert(text.includes('Benchmark: Bain') && text.includes('Higher is better'), `tooltip: ${text}`);
      await page.locator('#kpi-large').screenshot({ path: path.join(artifacts, 'kpi-large-hover.png') });
      await page.mouse.move(0, 0);
    },
  ],
  [
    'compact layout and cohort triangle render',
    async (page) => {
      assert((await page.locator(`#kpi-compact ${tid(testIds.kpi.tile)}`).count()) === 4, 'compact tiles');
      const cells = page.locator(`#cohort ${tid(testIds.cohort.cell)}`);
      assert((await cells.count()) === 15, `cohort cells: ${await cells.count()}`);
      assert((await cells.first().innerText()) === '100.0%', `first cell ${await cells.first().innerText()}`);
    },
  ],
  [
    'weekly usage-retention cohorts stay one row per week',
    async (page) => {
      const rows = await page.locator(`#cohort-weekly ${tid(testIds.cohort.grid)} tbody th`).allInnerTexts();
      assert(
        JSON.stringify(rows) === JSON.stringify(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']),
        `weekly rows: ${rows.join(', ')}`,
      );
      await page.locator('#cohort-weekly').screenshot({ path: path.join(artifacts, 'cohort-weekly.png') });
    },
  ],
  [
    'funnel shows each step’s persons, conversion and drop-off between steps, and the model’s window',
    async (page) => {
      const funnel = page.locator('#funnel');
      const windowLine = await funnel.locator(tid(testIds.funnel.window)).innerText();
      assert(windowLine.includes('Converted within 7 days of Product view'), `window: ${windowLine}`);
      const texts = async (id: string) => funnel.locator(tid(id)).allInnerTexts();
      const counts = await texts(testIds.funnel.count);
      const countHeights = await funnel
        .locator(tid(testIds.funnel.count))
        .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
      assert(
        countHeights.every((h) => h > 8),
        `every count is visible above its bar: heights ${countHeights.join(', ')}`,
      );
      assert(JSON.stringify(counts) === JSON.stringify(['1 K', '400', '300', '240', '120']), `counts: ${counts.join(' ')}`);
      const conversion = await texts(testIds.funnel.conversion);
      assert(JSON.stringify(conversion) === JSON.stringify(['40.0%', '75.0%', '80.0%', '50.0%']), `conversion: ${conversion.join(' ')}`);
      const dropOff = await texts(testIds.funnel.dropOff);
      assert(JSON.stringify(dropOff) === JSON.stringify(['−600', '−100', '−60', '−120']), `drop-off: ${dropOff.join(' ')}`);
      const names = await texts(testIds.funnel.stepName);
      assert(names.at(3) === '4. Shipping cost shown', `step names: ${names.join(', ')}`);
      // Bar heights follow persons: the purchase bar's filled part is 12% of the product-view bar's.
      const filled = await funnel
        .locator(tid(testIds.funnel.bar))
        .evaluateAll((bars) => bars.map((b) => (b.lastElementChild as HTMLElement).getBoundingClientRect().height));
      const ratio = filled[4]! / filled[0]!;
      assert(Math.abs(ratio - 0.12) < 0.01, `purchase ÷ product view bar height ${ratio.toFixed(3)}, expected 0.12`);
      const colour = await funnel
        .locator(tid(testIds.funnel.bar))
        .first()
        .evaluate((b) => getComputedStyle(b.lastElementChild!).backgroundColor);
      const palette = await page.evaluate(
        () => (window as unknown as { theme: { visualization: { palette: string[] } } }).theme.visualization.palette,
      );
      const want = await themeColor(page, palette[0]!);
      assert(colour === want, `bar colour ${colour}, expected the palette's first ${want}`);
      await funnel.screenshot({ path: path.join(artifacts, 'funnel.png') });
    },
  ],
  [
    'funnel by device: grouped bars in the palette’s colours, a conversion per device and a legend',
    async (page) => {
      const funnel = page.locator('#funnel-device');
      const bars = funnel.locator(tid(testIds.funnel.bar));
      assert((await bars.count()) === 10, `bars: ${await bars.count()}`);
      const palette = await page.evaluate(
        () => (window as unknown as { theme: { visualization: { palette: string[] } } }).theme.visualization.palette,
      );
      const colours = await bars.evaluateAll((els) => els.slice(0, 2).map((b) => getComputedStyle(b.lastElementChild!).backgroundColor));
      const want = [await themeColor(page, palette[0]!), await themeColor(page, palette[1]!)];
      assert(JSON.stringify(colours) === JSON.stringify(want), `desktop, mobile bars ${colours.join(' ')} vs ${want.join(' ')}`);
      const last = await funnel.locator(tid(testIds.funnel.connector)).last().locator(tid(testIds.funnel.conversion)).allInnerTexts();
      assert(JSON.stringify(last) === JSON.stringify(['55.0%', '25.0%']), `shipping → purchase: ${last.join(' ')}`);
      const legend = await funnel.locator(tid(testIds.funnel.legend)).innerText();
      assert(legend.includes('desktop') && legend.includes('mobile'), `legend: ${legend}`);
      await funnel.screenshot({ path: path.join(artifacts, 'funnel-device.png') });
    },
  ],
  [
    'hovering a funnel bar shows its persons, conversions and drop-off',
    async (page) => {
      await page
        .locator(`#funnel-device ${tid(testIds.funnel.bar)}`)
        .nth(3)
        .hover();
      const tooltip = page.getByRole('tooltip');
      await tooltip.waitFor({ timeout: 5000 });
      const text = (await tooltip.innerText()).replace(/\s+/g, ' ');
      for (const part of ['mobile · Add to cart', 'Persons 100', 'Of the previous step 25.0%', 'Of entrants 25.0%', 'Dropped off 300'])
        assert(text.includes(part), `tooltip lacks "${part}": ${text}`);
      await page.locator('#funnel-device').screenshot({ path: path.join(artifacts, 'funnel-device-hover.png') });
      await page.mouse.move(0, 0);
    },
  ],
  [
    'funnel says when the range has no data and what a query without a funnel’s fields lacks',
    async (page) => {
      const empty = await page.locator(`#funnel-empty ${tid(testIds.funnel.noData)}`).innerText();
      assert(empty === 'No data in this range', `empty: ${empty}`);
      const problem = await page.locator(`#funnel-problem ${tid(testIds.funnel.problem)}`).innerText();
      assert(problem.includes('a step number') && problem.includes('purchase_funnel.persons'), `problem: ${problem}`);
      await page.locator('#funnel-problem').screenshot({ path: path.join(artifacts, 'funnel-problem.png') });
    },
  ],
  [
    'query editor shows titles and finds a measure by its title, with group and description',
    async (page) => {
      const editor = page.locator('#query-editor');
      const text = await editor.innerText();
      for (const title of ['Bounce rate', 'Conversion rate', 'Channel', 'Measures', 'Filters'])
        assert(text.includes(title), `editor lacks ${title}`);
      const time = await page.getByRole('combobox', { name: 'Time dimension' }).inputValue();
      assert(time === 'Session start', `time dimension shows "${time}"`);
      await editor.screenshot({ path: path.join(artifacts, 'query-editor.png') });
      const input = page.getByRole('combobox', { name: 'Measures' });
      await input.click();
      await input.fill('churn');
      const option = page.getByRole('option', { name: /Churn rate/ }).first();
      await option.waitFor({ timeout: 5000 });
      const optionText = await option.innerText();
      assert(optionText.includes('Lost customers'), `option description: ${optionText}`);
      await page.screenshot({ path: path.join(artifacts, 'query-editor-search.png'), fullPage: true });
      await page.keyboard.press('Escape');
    },
  ],
  [
    'the KPI tile names the period it judges, and the editor shows the migrated query as JSON',
    async (page) => {
      const period = await page
        .locator(`#kpi-large ${tid(testIds.kpi.period)}`)
        .first()
        .innerText();
      assert(period.includes('last complete month'), `period label: ${period}`);
      // The measure search above may leave its menu over the editor: click the label itself.
      await page.locator(tid(testIds.queryEditor.mode)).getByText('JSON', { exact: true }).click({ force: true });
      const json = await page.locator(tid(testIds.queryEditor.jsonInput)).inputValue();
      assert(json.includes('"timeDimensions"') && json.includes('"web_engagement.started_at"'), `JSON mode: ${json.slice(0, 200)}`);
      await page.locator('#query-editor').screenshot({ path: path.join(artifacts, 'query-editor-json.png') });
      await page.locator(tid(testIds.queryEditor.mode)).getByText('Builder', { exact: true }).click({ force: true });
    },
  ],
];

async function main(): Promise<number> {
  assert(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  fs.mkdirSync(artifacts, { recursive: true });
  const server = await createServer({ configFile: path.join(here, 'vite.config.ts'), server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 1400 },
  });
  let passed = 0;
  let failed = 0;
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'networkidle', timeout: 120_000 });
    await page.locator(tid(testIds.kpi.tile)).first().waitFor({ timeout: 60_000 });
    await page.locator('#kpi-large').screenshot({ path: path.join(artifacts, 'kpi-large.png') });
    await page.locator('#kpi-compact').screenshot({ path: path.join(artifacts, 'kpi-compact.png') });
    await page.locator('#cohort').screenshot({ path: path.join(artifacts, 'cohort.png') });
    await page.locator(`#funnel ${tid(testIds.funnel.window)}`).waitFor({ timeout: 10_000 });
    for (const [name, run] of checks) {
      try {
        await run(page);
        passed++;
        console.log(`  ✓ ${name}`);
      } catch (error) {
        failed++;
        console.log(`  ✗ ${name}\n    ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (errors.length) {
      failed++;
      console.log(`  ✗ no page errors\n    ${errors.join('\n    ')}`);
    }
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  console.log(`screenshots in ${path.relative(process.cwd(), artifacts)}/`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
