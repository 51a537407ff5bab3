// Site search in the browser: the twin of generator/search/{text,ranking,query}.py. The build's
// index is split into shards by term prefix; a query fetches the few shards holding its words
// and ranks with the very same arithmetic as Python, so both sides agree to the last bit.
const root = document.querySelector('[data-search]');
if (!root) return;
const lang = document.documentElement.lang;
const base = root.dataset.index;
const byId = (id) => document.getElementById('search-' + id);
const T = JSON.parse(byId('strings').textContent);
const input = byId('q'), status = byId('status'), list = byId('results'), more = byId('more');
const PREFIX_MIN = 3, LN2 = 0.6931471805599453; // PREFIX_MIN and LN2: as in ranking.py

// --- text: as generator/search/text.py ---------------------------------------------------
function fold(text) {
  const t = text.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').normalize('NFD');
  const accent = lang === 'de' ? /(?<![aou])\u0308|[\u0300-\u0307\u0309-\u036f]/g : /[\u0300-\u036f]/g;
  return t.replace(accent, '').normalize('NFC');
}
const isWord = (w) => w.length <= 40 && !/[\ud800-\udfff]/.test(w);
const words = (text) => (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(isWord);

// --- ranking: as generator/search/ranking.py ---------------------------------------------
function ln(x) {
  let e = 0;
  while (x >= 2) { x /= 2; e++; }
  const y = (x - 1) / (x + 1), y2 = y * y;
  let p = y, total = 0;
  for (let odd = 1; odd < 26; odd += 2) { total += p / odd; p *= y2; }
  return 2 * total + e * LN2;
}
const idf = (df, n) => ln(1 + (n - df + 0.5) / (df + 0.5));
const matches = (g, t) => (g.prefix ? t.startsWith(g.stem) : t === g.stem);
function groupsOf(query) {
  const stems = words(query).map(stem), groups = [], seen = new Set();
  stems.forEach((s, i) => {
    const g = { stem: s, prefix: i === stems.length - 1 && s.length >= PREFIX_MIN };
    const id = g.prefix + s;
    if (!seen.has(id)) { seen.add(id); groups.push(g); }
  });
  return groups;
}
function rank(groups, postings, n) {
  let totals = null;
  for (const g of groups) {
    const best = new Map();
    for (const term of [...postings.keys()].filter((t) => matches(g, t)).sort()) {
      const docs = postings.get(term), w = idf(docs.size, n);
      for (const [doc, imp] of docs) { const s = w * imp; if (s > (best.get(doc) || 0)) best.set(doc, s); }
    }
    if (totals) {
      const both = new Map();
      for (const [doc, s] of best) if (totals.has(doc)) both.set(doc, totals.get(doc) + s);
      totals = both;
    } else totals = best;
    if (!totals.size) return [];
  }
  return [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a - b);
}

// --- index files: as generator/search/{shards,query}.py ----------------------------------
const cache = new Map();
const get = (path, read) => {
  if (!cache.has(path)) {
    cache.set(path, fetch(base + path).then((r) => {
      if (!r.ok) throw new Error(r.status);
      return read(r);
    }));
  }
  return cache.get(path);
};
const json = (r) => r.json();
// shards are raw DEFLATE (generator/search/shards.py): static hosts rarely compress binary files
const inflated = (r) => new Response(r.body.pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer();
const postings = new Map(), records = new Map(), decoded = new Set();
let meta; // meta.json: {format, documents, page: results per page, chunk: records per file, shards}
function decode(bytes) {
  let p = 0;
  const text = new TextDecoder();
  const v = () => { let x = 0, s = 1, b; do { b = bytes[p++]; x += (b & 127) * s; s *= 128; } while (b > 127); return x; };
  const take = (n) => text.decode(bytes.subarray(p, (p += n)));
  for (let r = v(); r--;) { const n = v(); records.set(n, JSON.parse(take(v()))); }
  for (let t = v(); t--;) {
    const term = take(v()), docs = new Map();
    for (let d = v(), n = 0; d--;) { n += v(); docs.set(n, bytes[p++]); }
    postings.set(term, docs);
  }
}
const hex = (key) => [...new TextEncoder().encode(key)].map((b) => b.toString(16).padStart(2, '0')).join('');
function shardsFor(g, keys) {
  const holding = keys.filter((k) => g.stem.startsWith(k));
  const chosen = new Set(holding.length ? [holding.reduce((a, b) => (b.length > a.length ? b : a))] : []);
  if (g.prefix) keys.filter((k) => k.startsWith(g.stem)).forEach((k) => chosen.add(k));
  return [...chosen];
}
async function search(groups) {
  meta = await get('meta.json', json);
  const keys = new Set(groups.flatMap((g) => shardsFor(g, meta.shards)));
  await Promise.all([...keys].map((k) => get('shards/' + hex(k) + '.bin', inflated).then((b) => {
    if (!decoded.has(k)) { decoded.add(k); decode(new Uint8Array(b)); }
  })));
  const candidates = new Map([...postings].filter(([t]) => groups.some((g) => matches(g, t))));
  return rank(groups, candidates, meta.documents);
}
// records travel in files by number // meta.chunk
const record = (n) => (records.has(n) ? records.get(n) : get('records/' + Math.floor(n / meta.chunk) + '.json', json).then((chunk) => chunk[n]));

// --- the page ----------------------------------------------------------------------------
const number = new Intl.NumberFormat(lang);
const say = (key, query, count) => T[key].replace('{query}', query).replace('{count}', number.format(count));
let groups = [], found = [], current = 0, timer;

function marked(tag, text) {
  const el = document.createElement(tag);
  let last = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (words(m[0]).some((w) => groups.some((g) => matches(g, stem(w))))) {
      const mark = document.createElement('mark');
      mark.textContent = m[0];
      el.append(text.slice(last, m.index), mark);
      last = m.index + m[0].length;
    }
  }
  el.append(text.slice(last));
  return el;
}
async function showMore(run) {
  const start = list.children.length;
  const batch = await Promise.all(found.slice(start, start + meta.page).map(record));
  if (run !== current) return;
  for (const [url, title, summary, kind] of batch) {
    const li = document.createElement('li'), h = document.createElement('h2'), a = marked('a', title);
    const label = document.createElement('span');
    a.href = url;
    label.className = 'kind';
    label.textContent = T['search_kind_' + kind] || '';
    h.append(a);
    li.append(h, label, marked('p', summary));
    list.append(li);
  }
  more.hidden = list.children.length >= found.length;
  return list.children[start];
}
async function run(query) {
  const run = ++current;
  root.setAttribute('aria-busy', 'true');
  groups = groupsOf(query);
  try {
    found = groups.length ? await search(groups) : [];
    if (run !== current) return;
    list.textContent = '';
    const shown = query.trim();
    status.textContent = !groups.length ? '' : !found.length ? say('search_none', shown, 0)
      : say(found.length === 1 ? 'search_count_one' : 'search_count_other', shown, found.length);
    if (found.length) await showMore(run); else more.hidden = true;
  } catch (e) {
    if (run === current) { list.textContent = ''; more.hidden = true; status.textContent = T.search_error; }
  } finally {
    if (run === current) root.setAttribute('aria-busy', 'false');
  }
}
function remember(query, push) {
  const url = new URL(location.href);
  if (query) url.searchParams.set('q', query); else url.searchParams.delete('q');
  if (url.href !== location.href) history[push ? 'pushState' : 'replaceState'](null, '', url);
}
input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => { remember(input.value, false); run(input.value); }, 120);
});
root.querySelector('form').addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  remember(input.value, true);
  run(input.value);
});
more.addEventListener('click', async () => {
  const first = await showMore(current);
  if (first) first.querySelector('a').focus();
});
const fromUrl = () => { input.value = new URLSearchParams(location.search).get('q') || ''; run(input.value); };
addEventListener('popstate', fromUrl);
fromUrl();
