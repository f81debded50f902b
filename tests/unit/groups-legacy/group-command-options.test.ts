// kafka-consumer-groups argument checks (Kafka 2.4 ConsumerGroupCommandOptions.checkArgs + --zookeeper).
import { groupCommandProgram, validateGroupCommand } from '../../../admin-cli/groups/group-command-options';
import { formatOffsets, lagOf } from '../../../admin-cli/groups/group-output';

function parse(args: string[]) {
  const program = groupCommandProgram();
  program.parse(args, { from: 'user' });
  return validateGroupCommand(program.opts());
}

describe('kafka-consumer-groups options', () => {
  const bs = ['--bootstrap-server', 'h:9092'];

  it('needs exactly one action and one connection', () => {
    expect(() => parse([...bs])).toThrow('exactly one action');
    expect(() => parse([...bs, '--list', '--describe', '--group', 'g'])).toThrow('exactly one action');
    expect(() => parse(['--list'])).toThrow('bootstrap-server');
    expect(() => parse([...bs, '--zookeeper', 'z:2181', '--list'])).toThrow('not valid with --zookeeper');
    expect(parse([...bs, '--list'])).toEqual({ action: 'list', bootstrapServer: 'h:9092', zookeeper: undefined });
  });

  it('--describe needs a group and at most one of --members/--offsets/--state', () => {
    expect(() => parse([...bs, '--describe'])).toThrow('--all-groups, --group');
    expect(() => parse([...bs, '--describe', '--group', 'g', '--members', '--state'])).toThrow('at most one');
    expect(parse([...bs, '--describe', '--group', 'g', '--members'])).toMatchObject({ action: 'describe', groups: ['g'], mode: 'members' });
    expect(() => parse([...bs, '--list', '--members'])).toThrow('--describe only');
  });

  it('--zookeeper only lists and describes offsets', () => {
    expect(parse(['--zookeeper', 'z:2181/c', '--describe', '--group', 'g'])).toMatchObject({ action: 'describe', zookeeper: 'z:2181/c', mode: 'offsets' });
    expect(() => parse(['--zookeeper', 'z:2181', '--delete', '--group', 'g'])).toThrow('only valid with --list and --describe');
    expect(() => parse(['--zookeeper', 'z:2181', '--describe', '--group', 'g', '--state'])).toThrow('only valid with --bootstrap-server');
  });

  it('--reset-offsets needs a scope and one scenario; dry run is the default', () => {
    expect(() => parse([...bs, '--reset-offsets', '--group', 'g', '--to-earliest'])).toThrow('--all-topics, --topic');
    expect(() => parse([...bs, '--reset-offsets', '--group', 'g', '--all-topics', '--topic', 't', '--to-earliest'])).toThrow('--all-topics, --topic');
    expect(() => parse([...bs, '--reset-offsets', '--group', 'g', '--all-topics'])).toThrow('only accepts one of');
    expect(() => parse([...bs, '--reset-offsets', '--group', 'g', '--all-topics', '--to-latest', '--dry-run', '--execute'])).toThrow('--dry-run is not valid with --execute');
    expect(parse([...bs, '--reset-offsets', '--group', 'g', '--topic', 't:1', '--shift-by', '-2'])).toMatchObject({
      action: 'reset-offsets', topics: ['t:1'], scenario: { kind: 'shift-by', shift: -2 }, execute: false, warnNoAction: true,
    });
    expect(parse([...bs, '--reset-offsets', '--group', 'g', '--all-topics', '--to-latest', '--execute'])).toMatchObject({ execute: true, warnNoAction: false });
    expect(() => parse([...bs, '--list', '--execute'])).toThrow('only valid with --reset-offsets');
  });

  it('prints Kafka-shaped offset tables', () => {
    const rows = [{ group: 'g', topic: 't', partition: 0, currentOffset: 400, logEndOffset: 1000 }];
    expect(lagOf(rows[0])).toBe(600);
    const out = formatOffsets(rows, 'g').split('\n');
    expect(out[0]).toBe('');
    expect(out[1].split(/\s+/)).toEqual(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
    expect(out[2].split(/\s+/)).toEqual(['g', 't', '0', '400', '1000', '600', '-', '-', '-']);
    expect(out[1].indexOf('TOPIC')).toBe(16);
  });
});
