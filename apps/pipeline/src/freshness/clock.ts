import { Injectable } from '@nestjs/common';

/** What time it is, as a provider of its own, so that tests can stand at any instant they need. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
