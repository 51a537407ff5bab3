// German from Snowball 3.1.1's german.sbl, via snowballstemmer/german_stemmer.py.
const DE_V = 'aeiouyäöü', DE_ET = 'Udfgklmnrstzä', DE_S = 'bdfghklmnrt', DE_ST = 'bdfghklmnt';
const DE_a0 = A('_:5 ae:2 oe:3 qu ue:4 ß:1');
const DE_a1 = A('_:5 U:2 Y:1 ä:3 ö:4 ü:2');
const DE_a2 = A('e:3 em:1 en:3 erinnen:2 erin:2 ln:5 ern:2 er:2 s:4 es:3 lns:5');
const DE_a3 = A('tick plan geordn intern tr');
const DE_a4 = A('en:1 er:1 et:3 st:2 est:1');
const DE_a5 = A('ig:1 lich:1');
const DE_a6 = A('end:1 ig:2 ung:1 lich:3 isch:2 ik:2 heit:3 keit:4');
const DE_a7 = A("':1 'sch:1 's:1");

const stem = (word) => {
  begin(word);
  let r;
  // prelude: u and y between vowels marked; ß, ae, oe, ue normalised
  for (;;) {
    const v2 = cur;
    let found = false;
    for (;;) {
      const v3 = cur;
      lab1: {
        if (!inG(DE_V)) break lab1;
        bra = cur;
        const v4 = cur;
        if (is('u')) { ket = cur; if (inG(DE_V)) { from('U'); cur = v3; found = true; break; } }
        cur = v4;
        if (!is('y')) break lab1;
        ket = cur;
        if (!inG(DE_V)) break lab1;
        from('Y');
        cur = v3; found = true; break;
      }
      if (found) break;
      cur = v3;
      if (cur >= lim) break;
      cur++;
    }
    if (!found) { cur = v2; break; }
  }
  cur = 0;
  for (;;) {
    const v5 = cur;
    bra = cur;
    r = find(DE_a0);
    ket = cur;
    if (r === 1) from('ss');
    else if (r === 2) from('ä');
    else if (r === 3) from('ö');
    else if (r === 4) from('ü');
    else if (r === 5) { if (cur >= lim) { cur = v5; break; } cur++; }
  }
  cur = 0;
  // mark_regions
  let p1 = lim, p2 = lim;
  regions: {
    if (cur + 3 > lim) break regions;
    const x = cur + 3;
    if (!goOut(DE_V)) break regions;
    cur++;
    if (!goIn(DE_V)) break regions;
    cur++;
    p1 = cur < x ? x : cur;
    if (!goOut(DE_V)) break regions;
    cur++;
    if (!goIn(DE_V)) break regions;
    cur++;
    p2 = cur;
  }
  cur = 0;
  const R1 = () => p1 <= cur, R2 = () => p2 <= cur;
  lb = cur; cur = lim;
  let v = mark();
  lab0: {
    ket = cur;
    r = findB(DE_a2);
    if (r === 0) break lab0;
    bra = cur;
    if (!R1()) break lab0;
    if (r === 1) { if (eqB('syst')) break lab0; del(); }
    else if (r === 2) del();
    else if (r === 3) {
      del();
      const v2 = mark();
      ket = cur;
      if (isB('s')) { bra = cur; if (eqB('nis')) del(); else back(v2); } else back(v2);
    } else if (r === 4) { if (!inGb(DE_S)) break lab0; del(); }
    else from('l');
  }
  back(v);
  v = mark();
  lab0: {
    ket = cur;
    r = findB(DE_a4);
    if (r === 0) break lab0;
    bra = cur;
    if (!R1()) break lab0;
    if (r === 1) del();
    else if (r === 2) {
      if (!inGb(DE_ST)) break lab0;
      if (cur - 3 < lb) break lab0;
      cur -= 3;
      del();
    } else {
      const v4 = mark();
      if (!inGb(DE_ET)) break lab0;
      back(v4);
      const v5 = mark();
      if (findB(DE_a3) !== 0) break lab0;
      back(v5);
      del();
    }
  }
  back(v);
  v = mark();
  lab0: {
    ket = cur;
    r = findB(DE_a6);
    if (r === 0) break lab0;
    bra = cur;
    if (!R2()) break lab0;
    if (r === 1) {
      del();
      const v7 = mark();
      lab1: {
        ket = cur;
        if (!eqB('ig')) { back(v7); break lab1; }
        bra = cur;
        if (isB('e')) { back(v7); break lab1; }
        if (!R2()) { back(v7); break lab1; }
        del();
      }
    } else if (r === 2) {
      if (isB('e')) break lab0;
      del();
    } else if (r === 3) {
      del();
      const v8 = mark();
      ket = cur;
      if (eqB('er') || eqB('en')) {
        bra = cur;
        if (R1()) del(); else back(v8);
      } else back(v8);
    } else {
      del();
      const v9 = mark();
      ket = cur;
      if (findB(DE_a5) !== 0) {
        bra = cur;
        if (R2()) del(); else back(v9);
      } else back(v9);
    }
  }
  back(v);
  v = mark();
  lab0: {
    ket = cur;
    if (findB(DE_a7) === 0) break lab0;
    bra = cur;
    if (cur <= lb) break lab0;
    cur--;
    if (cur <= lb) break lab0;
    del();
  }
  back(v);
  cur = lb;
  // postlude
  for (;;) {
    const v1 = cur;
    bra = cur;
    r = find(DE_a1);
    ket = cur;
    if (r === 1) from('y');
    else if (r === 2) from('u');
    else if (r === 3) from('a');
    else if (r === 4) from('o');
    else { if (cur >= lim) { cur = v1; break; } cur++; }
  }
  return str;
};
