import type { TenantScope } from '@app/common/context/request-headers';
import type { PostalAddress } from '@app/common/domain/customer-profile';
import { DomainError } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '@app/connectors/connector';
import type { CallerKey } from '../callers/caller-keys';
import { toCustomerProfile } from '../dto/customer-profile.mapper';
import { grantsAccount } from '../edge/caller-guard';
import type { CustomerRef, ProfileView, StartOperationCommand } from './customer-profiles.use-cases';
import type { ProfileOperationView } from './profile-operation';
import type { CreateProfilesRequestDto, UpdateProfilesRequestDto } from './profiles.dto';

type Secret = { value: string };
const secret = (value: string | undefined): Secret | undefined => (value === undefined ? undefined : { value });
const defined = <T extends object>(object: T): T => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;

/** The merchant customer a profiles request names: the REST path's, else the message's (required over gRPC). */
export function customerRef(scope: TenantScope, request: { merchant_customer_id?: string }, pathMerchantCustomerId?: string, caller?: CallerKey): CustomerRef {
  if (pathMerchantCustomerId !== undefined && request.merchant_customer_id !== undefined && request.merchant_customer_id !== pathMerchantCustomerId) {
    throw DomainError.invalidField('merchant_customer_id', 'must match the merchant customer id in the path');
  }
  const merchantCustomerId = pathMerchantCustomerId ?? request.merchant_customer_id;
  if (merchantCustomerId === undefined) throw DomainError.missingRequiredField('merchant_customer_id');
  return { scope, merchantCustomerId, grants: (account) => grantsAccount(caller, account) };
}

export function toCreateProfilesCommand(ref: CustomerRef, request: CreateProfilesRequestDto, idempotencyKey?: string): StartOperationCommand {
  return { ...ref, kind: 'create', accounts: request.accounts, customer: toCustomerProfile({ ...request, merchant_customer_id: ref.merchantCustomerId }), idempotencyKey };
}

export function toUpdateProfilesCommand(ref: CustomerRef, request: UpdateProfilesRequestDto, idempotencyKey?: string): StartOperationCommand {
  return { ...ref, kind: 'update', customer: toCustomerProfile({ ...request, merchant_customer_id: ref.merchantCustomerId }), idempotencyKey };
}

export function toEraseProfilesCommand(ref: CustomerRef, idempotencyKey?: string): StartOperationCommand {
  return { ...ref, kind: 'erase', idempotencyKey };
}

function addressMessage(address: PostalAddress | undefined) {
  if (!address) return undefined;
  return defined({
    first_name: secret(address.firstName),
    last_name: secret(address.lastName),
    line1: secret(address.line1),
    line2: secret(address.line2),
    line3: secret(address.line3),
    city: secret(address.city),
    state: secret(address.state),
    zip_code: secret(address.zipCode),
    country_alpha2_code: address.country,
    email: secret(address.email),
    phone_number: secret(address.phoneNumber),
    phone_country_code: address.phoneCountryCode,
  });
}

function detailsMessage(record: CustomerRecord) {
  const address = defined({ billing_address: addressMessage(record.billingAddress), shipping_address: addressMessage(record.shippingAddress) });
  return defined({
    name: record.name,
    email: secret(record.email),
    phone_number: record.phone,
    phone_country_code: record.phoneCountryCode,
    address: Object.keys(address).length > 0 ? address : undefined,
    metadata: record.metadata ?? {},
  });
}

export function toProfilesResponse(ref: CustomerRef, profiles: ProfileView[]) {
  return {
    merchant_customer_id: ref.merchantCustomerId,
    profiles: profiles.map(({ mapping, accountName, live }) =>
      defined({
        connector: mapping.connector,
        account: accountName ?? '',
        connector_customer_id: mapping.connectorCustomerId ?? '',
        status: mapping.status,
        test_mode: mapping.testMode,
        mapping_id: mapping.id,
        created_at: mapping.createdAt.toISOString(),
        updated_at: mapping.updatedAt.toISOString(),
        live: live && defined({ status: live.status, details: live.record && detailsMessage(live.record), error_reason: live.errorReason, error_code: live.errorCode }),
      }),
    ),
  };
}

/** An operation as answered: `replayed` when a repeated idempotency-key found it. */
export function toOperationResponse(ref: CustomerRef, { operation, steps, replayed = false }: ProfileOperationView & { replayed?: boolean }) {
  return defined({
    operation_id: operation.id,
    kind: operation.kind,
    status: operation.status,
    merchant_customer_id: ref.merchantCustomerId,
    steps: steps.map((step) =>
      defined({
        connector: step.connector,
        account: step.accountName ?? '',
        status: step.status,
        outcome: step.outcome ?? undefined,
        connector_customer_id: step.connectorCustomerId ?? undefined,
        error_reason: step.errorReason ?? undefined,
        error_code: step.errorCode ?? undefined,
        attempts: step.attempts,
        next_attempt_at: step.status === 'pending' && step.nextAttemptAt ? step.nextAttemptAt.toISOString() : undefined,
      }),
    ),
    created_at: operation.createdAt.toISOString(),
    completed_at: operation.completedAt?.toISOString(),
    replayed,
  });
}

export type OperationResponse = ReturnType<typeof toOperationResponse>;
export type ProfilesResponse = ReturnType<typeof toProfilesResponse>;
