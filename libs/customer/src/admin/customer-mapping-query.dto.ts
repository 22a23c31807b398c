import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const ID = /^[\x21-\x7e]{1,255}$/;
const ID_MESSAGE = { message: 'must be 1 to 255 printable ASCII characters without spaces' };

function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

/** Filters of the mapping list (query string on REST, request message on gRPC). */
export class ListCustomerMappingsQueryDto {
  @ApiPropertyOptional({ example: 'acme' }) @IsOptional() @IsString() @Matches(ID, ID_MESSAGE) merchant_id?: string;
  @ApiPropertyOptional({ example: 'user-42', description: 'Every processor account of this merchant customer' }) @IsOptional() @IsString() @Matches(ID, ID_MESSAGE) merchant_customer_id?: string;
  @ApiPropertyOptional({ example: 'stripe' }) @IsOptional() @IsString() @Matches(/^[a-z0-9_]{1,64}$/, { message: 'must be a connector name such as "stripe"' }) connector?: string;
  @ApiPropertyOptional({ example: 'cus_QXg1o8vcGmoR32', description: 'The processor’s customer id' }) @IsOptional() @IsString() @Matches(ID, ID_MESSAGE) connector_customer_id?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'must be an integer from 1 to 100' })
  @Min(1, { message: 'must be an integer from 1 to 100' })
  @Max(100, { message: 'must be an integer from 1 to 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be a next_cursor value from a previous page' })
  cursor?: string;
}

export class GetCustomerMappingDto {
  @ApiProperty({ example: '0190f0a4-5b6c-7d8e-9f01-23456789abcd', description: 'Mapping id' })
  @IsString() @Matches(/^[0-9a-f-]{36}$/, { message: 'must be a mapping id' }) id: string;
}

export class ResolveCustomerMappingDto {
  @ApiProperty({ example: 'cus_QXg1o8vcGmoR32', description: 'The customer found at the processor' })
  @IsString() @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'must be the processor customer id: 1 to 255 printable ASCII characters' }) connector_customer_id: string;
}

export class ResolveCustomerMappingRequestDto extends ResolveCustomerMappingDto {
  @IsString() @Matches(/^[0-9a-f-]{36}$/, { message: 'must be a mapping id' }) id: string;
}
