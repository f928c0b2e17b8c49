#!/usr/bin/env python3
"""Re-judges a measured table of Benchmarks/s2/estimate (created candidates and time) with the estimates of
the current model: compare.py measured.tsv estimates.tsv, where estimates.tsv is `EST_ONLY=1 Est` (or a
full table) from the current sources. Rows are matched on shape and options. Prints what the change
accepts and refuses and checks that no exterior covering creates more candidates than its estimate."""
import csv, sys
from collections import Counter
BACKSTOP, WORK, FIXED = 800_000, 50_000_000, 30
def load(fn):
    return [r for r in csv.DictReader((l for l in open(fn) if not l.startswith('#')), delimiter='\t') if r.get('cover_s')]
key = lambda r: (r['shape'], r['minL'], r['maxL'], r['lm'], r['maxCells'], r['int'])
old = {key(r): r for r in load(sys.argv[1])}
st, refused_fine = Counter(), []
for n in load(sys.argv[2]):
    o = old.get(key(n))
    if not o: st['unmatched'] += 1; continue
    c, t, w = int(o['created']), float(o['cover_s']), max(1.0, float(o['weighted']))
    budget = min(BACKSTOP, int(WORK / (FIXED + w))) if float(o['E']) > 0 else BACKSTOP
    fin = 0 <= c <= budget
    st['coverings'] += 1
    st['refused before (old)'] += o['refused'] != '-'
    st['refused now'] += n['refused'] != '-'
    if o['refused'] != '-' and n['refused'] == '-':
        st['newly accepted'] += 1
        if fin: st['max s newly accepted'] = max(st['max s newly accepted'], t)
        else: st['newly accepted, stopped by the running budget'] += 1; print('stopped', key(n), c, t)
    if o['refused'] == '-' and n['refused'] != '-': st['newly refused'] += 1; print('newly refused', key(n), c, t)
    if n['refused'] not in ('-', 'minLevel') and fin: refused_fine.append((t, key(n), c, int(n['estCand']), n['refused']))
    if n['int'] == 'false' and int(n['estCand']) < (c if c >= 0 else 10**12): st['EXTERIOR ABOVE ESTIMATE'] += 1; print('exterior above estimate', key(n), c, n['estCand'])
for k, v in st.items(): print('%s: %s' % (k, v))
print('still refused though they would finish: %d, by field %s' % (len(refused_fine), dict(Counter(x[4] for x in refused_fine))))
for x in sorted(refused_fine, reverse=True)[:8]: print('   %.2f s' % x[0], x[1], 'created', x[2], 'estimate', x[3], x[4])
