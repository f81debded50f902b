// SampledRate against Kafka's Rate/SampledStat arithmetic (worked by hand from the 2.4 sources).
import { SampledRate } from '../../../broker/quota/rate';

describe('SampledRate', () => {
  it('divides by at least (samples - 1) windows while the rate is young, as Kafka Rate.windowSize', () => {
    const rate = new SampledRate(11, 1000);
    rate.record(1000, 0);
    // 0 ms elapsed, 0 full windows < 10: the span is taken as 10 s.
    expect(rate.windowSize(0)).toBe(10000);
    expect(rate.measure(0)).toBe(100);
    // 2.5 s later: 2500 + (10 - 2) * 1000.
    expect(rate.windowSize(2500)).toBe(10500);
  });

  it('measures the real span once the windows are full', () => {
    const rate = new SampledRate(3, 1000);
    for (let t = 0; t < 10000; t += 100) rate.record(100, t); // 1000 bytes/s
    // At 9950 ms the three retained windows start at 7000, 8000, 9000.
    expect(rate.windowSize(9950)).toBe(2950);
    expect(rate.measure(9950)).toBeCloseTo(3000 / 2.95, 6);
  });

  it('forgets windows older than samples * window size', () => {
    const rate = new SampledRate(2, 1000);
    rate.record(5000, 0);
    expect(rate.measure(500)).toBeCloseTo(5000 / 1.5, 6); // 500 ms + 1 minimum window
    expect(rate.measure(2000)).toBe(0);
  });

  it('takes back a recorded value (a throttled fetch)', () => {
    const rate = new SampledRate(11, 1000);
    rate.record(4000, 100);
    rate.record(2000, 200);
    rate.record(-2000, 200);
    expect(rate.measure(200)).toBeCloseTo(4000 / 10.1, 6);
  });

  it('reuses the oldest window when a new one starts', () => {
    const rate = new SampledRate(2, 1000);
    rate.record(100, 0);
    rate.record(200, 1000);
    rate.record(400, 2000); // replaces the window of t=0
    expect(rate.measure(2000)).toBe((200 + 400) / 1);
  });
});
