import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/finding.js';
import { FindingCollector, groupPath } from './finding-collector.js';

const finding = (fields: Partial<Finding> & Pick<Finding, 'kind' | 'severity' | 'side' | 'path'>): Finding => ({
  operationId: 'usersGet',
  message: `${fields.kind} ${fields.path}`,
  ...fields,
});

describe('FindingCollector', () => {
  it('writes list positions of a pointer as *, and nothing else', () => {
    expect(groupPath('/users/3/name')).toBe('/users/*/name');
    expect(groupPath('/users/12')).toBe('/users/*');
    expect(groupPath('/0/1/2')).toBe('/*/*/*');
    expect(groupPath('/2/3x/x3/v4')).toBe('/*/3x/x3/v4');
    expect(groupPath('query.queries')).toBe('query.queries');
    expect(groupPath('')).toBe('');
  });

  it('counts each occurrence, keeps the first message and example, and each index of a file once', () => {
    const collector = new FindingCollector();
    expect(collector.worst).toBe(null);
    expect(collector.groups()).toEqual([]);
    const first = finding({ kind: 'type-mismatch', severity: 'warning', side: 'response', path: '/users/0/name', message: 'first', value: 7 });
    collector.add(first, { file: 'a.json', index: 2, id: 'i2' });
    collector.add({ ...first, path: '/users/1/name', message: 'second', value: 8 }, { file: 'a.json', index: 2, id: 'i2' });
    collector.add({ ...first, message: 'third' }, { file: 'b.json', index: 0, id: 'j0' });
    collector.add({ ...first, message: 'fourth' }, { file: 'a.json', index: 5, id: 'i5' });
    expect(collector.worst).toBe('warning');
    expect([collector.errors, collector.warnings]).toEqual([0, 4]);
    expect(collector.groups()).toEqual([
      {
        kind: 'type-mismatch',
        severity: 'warning',
        side: 'response',
        path: '/users/*/name',
        message: 'first',
        count: 4,
        example: { file: 'a.json', index: 2, id: 'i2', path: '/users/0/name', value: 7 },
        places: [
          { file: 'a.json', indexes: [2, 5] },
          { file: 'b.json', indexes: [0] },
        ],
      },
    ]);
  });

  it('keeps no example value for a finding without one, and orders errors first, then request before response, kind and path', () => {
    const collector = new FindingCollector();
    const place = { file: 'a.json', index: 0, id: 'i0' };
    const added = [
      finding({ kind: 'field-undeclared', severity: 'warning', side: 'request', path: '/a' }),
      finding({ kind: 'type-mismatch', severity: 'error', side: 'response', path: '/b' }),
      finding({ kind: 'type-mismatch', severity: 'error', side: 'response', path: '/a' }),
      finding({ kind: 'required-missing', severity: 'error', side: 'response', path: '/z' }),
      finding({ kind: 'type-mismatch', severity: 'error', side: 'request', path: '/z' }),
    ];
    for (const f of added) collector.add(f, place);
    expect(collector.worst).toBe('error');
    expect([collector.errors, collector.warnings]).toEqual([4, 1]);
    const groups = collector.groups();
    expect(groups.map((g) => [g.severity, g.side, g.kind, g.path])).toEqual([
      ['error', 'request', 'type-mismatch', '/z'],
      ['error', 'response', 'required-missing', '/z'],
      ['error', 'response', 'type-mismatch', '/a'],
      ['error', 'response', 'type-mismatch', '/b'],
      ['warning', 'request', 'field-undeclared', '/a'],
    ]);
    expect(Object.hasOwn(groups[0]!.example, 'value')).toBe(false);
  });
});
