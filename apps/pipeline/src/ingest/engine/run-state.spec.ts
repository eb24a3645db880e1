import { normalizeIsoTimestamp } from '@customer-pipeline/contracts';
import { cursorOf } from './run-state';

describe('cursorOf', () => {
  it.each([
    ['2024-01-15T09:00:00', '2024-01-15T09:00:00.000Z'],
    ['2024-01-15T09:00:00.5', '2024-01-15T09:00:00.500Z'],
    ['2024-01-15T09:00:00+02:00', '2024-01-15T07:00:00.000Z'],
  ])('places %s at %s, an offset-less time read as UTC as it is stored', (updated_at, instant) => {
    expect(normalizeIsoTimestamp(updated_at)).toBe(instant);
    expect(cursorOf({ customer_id: 'C1', updated_at })).toEqual({
      customerId: 'C1',
      updatedAt: new Date(instant),
    });
  });

  it('has no place for a record without a real time or an id', () => {
    expect(cursorOf({ customer_id: 'C1', updated_at: 'yesterday' })).toBeNull();
    // Date.parse reads the 30th of February as the 1st of March.
    expect(cursorOf({ customer_id: 'C1', updated_at: '2024-02-30T09:00:00Z' })).toBeNull();
    expect(cursorOf({ customer_id: 7, updated_at: '2024-01-15T09:00:00Z' })).toBeNull();
    expect(cursorOf(null)).toBeNull();
  });
});
