/** One page of raw records, numbered from 1 in source order. */
export interface RawPage {
  page: number;
  records: unknown[];
  /** Digest of the page as the source sent it, to tell whether a later read of it sees the same thing. */
  contentDigest: string;
  /** Rows of the page that could not be read as records at all (a CSV row of the wrong shape). */
  malformed?: MalformedRow[];
}

export interface MalformedRow {
  /** Where the row stands in its file, counting the header as line 1. */
  line: number;
  text: string;
  message: string;
}
