/** setLongTimeout waits delays longer than Node's timers can (2^31 − 1 ms), and cancels. */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { setLongTimeout } from '../../gateway/long-timeout.js';

const DAY = 86_400_000;

describe('setLongTimeout', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('fires after 30 days, not before', () => {
    jest.useFakeTimers();
    const fired = jest.fn();
    setLongTimeout(fired, 30 * DAY);
    jest.advanceTimersByTime(29 * DAY);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(DAY);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('fires at once for a delay already past, and never once cancelled', () => {
    jest.useFakeTimers();
    const past = jest.fn();
    setLongTimeout(past, -5);
    jest.advanceTimersByTime(0);
    expect(past).toHaveBeenCalledTimes(1);
    const cancelled = jest.fn();
    const cancel = setLongTimeout(cancelled, 40 * DAY);
    jest.advanceTimersByTime(25 * DAY);
    cancel();
    jest.advanceTimersByTime(20 * DAY);
    expect(cancelled).not.toHaveBeenCalled();
  });
});
