// --reset-offsets computations (Kafka 2.4 ConsumerGroupCommand.prepareOffsetsToReset).
import { computeResetOffsets, parseDateTime, parseTopicArg, resetScenarioFrom } from '../../../admin-cli/groups/reset-offsets';

const p = (over: Partial<Parameters<typeof computeResetOffsets>[1][number]> = {}) => ({ topic: 't', partition: 0, logStartOffset: 10, logEndOffset: 100, ...over });

describe('reset offsets', () => {
  it('earliest and latest are the log start and end', () => {
    expect(computeResetOffsets({ kind: 'to-earliest' }, [p()])).toEqual([{ topic: 't', partition: 0, offset: 10 }]);
    expect(computeResetOffsets({ kind: 'to-latest' }, [p()])).toEqual([{ topic: 't', partition: 0, offset: 100 }]);
  });

  it('--to-offset and --shift-by are clamped into the log', () => {
    expect(computeResetOffsets({ kind: 'to-offset', offset: 50 }, [p()])[0].offset).toBe(50);
    expect(computeResetOffsets({ kind: 'to-offset', offset: 500 }, [p()])[0].offset).toBe(100);
    expect(computeResetOffsets({ kind: 'to-offset', offset: 0 }, [p()])[0].offset).toBe(10);
    expect(computeResetOffsets({ kind: 'shift-by', shift: -5 }, [p({ committed: 40 })])[0].offset).toBe(35);
    expect(computeResetOffsets({ kind: 'shift-by', shift: -50 }, [p({ committed: 40 })])[0].offset).toBe(10);
    expect(computeResetOffsets({ kind: 'shift-by', shift: 90 }, [p({ committed: 40 })])[0].offset).toBe(100);
  });

  it('--shift-by needs a committed offset', () => {
    expect(() => computeResetOffsets({ kind: 'shift-by', shift: 1 }, [p()])).toThrow('Cannot shift offset for partition t-0 since there is no current committed offset');
  });

  it('--to-datetime takes the offset found, else the log end', () => {
    expect(computeResetOffsets({ kind: 'to-datetime', timestamp: 1 }, [p({ offsetForTimestamp: 42 })])[0].offset).toBe(42);
    expect(computeResetOffsets({ kind: 'to-datetime', timestamp: 1 }, [p({ offsetForTimestamp: -1 })])[0].offset).toBe(100);
  });

  it('parses Kafka datetimes, with and without a zone', () => {
    expect(parseDateTime('2020-01-02T03:04:05.678Z')).toBe(Date.UTC(2020, 0, 2, 3, 4, 5, 678));
    expect(parseDateTime('2020-01-02T03:04:05.678+01:00')).toBe(Date.UTC(2020, 0, 2, 2, 4, 5, 678));
    expect(parseDateTime('2020-01-02T03:04:05.678+0100')).toBe(Date.UTC(2020, 0, 2, 2, 4, 5, 678));
    expect(parseDateTime('2020-01-02T03:04:05.678')).toBe(new Date(2020, 0, 2, 3, 4, 5, 678).getTime());
    expect(() => parseDateTime('2020-01-02 03:04')).toThrow('Error parsing timestamp');
  });

  it('takes exactly one scenario', () => {
    expect(resetScenarioFrom({ shiftBy: '-3' })).toEqual({ kind: 'shift-by', shift: -3 });
    expect(() => resetScenarioFrom({})).toThrow('only accepts one of');
    expect(() => resetScenarioFrom({ toEarliest: true, toLatest: true })).toThrow('only accepts one of');
    expect(() => resetScenarioFrom({ toOffset: 'x' })).toThrow('--to-offset expects a long');
  });

  it('parses topic:partitions', () => {
    expect(parseTopicArg('t')).toEqual({ topic: 't' });
    expect(parseTopicArg('t:0,2')).toEqual({ topic: 't', partitions: [0, 2] });
    expect(() => parseTopicArg('t:a')).toThrow('Invalid --topic');
  });
});
