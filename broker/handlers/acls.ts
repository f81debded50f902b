// DescribeAcls, CreateAcls, DeleteAcls: Zafka has no authorizer, and answers as Kafka 2.4 does
// when authorizer.class.name is not set: SECURITY_DISABLED ("No Authorizer is configured on the
// broker"), for the request as a whole (DescribeAcls) or for each creation / filter; nothing is
// stored. kafka-acls --bootstrap-server then prints Kafka's SecurityDisabledException.
// Version notes: v1 adds resource pattern types (KIP-290); answered the same way.
import { ErrorCode } from '../protocol/errors';
import { CreateAcls, DeleteAcls, DescribeAcls } from '../protocol/messages/acls';
import { defineHandler } from './api-handler';

const NO_AUTHORIZER = 'No Authorizer is configured on the broker';

export const describeAclsHandler = defineHandler({
  api: DescribeAcls,
  handle: () => ({ throttleTimeMs: 0, errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: NO_AUTHORIZER, resources: [] }),
});

export const createAclsHandler = defineHandler({
  api: CreateAcls,
  handle: (request) => ({
    throttleTimeMs: 0,
    results: request.creations.map(() => ({ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: `${NO_AUTHORIZER}.` })),
  }),
});

export const deleteAclsHandler = defineHandler({
  api: DeleteAcls,
  handle: (request) => ({
    throttleTimeMs: 0,
    filterResults: request.filters.map(() => ({ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: `${NO_AUTHORIZER}.`, matchingAcls: [] })),
  }),
});
