import { describe, expect, it } from 'vitest';
import { cassettePath } from './cassette-name.js';

describe('cassettePath', () => {
  it('resolves safe names, folders included, inside the cassettes folder', () => {
    expect(cassettePath('/srv/cassettes', 'default')).toBe('/srv/cassettes/default.json');
    expect(cassettePath('/srv/cassettes', 'users/create-1')).toBe('/srv/cassettes/users/create-1.json');
  });

  it.each(['', '../x', '/abs', 'a/../b', 'nul\u0000byte', 'a//b', '.', 'x/..', '-flag', 'a'.repeat(300)])('refuses %j', (name) => {
    expect(() => cassettePath('/srv/cassettes', name)).toThrow(expect.objectContaining({ code: 'CASSETTE_NAME_INVALID' }));
  });
});
