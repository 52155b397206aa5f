import { describe, expect, it } from 'vitest';
import { escapeXml } from './escape-xml.js';

describe('escapeXml', () => {
  it('writes the five markup characters as entities, every one of them', () => {
    expect(escapeXml(`a&b<c>d"e'f&&`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&amp;&amp;');
  });

  it('keeps tab, line feed, carriage return and the characters XML takes, and replaces each one it cannot carry', () => {
    expect(escapeXml('\t\n\r é \u{1F600} \uE000 \uFFFD')).toBe('\t\n\r é \u{1F600} \uE000 \uFFFD');
    expect(escapeXml('a\u0000b\u0001\u001f\uFFFE\uFFFF\uD800c\uDFFF')).toBe('a\uFFFDb\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDc\uFFFD');
  });
});
