import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const ID = /^[\x21-\x7e]{1,255}$/;
const ID_MESSAGE = { message: 'must be 1 to 255 printable ASCII characters without spaces' };

function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

/** Filters of the mapping list (query string on REST, request message on gRPC). */
export class ListCustomerMappingsQueryDto {
  @IsOptional() @IsString() @Matches(ID, ID_MESSAGE) merchant_id?: string;
  @IsOptional() @IsString() @Matches(ID, ID_MESSAGE) merchant_customer_id?: string;
  @IsOptional() @IsString() @Matches(/^[a-z0-9_]{1,64}$/, { message: 'must be a connector name such as "stripe"' }) connector?: string;
  @IsOptional() @IsString() @Matches(ID, ID_MESSAGE) connector_customer_id?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'must be an integer from 1 to 100' })
  @Min(1, { message: 'must be an integer from 1 to 100' })
  @Max(100, { message: 'must be an integer from 1 to 100' })
  limit?: number;

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be a next_cursor value from a previous page' }) cursor?: string;
}

export class GetCustomerMappingDto {
  @IsString() @Matches(/^[0-9a-f-]{36}$/, { message: 'must be a mapping id' }) id: string;
}

export class ResolveCustomerMappingDto {
  @IsString() @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'must be the processor customer id: 1 to 255 printable ASCII characters' }) connector_customer_id: string;
}

export class ResolveCustomerMappingRequestDto extends ResolveCustomerMappingDto {
  @IsString() @Matches(/^[0-9a-f-]{36}$/, { message: 'must be a mapping id' }) id: string;
}
