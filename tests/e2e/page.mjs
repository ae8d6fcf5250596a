// The web page's end-to-end test: drives hadath's page at BASE/ in headless
// Chromium as a person would, and checks what it shows against the JSON API.
// usage: node tests/e2e/page.mjs BASE_URL OUT_DIR   (tests/test_web.sh runs it)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [baseArg, outDir] = process.argv.slice(2);
if (!baseArg || !outDir) {
    console.log('FAIL - usage: node page.mjs BASE_URL OUT_DIR');
    console.log('web: 0 passed, 1 failed');
    process.exit(2);
}
const base = baseArg.replace(/\/+$/, '');
const WAIT = 10_000; // any one wait: a broken page fails fast
const BUDGET = 40_000; // sections not started by then are failed, not run
const started = Date.now();

let passed = 0, failed = 0, stopped = false;
const check = (desc, cond, detail = '') => {
    if (stopped) return false; // what still runs after a stop only sees the browser closing
    if (cond) {
        passed++;
        console.log(`ok - ${desc}`);
    } else {
        failed++;
        console.log(`FAIL - ${desc}${detail ? `: ${detail}` : ''}`);
    }
    return !!cond;
};

// A section stops at its first exception (a wait that timed out, an element
// that never came), counted as one failure; the next section starts anew.
// Returns whether it got to its end.
async function section(name, fn) {
    if (Date.now() - started > BUDGET) return check(`${name}: run`, false, 'out of time, not run');
    try {
        await fn();
        return true;
    } catch (e) {
        return check(`${name}: finished`, false, String(e?.message ?? e).split('\n')[0]);
    }
}

async function api(p) {
    const res = await fetch(base + p, { headers: { Accept: 'application/json' } }).catch((e) => {
        const why = e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message;
        throw Object.assign(new Error(`GET ${base}${p}: ${why}`), { plain: true });
    });
    if (!res.ok) throw Object.assign(new Error(`GET ${p}: HTTP ${res.status}`), { plain: true });
    return res.json();
}
const total = async (query) => (await api(`/events?${query}&limit=1`)).meta.total;
const allEvents = async (query) => (await api(`/events?${query}&limit=1000`)).data;

// What went wrong in the browser, over the whole run. A fetch the page
// aborted itself (a suggestion superseded by the next key) is not an error.
const problems = [];
let aborted = 0;
const problem = (s) => { s = s.slice(0, 240); if (!problems.includes(s)) problems.push(s); };
// while a step asks for a 400 on purpose, the browser's report of it is no problem
let expect400 = false;
function watch(ctx) {
    ctx.on('console', (m) => {
        if (m.type() !== 'error' || (expect400 && /status of 400/.test(m.text()))) return;
        problem(`console: ${m.text()}`);
    });
    ctx.on('weberror', (e) => problem(`page error: ${e.error()?.message ?? e.error()}`));
    ctx.on('requestfailed', (r) => {
        const why = r.failure()?.errorText ?? '';
        if (why === 'net::ERR_ABORTED' && ['fetch', 'xhr'].includes(r.resourceType())) aborted++;
        else problem(`request failed: ${r.url()} ${why}`);
    });
    ctx.on('response', (r) => {
        if (r.status() >= 400 && !(expect400 && r.status() === 400)) problem(`HTTP ${r.status()}: ${r.url()}`);
    });
    // body[data-state] can be set to "ready" again without leaving it, so
    // waits count the changes made after an action rather than read the value
    return ctx.addInitScript(() => {
        window.__e2e = { n: 0 };
        new MutationObserver((recs) => {
            for (const r of recs) if (r.target === document.body) window.__e2e.n++;
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
    });
}

const changes = (page) => page.evaluate(() => window.__e2e?.n ?? 0);
const fragment = (page) => Object.fromEntries(new URLSearchParams(new URL(page.url()).hash.slice(1)));

// Waits for body[data-state=ready] set after `before` state changes, with the
// fragment holding `want` (a null value: the key absent).
async function waitReady(page, before, want = {}) {
    try {
        await page.waitForFunction(([before, want]) => {
            const f = new URLSearchParams(location.hash.slice(1));
            return window.__e2e.n > before && document.body.dataset.state === 'ready' &&
                Object.entries(want).every(([k, v]) => f.get(k) === v);
        }, [before, want], { timeout: WAIT, polling: 50 });
    } catch (e) {
        const s = await page.evaluate(() => [document.body?.dataset.state,
            document.querySelector('#status')?.textContent.trim(), location.hash]).catch(() => []);
        throw new Error(`not ready with ${JSON.stringify(want)} in ${WAIT / 1000} s ` +
            `(state=${s[0]}, status="${s[1]}", fragment=${s[2]})`);
    }
}

// Opens BASE/FRAG in the page: a fresh load, or a hashchange when the page
// already shows BASE/.
async function show(page, frag, want) {
    const url = `${base}/${frag}`;
    const sameDoc = page.url().split('#')[0] === `${base}/`;
    const before = sameDoc ? await changes(page) : 0;
    await page.goto(url);
    await waitReady(page, before, want);
}

// Playwright's own timeout message names no element: say which one.
async function appears(loc, what) {
    await loc.first().waitFor({ state: 'visible' }).catch(() => {
        throw new Error(`${what} did not appear in ${WAIT / 1000} s`);
    });
}

// Numbers a person reads, and what each view holds.
const statusCount = async (page) => {
    const m = (await page.locator('#status').textContent()).match(/(\d[\d,]*)\s+events?\b/);
    return m ? Number(m[1].replace(/,/g, '')) : NaN;
};
const listed = (page) => page.locator('#events li.event').evaluateAll((els) => els.map((li) => {
    const ev = li.querySelector('.evidence');
    return {
        id: li.dataset.id, type: li.dataset.type, modality: li.dataset.modality,
        evidence: ev && {
            dir: ev.getAttribute('dir'), lang: ev.getAttribute('lang'), text: ev.textContent,
            triggers: [...ev.querySelectorAll('mark.trigger')].map((m) => m.textContent),
        },
    };
}));
const marks = (page) => page.locator('#timeline svg .ev').evaluateAll((els) => els.map((e) => {
    // a mark may be a g around its shape: the look is the shape's paint as
    // drawn (not its class, which may differ and look the same)
    const shape = e.matches('g') ? e.querySelector('circle,rect,path,line,polygon,ellipse,use') ?? e : e;
    const cs = getComputedStyle(shape);
    return {
        id: e.dataset.id, type: e.dataset.type, modality: e.dataset.modality, precision: e.dataset.precision,
        look: [cs.fill, cs.stroke, cs.strokeDasharray, cs.opacity, cs.fillOpacity, cs.strokeWidth].join(' | '),
    };
}));
const ids = (xs) => xs.map((x) => String(x.id));
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a, b) => same([...a].sort(), [...b].sort());
const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const first = (xs) => JSON.stringify(xs.slice(0, 3));

// The list and #status as shown against the API's answer for QUERY (e.g.
// participant=kim&type=visit): the same event ids, the same count.
async function resultsMatch(page, label, query) {
    const want = await allEvents(query);
    const rows = await listed(page);
    check(`${label}: list has the API's ${want.length} events (${query})`,
        sameSet(ids(rows), ids(want)), `list ${first(ids(rows))}… (${rows.length}), API ${want.length}`);
    const n = await statusCount(page);
    check(`${label}: #status says ${want.length} events`, n === want.length,
        `"${norm(await page.locator('#status').textContent())}"`);
    return { rows, want };
}

let launching, browser, tmpDir;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The end of every run, finished or not: the browser closed (a hung one
// must not hang the test), its folder removed, the summary printed.
let ending = false;
async function end() {
    if (ending) return;
    ending = true;
    const b = browser ?? await Promise.race([launching?.catch(() => null), sleep(5000)]);
    await Promise.race([b?.close(), sleep(5000)]).catch(() => {});
    try {
        // Chromium's last writes may still land while it exits: retry
        if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch (e) {
        failed++;
        console.log(`FAIL - the temporary profile is removed: ${e.message}`);
    }
    console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`web: ${passed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
}
// Stopped from outside (timeout, Ctrl-C) or stuck: one failure, not a
// cascade of the checks the closing browser would fail
const stop = (why) => {
    if (ending) return;
    check('the run', false, why);
    stopped = true;
    end();
};
process.on('SIGINT', () => stop('stopped by SIGINT'));
process.on('SIGTERM', () => stop('stopped by SIGTERM'));
setTimeout(() => stop('stopped by the watchdog after 110 s'), 110_000).unref();

try {
    fs.mkdirSync(outDir, { recursive: true });
    // Chromium's profile and its other temporary files go to a folder of
    // our own, removed at the end whatever happens
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hadath-e2e-'));
    process.env.TMPDIR = tmpDir;
    launching = chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        timeout: WAIT * 2,
        handleSIGINT: false, // stop() closes it
        handleSIGTERM: false,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    browser = await launching;
    const newContext = async () => {
        const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
        ctx.setDefaultTimeout(WAIT);
        await watch(ctx);
        return ctx;
    };
    const ctx = await newContext();
    const page = await ctx.newPage();

    const kimTotal = await total('participant=kim');
    let kimIds = [];

    // 1. the page itself; when it never gets ready, the rest would only
    // time out one wait after another
    const loaded = await section('load', async () => {
        const res = await page.goto(`${base}/`);
        check('GET / is 200', res?.status() === 200, `HTTP ${res?.status()}`);
        check('GET / is HTML', /text\/html/.test(res?.headers()['content-type'] ?? ''),
            res?.headers()['content-type']);
        const title = await page.title();
        check('the title names hadath', /hadath/i.test(title), `"${title}"`);
        await waitReady(page, 0);
        check('the empty page is ready with no error', problems.length === 0, problems.slice(0, 2).join(' | '));
    });

    if (!loaded) throw Object.assign(new Error('the page did not load: the other checks were not run'), { plain: true });

    // 2-4. typing, suggestions, the search for "kim" in each view
    await section('search kim', async () => {
        const q = page.locator('#q');
        await q.click();
        await q.pressSequentially('kim', { delay: 80 });
        const opt = page.locator('#suggest li[role=option][data-id="kim-jong-un"]');
        await appears(opt, 'the suggestion li[role=option][data-id=kim-jong-un]');
        const kim = (await api('/entities/kim-jong-un').catch(() => null)) ??
            (await api('/entities?q=kim*')).data.find((e) => e.id === 'kim-jong-un');
        const text = norm(await opt.textContent());
        check('a suggestion for kim-jong-un appears while typing', true);
        check('it shows the English name', text.includes(kim.name), `"${text}"`);
        check('it shows the Arabic name', text.includes(kim.name_ar), `"${text}" lacks "${kim.name_ar}"`);

        const before = await changes(page);
        await q.press('Enter');
        await waitReady(page, before, { q: 'kim' });
        check('Enter puts q=kim in the fragment', fragment(page).q === 'kim', page.url());
        check('#resolved shows kim-jong-un',
            await page.locator('#resolved .entity[data-id="kim-jong-un"]').count() > 0);

        const { rows, want } = await resultsMatch(page, 'kim', 'participant=kim');
        kimIds = ids(rows);
        check(`the list count equals the API's meta.total (${kimTotal})`, rows.length === kimTotal && kimTotal > 0,
            `${rows.length} listed`);
        const byId = new Map(want.map((e) => [String(e.id), e]));
        const bad = rows.filter((r) => !byId.has(r.id) || byId.get(r.id).type !== r.type ||
            byId.get(r.id).modality !== r.modality);
        check('each listed event has the API\'s type and modality', bad.length === 0, first(bad));

        // the timeline: the dated events as marks, the undated counted
        const evs = await marks(page);
        const dated = want.filter((e) => e.date?.start);
        check('the timeline has marks', evs.length > 0);
        check('every mark is a listed event', evs.every((m) => kimIds.includes(m.id)),
            first(evs.filter((m) => !kimIds.includes(m.id)).map((m) => m.id)));
        check(`one mark per dated event (${dated.length})`, sameSet(ids(evs), ids(dated)),
            `marks ${first(ids(evs))}… (${evs.length})`);
        const prec = evs.filter((m) => m.precision !== byId.get(m.id)?.date.precision);
        check('every mark has the API\'s date precision', evs.some((m) => m.precision) && prec.length === 0,
            first(prec.map((m) => `${m.id}:${m.precision}`)));
        const undatedText = norm(await page.locator('#timeline .undated').textContent().catch(() => ''));
        const undated = want.length - dated.length;
        check(`the timeline counts the ${undated} undated events`,
            undated === 0 ? !/[1-9]/.test(undatedText) : new RegExp(`\\b${undated}\\b`).test(undatedText),
            `"${undatedText}"`);
        check('the timeline has an axis with tick labels',
            await page.locator('#timeline svg .tick text').count() > 0);

        // the network
        const node = page.locator('#network svg .node[data-id="kim-jong-un"]');
        check('the network has a node for kim-jong-un', await node.count() === 1, `${await node.count()} nodes`);
        check('the node is labelled Kim Jong Un', norm(await node.locator('text').first().textContent()
            .catch(() => '')).includes(kim.name));
        check('the network has edges', await page.locator('#network svg .edge').count() > 0);

        // the evidence, against each event's own API answer
        const wrong = { dir: [], mark: [], api: [] };
        for (const r of rows) {
            const e = await api(`/events/${r.id}`);
            const t = r.evidence?.triggers ?? [];
            if (r.evidence?.dir !== 'rtl' || r.evidence?.lang !== 'ar') wrong.dir.push(r.id);
            if (!t.length || !norm(t[0]) || !r.evidence.text.includes(t[0])) wrong.mark.push(r.id);
            else if (t[0] !== e.trigger || !norm(r.evidence.text).includes(norm(e.sentence)))
                wrong.api.push(`${r.id}: "${t[0]}" vs "${e.trigger}"`);
        }
        check('every evidence is dir=rtl lang=ar', wrong.dir.length === 0, first(wrong.dir));
        check('every evidence marks a trigger found in its sentence', wrong.mark.length === 0, first(wrong.mark));
        check('every sentence and trigger are the API\'s', wrong.api.length === 0, first(wrong.api));

        await page.screenshot({ path: path.join(outDir, 'search-kim.png'), fullPage: true });
        check('screenshot search-kim.png', fs.statSync(path.join(outDir, 'search-kim.png')).size > 0);
    });

    // 5. the URL alone brings the same results, in a new browser context
    await section('share', async () => {
        const url = page.url();
        const ctx2 = await newContext();
        try {
            const p2 = await ctx2.newPage();
            await p2.goto(url);
            await waitReady(p2, 0, { q: 'kim' });
            check('the shared URL shows the same events without typing',
                kimIds.length > 0 && same(ids(await listed(p2)), kimIds), url);
            check('the shared URL resolves kim-jong-un too',
                await p2.locator('#resolved .entity[data-id="kim-jong-un"]').count() > 0);
        } finally {
            await ctx2.close();
        }
    });

    // 6. filters: a type, a date, the role
    await section('filters', async () => {
        if (fragment(page).q !== 'kim') await show(page, '#q=kim', { q: 'kim' });
        const rows = await listed(page);
        // the type with fewest events, so the filter visibly narrows the list
        const counts = {};
        for (const r of rows) counts[r.type] = (counts[r.type] ?? 0) + 1;
        const type = Object.keys(counts).sort((a, b) => counts[a] - counts[b])[0];
        const box = page.locator(`#filters input[name=type][value="${type}"]`);
        if (!(await box.isVisible())) {
            // inside a folded <details>: unfold it as a person would
            const summary = page.locator(`#filters details:has(input[name=type][value="${type}"]) > summary`);
            if (await summary.count()) await summary.click();
        }
        let before = await changes(page);
        await box.click();
        await waitReady(page, before, { type });
        check(`ticking type ${type} puts type=${type} in the fragment`, fragment(page).type === type, page.url());
        const { rows: typed } = await resultsMatch(page, `type ${type}`, `participant=kim&type=${type}`);
        check(`every listed event is a ${type}`, typed.length > 0 && typed.every((r) => r.type === type));
        check(`every mark is a ${type}`, (await marks(page)).every((m) => m.type === type));
        before = await changes(page);
        await box.click();
        await waitReady(page, before, { type: null });
        check('unticking brings back all of kim\'s events', same(ids(await listed(page)), kimIds));

        const from = '2024';
        const input = page.locator('#from');
        before = await changes(page);
        await input.fill(from);
        await input.press('Tab');
        await waitReady(page, before, { from });
        const { rows: late } = await resultsMatch(page, `from ${from}`, `participant=kim&from=${from}`);
        check(`from=${from} narrows the list`, late.length < kimIds.length, `${late.length} of ${kimIds.length}`);
        before = await changes(page);
        await input.fill('');
        await input.press('Tab');
        await waitReady(page, before, { from: null });
        check('clearing from brings back all of kim\'s events', same(ids(await listed(page)), kimIds));

        before = await changes(page);
        await page.selectOption('#role', 'actor');
        await waitReady(page, before, { role: 'actor' });
        await resultsMatch(page, 'role actor', 'actor=kim');
        before = await changes(page);
        await page.selectOption('#role', 'participant');
        await waitReady(page, before, { q: 'kim' });
        check('back to participant brings back all of kim\'s events', same(ids(await listed(page)), kimIds));
    });

    // 8. an article, its mentions marked, and back
    await section('article', async () => {
        if (fragment(page).q !== 'kim') await show(page, '#q=kim', { q: 'kim' });
        const link = page.locator('#events li.event a.article-link').first();
        const href = await link.getAttribute('href');
        const id = new URLSearchParams((href ?? '').split('#')[1] ?? '').get('article');
        check('an article link names article=ID', !!id, `href="${href}"`);
        const art = await api(`/articles/${id}`);
        const before = await changes(page);
        await link.click();
        await waitReady(page, before, { article: id });
        const view = page.locator('#article-view');
        check('#article-view is shown', await view.isVisible());
        check('its title is the API\'s', norm(await view.locator('h2').textContent()) === norm(art.title),
            `"${norm(await view.locator('h2').textContent())}"`);
        check('its text is dir=rtl', await view.locator('.text').getAttribute('dir') === 'rtl');
        const shown = await view.locator('.text mark.mention').evaluateAll((els) =>
            els.map((m) => [m.dataset.entity, m.textContent]));
        check(`it marks the API's ${art.mentions.length} mentions`, shown.length === art.mentions.length,
            `${shown.length} marked`);
        const want = [...art.mentions].sort((a, b) => a.start - b.start).map((m) => [m.entity, m.surface]);
        const off = want.findIndex((m, i) => !shown[i] || shown[i][0] !== m[0] || shown[i][1] !== m[1]);
        check('each mark is the API\'s mention, in order', off < 0,
            off < 0 ? '' : `#${off}: ${JSON.stringify(shown[off])} vs ${JSON.stringify(want[off])}`);
        check('kim-jong-un is marked', shown.some((m) => m[0] === 'kim-jong-un'));
        await page.screenshot({ path: path.join(outDir, 'article.png'), fullPage: true });
        check('screenshot article.png', fs.statSync(path.join(outDir, 'article.png')).size > 0);

        await view.locator('.close').click();
        await appears(page.locator('#events li.event'), 'the events after .close');
        await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: WAIT });
        check('.close hides the article', !(await view.isVisible()));
        check('.close drops article= from the fragment', !('article' in fragment(page)), page.url());
        check('.close brings back kim\'s events', same(ids(await listed(page)), kimIds),
            `${(await listed(page)).length} listed`);
    });

    // 9. the same person by his Arabic name
    await section('arabic', async () => {
        await show(page, `#q=${encodeURIComponent('كيم')}`, { q: 'كيم' });
        check('كيم resolves to kim-jong-un',
            await page.locator('#resolved .entity[data-id="kim-jong-un"]').count() > 0);
        const { rows } = await resultsMatch(page, 'كيم', `participant=${encodeURIComponent('كيم')}`);
        check('كيم finds as many events as kim', rows.length === kimIds.length, `${rows.length} vs ${kimIds.length}`);
    });

    // 7. picking a suggestion with the mouse, and the modalities on the
    // timeline of someone with dated events that did not (yet) happen
    await section('modality', async () => {
        const odd = (await allEvents('modality=planned,alleged,conditional,negated'))
            .find((e) => e.date?.start && e.actors.length);
        check('the API has a dated event that is not asserted', !!odd);
        const who = odd.actors[0];
        const q = page.locator('#q');
        await q.fill('');
        await q.pressSequentially(who.name.split(' ').pop().toLowerCase().slice(0, 4), { delay: 80 });
        const opt = page.locator(`#suggest li[role=option][data-id="${who.id}"]`);
        await appears(opt, `the suggestion for ${who.id}`);
        const before = await changes(page);
        await opt.click();
        await waitReady(page, before, { q: who.id });
        check(`clicking the suggestion puts q=${who.id} in the fragment`, fragment(page).q === who.id, page.url());
        const { want } = await resultsMatch(page, who.id, `participant=${who.id}`);
        const byId = new Map(want.map((e) => [String(e.id), e]));
        const evs = await marks(page);
        const bad = evs.filter((m) => m.modality !== byId.get(m.id)?.modality);
        check('every mark has the API\'s modality', evs.length > 0 && bad.length === 0,
            first(bad.map((m) => `${m.id}:${m.modality}`)));
        // the type may set the colour: compare with asserted marks of the
        // same type where there are some
        const odds = evs.filter((m) => m.modality !== 'asserted');
        check('this timeline shows a non-asserted mark', odds.length > 0);
        for (const mod of new Set(odds.map((m) => m.modality))) {
            const alike = odds.filter((m) => m.modality === mod).flatMap((m) => {
                const peers = evs.filter((a) => a.modality === 'asserted' && a.type === m.type);
                const pool = peers.length ? peers : evs.filter((a) => a.modality === 'asserted');
                return pool.filter((a) => a.look === m.look).map((a) => `${m.id} looks like ${a.id}: ${a.look}`);
            });
            check(`${mod} marks are drawn unlike asserted ones`,
                alike.length === 0 && evs.some((a) => a.modality === 'asserted'), alike[0] ?? 'no asserted mark');
        }
    });

    // 11. the rest of the page: narrowing a chip, the entity's card, one
    // row per real-world event, the downloads, an axis date, a name pointed at
    await section('extras', async () => {
        await show(page, '#q=kim', { q: 'kim' });
        const chips = await page.locator('#resolved a.entity').count();
        check('kim names several entities, each a chip', chips >= 2, `${chips} chips`);
        let before = await changes(page);
        await page.locator('#resolved a.entity[data-id="kim-jong-un"]').click();
        await waitReady(page, before, { q: 'kim-jong-un' });
        await resultsMatch(page, 'the kim-jong-un chip', 'participant=kim-jong-un');

        const ent = await api('/entities/kim-jong-un');
        const card = page.locator('#card');
        check('one entity named shows its card', await card.isVisible());
        const text = norm(await card.textContent());
        check('the card has its Wikidata id', text.includes(ent.wikidata), `"${text.slice(0, 80)}"`);
        check('the card has its spellings', ent.aliases.slice(0, 3).every((a) => text.includes(a.text)), text);

        before = await changes(page);
        await page.locator('#group').check();
        await waitReady(page, before, { group: 'cluster' });
        const clusters = await total('participant=kim-jong-un&group=cluster');
        const rows = await listed(page);
        check(`one row per real-world event: the API's ${clusters}`, rows.length === clusters && clusters > 0,
            `${rows.length} listed`);
        before = await changes(page);
        await page.locator('#group').uncheck();
        await waitReady(page, before, { group: null });

        const csv = await page.locator('#dl-csv').getAttribute('href');
        const res = await fetch(new URL(csv, page.url()));
        const lines = (await res.text()).trim().split('\n').length;
        const n = await total('participant=kim-jong-un');
        check('the CSV download is this view (a header and a row per event)',
            res.ok && /text\/csv/.test(res.headers.get('content-type') ?? '') && lines >= n + 1, `${lines} lines for ${n} events`);

        const tick = page.locator('#timeline .tick.zoom text').last();
        before = await changes(page);
        await tick.click();
        await waitReady(page, before);
        const f = fragment(page);
        check('an axis date narrows the view to its period', !!f.from && !!f.to, page.url());
        if (f.from && f.to) await resultsMatch(page, `from=${f.from}&to=${f.to}`,
            `participant=kim-jong-un&from=${f.from}&to=${f.to}`);
        before = await changes(page);
        await page.locator('#clear').click();
        await waitReady(page, before, { from: null, to: null });

        // a date the API refuses: its message, the field marked, no list lost
        before = await changes(page);
        expect400 = true;
        await page.locator('#from').fill('2024-13');
        await page.locator('#from').press('Enter');
        await page.waitForFunction((b) => window.__e2e.n > b && document.body.dataset.state === 'error', before,
            { timeout: WAIT, polling: 50 });
        check('a bad date shows the API\'s message naming it', /from/.test(await page.locator('#status').textContent()),
            `"${norm(await page.locator('#status').textContent())}"`);
        check('the bad field is marked', await page.locator('#from.invalid').count() === 1);
        expect400 = false;
        before = await changes(page);
        await page.locator('#clear').click();
        await waitReady(page, before, { from: null });
        check('clearing it brings the events back', sameSet(ids(await listed(page)), ids(await allEvents('participant=kim-jong-un'))));
        // "/" jumps to the search box
        await page.locator('#timeline h2').click();
        await page.keyboard.press('/');
        check('"/" focuses the search box', await page.evaluate(() => document.activeElement?.id === 'q'));

        // names in Arabic, and back
        before = await changes(page);
        await page.locator('#names').click();
        await waitReady(page, before, { names: 'ar' });
        const label = async () => norm(await page.locator('#network .node[data-id="kim-jong-un"] text').first().textContent());
        check('names=ar labels the network in Arabic', await label() === ent.name_ar, `"${await label()}"`);
        before = await changes(page);
        await page.locator('#names').click();
        await waitReady(page, before, { names: null });
        check('and back in English', await label() === ent.name, `"${await label()}"`);

        // pointing at Putin: the marks left bright are exactly his events
        const putin = page.locator('#network .node[data-id="vladimir-putin"]');
        if (await putin.count()) {
            await putin.hover();
            const his = new Set(ids((await allEvents('participant=kim-jong-un')).filter((e) =>
                [...e.actors, ...e.targets, ...(e.location ? [e.location] : [])].some((p) => p.id === 'vladimir-putin'))));
            const bright = await page.locator('#timeline .ev:not(.faded)').evaluateAll((els) => els.map((e) => e.dataset.id));
            const all = ids(await marks(page));
            check('pointing at a name leaves its events bright, fades the rest',
                bright.length > 0 && bright.length < all.length && bright.every((id) => his.has(id)),
                `${bright.length} of ${all.length} bright`);
            await page.mouse.move(0, 0);
        } else {
            check('Putin is in the network of kim-jong-un', false);
        }
    });

    // 12. a document whose words are markup (tests/data/web/markup.txt):
    // shown as text, never run or loaded
    await section('markup', async () => {
        const arts = (await api('/articles?limit=1000')).data;
        const bad = arts.find((a) => (a.title ?? '').includes('<script>'));
        check('the API keeps the markup as text in a title', !!bad);
        if (!bad) return;
        const title = await page.title();
        await show(page, `#q=putin&article=${bad.id}`, { article: String(bad.id) });
        const view = page.locator('#article-view');
        check('its title is shown as the very characters', norm(await view.locator('h2').textContent()) === norm(bad.title));
        const made = await page.locator('#article-view :is(script, img, iframe, b)').count();
        check('no element is made from its markup', made === 0, `${made} elements`);
        check('nothing in it ran', !/pwned|^1$/.test(await page.title()) && (await page.title()).length > 1,
            `title "${await page.title()}" (was "${title}")`);
        const before = await changes(page);
        await view.locator('.close').click();
        await waitReady(page, before, { article: null });
        const inList = await page.locator('#events :is(script, img, iframe)').count();
        check('the events list makes no element from it either', inList === 0, `${inList} elements`);
    });

    // 10. nothing found is a result, not an error
    await section('nothing', async () => {
        const none = 'plugh';
        check(`the API finds no event for ${none}`, await total(`participant=${none}`) === 0);
        await show(page, `#q=${none}`, { q: none });
        check(`${none}: #status says 0 events`, await statusCount(page) === 0,
            `"${norm(await page.locator('#status').textContent())}"`);
        check(`${none}: the list is empty`, await page.locator('#events li.event').count() === 0);
        check(`${none}: the timeline has no mark`, await page.locator('#timeline svg .ev').count() === 0);
    });
} catch (e) {
    // the line that threw, unless we threw it on purpose
    check('the run', false, e?.plain ? e.message : String(e?.stack ?? e).split('\n').slice(0, 2).join(' '));
} finally {
    // also when a section or the run stopped early: what the browser saw
    // (a 404, a CSP violation) is most often why
    if (browser && !ending) check('no console error, page error, failed request or HTTP error in the whole run',
        problems.length === 0, `${problems.length}: ${problems.slice(0, 3).join(' | ')}`);
    if (aborted) console.log(`# ${aborted} fetches aborted by the page itself (superseded), not counted`);
    await end();
}
