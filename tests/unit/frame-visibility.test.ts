import { describe, expect, it } from 'vitest';
import { settledAt, visibleSinceAfter } from '../../utils/overlay/frame-visibility.js';

/** Observations in order, then whether a click at `clickAt` may act (rule: 500 ms visible, unbroken). */
const cases: Array<[string, Array<[boolean, number]>, number, boolean]> = [
  ['visible since 0, click at 500', [[true, 0]], 500, true],
  ['visible since 0, click at 499', [[true, 0]], 499, false],
  ['never observed', [], 10_000, false],
  [
    'covered at 200, uncovered at 500, click at 600',
    [
      [true, 0],
      [false, 200],
      [true, 500],
    ],
    600,
    false,
  ],
  [
    'covered 300 ms, removed just before the click',
    [
      [true, 0],
      [false, 1_000],
      [true, 1_300],
    ],
    1_350,
    false,
  ],
  [
    'uncovered long enough after a cover',
    [
      [true, 0],
      [false, 1_000],
      [true, 1_300],
    ],
    1_800,
    true,
  ],
  [
    'a second "visible" does not restart the count',
    [
      [true, 0],
      [true, 400],
    ],
    500,
    true,
  ],
  [
    'covered at the click',
    [
      [true, 0],
      [false, 900],
    ],
    1_000,
    false,
  ],
];

describe('the panel acts after 500 ms fully visible without a break', () => {
  it.each(cases)('%s', (_what, observations, clickAt, expected) => {
    let since: number | null = null;
    for (const [visible, at] of observations) since = visibleSinceAfter(since, { visible, at });
    expect(settledAt(since, clickAt)).toBe(expected);
  });
});
