// Everything about record formats in one import: v2 batches, legacy message sets, codecs,
// validation, entry framing and conversion. Files stay one idea each; this only re-exports.
export * from './batch-header';
export * from './crc32c';
export * from './compression';
export * from './record-batch';
export * from './batch-validation';
export * from './log-entries';
export * from './legacy-message-set';
export * from './conversion';
export * from './end-transaction-marker';
