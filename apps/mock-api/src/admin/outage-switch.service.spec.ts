import { OutageSwitch } from './outage-switch.service';

describe('OutageSwitch', () => {
  let outage: OutageSwitch;

  beforeEach(() => {
    jest.useFakeTimers();
    outage = new OutageSwitch();
  });

  afterEach(() => jest.useRealTimers());

  it('is up until told to go down, and down until told to come back', () => {
    expect(outage.isDown).toBe(false);
    outage.set(true);
    jest.advanceTimersByTime(24 * 3_600_000);
    expect(outage.isDown).toBe(true);
    outage.set(false);
    expect(outage.isDown).toBe(false);
  });

  it('comes back by itself when a timed outage ends, and stays up', () => {
    outage.set(true, 1000);
    jest.advanceTimersByTime(999);
    expect(outage.isDown).toBe(true);
    jest.advanceTimersByTime(1);
    expect(outage.isDown).toBe(false);
    jest.advanceTimersByTime(5000);
    expect(outage.isDown).toBe(false);
  });

  it('lets a new order replace a timed outage', () => {
    outage.set(true, 1000);
    outage.set(true);
    jest.advanceTimersByTime(2000);
    expect(outage.isDown).toBe(true);

    outage.set(true, 1000);
    jest.advanceTimersByTime(500);
    outage.set(true, 1000);
    jest.advanceTimersByTime(999);
    expect(outage.isDown).toBe(true);
    jest.advanceTimersByTime(1);
    expect(outage.isDown).toBe(false);
  });

  it('comes back at once when told to, a timed outage included', () => {
    outage.set(true, 60_000);
    outage.set(false);
    expect(outage.isDown).toBe(false);
    jest.advanceTimersByTime(1000);
    expect(outage.isDown).toBe(false);
  });

  it('needs no timer to come back, so none outlives the application', () => {
    outage.set(true, 1000);
    expect(jest.getTimerCount()).toBe(0);
  });
});
