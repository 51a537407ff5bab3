// Snowball's runtime (string, cursor, limits, slice, among), as snowballstemmer's basestemmer.py.
// The stemmers in stem-<lang>.js are line-by-line ports of the Python that Snowball 3.1.1
// generates, so the browser stems exactly as the build did (tests check ~45,000 words).
let str, cur, lim, lb, bra, ket;
const begin = (word) => { str = word; cur = lb = bra = 0; lim = ket = word.length; };
const has = (i, g) => g.includes(str[i]);
const mark = () => lim - cur; // a position counted from the end, which slices do not move
const back = (v) => { cur = lim - v; };
const inG = (g) => { if (cur >= lim || !has(cur, g)) return false; cur++; return true; };
const inGb = (g) => { if (cur <= lb || !has(cur - 1, g)) return false; cur--; return true; };
const outGb = (g) => { if (cur <= lb || has(cur - 1, g)) return false; cur--; return true; };
const goIn = (g) => { for (; cur < lim; cur++) if (!has(cur, g)) return true; return false; };
const goOut = (g) => { for (; cur < lim; cur++) if (has(cur, g)) return true; return false; };
const goOutB = (g) => { for (; cur > lb; cur--) if (has(cur - 1, g)) return true; return false; };
const is = (ch) => { if (cur >= lim || str[cur] !== ch) return false; cur++; return true; };
const isB = (ch) => { if (cur <= lb || str[cur - 1] !== ch) return false; cur--; return true; };
const eqB = (t) => {
  if (cur - t.length < lb || str.slice(cur - t.length, cur) !== t) return false;
  cur -= t.length;
  return true;
};
// among: the longest listed string at the cursor (before it, going backwards); its result or 0
const find = (list, backwards) => {
  let best = null;
  for (const e of list) {
    const t = e[0];
    const fits = backwards
      ? cur - t.length >= lb && str.slice(cur - t.length, cur) === t
      : cur + t.length <= lim && str.startsWith(t, cur);
    if (fits && (!best || t.length > best[0].length)) best = e;
  }
  if (!best) return 0;
  cur += backwards ? -best[0].length : best[0].length;
  return best[1];
};
const findB = (list) => find(list, true);
const from = (t) => {
  const adjust = t.length - (ket - bra);
  str = str.slice(0, bra) + t + str.slice(ket);
  lim += adjust;
  if (cur >= ket) cur += adjust;
  else if (cur > bra) cur = bra;
  ket = bra + t.length;
};
const del = () => from('');
// "ied:2 s:3 _" → [['ied', 2], ['s', 3], ['', -1]]: an among's strings and results
const A = (spec) => spec.split(' ').map((e) => {
  const [t, r] = e.split(':');
  return [t === '_' ? '' : t, r ? +r : -1];
});
