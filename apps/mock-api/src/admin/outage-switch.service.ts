import { Injectable } from '@nestjs/common';

/**
 * Whether the mock API plays dead: while down, every customers request is answered 503. A timed outage
 * ends by itself; the deadline is checked when asked, so no timer outlives the application.
 */
@Injectable()
export class OutageSwitch {
  private down = false;
  /** `performance.now()` at which a timed outage ends; null while down until told otherwise. */
  private until: number | null = null;

  get isDown(): boolean {
    if (this.down && this.until !== null && performance.now() >= this.until) {
      this.down = false;
      this.until = null;
    }
    return this.down;
  }

  /** Goes down or comes back; `forMs` (only with `down`) ends the outage after that many milliseconds. */
  set(down: boolean, forMs?: number): void {
    this.down = down;
    this.until = down && forMs !== undefined ? performance.now() + forMs : null;
  }
}
