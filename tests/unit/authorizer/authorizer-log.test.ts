// Kafka's log4j.properties sends kafka.authorizer.logger to kafka-authorizer.log only
// (additivity=false): denials (INFO) land there and not in server.log; allows are DEBUG.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { closeLogging, configureLogging, getLogger } from '../../../broker/logging';

test('authorizer lines go to kafka-authorizer.log, not server.log', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authorizer-log-'));
  try {
    configureLogging({ dir, level: 'info' });
    getLogger('kafka.authorizer.logger', '', 'kafka-authorizer').info('Principal = User:bob is Denied Operation = Write');
    getLogger('kafka.authorizer.logger', '', 'kafka-authorizer').debug('Principal = User:bob is Allowed Operation = Read');
    getLogger('kafka.server.KafkaServer').info('started');
    await closeLogging();
    const authorizerLog = fs.readFileSync(path.join(dir, 'kafka-authorizer.log'), 'utf8');
    expect(authorizerLog).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO Principal = User:bob is Denied Operation = Write \(kafka\.authorizer\.logger\)\n$/);
    const serverLog = fs.readFileSync(path.join(dir, 'server.log'), 'utf8');
    expect(serverLog).toContain('started');
    expect(serverLog).not.toContain('Principal');
  } finally {
    configureLogging({ dir: '' });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
