// imr web UI: hash routes (#/search, #/stats, #/letter/KEY, #/signin), one view at a time.
import { api, token, setToken } from './api.js';
import { barChart, columnChart } from './charts.js';
import { casesModule } from './cases.js';

const view = document.getElementById('view');

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

// "[term]" in a snippet marks a matched word; everything else is text (never HTML).
function marked(snippet) {
  const out = [];
  let rest = snippet;
  for (;;) {
    const a = rest.indexOf('['), b = a < 0 ? -1 : rest.indexOf(']', a + 1);
    if (a < 0 || b < 0) { out.push(rest); break; }
    out.push(rest.slice(0, a), h('mark', {}, rest.slice(a + 1, b)));
    rest = rest.slice(b + 1);
  }
  return out;
}

function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, err.field ? `${err.field}: ${err.message}` : err.message);
}
const pct = v => (100 * v).toFixed(1) + '%';

function hashParams() {
  const q = location.hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : location.hash.slice(q + 1));
}

// ---- search
const FILTERS = [
  ['decision', 'Decision', 'select', ['', 'upheld', 'overturned']],
  ['category', 'Category', 'text', 'e.g. Injections, Opioids'],
  ['guideline', 'Guideline', 'text', 'e.g. MTUS, ODG'],
  ['specialty', 'Reviewer specialty', 'text', 'e.g. Orthopedic Surgery'],
  ['from', 'Decided from', 'date'],
  ['to', 'Decided to', 'date'],
];

function filterFields(p) {
  return FILTERS.map(([name, label, kind, extra]) => {
    const input = kind === 'select'
      ? h('select', { name, id: 'f-' + name }, extra.map(o => h('option', { value: o, selected: p.get(name) === o }, o || 'any')))
      : h('input', { name, id: 'f-' + name, type: kind, placeholder: extra, value: p.get(name) || '' });
    return h('label', { class: 'field' }, label, input);
  });
}

async function searchView() {
  const p = hashParams();
  const form = h('form', { class: 'search', id: 'search-form', onsubmit: e => {
    e.preventDefault();
    const data = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) data.set(k, v);
    location.hash = '#/search?' + data.toString();
  } },
    h('div', { class: 'row' },
      h('input', { name: 'q', id: 'q', type: 'search', placeholder: 'Search requests, rationales, summaries — e.g. lumbar epidural', value: p.get('q') || '', 'aria-label': 'Search words', required: true }),
      h('button', { type: 'submit' }, 'Search')),
    h('details', { open: [...p.keys()].some(k => k !== 'q') || undefined }, h('summary', {}, 'Filters'), h('div', { class: 'filters' }, filterFields(p))));
  const results = h('section', { id: 'results', 'aria-live': 'polite' });
  view.replaceChildren(h('h1', {}, 'Search determinations'), form, results);
  if (!p.get('q')) { results.append(h('p', { class: 'hint' }, 'Type words above; every word must occur. Matches are highlighted.')); return; }
  try {
    const params = Object.fromEntries(p); params.limit = 50;
    const r = await api('/api/search', params);
    if (!r.hits.length) { results.append(h('p', {}, 'No matches.')); return; }
    results.append(h('p', { class: 'hint' }, `${r.hits.length} best matches`),
      h('ol', { class: 'hits' }, r.hits.map(hit => h('li', { class: 'hit' },
        h('div', { class: 'hit-head' },
          h('a', { href: `#/letter/${encodeURIComponent(hit.letter_key)}?item=${hit.item}` }, hit.case_number || hit.letter_key),
          h('span', { class: 'badge ' + hit.decision }, hit.decision),
          h('span', { class: 'cat' }, hit.category)),
        h('div', { class: 'req' }, hit.request),
        h('p', { class: 'snippet' }, marked(hit.snippet))))));
  } catch (err) { results.append(errorBox(err)); }
}

// ---- statistics
async function statsView() {
  const p = hashParams();
  const form = h('form', { class: 'search', onsubmit: e => {
    e.preventDefault();
    const data = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) data.set(k, v);
    location.hash = '#/stats?' + data.toString();
  } }, h('details', { open: [...p.keys()].length > 0 || undefined }, h('summary', {}, 'Filters'),
    h('div', { class: 'filters' }, filterFields(p), h('button', { type: 'submit' }, 'Apply'))));
  const body = h('section', { id: 'dashboard', class: 'dashboard' });
  view.replaceChildren(h('h1', {}, 'Statistics'), form, body);
  const filters = Object.fromEntries(p);
  try {
    const [cat, guide, month] = await Promise.all([
      api('/api/stats', { ...filters, by: 'category' }),
      api('/api/stats', { ...filters, by: 'guideline' }),
      api('/api/stats', { ...filters, by: 'month' })]);
    const rate = g => g.items ? g.upheld / g.items : 0;
    body.append(
      h('div', { class: 'totals' },
        h('div', { class: 'tile' }, h('b', {}, cat.letters.toLocaleString()), 'letters'),
        h('div', { class: 'tile' }, h('b', {}, cat.items.toLocaleString()), 'disputed items'),
        h('div', { class: 'tile' }, h('b', {}, pct(cat.items ? cat.upheld / cat.items : 0)), 'upheld'),
        h('div', { class: 'tile' }, h('b', {}, cat.overturned.toLocaleString()), 'overturned')),
      h('figure', { class: 'card', id: 'chart-category' }, h('figcaption', {}, 'Uphold rate by category'),
        barChart(cat.groups.map(g => ({ label: g.key, value: rate(g), note: `${g.upheld} of ${g.items}` })), { max: 1, format: pct, title: 'Uphold rate by category' })),
      h('figure', { class: 'card', id: 'chart-guideline' }, h('figcaption', {}, 'Uphold rate by guideline cited (top 12)'),
        barChart(guide.groups.slice(0, 12).map(g => ({ label: g.key.replace(/^(MTUS|ODG|ACOEM)\//, '$1 '), value: rate(g), note: `${g.upheld} of ${g.items}` })), { max: 1, format: pct, title: 'Uphold rate by guideline' })),
      h('figure', { class: 'card', id: 'chart-month' }, h('figcaption', {}, 'Uphold rate by month'),
        columnChart(month.groups.filter(g => g.key !== '(none)').sort((a, b) => a.key.localeCompare(b.key)).map(g => ({ label: g.key, value: rate(g) })), { format: pct, title: 'Uphold rate by month' })),
      h('figure', { class: 'card', id: 'chart-volume' }, h('figcaption', {}, 'Items decided per month'),
        columnChart(month.groups.filter(g => g.key !== '(none)').sort((a, b) => a.key.localeCompare(b.key)).map(g => ({ label: g.key, value: g.items })), { format: v => Math.round(v).toLocaleString(), title: 'Volume by month' })),
      h('figure', { class: 'card', id: 'chart-volume-category' }, h('figcaption', {}, 'Items by category'),
        barChart(cat.groups.map(g => ({ label: g.key, value: g.items })), { format: v => v.toLocaleString(), title: 'Items by category' })));
  } catch (err) { body.append(errorBox(err)); }
}

// ---- letter
function kv(rows) {
  return h('dl', { class: 'kv' }, rows.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, Array.isArray(v) ? v.join(', ') : String(v))]));
}

async function letterView(key) {
  view.replaceChildren(h('p', {}, 'Loading…'));
  try {
    const l = await api('/api/letters/' + encodeURIComponent(key));
    const r = l.record;
    const focus = Number(hashParams().get('item') ?? -1);
    const items = r.items.map((it, k) => h('article', { class: 'item' + (k === focus ? ' focus' : ''), id: 'item-' + k },
      h('h3', {}, `Item ${k + 1}: `, h('span', { class: 'badge ' + it.decision }, it.decision)),
      h('p', { class: 'req' }, it.request),
      kv([['Category', l.items[k] && `${l.items[k].category} / ${l.items[k].subcategory}`], ['Body region', l.items[k]?.body_region],
          ['Guidelines cited', l.items[k]?.guidelines], ['Original request', it.original_request], ['Authorized', it.authorized_portion]]),
      it.rationale ? h('details', {}, h('summary', {}, 'Decision rationale'), h('p', {}, it.rationale)) : null));
    view.replaceChildren(
      h('h1', {}, r.case_number || l.key, l.redacted ? h('span', { class: 'badge redacted', title: 'Public view: no reviewer identity, names masked' }, 'redacted') : null),
      h('div', { class: 'letter' },
        h('section', { class: 'record card', id: 'record' }, h('h2', {}, 'Record'),
          kv([['Decision date', r.decision_date], ['Date assigned', r.date_assigned], ['Date of injury', r.date_of_injury],
              ['UR denial', r.ur_denial_date], ['Priority', r.priority], ['Patient', [r.patient?.age, r.patient?.sex].filter(Boolean).join(' ')],
              ['Reviewer specialties', r.reviewer?.specialties], ['Licensed in', r.reviewer?.licensure_states]]),
          items),
        h('section', { class: 'original card', id: 'original' }, h('h2', {}, l.text_origin === 'source' ? 'Original text' : 'Letter text'),
          h('pre', {}, l.text))));
    if (focus >= 0) document.getElementById('item-' + focus)?.scrollIntoView({ block: 'nearest' });
  } catch (err) { view.replaceChildren(h('h1', {}, 'Letter'), errorBox(err)); }
}

// ---- sign in
function signinView() {
  const input = h('input', { type: 'password', id: 'token', autocomplete: 'off', placeholder: 'imr_…' });
  const msg = h('p', { 'aria-live': 'polite' });
  view.replaceChildren(h('h1', {}, 'Sign in'),
    h('p', { class: 'hint' }, 'Without a token you see the public view: statistics and redacted letters. Staff paste the API token they were given (imr token create).'),
    h('form', { class: 'search', onsubmit: async e => {
      e.preventDefault(); setToken(input.value.trim());
      try { const s = await refreshWho(); msg.replaceChildren(`Signed in as ${s.name} (${s.role}).`); }
      catch (err) { setToken(''); msg.replaceChildren(errorBox(err)); refreshWho(); }
    } }, h('div', { class: 'row' }, input, h('button', { type: 'submit' }, 'Sign in'))),
    token() ? h('button', { class: 'link', onclick: () => { setToken(''); refreshWho(); msg.replaceChildren('Signed out.'); } }, 'Sign out') : null,
    msg);
}

let session = { role: 'public' };
async function refreshWho() {
  const who = document.getElementById('who');
  try {
    const s = await api('/api/session');
    session = s;
    document.getElementById('cases-link').hidden = s.role === 'public';
    who.textContent = s.role === 'public' ? 'public view' : `${s.name} · ${s.role}`;
    return s;
  } catch (err) { who.textContent = 'public view'; throw err; }
}

function route() {
  const path = location.hash.replace(/^#/, '').split('?')[0] || '/search';
  const [, page, arg] = path.split('/');
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === page);
  if (page === 'stats') return statsView();
  if (page === 'letter' && arg) return letterView(decodeURIComponent(arg));
  if (page === 'signin') return signinView();
  const cases = casesModule(h, errorBox);
  if (page === 'cases') return cases.dashboard(view, session);
  if (page === 'case' && arg) return cases.workspace(view, decodeURIComponent(arg), session);
  return searchView();
}

window.addEventListener('hashchange', route);
refreshWho().catch(() => {}).finally(route);
