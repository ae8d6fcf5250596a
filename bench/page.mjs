// bench/page.mjs: how fast the web page is ready in headless Chromium, per
// view, against a running hadath. Prints numbers and judges nothing.
// usage: node bench/page.mjs BASE_URL [LOADS]   (bench/page.sh runs it)
import { createRequire } from 'node:module';
import path from 'node:path';
import url from 'node:url';

// playwright-core as make test installs it for the browser test
const here = path.dirname(url.fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const base = (process.argv[2] || '').replace(/\/+$/, '');
const loads = Number(process.argv[3] || 5);
if (!base) {
    console.error('usage: node bench/page.mjs BASE_URL [LOADS]');
    process.exit(2);
}
const api = async (p) => (await fetch(base + p, { headers: { Accept: 'application/json' } })).json();

// The views: everything, the most active actor (by id, and in Arabic, and
// merged into real-world events), one of its articles.
const stats = await api('/stats?top=1');
const top = stats.events?.top_actors?.[0];
if (!top) {
    console.error('bench/page: the database has no events');
    process.exit(1);
}
const first = (await api(`/events?participant=${top.id}&limit=1`)).data[0];
const views = [
    ['everything (newest 500)', ''],
    [`${top.name}`, `#q=${top.id}`],
    [`${top.name} in Arabic`, `#q=${encodeURIComponent(top.name_ar || top.name)}`],
    [`${top.name}, one row per event`, `#q=${top.id}&group=cluster`],
    [`an article of theirs (${first.article.id})`, `#q=${top.id}&article=${first.article.id}`],
];

const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`page (Chromium headless, 1400x1000, ${loads} loads each, a warm browser cache)`);
console.log('view                                        ready p50  best   requests  KB    events  marks  nodes');
for (const [name, frag] of views) {
    const times = [];
    let last = null;
    for (let i = 0; i <= loads; i++) { // the first load warms the cache and is not counted
        await page.goto('about:blank');
        const t0 = performance.now();
        await page.goto(`${base}/${frag}`);
        await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state),
            null, { timeout: 30000, polling: 5 });
        if (i > 0) times.push(performance.now() - t0);
        last = await page.evaluate(() => {
            const res = performance.getEntriesByType('resource');
            const nav = performance.getEntriesByType('navigation')[0];
            return {
                state: document.body.dataset.state,
                requests: res.length + 1,
                bytes: res.reduce((s, r) => s + r.encodedBodySize, nav ? nav.encodedBodySize : 0),
                events: document.querySelectorAll('#events li.event').length,
                marks: document.querySelectorAll('#timeline .ev').length,
                nodes: document.querySelectorAll('#network .node').length,
            };
        });
    }
    const row = name.slice(0, 42).padEnd(42) + (last.state === 'ready'
        ? `${median(times).toFixed(0).padStart(8)} ms${Math.min(...times).toFixed(0).padStart(6)}` +
          `${String(last.requests).padStart(11)}${(last.bytes / 1024).toFixed(0).padStart(6)}` +
          `${String(last.events).padStart(10)}${String(last.marks).padStart(7)}${String(last.nodes).padStart(7)}`
        : '   error');
    console.log(row);
}
await browser.close();
