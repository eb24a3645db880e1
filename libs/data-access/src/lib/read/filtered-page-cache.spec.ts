import { FilteredPageCache, VersionedPage } from './filtered-page-cache';

const page = (json: string, version: number): VersionedPage => ({ json, version });

/** A read that answers `answer` and counts how often it ran. */
function counted(answer: () => Promise<VersionedPage>) {
  const read = Object.assign(() => (read.calls++, answer()), { calls: 0 });
  return read;
}

describe('FilteredPageCache', () => {
  const options = { entries: 3, maxPageChars: 100 };

  it('reads a page once per data version, and again once the version moves', async () => {
    const cache = new FilteredPageCache(options);
    const atOne = counted(async () => page('[1]', 1));
    expect(await cache.get('a', 1, atOne)).toEqual(page('[1]', 1));
    expect(await cache.get('a', 1, atOne)).toEqual(page('[1]', 1));
    expect(atOne.calls).toBe(1);

    const atTwo = counted(async () => page('[2]', 2));
    expect(await cache.get('a', 2, atTwo)).toEqual(page('[2]', 2));
    expect(atTwo.calls).toBe(1);
  });

  it('lets requests for a page being read wait for that one read', async () => {
    const cache = new FilteredPageCache(options);
    let finish!: (value: VersionedPage) => void;
    const read = counted(() => new Promise((resolve) => (finish = resolve)));
    const waiting = Array.from({ length: 5 }, () => cache.get('a', 1, read));
    finish(page('[1]', 1));
    expect(await Promise.all(waiting)).toEqual(Array(5).fill(page('[1]', 1)));
    expect(read.calls).toBe(1);
  });

  it('keeps nothing without a version it can be sure of', async () => {
    const cache = new FilteredPageCache(options);
    const read = counted(async () => page('[1]', 1));
    await cache.get('a', undefined, read);
    await cache.get('a', undefined, read);
    expect(read.calls).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('does not keep a failed read, nor a page read at another version than asked for', async () => {
    const cache = new FilteredPageCache(options);
    await expect(cache.get('a', 1, async () => Promise.reject(new Error('busy')))).rejects.toThrow('busy');
    // A run committed between the version heard and the read: the page belongs to version 2.
    await cache.get('b', 1, async () => page('[2]', 2));
    const read = counted(async () => page('[1]', 1));
    await cache.get('a', 1, read);
    await cache.get('b', 1, read);
    expect(read.calls).toBe(2);
  });

  it('serves a page too large to keep without keeping it', async () => {
    const cache = new FilteredPageCache(options);
    const large = counted(async () => page('x'.repeat(101), 1));
    await cache.get('a', 1, large);
    await cache.get('a', 1, large);
    expect(large.calls).toBe(2);
  });

  it('drops the page asked for least recently beyond its size', async () => {
    const cache = new FilteredPageCache(options);
    const read = counted(async () => page('[]', 1));
    for (const key of ['a', 'b', 'c']) await cache.get(key, 1, read);
    await cache.get('a', 1, read);
    await cache.get('d', 1, read);
    expect(cache.size).toBe(3);
    expect(read.calls).toBe(4);
    await cache.get('a', 1, read);
    expect(read.calls).toBe(4);
    await cache.get('b', 1, read);
    expect(read.calls).toBe(5);
  });
});
