// CreateDelegationToken (key 38, versions 0-2, flexible from 2), RenewDelegationToken (39),
// ExpireDelegationToken (40) and DescribeDelegationToken (41), versions 0-1: KIP-48 delegation
// tokens. Version notes: v1 only changes semantics; CreateDelegationToken v2 is v1 made flexible.

import { defineApi } from '../api-definition';
import { array, bytes, int16, int32, int64, string, struct } from '../schema';

const CreatableRenewers = struct({
  principalType: string(),
  principalName: string(),
});

export const CreateDelegationToken = defineApi({
  apiKey: 38,
  name: 'CreateDelegationToken',
  maxVersion: 2,
  flexibleVersionsFrom: 2,
  request: struct({
    renewers: array('0+', CreatableRenewers),
    maxLifetimeMs: int64(),
  }),
  response: struct({
    errorCode: int16(),
    principalType: string(),
    principalName: string(),
    issueTimestampMs: int64(),
    expiryTimestampMs: int64(),
    maxTimestampMs: int64(),
    tokenId: string(),
    hmac: bytes(),
    throttleTimeMs: int32(),
  }),
});

/** Renew and Expire share one layout: the token's HMAC and a period; the new expiry back. */
const tokenExpiryResponse = () =>
  struct({
    errorCode: int16(),
    expiryTimestampMs: int64(),
    throttleTimeMs: int32(),
  });

export const RenewDelegationToken = defineApi({
  apiKey: 39,
  name: 'RenewDelegationToken',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: struct({ hmac: bytes(), renewPeriodMs: int64() }),
  response: tokenExpiryResponse(),
});

export const ExpireDelegationToken = defineApi({
  apiKey: 40,
  name: 'ExpireDelegationToken',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: struct({ hmac: bytes(), expiryTimePeriodMs: int64() }),
  response: tokenExpiryResponse(),
});

const DescribedDelegationTokenRenewer = struct({
  principalType: string(),
  principalName: string(),
});

const DescribedDelegationToken = struct({
  principalType: string(),
  principalName: string(),
  issueTimestamp: int64(),
  expiryTimestamp: int64(),
  maxTimestamp: int64(),
  tokenId: string(),
  hmac: bytes(),
  renewers: array('0+', DescribedDelegationTokenRenewer),
});

export const DescribeDelegationToken = defineApi({
  apiKey: 41,
  name: 'DescribeDelegationToken',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: struct({
    owners: array('0+', struct({ principalType: string(), principalName: string() }), { nullable: '0+' }),
  }),
  response: struct({
    errorCode: int16(),
    tokens: array('0+', DescribedDelegationToken),
    throttleTimeMs: int32(),
  }),
});
