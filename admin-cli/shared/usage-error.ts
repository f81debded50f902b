// A problem with the command line itself: reported with the usage text and exit code 1
// (Kafka's CommandLineUtils.printUsageAndDie), unlike failures of the operation.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
