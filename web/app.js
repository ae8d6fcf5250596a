/* hadath's page: the URL fragment holds the whole view (#q=kim&type=visit…),
 * so a view can be shared; every change of it fetches from the JSON API and
 * draws the timeline (hand-made SVG), the network (laid out by d3-force), the
 * event list and the article view. Text from documents only ever enters the
 * page as text nodes, never as markup. */
'use strict';

(function () {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const PAGE = 500; /* events per request; "More events" fetches the next page */
  const ROLES = ['participant', 'actor', 'target', 'location'];
  /* read from /openapi.json at start; these stand in if it cannot be read */
  let TYPES = ['visit', 'meeting', 'message', 'statement', 'praise', 'criticism', 'pledge',
    'cooperation', 'agreement', 'invitation', 'recognition', 'aid', 'military_aid', 'request',
    'accusation', 'denial', 'threat', 'sanction', 'sever_relations', 'attack'];
  let MODALITIES = ['asserted', 'planned', 'alleged', 'conditional', 'negated'];
  const MODALITY_HELP = {
    asserted: 'reported as having happened',
    planned: 'announced or expected, not yet happened',
    alleged: 'claimed by someone, not confirmed',
    conditional: 'would happen if something else does',
    negated: 'reported as not having happened',
  };
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov',
    'Dec'];
  const DAY = 86400000;

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  /* An element with attributes and children (strings become text nodes). */
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    return fill(el, attrs, kids);
  }
  function s(tag, attrs, ...kids) {
    const el = document.createElementNS(SVGNS, tag);
    return fill(el, attrs, kids);
  }
  function fill(el, attrs, kids) {
    for (const [k, v] of Object.entries(attrs || {}))
      if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : v);
    for (const kid of kids.flat(Infinity))
      if (kid !== null && kid !== undefined && kid !== false)
        el.append(typeof kid === 'string' || typeof kid === 'number' ? String(kid) : kid);
    return el;
  }
  const label = (t) => t.replace(/_/g, ' ');
  /* an entity's name in the script the reader chose (names=ar) */
  let arabicNames = false;
  const nm = (e) => (arabicNames && e.name_ar ? e.name_ar : e.name);
  const fmt = (n) => n.toLocaleString('en');

  /* ---- the state, in the URL fragment ---- */

  function readState() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    const list = (k) => (p.get(k) || '').split(',').map((x) => x.trim()).filter(Boolean);
    const role = p.get('role');
    return {
      q: (p.get('q') || '').trim(),
      role: ROLES.includes(role) ? role : 'participant',
      type: list('type'),
      modality: list('modality'),
      from: (p.get('from') || '').trim(),
      to: (p.get('to') || '').trim(),
      article: /^[0-9]+$/.test(p.get('article') || '') ? p.get('article') : '',
      group: p.get('group') === 'cluster',
      names: p.get('names') === 'ar' ? 'ar' : 'en',
    };
  }

  function hashOf(st) {
    const p = new URLSearchParams();
    if (st.q) p.set('q', st.q);
    if (st.q && st.role !== 'participant') p.set('role', st.role);
    if (st.type.length) p.set('type', st.type.join(','));
    if (st.modality.length) p.set('modality', st.modality.join(','));
    if (st.from) p.set('from', st.from);
    if (st.to) p.set('to', st.to);
    if (st.group) p.set('group', 'cluster');
    if (st.names === 'ar') p.set('names', 'ar');
    if (st.article) p.set('article', st.article);
    /* commas and Arabic letters read better unescaped in a shared link */
    return '#' + p.toString().replace(/%2C/g, ',');
  }

  function go(changes) {
    const st = Object.assign(readState(), changes);
    const hash = hashOf(st);
    if (hash === location.hash || (hash === '#' && !location.hash)) route();
    else location.hash = hash;
  }

  /* ---- the API ---- */

  class ApiError extends Error {
    constructor(message, parameter) {
      super(message);
      this.parameter = parameter;
    }
  }

  async function api(path, signal) {
    let r;
    try {
      r = await fetch(path, { headers: { Accept: 'application/json' }, signal });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError('The server cannot be reached.');
    }
    const body = await r.json().catch(() => null);
    if (!r.ok)
      throw new ApiError((body && (body.detail || body.title)) || 'HTTP ' + r.status,
        body && body.parameter);
    return body;
  }

  function eventsQuery(st) {
    const p = new URLSearchParams();
    if (st.q) p.set(st.role, st.q);
    if (st.type.length) p.set('type', st.type.join(','));
    if (st.modality.length) p.set('modality', st.modality.join(','));
    if (st.from) p.set('from', st.from);
    if (st.to) p.set('to', st.to);
    if (st.group) p.set('group', 'cluster');
    p.set('sort', '-date'); /* newest first; undated last */
    return 'events?' + p.toString();
  }

  /* ---- dates ---- */

  function parseDay(d) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  }

  /* The date as precisely as it is known, never more. */
  function dateLabel(date) {
    if (!date || !date.start) return 'undated';
    const t = new Date(parseDay(date.start));
    const y = t.getUTCFullYear(), m = MONTHS[t.getUTCMonth()];
    if (date.precision === 'year') return String(y);
    if (date.precision === 'month') return m + ' ' + y;
    if (date.start !== date.end && date.end) return date.start + ' – ' + date.end;
    return t.getUTCDate() + ' ' + m + ' ' + y;
  }

  /* ---- search box and suggestions ---- */

  let suggestTimer = 0, suggestAbort = null, active = -1;

  function closeSuggest() {
    const ul = $('#suggest');
    ul.hidden = true;
    ul.replaceChildren();
    active = -1;
    $('#q').setAttribute('aria-expanded', 'false');
    $('#q').removeAttribute('aria-activedescendant');
  }

  async function suggest() {
    const text = $('#q').value.trim();
    if (suggestAbort) suggestAbort.abort();
    if ([...text].length < 2 || text.includes(',')) {
      closeSuggest();
      return;
    }
    suggestAbort = new AbortController();
    let res;
    try {
      res = await api('entities?limit=8&q=' + encodeURIComponent(text + '*'),
        suggestAbort.signal);
    } catch (e) {
      return; /* suggestions are a help; the search itself reports errors */
    }
    const ul = $('#suggest');
    ul.replaceChildren(...res.data.map((e, i) =>
      h('li', { role: 'option', id: 'opt-' + i, 'data-id': e.id, 'aria-selected': 'false' },
        h('span', { class: 'name' }, e.name),
        h('span', { class: 'ar', lang: 'ar', dir: 'rtl' }, e.name_ar || ''),
        h('span', { class: 'kind e-' + e.type }, e.type +
          (e.mentions ? ' · ' + fmt(e.mentions) + ' mentions' : '')))));
    active = -1;
    ul.hidden = res.data.length === 0;
    $('#q').setAttribute('aria-expanded', String(!ul.hidden));
  }

  function moveActive(step) {
    const opts = $$('#suggest li');
    if (!opts.length) return;
    active = (active + step + opts.length) % opts.length;
    opts.forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
    $('#q').setAttribute('aria-activedescendant', opts[active].id);
  }

  function pick(li) {
    $('#q').value = li.dataset.id;
    closeSuggest();
    go({ q: li.dataset.id, article: '' });
  }

  /* ---- filters ---- */

  function buildFilters() {
    $('#type-options').replaceChildren(...TYPES.map((t) =>
      h('label', { class: 'opt' }, h('input', { type: 'checkbox', name: 'type', value: t }),
        h('span', { class: 'swatch t-' + t }), label(t))));
    /* each modality's key is drawn as the timeline draws it */
    $('#modality-options').replaceChildren(...MODALITIES.map((m) =>
      h('label', { class: 'opt', title: MODALITY_HELP[m] || '' },
        h('input', { type: 'checkbox', name: 'modality', value: m }),
        s('svg', { class: 'mod-key', width: 22, height: 12, 'aria-hidden': 'true' },
          mark({ modality: m, type: 'key' }, 2, 20, 6, 8)),
        m)));
  }

  function showFilters(st) {
    $('#role').value = st.role;
    if (document.activeElement !== $('#q')) $('#q').value = st.q;
    $$('input[name=type]').forEach((c) => { c.checked = st.type.includes(c.value); });
    $$('input[name=modality]').forEach((c) => { c.checked = st.modality.includes(c.value); });
    $('#types .count').textContent = st.type.length ? '(' + st.type.length + ')' : '';
    if (st.type.length) $('#types').open = true;
    $('#from').value = st.from;
    $('#to').value = st.to;
    $('#group').checked = st.group;
    $('#names').textContent = st.names === 'ar' ? 'English names' : 'أسماء عربية';
    $('#names').setAttribute('aria-pressed', String(st.names === 'ar'));
    /* the same query in the API's other formats: 1,000 rows, the rest by their Link header */
    for (const f of ['csv', 'geojson', 'ndjson'])
      $('#dl-' + f).setAttribute('href', eventsQuery(st) + '&limit=1000&format=' + f);
    $$('.invalid').forEach((el) => el.classList.remove('invalid'));
  }

  function filtersChanged() {
    go({
      type: $$('input[name=type]:checked').map((c) => c.value),
      modality: $$('input[name=modality]:checked').map((c) => c.value),
      from: $('#from').value.trim(),
      to: $('#to').value.trim(),
      group: $('#group').checked,
      article: '',
    });
  }

  /* ---- loading a view ---- */

  let loadAbort = null;
  let shown = { key: '', events: [], next: null, total: 0, resolved: null };

  function setState(s, message) {
    document.body.dataset.state = s;
    if (message !== undefined) $('#status').textContent = message;
  }

  async function route() {
    const st = readState();
    const renamed = (st.names === 'ar') !== arabicNames;
    arabicNames = st.names === 'ar';
    showFilters(st);
    if (loadAbort) loadAbort.abort();
    loadAbort = new AbortController();
    const signal = loadAbort.signal;
    setState('loading');
    try {
      const key = eventsQuery(st) + '&limit=' + PAGE;
      if (key !== shown.key) {
        const res = await api(key, signal);
        shown = {
          key, events: res.data, next: res.meta.next, total: res.meta.total,
          resolved: res.meta.resolved ? res.meta.resolved[st.role] : null,
        };
        drawResults(st);
        await drawCard(st, signal);
      } else if (renamed) {
        drawResults(st);
        await drawCard(st, signal);
      }
      if (st.article) await showArticle(st, signal);
      else hideArticle();
      setState('ready');
    } catch (e) {
      if (e.name === 'AbortError') return;
      shown.key = '';
      if (e.parameter) {
        const input = { from: '#from', to: '#to', [st.role]: '#q' }[e.parameter];
        if (input) $(input).classList.add('invalid');
      }
      setState('error', e.message);
    }
  }

  async function more() {
    if (!shown.next) return;
    const st = readState();
    setState('loading');
    try {
      const res = await api(shown.key + '&cursor=' + encodeURIComponent(shown.next));
      shown.events = shown.events.concat(res.data);
      shown.next = res.meta.next;
      drawResults(st);
      setState('ready');
    } catch (e) {
      setState('error', e.message);
    }
  }

  function drawResults(st) {
    const ev = shown.events;
    let msg = fmt(shown.total) + (st.group ? ' real-world' : '') +
      (shown.total === 1 ? ' event' : ' events');
    if (ev.length < shown.total) msg += ' (the first ' + fmt(ev.length) + ' shown)';
    if (st.q) msg += ' with ' + st.q + ' as ' + $('#role').selectedOptions[0].textContent;
    $('#status').textContent = msg;
    /* a bookmark or a tab says what it shows */
    document.title = (st.q ? st.q + ' · ' : '') + 'hadath · events from Arabic news';
    drawResolved(st);
    drawTimeline(ev);
    drawNetwork(ev, st);
    drawList(ev);
    $('#more').hidden = !shown.next;
  }

  function resolvedEntities() {
    const ents = [];
    for (const r of shown.resolved || []) for (const e of r.entities) ents.push(e);
    return ents;
  }

  /* What the query named: a chip per entity (with several, each narrows the
   * search to itself). */
  function drawResolved(st) {
    const box = $('#resolved');
    box.replaceChildren();
    if (!st.q || !shown.resolved) return;
    const ents = resolvedEntities();
    if (!ents.length) {
      box.append(h('span', { class: 'none' }, 'No entity is called “' + st.q + '”.'));
      return;
    }
    const several = ents.length > 1;
    box.append(h('span', { class: 'lead' }, st.q + (several ? ' is any of' : ' is')));
    for (const e of ents)
      box.append(h('a', { class: 'entity e-' + e.type, 'data-id': e.id,
        href: several ? hashOf(Object.assign({}, st, { q: e.id, article: '' })) : null,
        title: e.type + (e.country ? ', ' + e.country : '') + (e.wikidata ? ', ' + e.wikidata : '') +
          (several ? ': only this one' : '') },
      h('span', { class: 'name' }, e.name), ' ',
      h('span', { class: 'ar', lang: 'ar', dir: 'rtl' }, e.name_ar || '')));
  }

  /* With one entity named, what the store knows of it: counts, the
   * spellings it was found under, the names most often beside it. */
  async function drawCard(st, signal) {
    const box = $('#card');
    box.replaceChildren();
    box.hidden = true;
    const ents = resolvedEntities();
    if (!st.q || ents.length !== 1) return;
    const e = await api('entities/' + encodeURIComponent(ents[0].id), signal);
    const facts = [e.type, e.country, fmt(e.mentions) + (e.mentions === 1 ? ' mention' : ' mentions') +
      ' in ' + fmt(e.articles) + (e.articles === 1 ? ' article' : ' articles')].filter(Boolean);
    const aliases = (e.aliases || []).slice(0, 12);
    const related = (e.related || []).slice(0, 8);
    box.append(
      h('p', { class: 'facts' }, facts.join(' · '),
        e.wikidata ? [' · ', h('a', { href: 'https://www.wikidata.org/wiki/' + e.wikidata,
          rel: 'noopener noreferrer', target: '_blank' }, 'Wikidata ' + e.wikidata)] : ''),
      aliases.length ? h('p', { class: 'aliases' }, h('span', { class: 'lead' }, 'written as '),
        aliases.map((a, i) => [i ? ' · ' : '', h('span', a.script === 'ar'
          ? { lang: 'ar', dir: 'rtl' } : {}, a.text)])) : '',
      related.length ? h('p', { class: 'related' }, h('span', { class: 'lead' }, 'often with '),
        related.map((r, i) => [i ? ', ' : '', h('a', { class: 'who e-' + r.type,
          href: hashOf(Object.assign({}, st, { q: r.id, article: '' })),
          title: (arabicNames ? r.name : r.name_ar || '') + ' · in ' + r.sentences +
            ' sentences together', dir: 'auto' }, nm(r))])) : '');
    box.hidden = false;
  }

  /* ---- the timeline ---- */

  /* One event's mark between x0 and x1 (equal for a day) at y, h high: a dot
   * for a day, a bar for a month or a year; the modality is its outline. */
  function mark(e, x0, x1, y, hgt) {
    const g = s('g', { class: 'mark t-' + e.type + ' m-' + e.modality });
    const point = x1 - x0 < 1;
    if (point) g.append(s('circle', { cx: x0, cy: y, r: hgt / 2 + 0.5 }));
    else g.append(s('rect', { x: x0, y: y - hgt / 2, width: x1 - x0, height: hgt, rx: 2 }));
    if (e.modality === 'negated') {
      const a = point ? x0 - hgt / 2 : x0, b = point ? x0 + hgt / 2 : x1;
      g.append(s('line', { class: 'strike', x1: a, y1: y + hgt / 2, x2: b, y2: y - hgt / 2 }));
    }
    return g;
  }

  function ticks(t0, t1, width) {
    const span = t1 - t0, max = Math.max(2, Math.floor(width / 80));
    const steps = [[1, 'day'], [7, 'day'], [1, 'month'], [3, 'month'], [6, 'month'],
      [1, 'year'], [2, 'year'], [5, 'year'], [10, 'year'], [25, 'year'], [50, 'year']];
    let step = steps[steps.length - 1];
    for (const st of steps) {
      const len = st[1] === 'day' ? st[0] * DAY : st[1] === 'month' ? st[0] * 30.4 * DAY
        : st[0] * 365.25 * DAY;
      if (span / len <= max) { step = st; break; }
    }
    const out = [];
    const d = new Date(t0);
    let t;
    if (step[1] === 'day') t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    else if (step[1] === 'month')
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % step[0]), 1);
    else t = Date.UTC(d.getUTCFullYear() - (d.getUTCFullYear() % step[0]), 0, 1);
    for (let i = 0; t <= t1 && i < 200; i++) {
      const x = new Date(t);
      if (t >= t0) {
        const text = step[1] === 'year' ? String(x.getUTCFullYear())
          : step[1] === 'month' ? (x.getUTCMonth() === 0 || out.length === 0
            ? MONTHS[x.getUTCMonth()] + ' ' + x.getUTCFullYear() : MONTHS[x.getUTCMonth()])
            : x.getUTCDate() + ' ' + MONTHS[x.getUTCMonth()];
        /* the period a click narrows to: from this tick to the next, in
         * the tick's own unit */
        const n = step[0] - 1, y = x.getUTCFullYear(), m = x.getUTCMonth();
        const period = step[1] === 'year' ? [String(y), String(y + n)]
          : step[1] === 'month' ? [x.toISOString().slice(0, 7),
            new Date(Date.UTC(y, m + n, 1)).toISOString().slice(0, 7)]
            : [x.toISOString().slice(0, 10), new Date(t + n * DAY).toISOString().slice(0, 10)];
        out.push([t, text, period]);
      }
      if (step[1] === 'day') t += step[0] * DAY;
      else if (step[1] === 'month')
        t = Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + step[0], 1);
      else t = Date.UTC(x.getUTCFullYear() + step[0], 0, 1);
    }
    return out;
  }

  function drawTimeline(events) {
    const box = $('#timeline .chart');
    const dated = events.filter((e) => e.date && e.date.start && !isNaN(parseDay(e.date.start)));
    const undated = events.length - dated.length;
    $('#timeline .undated').textContent = undated
      ? fmt(undated) + (undated === 1 ? ' event has' : ' events have') +
        ' no date the text gives; ' + (undated === 1 ? 'it is' : 'they are') +
        ' in the list but not on the timeline.' : '';
    drawLegend(events);
    if (!dated.length) {
      box.replaceChildren(h('p', { class: 'empty' }, events.length ? 'No dated events.' : ''));
      return;
    }
    const items = dated.map((e) => {
      const a = parseDay(e.date.start);
      const b = e.date.end ? parseDay(e.date.end) + DAY : a + DAY; /* end is inclusive */
      return { e, a, b: isNaN(b) ? a + DAY : b };
    });
    let t0 = Math.min(...items.map((i) => i.a)), t1 = Math.max(...items.map((i) => i.b));
    if (t1 - t0 < 60 * DAY) { const mid = (t0 + t1) / 2; t0 = mid - 30 * DAY; t1 = mid + 30 * DAY; }
    const pad = (t1 - t0) * 0.03;
    t0 -= pad; t1 += pad;
    const W = Math.max(560, box.clientWidth || 900), left = 120, right = 16;
    const x = (t) => left + ((t - t0) / (t1 - t0)) * (W - left - right);
    const ROW = 16, MARK = 10, MAXROWS = 8;
    /* one lane per type present, each packed into as few rows as overlap allows */
    const lanes = TYPES.filter((t) => items.some((i) => i.e.type === t));
    let y = 8;
    const placed = [], laneBoxes = [];
    for (const t of lanes) {
      const rows = [];
      const mine = items.filter((i) => i.e.type === t).sort((p, q) => p.a - q.a || q.b - p.b);
      for (const it of mine) {
        const point = it.e.date.precision === 'day' && it.b - it.a <= DAY;
        const x0 = point ? x((it.a + it.b) / 2) : x(it.a), x1 = point ? x0 : Math.max(x(it.b), x0 + 3);
        const lo = point ? x0 - MARK / 2 : x0, hi = point ? x0 + MARK / 2 : x1;
        let r = rows.findIndex((end) => end + 2 <= lo);
        if (r < 0 && rows.length < MAXROWS) { r = rows.length; rows.push(0); }
        /* a crowded lane overlaps its marks rather than grow without end */
        if (r < 0) r = rows.indexOf(Math.min(...rows));
        rows[r] = hi;
        placed.push({ it, x0, x1, y: y + r * ROW + ROW / 2 });
      }
      laneBoxes.push({ t, y, h: rows.length * ROW });
      y += rows.length * ROW + 6;
    }
    const H = y + 26;
    const svg = s('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-label': 'Timeline of ' + dated.length + ' dated events' });
    const axis = s('g', { class: 'axis' });
    for (const [t, text, period] of ticks(t0, t1, W - left - right)) {
      const tick = s('g', { class: 'tick zoom', transform: 'translate(' + x(t).toFixed(1) + ',0)' },
        s('line', { y1: 0, y2: H - 20 }), s('text', { y: H - 6 }, text),
        s('title', null, 'Narrow to ' + (period[0] === period[1] ? period[0]
          : period[0] + ' – ' + period[1])));
      tick.addEventListener('click', () => go({ from: period[0], to: period[1], article: '' }));
      axis.append(tick);
    }
    svg.append(axis);
    for (const lb of laneBoxes)
      svg.append(s('g', { class: 'lane' },
        s('rect', { x: 0, y: lb.y - 2, width: W, height: lb.h + 4 }),
        s('text', { x: 6, y: lb.y + lb.h / 2 + 4 }, label(lb.t))));
    for (const p of placed) {
      const e = p.it.e;
      const g = mark(e, p.x0, p.x1, p.y, MARK);
      g.classList.add('ev', 'p-' + e.date.precision);
      g.setAttribute('data-id', e.id);
      g.setAttribute('data-type', e.type);
      g.setAttribute('data-modality', e.modality);
      g.setAttribute('data-precision', e.date.precision);
      g.setAttribute('tabindex', '0');
      g.append(s('title', null, label(e.type) + ' (' + e.modality + '), ' + dateLabel(e.date) +
        ': ' + who(e)));
      g.addEventListener('click', () => focusEvent(e.id));
      g.addEventListener('keydown', (k) => { if (k.key === 'Enter') focusEvent(e.id); });
      svg.append(g);
    }
    box.replaceChildren(svg);
  }

  function drawLegend(events) {
    const present = TYPES.filter((t) => events.some((e) => e.type === t));
    $('#legend').replaceChildren(...present.map((t) =>
      h('span', { class: 'key' }, h('span', { class: 'swatch t-' + t }), label(t))),
    present.length ? h('span', { class: 'key note' },
      'dot: a day · bar: the month or year the text gives · click a date on the axis to narrow to it') : '');
  }

  function who(e) {
    const names = (xs) => xs.map(nm).join(', ');
    let t = names(e.actors) || '?';
    if (e.targets.length) t += ' → ' + names(e.targets);
    if (e.location) t += ' in ' + nm(e.location);
    return t;
  }

  function focusEvent(id) {
    const li = $('#events li[data-id="' + id + '"]');
    if (!li) return;
    li.scrollIntoView({ block: 'center', behavior: 'smooth' });
    li.classList.remove('flash');
    void li.offsetWidth; /* restart the animation */
    li.classList.add('flash');
  }

  /* ---- the network ---- */

  function drawNetwork(events, st) {
    const box = $('#network .chart');
    const nodes = new Map(), links = new Map();
    const node = (p) => {
      if (!nodes.has(p.id)) nodes.set(p.id, { id: p.id, name: p.name, name_ar: p.name_ar,
        type: p.type, deg: 0 });
      return nodes.get(p.id);
    };
    for (const e of events)
      for (const a of e.actors)
        for (const t of e.targets) {
          if (a.id === t.id) continue;
          node(a).deg++;
          node(t).deg++;
          const k = a.id + '\u0000' + t.id;
          if (!links.has(k)) links.set(k, { source: a.id, target: t.id, n: 0, types: new Set() });
          const l = links.get(k);
          l.n++;
          l.types.add(e.type);
        }
    if (!nodes.size || typeof d3 === 'undefined' || !d3.forceSimulation) {
      box.replaceChildren(h('p', { class: 'empty' },
        nodes.size ? 'The network needs d3-force, which did not load.'
          : events.length ? 'No event here has both an actor and a target.' : ''));
      return;
    }
    /* the busiest 60 names; more makes a hairball */
    let ns = [...nodes.values()].sort((a, b) => b.deg - a.deg || a.id.localeCompare(b.id));
    const cut = ns.length > 60;
    ns = ns.slice(0, 60);
    const keep = new Set(ns.map((n) => n.id));
    const ls = [...links.values()].filter((l) => keep.has(l.source) && keep.has(l.target));
    const W = Math.max(320, box.clientWidth || 520), H = Math.max(320, Math.min(560, 160 + ns.length * 18));
    const radius = (n) => 5 + Math.sqrt(n.deg) * 2.5;
    /* laid out to rest before drawing: the same events always give the same picture */
    const sim = d3.forceSimulation(ns)
      .force('link', d3.forceLink(ls).id((n) => n.id).distance(70))
      .force('charge', d3.forceManyBody().strength(-320))
      .force('x', d3.forceX(W / 2).strength(0.035))
      .force('y', d3.forceY(H / 2).strength(0.06))
      .force('collide', d3.forceCollide((n) => radius(n) + 16))
      .stop();
    for (let i = 0; i < 300; i++) sim.tick();
    for (const n of ns) {
      n.x = Math.max(radius(n) + 4, Math.min(W - radius(n) - 4, n.x));
      n.y = Math.max(radius(n) + 4, Math.min(H - radius(n) - 16, n.y));
    }
    const queried = new Set();
    if (shown.resolved) for (const r of shown.resolved) for (const e of r.entities) queried.add(e.id);
    const svg = s('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-label': 'Network of ' + ns.length + ' actors and targets' },
    /* in the drawing's units: a wide edge keeps a head of the same size */
    s('defs', null, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5,
      markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
    s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));
    for (const l of ls) {
      const a = l.source, b = l.target;
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy) || 1;
      /* from rim to rim, so the arrowhead is not under the target's disc */
      const x1 = a.x + (dx / d) * radius(a), y1 = a.y + (dy / d) * radius(a);
      const x2 = b.x - (dx / d) * (radius(b) + 2), y2 = b.y - (dy / d) * (radius(b) + 2);
      svg.append(s('line', { class: 'edge', x1, y1, x2, y2, 'marker-end': 'url(#arrow)',
        'stroke-width': Math.min(6, 1 + Math.log2(l.n)).toFixed(1),
        'data-source': a.id, 'data-target': b.id },
      s('title', null, nm(a) + ' → ' + nm(b) + ': ' + l.n + (l.n === 1 ? ' event (' : ' events (') +
        [...l.types].map(label).join(', ') + ')')));
    }
    for (const n of ns) {
      const g = s('g', { class: 'node e-' + n.type + (queried.has(n.id) ? ' queried' : ''),
        'data-id': n.id, transform: 'translate(' + n.x.toFixed(1) + ',' + n.y.toFixed(1) + ')',
        tabindex: '0' },
      s('circle', { r: radius(n).toFixed(1) }),
      s('text', { y: radius(n) + 12 }, nm(n)),
      s('title', null, n.name + (n.name_ar ? ' · ' + n.name_ar : '') + ' (' + n.type + '), ' +
        n.deg + (n.deg === 1 ? ' event' : ' events')));
      const search = () => go({ q: n.id, article: '' });
      g.addEventListener('click', search);
      /* pointing at a name picks its events out on the timeline */
      g.addEventListener('mouseenter', () => spotlight(n.id));
      g.addEventListener('mouseleave', () => spotlight(null));
      g.addEventListener('keydown', (k) => { if (k.key === 'Enter') search(); });
      svg.append(g);
    }
    box.replaceChildren(svg);
    if (cut) box.append(h('p', { class: 'hint' }, 'The 60 most connected of ' + nodes.size + ' names.'));
  }

  /* Fades the timeline's marks of events entity id takes no part in; null
   * shows them all again. */
  function spotlight(id) {
    const part = new Map(shown.events.map((e) => [String(e.id),
      e.actors.some((p) => p.id === id) || e.targets.some((p) => p.id === id) ||
      (e.location && e.location.id === id)]));
    for (const m of $$('#timeline .ev'))
      m.classList.toggle('faded', id !== null && !part.get(m.dataset.id));
  }

  /* ---- the event list ---- */

  /* The sentence with the trigger marked: its place is trigger_span less the
   * sentence's start, both in code points; a search for the word if the
   * spans are missing. */
  function evidence(e) {
    const p = h('p', { class: 'evidence', dir: 'rtl', lang: 'ar' });
    const text = e.sentence || '';
    const cps = Array.from(text);
    let a = -1, b = -1;
    if (e.sentence_span && e.trigger_span) {
      a = e.trigger_span[0] - e.sentence_span[0];
      b = e.trigger_span[1] - e.sentence_span[0];
      if (a < 0 || b > cps.length || b <= a) a = b = -1;
    }
    if (a < 0 && e.trigger) {
      const i = text.indexOf(e.trigger);
      if (i >= 0) {
        a = Array.from(text.slice(0, i)).length;
        b = a + Array.from(e.trigger).length;
      }
    }
    if (a < 0) p.append(text);
    else p.append(cps.slice(0, a).join(''), h('mark', { class: 'trigger' }, cps.slice(a, b).join('')),
      cps.slice(b).join(''));
    return p;
  }

  function party(xs) {
    return xs.map((p, i) => [i ? ', ' : '',
      h('a', { href: hashOf(Object.assign(readState(), { q: p.id, article: '' })),
        class: 'who e-' + p.type, title: (arabicNames ? p.name : p.name_ar || '') + ' (' + p.type + ')',
        dir: 'auto' }, nm(p))]);
  }

  function drawList(events) {
    const st = readState();
    $('#events').replaceChildren(...events.map((e) => {
      const link = hashOf(Object.assign({}, st, { article: String(e.article.id) }));
      return h('li', { class: 'event', 'data-id': e.id, 'data-type': e.type,
        'data-modality': e.modality },
      h('div', { class: 'head' },
        h('span', { class: 'type t-' + e.type }, label(e.type)),
        e.modality !== 'asserted'
          ? h('span', { class: 'modality m-' + e.modality, title: MODALITY_HELP[e.modality] || '' },
            e.modality) : '',
        h('span', { class: 'date p-' + e.date.precision,
          title: e.date.precision === 'unknown' ? 'no date the text gives'
            : 'precise to the ' + e.date.precision }, dateLabel(e.date)),
        e.date.text ? h('span', { class: 'datetext', lang: 'ar', dir: 'rtl' }, e.date.text) : '',
        e.cluster && e.cluster.reports > 1
          ? h('span', { class: 'reports', title: 'articles reporting this event' },
            e.cluster.reports + ' reports') : ''),
      h('div', { class: 'parties' },
        e.actors.length ? party(e.actors) : h('span', { class: 'unknown' }, 'someone'),
        e.targets.length ? [' → ', party(e.targets)] : '',
        e.location ? [' in ', party([e.location])] : ''),
      evidence(e),
      h('a', { class: 'article-link', href: link, dir: 'auto' }, e.article.title || e.article.file));
    }));
  }

  /* ---- the article view ---- */

  async function showArticle(st, signal) {
    const a = await api('articles/' + st.article, signal);
    const view = $('#article-view');
    $('h2', view).textContent = a.title || a.file;
    $('.meta', view).textContent = [a.source, a.published && 'published ' + a.published +
      (a.published_source === 'inferred' ? ' (inferred)' : ''), a.file,
    a.events.length + (a.events.length === 1 ? ' event' : ' events')].filter(Boolean).join(' · ');
    $('.close', view).setAttribute('href', hashOf(Object.assign({}, st, { article: '' })));
    const names = new Map(a.entities.map((e) => [e.id, e]));
    /* mentions first; adjectives of place (modifiers) and triggers where
     * they do not overlap one */
    const spans = [];
    const taken = [];
    const free = (x, y) => !taken.some(([p, q]) => x < q && p < y);
    for (const m of a.mentions) {
      spans.push({ a: m.start, b: m.end, kind: 'mention', entity: m.entity });
      taken.push([m.start, m.end]);
    }
    for (const m of a.modifiers || [])
      if (free(m.start, m.end)) {
        spans.push({ a: m.start, b: m.end, kind: 'modifier', entity: m.entity });
        taken.push([m.start, m.end]);
      }
    for (const e of a.events)
      if (e.trigger_span && free(e.trigger_span[0], e.trigger_span[1])) {
        spans.push({ a: e.trigger_span[0], b: e.trigger_span[1], kind: 'trigger', event: e });
        taken.push(e.trigger_span);
      }
    spans.sort((p, q) => p.a - q.a);
    const cps = Array.from(a.text);
    const out = [];
    let at = 0;
    for (const sp of spans) {
      if (sp.a < at || sp.b > cps.length) continue;
      out.push(cps.slice(at, sp.a).join(''));
      const words = cps.slice(sp.a, sp.b).join('');
      if (sp.kind === 'trigger') {
        out.push(h('mark', { class: 'trigger t-' + sp.event.type, 'data-event': sp.event.id,
          title: label(sp.event.type) + ' (' + sp.event.modality + '): ' + who(sp.event) }, words));
      } else {
        const ent = names.get(sp.entity) || { name: sp.entity, type: 'entity' };
        const m = h('mark', { class: sp.kind + ' e-' + ent.type, 'data-entity': sp.entity,
          title: nm(ent) + ' (' + ent.type + ')' }, words);
        m.addEventListener('click', () => go({ q: sp.entity, article: '' }));
        out.push(m);
      }
      at = sp.b;
    }
    out.push(cps.slice(at).join(''));
    $('.text', view).replaceChildren(...out);
    $('#mention-key').replaceChildren(...a.entities.map((e) =>
      h('a', { class: 'entity e-' + e.type, 'data-id': e.id,
        href: hashOf(Object.assign({}, st, { q: e.id, article: '' })) },
      h('span', { class: 'name' }, e.name), ' ',
      h('span', { class: 'ar', lang: 'ar', dir: 'rtl' }, e.name_ar || ''),
      h('span', { class: 'n' }, String(e.mentions)))));
    view.hidden = false;
    $('#results').hidden = true;
    $('#filters').hidden = true;
    window.scrollTo(0, 0);
  }

  function hideArticle() {
    $('#article-view').hidden = true;
    $('#results').hidden = false;
    $('#filters').hidden = false;
  }

  /* ---- start ---- */

  /* The event types and modalities as the API documents them, read beside
   * the first search, not before it; the filters are built again if they
   * differ from the lists above. */
  async function readContract() {
    try {
      const doc = await api('openapi.json');
      const sch = doc.components.schemas;
      const mod = sch.Event && sch.Event.properties.modality;
      const ref = mod && mod.$ref ? sch[mod.$ref.split('/').pop()] : mod;
      const types = sch.EventType && sch.EventType.enum;
      const mods = ref && ref.enum;
      if (!Array.isArray(types) || !Array.isArray(mods) ||
          (types.join() === TYPES.join() && mods.join() === MODALITIES.join()))
        return;
      TYPES = types;
      MODALITIES = mods;
      buildFilters();
      showFilters(readState());
    } catch (e) {
      /* the lists above stand */
    }
  }

  function start() {
    buildFilters();
    const q = $('#q');
    q.addEventListener('input', () => {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(suggest, 120);
    });
    q.addEventListener('keydown', (k) => {
      if (k.key === 'ArrowDown') { moveActive(1); k.preventDefault(); }
      else if (k.key === 'ArrowUp') { moveActive(-1); k.preventDefault(); }
      else if (k.key === 'Escape') closeSuggest();
      else if (k.key === 'Enter' && active >= 0) {
        k.preventDefault();
        pick($$('#suggest li')[active]);
      }
    });
    q.addEventListener('blur', () => setTimeout(closeSuggest, 150));
    $('#suggest').addEventListener('mousedown', (ev) => {
      const li = ev.target.closest('li');
      if (li) { ev.preventDefault(); pick(li); }
    });
    $('#search').addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearTimeout(suggestTimer);
      if (suggestAbort) suggestAbort.abort();
      closeSuggest();
      go({ q: q.value.trim(), role: $('#role').value, article: '' });
    });
    $('#role').addEventListener('change', () => go({ role: $('#role').value, article: '' }));
    $('#filters').addEventListener('change', (ev) => {
      if (ev.target.matches('input')) filtersChanged();
    });
    $('#clear').addEventListener('click', () =>
      go({ type: [], modality: [], from: '', to: '', group: false, article: '' }));
    $('#more').addEventListener('click', more);
    $('#names').addEventListener('click', () =>
      go({ names: readState().names === 'ar' ? 'en' : 'ar' }));
    window.addEventListener('hashchange', route);
    /* "/" jumps to the search box, as on most sites with one */
    document.addEventListener('keydown', (k) => {
      if (k.key === '/' && !k.target.closest('input, select, textarea')) {
        k.preventDefault();
        q.focus();
        q.select();
      }
    });
    let width = window.innerWidth;
    window.addEventListener('resize', () => {
      if (Math.abs(window.innerWidth - width) < 40 || !shown.events) return;
      width = window.innerWidth;
      drawTimeline(shown.events);
      drawNetwork(shown.events, readState());
    });
    route();
    readContract();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
