// CreateDelegationToken, RenewDelegationToken, ExpireDelegationToken, DescribeDelegationToken:
// Kafka 2.4 refuses token requests on a PLAINTEXT listener (KafkaApis.allowTokenRequests) with
// DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, and Zafka's listeners are all PLAINTEXT; the answer
// carries Kafka's error values (timestamps -1, the ANONYMOUS principal). The connection stays open.
// Version notes: v1 only changes semantics; CreateDelegationToken v2 is the flexible encoding.
import { ErrorCode } from '../protocol/errors';
import { CreateDelegationToken, DescribeDelegationToken, ExpireDelegationToken, RenewDelegationToken } from '../protocol/messages/delegation-tokens';
import { defineHandler } from './api-handler';

const NOT_ALLOWED = ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED;
const ERROR_TIMESTAMP = -1; // DelegationTokenManager.ErrorTimestamp

export const createDelegationTokenHandler = defineHandler({
  api: CreateDelegationToken,
  handle: () => ({
    errorCode: NOT_ALLOWED,
    principalType: 'User',
    principalName: 'ANONYMOUS',
    issueTimestampMs: ERROR_TIMESTAMP,
    expiryTimestampMs: ERROR_TIMESTAMP,
    maxTimestampMs: ERROR_TIMESTAMP,
    tokenId: '',
    hmac: Buffer.alloc(0),
    throttleTimeMs: 0,
  }),
});

export const renewDelegationTokenHandler = defineHandler({
  api: RenewDelegationToken,
  handle: () => ({ errorCode: NOT_ALLOWED, expiryTimestampMs: ERROR_TIMESTAMP, throttleTimeMs: 0 }),
});

export const expireDelegationTokenHandler = defineHandler({
  api: ExpireDelegationToken,
  handle: () => ({ errorCode: NOT_ALLOWED, expiryTimestampMs: ERROR_TIMESTAMP, throttleTimeMs: 0 }),
});

export const describeDelegationTokenHandler = defineHandler({
  api: DescribeDelegationToken,
  handle: () => ({ errorCode: NOT_ALLOWED, tokens: [], throttleTimeMs: 0 }),
});
