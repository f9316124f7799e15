// The riskline analyst page. Plain ES module, no framework; it uses only the public /api/v1.
//
// State lives in `state`; the location hash (#/TICKER/EVENT?filters) mirrors the view so a
// reload or a shared link opens the same company, filters and event.

const API = '/api/v1';
const KEY_STORAGE = 'riskline.apiKey';
const PAGE_SIZE = 100;
const DAY = 86_400_000;
const MIN_SPAN = 7 * DAY;
const MAX_SPAN = 80 * 365.25 * DAY;
const KINDS = ['lawsuit', 'regulatory_action', 'service_halt'];
const KIND_LABEL = { lawsuit: 'Lawsuit', regulatory_action: 'Regulatory action', service_halt: 'Service halt' };
const FILTERS = ['kind', 'action', 'from', 'to', 'tag', 'review', 'min_confidence'];
const WRITE_ROLES = new Set(['analyst', 'admin']);
/** Above this many bytes a document is shown as excerpts around its evidence. */
const FULL_TEXT_LIMIT = 12_000;
const CONTEXT_BYTES = 900;

const state = {
  key: null,
  who: null, // {name, role}
  ticker: null,
  company: null,
  filters: {},
  items: [],
  cursor: null,
  view: null, // {t0, t1} in ms
  eventId: null,
  detail: null,
  history: [],
  tags: [],
  seq: 0, // guards against answers to superseded requests
  eventSeq: 0,
};

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
const canWrite = () => WRITE_ROLES.has(state.who?.role);

// ---------------------------------------------------------------------------------------
// DOM helpers

const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected']);

/** Creates an HTML element; `on*` props become listeners; children may be strings or arrays. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** Creates an SVG element. */
function s(tag, props = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setProps(el, props);
  append(el, children);
  return el;
}

function setProps(el, props) {
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (PROPS.has(name)) el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

// ---------------------------------------------------------------------------------------
// Formatting

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The UTC period [start, end) in ms that an event date of the given precision covers. */
function period(date, precision) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(date || '');
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) - 1 : 0;
  const d = m[3] ? Number(m[3]) : 1;
  const p = precision || (m[3] ? 'day' : m[2] ? 'month' : 'year');
  if (p === 'year' || !m[2]) return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
  if (p === 'month' || !m[3]) return [Date.UTC(y, mo, 1), Date.UTC(y, mo + 1, 1)];
  return [Date.UTC(y, mo, d), Date.UTC(y, mo, d + 1)];
}

/** `23 Jan 2026` for a UTC time in ms. */
function dayText(t) {
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function formatEventDate(date, precision) {
  const p = period(date, precision);
  if (!p) return date || 'undated';
  const d = new Date(p[0]);
  const span = p[1] - p[0];
  if (span > 32 * DAY) return String(d.getUTCFullYear());
  if (span > DAY) return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return dayText(p[0]);
}

function formatTimestamp(ts) {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts || '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${dayText(d.getTime())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

function formatMoney(amount, currency = 'USD', compact = true) {
  if (amount === null || amount === undefined || amount === '') return '';
  const options = { style: 'currency', currency, maximumFractionDigits: compact ? 1 : 0 };
  if (compact) options.notation = 'compact';
  try {
    return new Intl.NumberFormat('en-US', options).format(amount);
  } catch {
    return `${new Intl.NumberFormat('en-US').format(amount)} ${currency}`;
  }
}

/** The amount in USD (an analyst's correction lands there), with a foreign original beside it. */
function eventAmount(ev, compact = true) {
  const has = (x) => x !== null && x !== undefined;
  const foreign = has(ev.amount) && ev.currency && ev.currency !== 'USD' ? formatMoney(ev.amount, ev.currency, compact) : '';
  if (has(ev.amount_usd)) return foreign ? `${formatMoney(ev.amount_usd, 'USD', compact)} (${foreign})` : formatMoney(ev.amount_usd, 'USD', compact);
  if (has(ev.amount)) return formatMoney(ev.amount, ev.currency || 'USD', compact);
  return '';
}

const words = (value) => String(value ?? '').replaceAll('_', ' ');
const percent = (x) => (typeof x === 'number' ? `${Math.round(x * 100)}%` : '');
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const clip = (text, max) => {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

// ---------------------------------------------------------------------------------------
// API access

class ApiError extends Error {
  constructor(status, message, problem = null) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** Calls the API with the session's key; throws `ApiError` with a readable message. */
async function api(path, { method = 'GET', body, accept = 'application/json', key = state.key } = {}) {
  const headers = { Accept: accept };
  if (key) headers.Authorization = `Bearer ${key}`;
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(API + path, init);
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check the connection and try again.');
  }
  if (!res.ok) throw await problemOf(res);
  return res;
}

async function getJson(path, options) {
  const res = await api(path, options);
  return res.status === 204 ? null : res.json();
}

async function problemOf(res) {
  let problem = null;
  try {
    problem = await res.json();
  } catch {
    // not JSON: the status alone has to do
  }
  const detail = problem?.detail || '';
  let message;
  switch (res.status) {
    case 401:
      message = 'The API key was not accepted: it is wrong or has been revoked. Enter a valid key.';
      break;
    case 403:
      message = `Your key (role: ${state.who?.role ?? 'unknown'}) is not allowed to do this.${detail ? ` ${detail}` : ''}`;
      break;
    case 404:
      message = detail || 'Not found.';
      break;
    case 413:
      message = 'The request is too large.';
      break;
    case 503:
      message = `The service is unavailable right now${detail ? `: ${detail}` : ''}. Try again shortly.`;
      break;
    default:
      message = res.status >= 500
        ? `The server failed (${res.status}). Try again later.`
        : detail || problem?.title || `Request failed (${res.status}).`;
  }
  return new ApiError(res.status, message, problem);
}

/** Shows an error to the user; an unaccepted key sends them back to the key dialog. */
function report(err) {
  if (err instanceof ApiError && err.status === 401) {
    forgetKey();
    openKeyDialog(err.message);
    return;
  }
  notify(err instanceof ApiError ? err.message : `Something went wrong: ${err.message}`, 'error');
  if (!(err instanceof ApiError)) console.warn(err);
}

/** Runs an async action and reports its failure. */
async function attempt(action) {
  try {
    return await action();
  } catch (err) {
    report(err);
    return undefined;
  }
}

let noticeTimer = null;
function notify(text, kind = 'info') {
  const box = $('notice');
  $('notice-text').textContent = text;
  box.className = `notice notice-${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.hidden = false;
  clearTimeout(noticeTimer);
  if (kind !== 'error') noticeTimer = setTimeout(() => (box.hidden = true), 5000);
}

// ---------------------------------------------------------------------------------------
// The key and the role

function openKeyDialog(message = '') {
  const dialog = $('key-dialog');
  $('key-error').textContent = message;
  $('key-input').value = '';
  $('key-forget').hidden = !state.key;
  if (!dialog.open) dialog.showModal();
  $('key-input').focus();
}

function forgetKey() {
  state.key = null;
  state.who = null;
  sessionStorage.removeItem(KEY_STORAGE);
  renderWho();
}

async function submitKey(event) {
  event.preventDefault();
  const key = $('key-input').value.trim();
  if (!key) {
    $('key-error').textContent = 'Enter a key.';
    return;
  }
  $('key-submit').disabled = true;
  try {
    const who = await getJson('/whoami', { key });
    state.key = key;
    state.who = who;
    sessionStorage.setItem(KEY_STORAGE, key);
    $('key-dialog').close();
    renderWho();
    await start();
  } catch (err) {
    $('key-error').textContent = err.message;
  } finally {
    $('key-submit').disabled = false;
  }
}

function renderWho() {
  const who = state.who;
  $('who').textContent = who ? `${who.name} · ${who.role}` : '';
  $('key-button').textContent = who ? 'Change key' : 'API key';
  $('search-input').disabled = !who;
  $('welcome-hint').textContent = who
    ? 'Type a ticker or a company name in the search box.'
    : 'Enter your API key to start.';
  $('welcome-key').hidden = Boolean(who);
}

/** After a key is accepted: load the tag list and open what the address names. */
async function start() {
  await attempt(loadTags);
  await applyRoute(readRoute(), true);
}

// ---------------------------------------------------------------------------------------
// Routing: #/TICKER/EVENT_ID?kind=...&from=...

function readRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [ticker = '', eventId = ''] = path.split('/').map((p) => decodeURIComponent(p));
  const params = new URLSearchParams(query);
  const filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return { ticker: ticker || null, eventId: /^\d+$/.test(eventId) ? Number(eventId) : null, filters };
}

function writeRoute(push = false) {
  let hash = '';
  if (state.ticker) {
    hash = `#/${enc(state.ticker)}`;
    if (state.eventId) hash += `/${state.eventId}`;
    const query = new URLSearchParams(state.filters).toString();
    if (query) hash += `?${query}`;
  }
  const url = hash || `${location.pathname}${location.search}`;
  if (url === location.hash || (!hash && !location.hash)) return;
  history[push ? 'pushState' : 'replaceState'](null, '', url);
}

const sameFilters = (a, b) => new URLSearchParams(a).toString() === new URLSearchParams(b).toString();

async function applyRoute(route, force = false) {
  if (!state.who) return;
  if (!route.ticker) {
    closeDetail(false);
    showCompany(null);
    return;
  }
  const tickerChanged = route.ticker.toUpperCase() !== (state.ticker || '').toUpperCase();
  if (force || tickerChanged || !sameFilters(route.filters, state.filters)) {
    state.filters = route.filters;
    await openCompany(route.ticker, false);
  }
  if (route.eventId && (force || route.eventId !== state.eventId)) await openEvent(route.eventId, null, false);
  else if (!route.eventId && state.eventId) closeDetail(false);
}

// ---------------------------------------------------------------------------------------
// Company search (combobox)

const search = { seq: 0, items: [], active: -1, timer: null };

function onSearchInput() {
  clearTimeout(search.timer);
  const q = $('search-input').value.trim();
  if (!q) {
    closeSuggestions();
    return;
  }
  search.timer = setTimeout(() => suggest(q), 150);
}

async function suggest(q) {
  const seq = ++search.seq;
  try {
    const page = await getJson(`/companies?q=${enc(q)}&limit=8`);
    if (seq !== search.seq) return;
    search.items = page.items || [];
    search.active = search.items.length ? 0 : -1;
    renderSuggestions(q);
  } catch (err) {
    if (seq === search.seq) report(err);
  }
}

function renderSuggestions(q) {
  const list = $('suggestions');
  const input = $('search-input');
  list.replaceChildren();
  if (!search.items.length) {
    list.append(h('li', { class: 'suggestion-empty', role: 'presentation' }, `No company matches “${q}”.`));
  }
  search.items.forEach((c, i) => {
    const option = h(
      'li',
      {
        id: `suggestion-${i}`,
        role: 'option',
        class: 'suggestion',
        'aria-selected': i === search.active ? 'true' : 'false',
        onmousedown: (e) => e.preventDefault(), // keep focus in the input
        onclick: () => pickSuggestion(i),
      },
      h('span', { class: 'ticker' }, c.ticker),
      h('span', { class: 'name' }, c.name),
      c.exchange ? h('span', { class: 'muted' }, c.exchange) : null,
      c.matched && c.matched !== c.name && c.matched !== c.ticker
        ? h('span', { class: 'matched muted' }, `matched “${c.matched}”`)
        : null,
    );
    list.append(option);
  });
  list.hidden = false;
  input.setAttribute('aria-expanded', 'true');
  updateActiveSuggestion();
}

function updateActiveSuggestion() {
  const input = $('search-input');
  [...$('suggestions').querySelectorAll('[role=option]')].forEach((el, i) => {
    el.setAttribute('aria-selected', i === search.active ? 'true' : 'false');
  });
  if (search.active >= 0) input.setAttribute('aria-activedescendant', `suggestion-${search.active}`);
  else input.removeAttribute('aria-activedescendant');
}

function closeSuggestions() {
  search.seq++;
  search.items = [];
  search.active = -1;
  $('suggestions').hidden = true;
  $('suggestions').replaceChildren();
  $('search-input').setAttribute('aria-expanded', 'false');
  $('search-input').removeAttribute('aria-activedescendant');
}

function onSearchKey(e) {
  const open = !$('suggestions').hidden && search.items.length > 0;
  if (e.key === 'ArrowDown' && open) {
    e.preventDefault();
    search.active = (search.active + 1) % search.items.length;
    updateActiveSuggestion();
  } else if (e.key === 'ArrowUp' && open) {
    e.preventDefault();
    search.active = (search.active - 1 + search.items.length) % search.items.length;
    updateActiveSuggestion();
  } else if (e.key === 'Enter') {
    e.preventDefault();
    if (open && search.active >= 0) pickSuggestion(search.active);
    else if (e.target.value.trim()) {
      const ticker = e.target.value.trim();
      closeSuggestions();
      state.filters = {};
      openCompany(ticker, true);
    }
  } else if (e.key === 'Escape') {
    if (!$('suggestions').hidden) {
      e.preventDefault();
      closeSuggestions();
    } else {
      e.target.value = '';
    }
  }
}

function pickSuggestion(i) {
  const company = search.items[i];
  if (!company) return;
  $('search-input').value = '';
  closeSuggestions();
  state.filters = {};
  openCompany(company.ticker, true);
}

// ---------------------------------------------------------------------------------------
// Company summary and timeline data

function showCompany(company) {
  state.company = company;
  $('welcome').hidden = Boolean(company);
  $('company').hidden = !company;
  if (!company) {
    state.ticker = null;
    state.items = [];
    document.title = 'riskline';
  }
}

async function openCompany(ticker, push) {
  const seq = ++state.seq;
  closeDetail(false);
  let company;
  try {
    company = await getJson(`/companies/${enc(ticker)}`);
  } catch (err) {
    if (seq !== state.seq) return;
    if (err.status === 404) return notFound(ticker, err.problem?.suggestions || []);
    return report(err);
  }
  if (seq !== state.seq) return;
  state.ticker = company.ticker;
  showCompany(company);
  renderCompany(company);
  writeFilterForm();
  writeRoute(push);
  await loadTimeline(false, seq);
}

function notFound(ticker, suggestions) {
  const box = $('notice');
  notify(`No company with ticker “${ticker}”.`, 'error');
  if (suggestions.length) {
    append($('notice-text'), [
      ' Did you mean ',
      suggestions.map((t, i) => [
        i ? ', ' : '',
        h('button', { type: 'button', class: 'link', onclick: () => { box.hidden = true; openCompany(t, true); } }, t),
      ]),
      '?',
    ]);
  }
}

async function refreshCompany() {
  if (!state.ticker) return;
  const company = await getJson(`/companies/${enc(state.ticker)}`);
  state.company = company;
  renderCompany(company);
}

function renderCompany(c) {
  document.title = `${c.ticker} · riskline`;
  $('company-name').textContent = `${c.name} (${c.ticker})`;
  const aliases = (c.aliases || []).map((a) => `${a.alias}${a.kind ? ` (${words(a.kind)})` : ''}`);
  const parent = (c.history || []).find((p) => p.field === 'parent' && !p.to);
  const formerTickers = (c.history || []).filter((p) => p.field === 'ticker' && p.to).map((p) => `${p.value} until ${p.to}`);
  $('company-meta').textContent = [
    c.listed === false ? `no longer listed${parent ? ` (owned by ${parent.value} since ${parent.from})` : ''}` : null,
    c.exchange,
    c.cik ? `CIK ${c.cik}` : null,
    formerTickers.length ? `formerly ${formerTickers.join(', ')}` : null,
    aliases.length ? `also known as ${aliases.join(', ')}` : null,
  ].filter(Boolean).join(' · ');
  $('atom-url').value = `${location.origin}${API}/feeds/events.atom?tickers=${enc(c.ticker)}`;
  renderRisk(c.risk || {});
}

function renderRisk(risk) {
  const windows = [['events_30d', '30 days'], ['events_90d', '90 days'], ['events_365d', '365 days']];
  const table = h(
    'table',
    { class: 'risk-table' },
    h('caption', { class: 'visually-hidden' }, 'Events by kind and period'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Last'), KINDS.map((k) => h('th', { scope: 'col' }, h('span', { class: `swatch k-${k}` }), KIND_LABEL[k])))),
    h('tbody', {}, windows.map(([field, label]) => h(
      'tr',
      {},
      h('th', { scope: 'row' }, label),
      KINDS.map((k) => h('td', {}, String(risk[field]?.[k] ?? 0))),
    ))),
  );
  const figures = [
    ['Open lawsuits', risk.open_lawsuits ?? 0],
    ['Damages sought', formatMoney(risk.damages_sought_usd ?? 0)],
    ['Fines', formatMoney(risk.fines_usd ?? 0)],
    ['Active bans', risk.active_bans ?? 0],
    ['Active halts', risk.active_halts ?? 0],
  ];
  const latest = risk.latest_event;
  $('risk').replaceChildren(
    risk.as_of
      ? h('p', { class: 'as-of' }, 'As of ', h('time', { datetime: risk.as_of }, formatEventDate(risk.as_of, 'day')),
        ' (UTC): the last 30, 90 and 365 days end on this day; open and active counts follow each story to its latest step by then (a ban lifted, a halt resumed, a suit settled or dismissed is no longer counted).')
      : null,
    table,
    h('dl', { class: 'figures' }, figures.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, String(value))))),
    latest
      ? h('p', { class: 'latest' }, 'Latest: ', h('button', {
        type: 'button',
        class: 'link',
        onclick: (e) => openEvent(latest.id, e.currentTarget, true),
      }, `${formatEventDate(latest.occurred_on, latest.date_precision)} — ${latest.summary || words(latest.kind)}`))
      : null,
  );
}

function timelineQuery(extra = {}) {
  const params = new URLSearchParams({ ...state.filters, ...extra });
  return params.toString();
}

/// Says what the event list is doing (loading, or why it failed); hides the
/// line when `text` is empty.
function listStatus(text, kind = 'muted') {
  const line = $('events-status');
  line.textContent = text;
  line.className = kind;
  line.hidden = !text;
  $('events').setAttribute('aria-busy', text === 'Loading events…' ? 'true' : 'false');
}

async function loadTimeline(more, seq = state.seq) {
  const button = $('more');
  button.disabled = true;
  if (!more) {
    // Never show the last company's (or filter's) events while this one loads.
    state.items = [];
    state.cursor = null;
    renderList();
    $('events-empty').hidden = true;
  }
  listStatus('Loading events…');
  try {
    const query = timelineQuery({ limit: PAGE_SIZE, ...(more && state.cursor ? { cursor: state.cursor } : {}) });
    const page = await getJson(`/companies/${enc(state.ticker)}/timeline?${query}`);
    if (seq !== state.seq) return;
    state.items = more ? state.items.concat(page.items || []) : page.items || [];
    state.cursor = page.next_cursor || null;
    if (!more) fitView();
    renderTimeline();
    if (more) $('events').querySelectorAll('.event-row')[state.items.length - (page.items || []).length]?.focus();
    listStatus('');
  } catch (err) {
    if (seq === state.seq) {
      if (!more) {
        state.items = [];
        state.cursor = null;
        renderTimeline();
        $('events-empty').hidden = true;
      }
      listStatus('The events could not be loaded. Try again, or change the filters.', 'error');
      report(err);
    }
  } finally {
    button.disabled = false;
  }
}

async function loadTags() {
  const page = await getJson('/tags');
  state.tags = (page.items || []).map((t) => t.name);
  const select = $('tag-filter');
  const current = state.filters.tag || '';
  select.replaceChildren(
    h('option', { value: '' }, 'Any tag'),
    state.tags.map((t) => h('option', { value: t }, t)),
  );
  if (current && !state.tags.includes(current)) select.append(h('option', { value: current }, current));
  select.value = current;
}

// ---------------------------------------------------------------------------------------
// Filters

function writeFilterForm() {
  const form = $('filters');
  for (const name of FILTERS) form.elements[name].value = state.filters[name] || '';
}

function readFilterForm() {
  const form = $('filters');
  const filters = {};
  for (const name of FILTERS) {
    const value = form.elements[name].value.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

async function applyFilters(e) {
  e?.preventDefault();
  const form = $('filters');
  if (!form.reportValidity()) return;
  const filters = readFilterForm();
  if (filters.from && filters.to && filters.from > filters.to) {
    notify('The “From” date is after the “To” date.', 'error');
    return;
  }
  if (sameFilters(filters, state.filters)) return;
  state.filters = filters;
  closeDetail(false);
  writeRoute();
  await loadTimeline(false, ++state.seq);
}

// ---------------------------------------------------------------------------------------
// Timeline: SVG axis and list

const LANE = 46;
const TOP = 10;
const AXIS = 30;

function extent(items) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const ev of items) {
    const p = period(ev.occurred_on, ev.date_precision);
    if (!p) continue;
    lo = Math.min(lo, p[0]);
    hi = Math.max(hi, p[1]);
  }
  return lo <= hi ? [lo, hi] : null;
}

function fitView() {
  const ext = extent(state.items);
  if (!ext) {
    const now = Date.now();
    state.view = { t0: now - 365 * DAY, t1: now + 30 * DAY };
    return;
  }
  let [t0, t1] = ext;
  const span = Math.max(t1 - t0, 30 * DAY);
  const mid = (t0 + t1) / 2;
  t0 = mid - span * 0.55;
  t1 = mid + span * 0.55;
  state.view = { t0, t1 };
}

function setSpan(span, anchor) {
  const { t0, t1 } = state.view;
  const clamped = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span));
  const at = anchor ?? (t0 + t1) / 2;
  const ratio = (at - t0) / (t1 - t0);
  state.view = { t0: at - clamped * ratio, t1: at + clamped * (1 - ratio) };
  drawAxis();
}

function zoom(factor, anchor) {
  setSpan((state.view.t1 - state.view.t0) * factor, anchor);
}

function pan(fraction) {
  const shift = (state.view.t1 - state.view.t0) * fraction;
  state.view = { t0: state.view.t0 + shift, t1: state.view.t1 + shift };
  drawAxis();
}

const SPANS = { decade: 10 * 365.25 * DAY, year: 365.25 * DAY, month: 31 * DAY, week: 7 * DAY };

/** Tick steps from fine to coarse; the first that leaves room for its labels is used. */
const STEPS = [
  { name: 'day', approx: DAY, floor: (d) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()), next: (t) => t + DAY },
  {
    name: 'week',
    approx: 7 * DAY,
    floor: (d) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)),
    next: (t) => t + 7 * DAY,
  },
  ...[1, 3].map((n) => ({
    name: n === 1 ? 'month' : 'quarter',
    approx: n * 30.5 * DAY,
    floor: (d) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % n), 1),
    next: (t) => { const d = new Date(t); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1); },
  })),
  ...[1, 2, 5, 10, 20, 50].map((n) => ({
    name: 'year',
    approx: n * 365.25 * DAY,
    floor: (d) => Date.UTC(d.getUTCFullYear() - (d.getUTCFullYear() % n), 0, 1),
    next: (t) => Date.UTC(new Date(t).getUTCFullYear() + n, 0, 1),
  })),
];

function tickLabel(t, step) {
  const d = new Date(t);
  if (step.name === 'year') return String(d.getUTCFullYear());
  if (step.name === 'month' || step.name === 'quarter') {
    return d.getUTCMonth() === 0 ? `${MONTHS[0]} ${d.getUTCFullYear()}` : MONTHS[d.getUTCMonth()];
  }
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

function scaleName(span) {
  if (span > 2 * 365 * DAY) return 'years';
  if (span > 100 * DAY) return 'months';
  if (span > 20 * DAY) return 'weeks';
  return 'days';
}

function radius(ev) {
  const usd = ev.amount_usd;
  if (!usd || usd <= 0) return 5;
  return Math.max(6, Math.min(17, 4 + 2.2 * Math.log10(usd / 1e5)));
}

function drawAxis() {
  const host = $('axis');
  if ($('company').hidden || !state.view) return;
  const width = Math.max(260, host.clientWidth);
  const height = TOP + LANE * KINDS.length + AXIS;
  const left = 6;
  const right = width - 6;
  const { t0, t1 } = state.view;
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (right - left);
  const laneY = (kind) => TOP + LANE * Math.max(0, KINDS.indexOf(kind)) + LANE / 2;
  const axisY = TOP + LANE * KINDS.length;

  const svg = s('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    class: 'axis-svg',
    'aria-hidden': 'true',
  });
  svg.append(s('defs', {}, s('clipPath', { id: 'plot-clip' }, s('rect', { x: left - 20, y: 0, width: right - left + 40, height: axisY }))));

  // lanes and their labels
  KINDS.forEach((kind, i) => {
    svg.append(s('rect', { class: `lane lane-${i % 2}`, x: 0, y: TOP + LANE * i, width, height: LANE }));
    svg.append(s('text', { class: 'lane-label', x: left + 2, y: TOP + LANE * i + 12 }, KIND_LABEL[kind]));
  });

  // ticks
  const minGap = 64;
  const step = STEPS.find((st) => (st.approx / (t1 - t0)) * (right - left) >= minGap) || STEPS[STEPS.length - 1];
  const ticks = s('g', { class: 'ticks' });
  for (let t = step.floor(new Date(t0)); t <= t1; t = step.next(t)) {
    if (t < t0) continue;
    const tx = x(t);
    ticks.append(s('line', { x1: tx, x2: tx, y1: TOP, y2: axisY + 5, class: 'tick' }));
    const label = tickLabel(t, step);
    if (tx + 3 + label.length * 6.5 < width) {
      ticks.append(s('text', { x: tx + 3, y: axisY + 18, class: 'tick-label' }, label));
    }
  }
  svg.append(ticks, s('line', { x1: 0, x2: width, y1: axisY, y2: axisY, class: 'baseline' }));

  const now = Date.now();
  if (now > t0 && now < t1) {
    svg.append(s('line', { class: 'today', x1: x(now), x2: x(now), y1: TOP, y2: axisY }));
  }

  const plot = s('g', { 'clip-path': 'url(#plot-clip)' });
  const placed = state.items
    .map((ev) => ({ ev, p: period(ev.occurred_on, ev.date_precision) }))
    .filter(({ p }) => p)
    .map(({ ev, p }) => ({ ev, p, cx: x((p[0] + p[1]) / 2), cy: laneY(ev.kind), r: radius(ev) }));

  // threads: a line through the loaded steps of each thread
  const threads = new Map();
  for (const node of placed) {
    const id = node.ev.thread_id ?? node.ev.id;
    if (!threads.has(id)) threads.set(id, []);
    threads.get(id).push(node);
  }
  for (const nodes of threads.values()) {
    if (nodes.length < 2) continue;
    nodes.sort((a, b) => a.cx - b.cx);
    plot.append(s('polyline', { class: 'thread', points: nodes.map((n) => `${n.cx},${n.cy}`).join(' ') }));
  }

  // a label goes right of its dot when it reaches neither the previous label nor the next dot
  const sorted = [...placed].sort((a, b) => a.cx - b.cx);
  const nextDot = new Map();
  const lastInLane = new Map();
  for (const node of sorted) {
    const previous = lastInLane.get(node.ev.kind);
    if (previous) nextDot.set(previous, node.cx - node.r);
    lastInLane.set(node.ev.kind, node);
  }
  const labelEnds = new Map();
  let visible = 0;
  for (const node of sorted) {
    const { ev, p, cx, cy, r } = node;
    const inView = p[1] >= t0 && p[0] <= t1;
    if (inView) visible++;
    const spanWidth = x(p[1]) - x(p[0]);
    if (spanWidth > 2 * r) {
      plot.append(s('rect', { class: `period k-${ev.kind}`, x: x(p[0]), y: cy - 3, width: spanWidth, height: 6, rx: 3 }));
    }
    const classes = ['ev', `k-${ev.kind}`, `review-${ev.review_state}`];
    if (ev.id === state.eventId) classes.push('selected');
    const title = [
      `${formatEventDate(ev.occurred_on, ev.date_precision)} · ${KIND_LABEL[ev.kind] || words(ev.kind)} · ${words(ev.action)}`,
      ev.summary,
      eventAmount(ev),
      `status ${words(ev.status)}; thread ${words(ev.thread_status)}`,
      `${words(ev.review_state)}, confidence ${percent(ev.confidence)}`,
    ].filter(Boolean).join('\n');
    plot.append(s('circle', {
      class: classes.join(' '),
      cx,
      cy,
      r,
      'data-id': ev.id,
      onclick: () => openEvent(ev.id, document.querySelector(`.event-row[data-id="${ev.id}"]`), true),
    }, s('title', {}, title)));
    const label = eventAmount(ev) || words(ev.thread_status || ev.status);
    const lx = cx + r + 3;
    const lane = ev.kind;
    const labelWidth = label.length * 6.5;
    const room = Math.min(right, nextDot.get(node) ?? Infinity);
    if (label && inView && lx > (labelEnds.get(lane) ?? -Infinity) && lx + labelWidth < room) {
      plot.append(s('text', { class: 'ev-label', x: lx, y: cy + 4 }, label));
      labelEnds.set(lane, lx + labelWidth + 4);
    }
  }
  svg.append(plot);
  host.replaceChildren(svg);

  $('axis-caption').textContent = `${dayText(t0)} – ${dayText(t1)} · scale: ${scaleName(t1 - t0)} · ${plural(visible, 'event')} in view of ${state.items.length} loaded`;
}

function renderTimeline() {
  drawAxis();
  renderList();
}

function renderList() {
  const list = $('events');
  list.replaceChildren(...state.items.map((ev) => h('li', {}, eventRow(ev))));
  $('events-empty').hidden = state.items.length > 0;
  $('event-count').textContent = state.cursor ? `(${state.items.length} shown, more available)` : `(${state.items.length})`;
  $('more').hidden = !state.cursor;
}

function eventRow(ev) {
  const amount = eventAmount(ev);
  const meta = [
    `status: ${words(ev.status)}`,
    ev.thread_status ? `thread: ${words(ev.thread_status)}` : null,
    `confidence ${percent(ev.confidence)}`,
    words(ev.review_state),
    ev.document_count ? plural(ev.document_count, 'document') : null,
    ev.origin === 'manual' ? 'manual' : null,
  ].filter(Boolean);
  return h(
    'button',
    {
      type: 'button',
      class: `event-row review-${ev.review_state}`,
      'data-id': ev.id,
      'aria-current': ev.id === state.eventId ? 'true' : null,
      onclick: (e) => openEvent(ev.id, e.currentTarget, true),
    },
    h('span', { class: `dot k-${ev.kind}`, 'aria-hidden': 'true' }),
    h(
      'span',
      { class: 'row-main' },
      h(
        'span',
        { class: 'row-top' },
        h('time', { datetime: ev.occurred_on }, formatEventDate(ev.occurred_on, ev.date_precision)),
        h('span', { class: 'row-kind' }, `${KIND_LABEL[ev.kind] || words(ev.kind)} · ${words(ev.action)}`),
        amount ? h('span', { class: 'row-amount' }, amount) : null,
      ),
      h('span', { class: 'row-summary' }, ev.summary || ev.first_evidence?.text || ''),
      h('span', { class: 'row-meta' }, meta.join(' · ')),
      ev.tags?.length ? h('span', { class: 'row-tags' }, ev.tags.map((t) => h('span', { class: 'tag' }, t))) : null,
    ),
  );
}

// ---------------------------------------------------------------------------------------
// Event detail

let detailOpener = null;

async function openEvent(id, opener, push) {
  const seq = ++state.eventSeq;
  if (opener) detailOpener = opener;
  state.eventId = id;
  const panel = $('detail');
  panel.hidden = false;
  document.body.classList.add('detail-open');
  $('detail-title').textContent = 'Loading event…';
  $('detail-body').replaceChildren();
  if (opener) $('detail-title').focus(); // a user's choice moves focus; restoring the address does not
  writeRoute(push);
  markSelected();
  try {
    const [detail, history] = await Promise.all([
      getJson(`/events/${id}`),
      getJson(`/events/${id}/history`),
    ]);
    if (seq !== state.eventSeq) return;
    state.detail = detail;
    state.history = history?.items || [];
    renderDetail();
  } catch (err) {
    if (seq !== state.eventSeq) return;
    $('detail-title').textContent = 'Event not available';
    report(err);
  }
}

/** Reloads the open event after a change and carries the change into the list. */
async function reloadEvent() {
  const id = state.eventId;
  const seq = ++state.eventSeq;
  const [detail, history] = await Promise.all([getJson(`/events/${id}`), getJson(`/events/${id}/history`)]);
  if (seq !== state.eventSeq) return;
  state.detail = detail;
  state.history = history?.items || [];
  const i = state.items.findIndex((ev) => ev.id === id);
  if (i >= 0) state.items[i] = { ...state.items[i], ...detail };
  renderTimeline();
  renderDetail();
}

function closeDetail(restoreFocus = true) {
  const panel = $('detail');
  state.eventSeq++;
  state.eventId = null;
  state.detail = null;
  if (panel.hidden) return;
  panel.hidden = true;
  document.body.classList.remove('detail-open');
  writeRoute();
  markSelected();
  if (restoreFocus && detailOpener?.isConnected) detailOpener.focus();
  else if (restoreFocus) $('events').querySelector('.event-row')?.focus();
}

function markSelected() {
  for (const row of document.querySelectorAll('.event-row')) {
    if (Number(row.dataset.id) === state.eventId) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
  for (const dot of document.querySelectorAll('circle.ev')) {
    dot.classList.toggle('selected', Number(dot.dataset.id) === state.eventId);
  }
}

function field(label, ...value) {
  const content = value.flat().filter((v) => v !== null && v !== undefined && v !== '');
  if (!content.length) return null;
  return h('div', { class: 'field' }, h('dt', {}, label), h('dd', {}, content));
}

function renderDetail() {
  const ev = state.detail;
  if (!ev) return;
  const write = canWrite();
  $('detail-title').textContent = ev.summary || `${KIND_LABEL[ev.kind] || words(ev.kind)} · ${words(ev.action)}`;
  const amount = eventAmount(ev, false);
  const body = [
    h(
      'p',
      { class: 'badges' },
      h('span', { class: `badge k-${ev.kind}` }, KIND_LABEL[ev.kind] || words(ev.kind)),
      h('span', { class: 'badge' }, words(ev.action)),
      h('span', { class: `badge review-${ev.review_state}` }, words(ev.review_state)),
      ev.origin === 'manual' ? h('span', { class: 'badge' }, 'manual') : null,
    ),
    h(
      'dl',
      { class: 'fields' },
      field('Date', formatEventDate(ev.occurred_on, ev.date_precision), ev.date_precision && ev.date_precision !== 'day' ? ` (${ev.date_precision} precision)` : ''),
      field('Status', words(ev.status), ev.thread_status ? ` · thread: ${words(ev.thread_status)}` : ''),
      field('Companies', (ev.companies || []).map((c) => h(
        'span',
        { class: 'company-ref' },
        h('button', { type: 'button', class: 'link', onclick: () => { state.filters = {}; openCompany(c.ticker, true); } }, c.ticker),
        ` ${c.name || ''}${c.role ? ` — ${words(c.role)}` : ''}`,
      ))),
      field('Parties', (ev.parties || []).map((p) => h('span', { class: 'company-ref' }, `${p.name}${p.role ? ` — ${words(p.role)}` : ''}`))),
      field('Authority', ev.authority),
      field('Jurisdiction', ev.jurisdiction),
      field('Amount', amount),
      field('Confidence', percent(ev.confidence)),
      field('Reported by', ev.document_count !== undefined ? plural(ev.document_count, 'document') : ''),
      field('Review note', ev.review_note),
      field('Corrected', (ev.corrected_fields || []).map(words).join(', ')),
      field('Updated', ev.updated_at ? formatTimestamp(ev.updated_at) : ''),
    ),
    threadSection(ev, write),
    tagSection(ev, write),
    write ? reviewSection(ev) : null,
    write ? editSection(ev) : null,
    evidenceSection(ev, write),
    historySection(),
  ];
  $('detail-body').replaceChildren(...body.filter(Boolean));
  for (const box of $('detail-body').querySelectorAll('.doc-text')) fillDocument(box);
}

function threadSection(ev, write) {
  const steps = ev.thread || [];
  const own = steps.find((step) => step.id === ev.id);
  if (steps.length < 2 && !own?.reason && !write) return null;
  const inThread = steps.length > 1 && ev.thread_id !== ev.id;
  const linkForm = write
    ? h(
      'form',
      {
        id: 'thread-form',
        class: 'inline-form',
        onsubmit: (e) => {
          e.preventDefault();
          const target = Number(e.currentTarget.elements.thread.value);
          if (target > 0) patchEvent({ thread: target }, `Linked to the thread of event ${target}`);
        },
      },
      h('label', { for: 'thread-input' }, 'Continues event #'),
      h('input', { id: 'thread-input', name: 'thread', type: 'number', min: 1, required: true }),
      h('button', { type: 'submit' }, 'Link'),
      inThread
        ? h('button', { type: 'button', onclick: () => patchEvent({ thread: null }, 'Taken out of its thread') }, 'Unlink from thread')
        : null,
    )
    : null;
  return h(
    'section',
    { class: 'block', 'aria-labelledby': 'thread-title' },
    h('h3', { id: 'thread-title' }, `Thread (${words(ev.thread_status)})`),
    steps.length > 1
      ? h('ol', { class: 'thread-steps' }, steps.map((step) => h(
        'li',
        {},
        step.id === ev.id
          ? h('span', { 'aria-current': 'step', class: 'current-step' }, `${formatEventDate(step.occurred_on)} · ${words(step.action)} · ${words(step.status)}`)
          : h('button', { type: 'button', class: 'link', onclick: (e) => openEvent(step.id, e.currentTarget, true) }, `${formatEventDate(step.occurred_on)} · ${words(step.action)} · ${words(step.status)}`),
        step.reason ? h('span', { class: 'muted' }, ` — ${step.reason}`) : null,
      )))
      : h('p', { class: 'muted' }, own?.reason || 'This event starts no thread with another yet.'),
    linkForm,
  );
}

function tagSection(ev, write) {
  const tags = ev.tags || [];
  const chips = h('ul', { class: 'tags', 'aria-label': 'Tags' }, tags.map((tag) => h(
    'li',
    { class: 'tag' },
    h('span', { class: 'tag-name' }, tag),
    write
      ? h('button', {
        type: 'button',
        class: 'tag-remove',
        'aria-label': `Remove tag ${tag}`,
        onclick: () => changeTag(ev.id, tag, 'DELETE'),
      }, '×')
      : null,
  )));
  const form = write
    ? h(
      'form',
      {
        id: 'tag-form',
        class: 'inline-form',
        onsubmit: (e) => {
          e.preventDefault();
          const input = e.currentTarget.elements.tag;
          const tag = input.value.trim().toLowerCase();
          if (tag) changeTag(ev.id, tag, 'PUT').then((ok) => { if (ok) $('tag-input')?.focus(); });
        },
      },
      h('label', { for: 'tag-input', class: 'visually-hidden' }, 'New tag'),
      h('input', {
        id: 'tag-input',
        name: 'tag',
        list: 'tag-list',
        autocomplete: 'off',
        placeholder: 'add a tag',
        maxlength: 64,
        pattern: '[A-Za-z0-9_:\\-]+',
        title: 'letters, digits, -, _ and :',
      }),
      h('datalist', { id: 'tag-list' }, state.tags.map((t) => h('option', { value: t }))),
      h('button', { type: 'submit' }, 'Add tag'),
    )
    : null;
  return h(
    'section',
    { class: 'block', 'aria-labelledby': 'tags-title' },
    h('h3', { id: 'tags-title' }, 'Tags'),
    tags.length ? chips : h('p', { class: 'muted' }, 'No tags.'),
    form,
  );
}

async function changeTag(id, tag, method) {
  return attempt(async () => {
    await api(`/events/${id}/tags/${enc(tag)}`, { method });
    await reloadEvent();
    notify(method === 'PUT' ? `Tag “${tag}” added.` : `Tag “${tag}” removed.`);
    if (method === 'PUT' && !state.tags.includes(tag)) await loadTags();
    return true;
  });
}

function reviewSection(ev) {
  const submit = (reviewState) => async (e) => {
    const form = e.currentTarget.form;
    const note = form.elements.note.value.trim();
    await patchEvent({ review_state: reviewState, review_note: note || null }, reviewState === 'confirmed' ? 'Event confirmed.' : 'Event rejected.');
  };
  return h(
    'section',
    { class: 'block', 'aria-labelledby': 'review-title' },
    h('h3', { id: 'review-title' }, 'Review'),
    h(
      'form',
      { id: 'review-form', class: 'stack', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'review-note' }, 'Note'),
      h('textarea', { id: 'review-note', name: 'note', rows: 2, value: ev.review_note || '' }),
      h(
        'div',
        { class: 'button-row' },
        h('button', { type: 'button', class: 'confirm', onclick: submit('confirmed') }, 'Confirm'),
        h('button', { type: 'button', class: 'reject', onclick: submit('rejected') }, 'Reject'),
      ),
    ),
  );
}

const EDITABLE = [
  { name: 'kind', label: 'Kind', options: KINDS.map((k) => [k, KIND_LABEL[k]]) },
  { name: 'action', label: 'Action', list: 'action-list' },
  { name: 'status', label: 'Status', list: 'status-list' },
  { name: 'occurred_on', label: 'Date', placeholder: 'YYYY-MM-DD, YYYY-MM or YYYY', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?' },
  { name: 'date_precision', label: 'Date precision', options: [['day', 'day'], ['month', 'month'], ['year', 'year']] },
  { name: 'amount_usd', label: 'Amount (USD)', type: 'number', min: 0, step: 'any' },
  { name: 'authority', label: 'Authority' },
  { name: 'jurisdiction', label: 'Jurisdiction' },
  { name: 'summary', label: 'Summary', textarea: true },
];

function editSection(ev) {
  const value = (name) => (ev[name] === null || ev[name] === undefined ? '' : String(ev[name]));
  const controls = EDITABLE.map((f) => {
    const id = `edit-${f.name}`;
    let control;
    if (f.options) {
      control = h('select', { id, name: f.name }, f.options.map(([v, l]) => h('option', { value: v, selected: value(f.name) === v }, l)));
    } else if (f.textarea) {
      control = h('textarea', { id, name: f.name, rows: 3, value: value(f.name) });
    } else {
      control = h('input', { id, name: f.name, type: f.type || 'text', value: value(f.name), placeholder: f.placeholder, pattern: f.pattern, min: f.min, step: f.step, list: f.list, autocomplete: 'off' });
    }
    return h('div', { class: 'edit-field' }, h('label', { for: id }, f.label), control);
  });
  const onsubmit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    if (!form.reportValidity()) return;
    const changes = {};
    for (const f of EDITABLE) {
      const raw = form.elements[f.name].value.trim();
      if (raw === value(f.name)) continue;
      if (f.name === 'amount_usd') changes.amount_usd = raw === '' ? null : Number(raw);
      else changes[f.name] = raw === '' ? null : raw;
    }
    if ('occurred_on' in changes && !('date_precision' in changes) && changes.occurred_on) {
      changes.date_precision = ['year', 'year', 'month', 'day'][changes.occurred_on.split('-').length];
    }
    if (!Object.keys(changes).length) {
      notify('Nothing changed.');
      return;
    }
    await patchEvent(changes, 'Changes saved.');
  };
  return h(
    'details',
    { class: 'block edit' },
    h('summary', {}, h('h3', {}, 'Edit fields')),
    h('form', { id: 'edit-form', class: 'edit-grid', onsubmit }, controls, h('div', { class: 'button-row' }, h('button', { type: 'submit' }, 'Save changes'))),
  );
}

async function patchEvent(changes, message) {
  const id = state.eventId;
  await attempt(async () => {
    await getJson(`/events/${id}`, { method: 'PATCH', body: changes });
    await reloadEvent();
    await refreshCompany();
    notify(message);
  });
}

// ---------------------------------------------------------------------------------------
// Evidence: source text with the evidence spans highlighted

const documents = new Map(); // id -> Promise<document>

function loadDocument(id) {
  if (!documents.has(id)) {
    const request = getJson(`/documents/${id}`);
    documents.set(id, request);
    request.catch(() => documents.delete(id));
  }
  return documents.get(id);
}

function evidenceSection(ev, write) {
  const evidence = ev.evidence || [];
  const byDoc = new Map();
  for (const m of evidence) {
    if (!byDoc.has(m.document_id)) byDoc.set(m.document_id, []);
    byDoc.get(m.document_id).push(m);
  }
  const splittable = write && evidence.length > 1;
  const docs = [...byDoc.entries()].map(([docId, mentions]) => {
    const first = mentions[0];
    return h(
      'article',
      { class: 'evidence' },
      h(
        'h4',
        {},
        first.url
          ? h('a', { href: first.url, target: '_blank', rel: 'noopener noreferrer' }, first.title || first.url)
          : first.title || `Document ${docId}`,
      ),
      h('p', { class: 'muted' }, [
        first.published_at ? `Published ${formatTimestamp(first.published_at)}` : null,
        `document ${docId}`,
      ].filter(Boolean).join(' · ')),
      h('ul', { class: 'mentions' }, mentions.map((m) => h(
        'li',
        {},
        splittable
          ? h('label', { class: 'split-choice' }, h('input', { type: 'checkbox', name: 'mention', value: m.id, onchange: updateSplitButton }), ` Move mention ${m.id}`)
          : null,
        // In plain words: the sentence that states the event, and whether this document
        // first reported it or was matched to it later. (How the extractor found it, its
        // rule, stays in the API's `evidence[].rule` for those who debug it.)
        h('q', { class: 'mention-text' }, clip(m.text, 320)),
        h('span', { class: 'muted mention-how' }, m.merge_reason
          ? `Another report of this event${typeof m.merge_score === 'number' ? ` (matched ${percent(m.merge_score)})` : ''}`
          : 'First report of this event'),
      ))),
      h('div', { class: 'doc-text', 'data-doc': docId, tabindex: '0', role: 'region', 'aria-label': `Source text of document ${docId}` }, h('p', { class: 'muted' }, 'Loading source text…')),
    );
  });
  return h(
    'section',
    { class: 'block', 'aria-labelledby': 'evidence-title' },
    h('h3', { id: 'evidence-title' }, `Evidence (${plural(evidence.length, 'mention')} in ${plural(byDoc.size, 'document')})`),
    docs.length ? docs : h('p', { class: 'muted' }, 'No evidence recorded.'),
    splittable
      ? h(
        'div',
        { class: 'split' },
        h('p', { class: 'muted' }, 'A wrong merge? Tick the mentions that belong to another event and split them off.'),
        h('button', { type: 'button', id: 'split-button', disabled: true, onclick: splitEvent }, 'Split into a new event'),
      )
      : null,
  );
}

function updateSplitButton() {
  const boxes = [...$('detail-body').querySelectorAll('input[name=mention]')];
  const chosen = boxes.filter((b) => b.checked).length;
  const button = $('split-button');
  button.disabled = chosen === 0 || chosen === boxes.length;
  button.textContent = chosen ? `Split ${plural(chosen, 'mention')} into a new event` : 'Split into a new event';
}

async function splitEvent() {
  const ids = [...$('detail-body').querySelectorAll('input[name=mention]:checked')].map((b) => Number(b.value));
  if (!ids.length) return;
  await attempt(async () => {
    const created = await getJson(`/events/${state.eventId}/split`, { method: 'POST', body: { mention_ids: ids } });
    await reloadEvent();
    await loadTimeline(false, ++state.seq);
    await refreshCompany();
    notify(`Split into new event ${created.id}.`);
    append($('notice-text'), [' ', h('button', { type: 'button', class: 'link', onclick: (e) => openEvent(created.id, e.currentTarget, true) }, 'Open it')]);
  });
}

async function fillDocument(box) {
  const docId = Number(box.dataset.doc);
  const eventId = state.eventId;
  const spans = (state.detail?.evidence || []).filter((m) => m.document_id === docId);
  try {
    const doc = await loadDocument(docId);
    if (eventId !== state.eventId || !box.isConnected) return;
    box.replaceChildren(...highlight(doc.text || '', spans, box));
    const mark = box.querySelector('mark');
    if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 24);
  } catch (err) {
    if (!box.isConnected) return;
    box.replaceChildren(h('p', { class: 'error' }, `The source text could not be loaded: ${err.message}`));
    if (err.status === 401) report(err);
  }
}

/** Moves a byte offset onto a UTF-8 character boundary (backwards or forwards). */
function boundary(bytes, i, forward) {
  let at = Math.max(0, Math.min(bytes.length, i));
  while (at > 0 && at < bytes.length && (bytes[at] & 0xc0) === 0x80) at += forward ? 1 : -1;
  return at;
}

/**
 * The document text as nodes with each evidence span `[start, end)` (UTF-8 byte offsets)
 * wrapped in `<mark>`. Long documents are cut to excerpts around the spans.
 */
function highlight(text, mentions, box, full = false) {
  const bytes = new TextEncoder().encode(text);
  const decode = (a, b) => new TextDecoder().decode(bytes.subarray(a, b));
  const spans = mentions
    .map((m) => ({ id: m.id, start: boundary(bytes, m.start, false), end: boundary(bytes, m.end, true) }))
    .filter((sp) => sp.end > sp.start)
    .sort((a, b) => a.start - b.start);
  // overlapping spans become one mark
  const merged = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    if (last && sp.start <= last.end) {
      last.end = Math.max(last.end, sp.end);
      last.ids.push(sp.id);
    } else merged.push({ start: sp.start, end: sp.end, ids: [sp.id] });
  }
  // windows of text to show
  let windows;
  if (full || bytes.length <= FULL_TEXT_LIMIT || !merged.length) {
    windows = [[0, bytes.length]];
  } else {
    windows = [];
    for (const m of merged) {
      const a = boundary(bytes, m.start - CONTEXT_BYTES, false);
      const b = boundary(bytes, m.end + CONTEXT_BYTES, true);
      const last = windows[windows.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else windows.push([a, b]);
    }
  }
  const nodes = [];
  for (const [a, b] of windows) {
    if (a > 0) nodes.push(h('span', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    let at = a;
    for (const m of merged) {
      if (m.end <= a || m.start >= b) continue;
      const ms = Math.max(m.start, a);
      const me = Math.min(m.end, b);
      if (ms > at) nodes.push(decode(at, ms));
      nodes.push(h('mark', { 'data-mentions': m.ids.join(' '), title: `evidence (mention ${m.ids.join(', ')})` }, decode(ms, me)));
      at = me;
    }
    if (at < b) nodes.push(decode(at, b));
    if (b < bytes.length) nodes.push(h('span', { class: 'gap', 'aria-hidden': 'true' }, '…'));
  }
  if (!merged.length && mentions.length) {
    nodes.unshift(h('p', { class: 'error' }, 'The evidence offsets do not fall inside this document.'));
  }
  if (windows.length > 1 || (windows.length === 1 && (windows[0][0] > 0 || windows[0][1] < bytes.length))) {
    nodes.push(h('div', {}, h('button', {
      type: 'button',
      class: 'link',
      onclick: () => box.replaceChildren(...highlight(text, mentions, box, true)),
    }, 'Show the whole document')));
  }
  return nodes;
}

// ---------------------------------------------------------------------------------------
// History

function historySection() {
  const entries = state.history || [];
  return h(
    'section',
    { class: 'block', 'aria-labelledby': 'history-title' },
    h('h3', { id: 'history-title' }, 'History'),
    entries.length
      ? h('ol', { class: 'history' }, entries.map((entry) => h(
        'li',
        {},
        h('span', { class: 'history-head' }, `${formatTimestamp(entry.at)} · ${entry.actor || 'system'} · ${words(entry.action)}`),
        changesOf(entry).length ? h('ul', { class: 'changes' }, changesOf(entry).map((c) => h('li', {}, c))) : null,
      )))
      : h('p', { class: 'muted' }, 'No changes recorded.'),
  );
}

function changesOf(entry) {
  const before = entry.before || {};
  const after = entry.after || {};
  const show = (v) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .map((k) => `${words(k)}: ${show(before[k])} → ${show(after[k])}`);
}

// ---------------------------------------------------------------------------------------
// Exports

async function download(path, accept, filename) {
  await attempt(async () => {
    const res = await api(path, { accept });
    const url = URL.createObjectURL(await res.blob());
    const link = h('a', { href: url, download: filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
}

async function copyAtom() {
  const input = $('atom-url');
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    notify('Feed URL copied. Feed readers must send the API key as a bearer token.');
  } catch {
    notify('Select the URL and copy it. Feed readers must send the API key as a bearer token.');
  }
}

// ---------------------------------------------------------------------------------------
// Wiring

function onAxisKey(e) {
  const keys = {
    '+': () => zoom(0.5),
    '=': () => zoom(0.5),
    '-': () => zoom(2),
    _: () => zoom(2),
    ArrowLeft: () => pan(-0.2),
    ArrowRight: () => pan(0.2),
    Home: () => { fitView(); drawAxis(); },
    0: () => { fitView(); drawAxis(); },
  };
  const action = keys[e.key];
  if (action && state.view) {
    e.preventDefault();
    action();
  }
}

function onAxisWheel(e) {
  if (!state.view) return;
  e.preventDefault();
  const host = $('axis');
  const rect = host.getBoundingClientRect();
  if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
    pan(e.deltaX / rect.width);
    return;
  }
  const fraction = (e.clientX - rect.left) / rect.width;
  const anchor = state.view.t0 + fraction * (state.view.t1 - state.view.t0);
  zoom(e.deltaY > 0 ? 1.25 : 0.8, anchor);
}

function wireAxisDrag() {
  const host = $('axis');
  let drag = null;
  host.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || e.target.closest('circle') || !state.view) return;
    drag = { x: e.clientX, view: { ...state.view }, id: e.pointerId };
    host.setPointerCapture(e.pointerId);
  });
  host.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const span = drag.view.t1 - drag.view.t0;
    const shift = ((drag.x - e.clientX) / host.clientWidth) * span;
    state.view = { t0: drag.view.t0 + shift, t1: drag.view.t1 + shift };
    drawAxis();
  });
  const end = (e) => {
    if (drag && e.pointerId === drag.id) drag = null;
  };
  host.addEventListener('pointerup', end);
  host.addEventListener('pointercancel', end);
}

function wire() {
  $('key-form').addEventListener('submit', submitKey);
  $('key-cancel').addEventListener('click', () => $('key-dialog').close());
  $('key-forget').addEventListener('click', () => {
    forgetKey();
    closeDetail(false);
    showCompany(null);
    $('key-forget').hidden = true;
    $('key-error').textContent = 'The key was forgotten.';
  });
  $('key-button').addEventListener('click', () => openKeyDialog());
  $('welcome-key').addEventListener('click', () => openKeyDialog());
  $('notice-close').addEventListener('click', () => ($('notice').hidden = true));
  $('home-link').addEventListener('click', (e) => {
    e.preventDefault();
    closeDetail(false);
    showCompany(null);
    writeRoute(true);
    $('search-input').focus();
  });

  const input = $('search-input');
  input.addEventListener('input', onSearchInput);
  input.addEventListener('keydown', onSearchKey);
  input.addEventListener('blur', () => setTimeout(closeSuggestions, 150));

  const form = $('filters');
  form.addEventListener('submit', applyFilters);
  form.addEventListener('change', (e) => {
    if (e.target.tagName === 'SELECT') applyFilters();
  });
  form.addEventListener('reset', () => setTimeout(applyFilters, 0));

  for (const button of document.querySelectorAll('.zoom button')) {
    button.addEventListener('click', () => {
      if (!state.view) return;
      const { zoom: z, span } = button.dataset;
      if (z === 'in') zoom(0.5);
      else if (z === 'out') zoom(2);
      else if (z === 'fit') { fitView(); drawAxis(); }
      else if (span) setSpan(SPANS[span]);
    });
  }
  const axis = $('axis');
  axis.addEventListener('keydown', onAxisKey);
  axis.addEventListener('wheel', onAxisWheel, { passive: false });
  wireAxisDrag();
  new ResizeObserver(() => drawAxis()).observe(axis);
  // the detail drawer sits below the sticky top bar, whose height depends on wrapping
  const topbar = document.querySelector('.topbar');
  new ResizeObserver(() => {
    document.documentElement.style.setProperty('--topbar-height', `${topbar.offsetHeight}px`);
  }).observe(topbar);

  $('more').addEventListener('click', () => loadTimeline(true));
  $('export-csv').addEventListener('click', () => download(`/companies/${enc(state.ticker)}/timeline?${timelineQuery({ format: 'csv' })}`, 'text/csv', `${state.ticker}-timeline.csv`));
  $('export-ics').addEventListener('click', () => download(`/companies/${enc(state.ticker)}/timeline.ics`, 'text/calendar', `${state.ticker}-timeline.ics`));
  $('copy-atom').addEventListener('click', copyAtom);

  $('detail-close').addEventListener('click', () => closeDetail());
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || $('detail').hidden || $('key-dialog').open) return;
    if (e.target === $('search-input') && !$('suggestions').hidden) return;
    closeDetail();
  });
  window.addEventListener('popstate', () => attempt(() => applyRoute(readRoute())));
}

async function boot() {
  wire();
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (!key) {
    renderWho();
    openKeyDialog();
    return;
  }
  state.key = key;
  try {
    state.who = await getJson('/whoami');
  } catch (err) {
    forgetKey();
    openKeyDialog(err.status === 401 ? err.message : `The key could not be checked: ${err.message}`);
    return;
  }
  renderWho();
  await start();
}

boot();
