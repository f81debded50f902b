// A broker configuration problem: a bad value, a missing required key, an unparsable listener.
// broker/main.ts prints the message and exits 1, as Kafka does with its ConfigException.
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
