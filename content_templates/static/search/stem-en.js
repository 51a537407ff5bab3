// English (Porter 2) from Snowball 3.1.1's english.sbl, via snowballstemmer/english_stemmer.py.
const EN_V = 'aeiouy', EN_WXY = 'Yaeiouwxy', EN_LI = 'cdeghkmnrt';
const EN_a0 = A('arsen commun emerg gener inter later organ past univers');
const EN_a1 = A("':1 's':1 's:1");
const EN_a2 = A('ied:2 s:3 ies:2 sses:1 ss us');
const EN_a3 = A('succ:1 proc:1 exc:1');
const EN_a4 = A('even:2 cann:2 inn:2 earr:2 herr:2 out:2 y:1');
const EN_a5 = A('_ ed:2 eed:1 ing:3 edly:2 eedly:1 ingly:2');
const EN_a6 = A('_:3 bb:2 dd:2 ff:2 gg:2 bl:1 mm:2 nn:2 pp:2 rr:2 at:1 tt:2 iz:1');
const EN_a7 = A('anci:3 enci:2 ogi:14 li:16 bli:12 abli:4 alli:8 fulli:9 lessli:15 ousli:10 entli:5 aliti:8 biliti:12 iviti:11 tional:1 ational:7 alism:8 ation:7 ization:6 izer:6 ator:7 iveness:11 fulness:9 ousness:10 ogist:13');
const EN_s7 = ',tion,ence,ance,able,ent,ize,ate,al,ful,ous,ive,ble,og'.split(',');
const EN_a8 = A('icate:4 ative:6 alize:3 iciti:4 ical:4 tional:1 ational:2 ful:5 ness:5');
const EN_s8 = ',tion,ate,al,ic'.split(',');
const EN_a9 = A('ic:1 ance:1 ence:1 able:1 ible:1 ate:1 ive:1 ize:1 iti:1 al:1 ism:1 ion:2 er:1 ous:1 ant:1 ent:1 ment:1 ement:1');
const EN_a10 = A('e:1 l:2');
const EN_a11 = A('andes atlas bias cosmos early:6 gently:4 howe idly:3 news only:7 singly:8 skies:2 skis:1 sky ugly:5');
const EN_s11 = ',ski,sky,idl,gentl,ugli,earli,onli,singl'.split(',');

const stem = (word) => {
  begin(word);
  let p1, p2, yFound = false;
  const R1 = () => p1 <= cur, R2 = () => p2 <= cur;
  const shortv = () => {
    const v1 = mark();
    if (outGb(EN_WXY) && inGb(EN_V) && outGb(EN_V)) return true;
    back(v1);
    if (outGb(EN_V) && inGb(EN_V) && cur <= lb) return true;
    back(v1);
    return eqB('past');
  };
  // exception1
  bra = cur;
  let r = find(EN_a11);
  if (r !== 0 && cur >= lim) {
    ket = cur;
    if (r > 0) from(EN_s11[r]);
    return str;
  }
  cur = 0;
  if (lim < 3) return str;
  // prelude
  bra = cur;
  if (is("'")) { ket = cur; del(); }
  cur = 0;
  bra = cur;
  if (is('y')) { ket = cur; from('Y'); yFound = true; }
  cur = 0;
  for (;;) {
    const v4 = cur;
    let found = false;
    for (;;) {
      const v5 = cur;
      if (inG(EN_V)) {
        bra = cur;
        if (is('y')) { ket = cur; cur = v5; found = true; break; }
      }
      cur = v5;
      if (cur >= lim) break;
      cur++;
    }
    if (!found) { cur = v4; break; }
    from('Y'); yFound = true;
  }
  cur = 0;
  // mark_regions
  p1 = p2 = lim;
  regions: {
    const v2 = cur;
    if (find(EN_a0) === 0) {
      cur = v2;
      if (!goOut(EN_V)) break regions;
      cur++;
      if (!goIn(EN_V)) break regions;
      cur++;
    }
    p1 = cur;
    if (!goOut(EN_V)) break regions;
    cur++;
    if (!goIn(EN_V)) break regions;
    cur++;
    p2 = cur;
  }
  cur = 0;
  lb = cur; cur = lim;
  let v;
  // Step 1a
  v = mark();
  step1a: {
    ket = cur;
    if (findB(EN_a1) === 0) { back(v); } else { bra = cur; del(); }
    ket = cur;
    r = findB(EN_a2);
    if (r === 0) break step1a;
    bra = cur;
    if (r === 1) from('ss');
    else if (r === 2) {
      const v2 = mark();
      if (cur - 2 >= lb) { cur -= 2; from('i'); } else { back(v2); from('ie'); }
    } else if (r === 3) {
      if (cur <= lb) break step1a;
      cur--;
      if (!goOutB(EN_V)) break step1a;
      cur--;
      del();
    }
  }
  back(v);
  // Step 1b
  v = mark();
  step1b: {
    ket = cur;
    r = findB(EN_a5);
    bra = cur;
    const v1 = mark();
    lab0: {
      if (r === 1) {
        const v2 = mark();
        if (R1()) {
          const v3 = mark();
          if (!(findB(EN_a3) !== 0 && cur <= lb)) { back(v3); from('ee'); }
        }
        back(v2);
      } else if (r === 2) {
        break lab0;
      } else if (r === 3) {
        r = findB(EN_a4);
        if (r === 0) break lab0;
        if (r === 1) {
          const v4 = mark();
          if (!outGb(EN_V)) break lab0;
          if (cur > lb) break lab0;
          back(v4);
          bra = cur;
          from('ie');
        } else if (cur > lb) break lab0;
      }
      break step1b;
    }
    back(v1);
    const v5 = mark();
    if (!goOutB(EN_V)) break step1b;
    cur--;
    back(v5);
    del();
    ket = cur; bra = cur;
    const v6 = mark();
    r = findB(EN_a6);
    if (r === 1) { from('e'); break step1b; }
    if (r === 2) {
      const v7 = mark();
      if (inGb('aeo') && cur <= lb) break step1b;
      back(v7);
    } else {
      if (cur !== p1) break step1b;
      const v8 = mark();
      if (!shortv()) break step1b;
      back(v8);
      from('e');
      break step1b;
    }
    back(v6);
    ket = cur;
    if (cur <= lb) break step1b;
    cur--;
    bra = cur;
    del();
  }
  back(v);
  // Step 1c
  v = mark();
  step1c: {
    ket = cur;
    if (!isB('y') && !isB('Y')) break step1c;
    bra = cur;
    if (!outGb(EN_V)) break step1c;
    if (cur <= lb) break step1c;
    from('i');
  }
  back(v);
  // Step 2
  v = mark();
  step2: {
    ket = cur;
    r = findB(EN_a7);
    if (r === 0) break step2;
    bra = cur;
    if (!R1()) break step2;
    if (r <= 13) from(EN_s7[r]);
    else if (r === 14) { if (!isB('l')) break step2; from('og'); }
    else if (r === 15) from('less');
    else { if (!inGb(EN_LI)) break step2; del(); }
  }
  back(v);
  // Step 3
  v = mark();
  step3: {
    ket = cur;
    r = findB(EN_a8);
    if (r === 0) break step3;
    bra = cur;
    if (!R1()) break step3;
    if (r <= 4) from(EN_s8[r]);
    else if (r === 5) del();
    else { if (!R2()) break step3; del(); }
  }
  back(v);
  // Step 4
  v = mark();
  step4: {
    ket = cur;
    r = findB(EN_a9);
    if (r === 0) break step4;
    bra = cur;
    if (!R2()) break step4;
    if (r === 1) del();
    else { if (!isB('s') && !isB('t')) break step4; del(); }
  }
  back(v);
  // Step 5
  v = mark();
  step5: {
    ket = cur;
    r = findB(EN_a10);
    if (r === 0) break step5;
    bra = cur;
    if (r === 1) {
      if (!R2()) {
        if (!R1()) break step5;
        const v1 = mark();
        if (shortv()) break step5;
        back(v1);
      }
      del();
    } else {
      if (!R2()) break step5;
      if (!isB('l')) break step5;
      del();
    }
  }
  back(v);
  cur = lb;
  // postlude
  if (yFound) {
    for (;;) {
      const v1 = cur;
      let found = false;
      for (;;) {
        const v2 = cur;
        bra = cur;
        if (is('Y')) { ket = cur; cur = v2; found = true; break; }
        cur = v2;
        if (cur >= lim) break;
        cur++;
      }
      if (!found) { cur = v1; break; }
      from('y');
    }
  }
  return str;
};
