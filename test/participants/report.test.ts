import { describe, expect, it } from 'vitest';
import { titleDates } from '../../src/participants/report.js';

describe('the dates in the title of the list of participants', () => {
  it.each([
    ['2012-10-22', '2012-10-23', '22 and 23 October 2012'],
    ['2012-10-15', '2012-10-19', '15-19 October 2012'],
    ['2012-10-22', '2012-10-22', '22 October 2012'],
    ['2012-09-30', '2012-10-01', '30 September to 1 October 2012'],
    ['2012-12-31', '2013-01-01', '31 December 2012 to 1 January 2013'],
  ])('%s to %s: %s', (start, end, text) => {
    expect(titleDates(start, end)).toBe(text);
  });
});
