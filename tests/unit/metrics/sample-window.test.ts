import { KAFKA_QUANTILES, SampleWindow } from '../../../broker/metrics/sample-window';

describe('SampleWindow', () => {
  it('reports 0 for every quantile before anything is recorded', () => {
    expect(new SampleWindow(8).quantiles([0.5, 0.99])).toEqual([0, 0]);
  });

  it("interpolates quantiles as Yammer's Snapshot does ((n + 1) * q, 1-based)", () => {
    const w = new SampleWindow(16);
    for (const v of [5, 1, 4, 2, 3]) w.record(v);
    // n = 5: q 0.5 -> position 3 -> 3; q 0.75 -> 4.5 -> between 4 and 5; q 0.99 -> beyond -> max.
    expect(w.quantiles([0.5, 0.75, 0.99, 0.01])).toEqual([3, 4.5, 5, 1]);
    expect(w.count).toBe(5);
    expect(w.sum).toBe(15);
  });

  it('keeps only the most recent samples once full, while count and sum cover everything', () => {
    const w = new SampleWindow(4);
    for (let i = 1; i <= 10; i++) w.record(i * 100);
    expect(w.quantiles([0.01, 0.999])).toEqual([700, 1000]);
    expect(w.count).toBe(10);
    expect(w.sum).toBe(5500);
  });

  it("labels quantiles as the JMX exporter does from Kafka's percentile attributes", () => {
    expect(KAFKA_QUANTILES.map((q) => q.label)).toEqual(['0.50', '0.75', '0.95', '0.98', '0.99', '0.999']);
  });
});
