/** A page as JSON text, read at one data version. */
export interface VersionedPage {
  json: string;
  version: number;
}

export interface FilteredPageCacheOptions {
  /** Pages kept at most; the least recently asked for goes first. */
  entries: number;
  /** A page whose JSON is longer than this many characters is served but not kept. */
  maxPageChars: number;
}

/**
 * The pages of costly filters (substring searches), kept for the data version they were read at. Stored
 * data changes only when a run commits, which moves the version, so a page kept for the current version is
 * exactly what reading it again would give: the same idea as Elasticsearch's shard request cache, which
 * lives until the next refresh. Requests for a page that is being read wait for that one read instead of
 * starting their own, so a burst of the same search costs the database one search. Pages of an older
 * version are dropped as soon as a newer one is asked for; a read that fails, or that found the data at
 * another version than the one asked for, is not kept.
 */
export class FilteredPageCache<T extends VersionedPage> {
  private version: number | undefined;
  private readonly pages = new Map<string, Promise<T>>();

  constructor(private readonly options: FilteredPageCacheOptions) {}

  /**
   * The page under `key` at data version `version`, read by `read` unless it is kept or being read. Without a
   * version (this process cannot be sure which is current) nothing is kept or shared.
   */
  get(key: string, version: number | undefined, read: () => Promise<T>): Promise<T> {
    if (version === undefined) return read();
    if (version !== this.version) {
      this.pages.clear();
      this.version = version;
    }
    const kept = this.pages.get(key);
    if (kept) {
      this.pages.delete(key);
      this.pages.set(key, kept);
      return kept;
    }
    const reading = read();
    this.pages.set(key, reading);
    if (this.pages.size > this.options.entries) this.pages.delete(this.pages.keys().next().value as string);
    reading.then(
      (page) => {
        if (page.version !== version || page.json.length > this.options.maxPageChars)
          this.forget(key, reading);
      },
      () => this.forget(key, reading),
    );
    return reading;
  }

  /** Pages kept now, those being read included. */
  get size(): number {
    return this.pages.size;
  }

  private forget(key: string, reading: Promise<T>): void {
    if (this.pages.get(key) === reading) this.pages.delete(key);
  }
}
