#!/usr/bin/env python3
"""Summarises the table of Benchmarks/s2/estimate (stdin or a file): which coverings the estimate
refuses before any work, which of those the running budget would have let finish, which accepted
ones the running budget stops, and the time per candidate × (30 + edgesPerQuery) (the work unit of
S2Limits.maxPolygonWork) beside the time per candidate × edgesPerQuery alone."""
import csv, statistics, sys

LIMIT_WORK, BACKSTOP, FIXED = 50_000_000, 800_000, 30
src = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
rows = [r for r in csv.DictReader((l for l in src if not l.startswith('#')), delimiter='\t') if r.get('cover_s')]
for r in rows:
    r['t'] = float(r['cover_s']); r['c'] = int(r['created']); r['w'] = max(1.0, float(r['weighted']))
    if r['c'] < 0: r['c'] = 10**9          # beyond the 1,000,000-candidate or 20 s measurement cap
    r['B'] = min(BACKSTOP, int(LIMIT_WORK / (FIXED + r['w'])))
    r['pre'] = r['refused'] != '-'
print(len(rows), 'polygon coverings of', len({r['shape'] for r in rows}), 'polygons')
pre = [r for r in rows if r['pre']]
fine = [r for r in pre if r['c'] <= r['B']]
print('refused before any work: %d (fields %s); %d of them would have finished within the running budget (max %.2f s)'
      % (len(pre), sorted({r['refused'] for r in pre}), len(fine), max([r['t'] for r in fine] or [0])))
done = [r for r in rows if not r['pre'] and r['c'] <= r['B']]
stop = [r for r in rows if not r['pre'] and r['c'] > r['B']]
print('accepted and finished: %d, max %.2f s' % (len(done), max(r['t'] for r in done)))
for r in sorted(done, key=lambda r: -r['t'])[:3]:
    print('   ', r['shape'], 'e=%.0f' % r['w'], 'levels %s-%s/%s' % (r['minL'], r['maxL'], r['lm']), 'maxCells', r['maxCells'],
          'interior' if r['int'] == 'true' else 'exterior', 'created', r['c'], '%.2f s' % r['t'])
print('accepted, stopped by the running budget (422 region.polygon, or the 800,000-candidate backstop): %d' % len(stop))
for r in sorted(stop, key=lambda r: -r['w'])[:3]:
    print('   ', r['shape'], 'e=%.0f' % r['w'], 'budget', r['B'], 'created', r['c'] if r['c'] < 10**9 else '>1M')
pts = [r for r in rows if 5000 < r['c'] < 10**9]
for name, cost in (('(30 + e)', lambda r: FIXED + r['w']), ('e', lambda r: r['w'])):
    b = sorted(r['t'] / (r['c'] * cost(r)) for r in pts)
    print('seconds per candidate × %s: median %.2e, p95 %.2e, max %.2e, min %.2e (%d coverings over 5,000 candidates)'
          % (name, statistics.median(b), b[int(.95 * len(b))], b[-1], b[0], len(b)))
