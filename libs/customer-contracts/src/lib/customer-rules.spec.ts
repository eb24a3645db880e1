import { codePointLength, isStorableText, toStorableText } from './customer-rules';

describe('text as PostgreSQL sees it', () => {
  it('counts code points: a surrogate pair is one, a variation selector is one more', () => {
    expect(codePointLength('Ada')).toBe(3);
    expect(codePointLength('😀😀')).toBe(2);
    expect(codePointLength('❤️')).toBe(2);
    expect(codePointLength('\uD83D')).toBe(1);
  });

  it('finds U+0000 and unpaired surrogates, and nothing else', () => {
    expect(isStorableText('Zoë 美咲 😀 ❤️ \uFFFD')).toBe(true);
    for (const text of ['a\u0000b', '\uD83D', 'a\uDE00', '\uDE00\uD83D', '😀\uD83D']) {
      expect(isStorableText(text)).toBe(false);
    }
  });

  it('replaces each unstorable character with U+FFFD and keeps every pair whole', () => {
    expect(toStorableText('a\u0000b\uD83Dc\uDE00😀\uDE00\uD83D')).toBe('a\uFFFDb\uFFFDc\uFFFD😀\uFFFD\uFFFD');
    expect(toStorableText('Zoë 😀')).toBe('Zoë 😀');
  });
});
