// DescribeAcls (key 29), CreateAcls (key 30), DeleteAcls (key 31), versions 0-1 (flexible from
// 2): the ACL APIs of KIP-140. Version notes: v1 adds the resource pattern type (KIP-290;
// 3 = LITERAL when absent).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int8, string, struct } from '../schema';

const LITERAL = 3;

export const DescribeAclsRequestSchema = struct({
  resourceTypeFilter: int8(),
  resourceNameFilter: string('0+', { nullable: '0+' }),
  patternTypeFilter: int8('1+', { default: LITERAL }),
  principalFilter: string('0+', { nullable: '0+' }),
  hostFilter: string('0+', { nullable: '0+' }),
  operation: int8(),
  permissionType: int8(),
});

const AclDescription = struct({
  principal: string(),
  host: string(),
  operation: int8(),
  permissionType: int8(),
});

const DescribeAclsResource = struct({
  resourceType: int8(),
  resourceName: string(),
  patternType: int8('1+', { default: LITERAL }),
  acls: array('0+', AclDescription),
});

export const DescribeAclsResponseSchema = struct({
  throttleTimeMs: int32(),
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  resources: array('0+', DescribeAclsResource),
});

export const DescribeAcls = defineApi({
  apiKey: 29,
  name: 'DescribeAcls',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: DescribeAclsRequestSchema,
  response: DescribeAclsResponseSchema,
});

const AclCreation = struct({
  resourceType: int8(),
  resourceName: string(),
  resourcePatternType: int8('1+', { default: LITERAL }),
  principal: string(),
  host: string(),
  operation: int8(),
  permissionType: int8(),
});

export const CreateAclsRequestSchema = struct({
  creations: array('0+', AclCreation),
});

const AclCreationResult = struct({
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
});

export const CreateAclsResponseSchema = struct({
  throttleTimeMs: int32(),
  results: array('0+', AclCreationResult),
});

export const CreateAcls = defineApi({
  apiKey: 30,
  name: 'CreateAcls',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: CreateAclsRequestSchema,
  response: CreateAclsResponseSchema,
});

const DeleteAclsFilter = struct({
  resourceTypeFilter: int8(),
  resourceNameFilter: string('0+', { nullable: '0+' }),
  patternTypeFilter: int8('1+', { default: LITERAL }),
  principalFilter: string('0+', { nullable: '0+' }),
  hostFilter: string('0+', { nullable: '0+' }),
  operation: int8(),
  permissionType: int8(),
});

export const DeleteAclsRequestSchema = struct({
  filters: array('0+', DeleteAclsFilter),
});

const DeleteAclsMatchingAcl = struct({
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  resourceType: int8(),
  resourceName: string(),
  patternType: int8('1+', { default: LITERAL }),
  principal: string(),
  host: string(),
  operation: int8(),
  permissionType: int8(),
});

const DeleteAclsFilterResult = struct({
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  matchingAcls: array('0+', DeleteAclsMatchingAcl),
});

export const DeleteAclsResponseSchema = struct({
  throttleTimeMs: int32(),
  filterResults: array('0+', DeleteAclsFilterResult),
});

export const DeleteAcls = defineApi({
  apiKey: 31,
  name: 'DeleteAcls',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: DeleteAclsRequestSchema,
  response: DeleteAclsResponseSchema,
});

export type DescribeAclsRequest = Infer<typeof DescribeAclsRequestSchema>;
export type DescribeAclsResponseInput = InferInput<typeof DescribeAclsResponseSchema>;
export type CreateAclsRequest = Infer<typeof CreateAclsRequestSchema>;
export type DeleteAclsRequest = Infer<typeof DeleteAclsRequestSchema>;
