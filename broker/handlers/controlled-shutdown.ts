// ControlledShutdown: a broker about to stop asks the controller to move leadership away from
// it first (controlled.shutdown.enable). Behavior: only the active controller answers
// (NOT_CONTROLLER otherwise); the answer lists the partitions whose leadership could not move
// (e.g. replication factor 1), and the broker retries while that list is not empty.
// Version notes: v0 uses request header v0, v2 adds the broker epoch (KIP-380).
import { ErrorCode } from '../protocol/errors';
import { ControlledShutdown } from '../protocol/messages/controlled-shutdown';
import { defineHandler } from './api-handler';

export const controlledShutdownHandler = defineHandler({
  api: ControlledShutdown,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, _version, ctx) {
    const { controller } = ctx.broker;
    if (!controller.isActive()) return { errorCode: ErrorCode.NOT_CONTROLLER, remainingPartitions: [] };
    return controller.controlledShutdown(request.brokerId, request.brokerEpoch);
  },
});
