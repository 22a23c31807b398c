import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { ACCOUNT_NAME } from '@app/connectors/accounts/connector-accounts';
import { CustomerDetailsDto, CustomerPathDto, MERCHANT_CUSTOMER_ID } from '../dto/create-customer-request.dto';
import { MAX_ACCOUNTS_PER_OPERATION } from './customer-profiles.use-cases';

/** A query string's `true` / `false` as a boolean (gRPC sends booleans already). */
const queryBoolean = Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
const queryInteger = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value));

/** The merchant customer: in the REST path, or in the gRPC message (required there). */
abstract class ProfilesOf {
  @ApiPropertyOptional({ example: 'user-42', description: 'The merchant’s own id (over REST, the path gives it)' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(MERCHANT_CUSTOMER_ID, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  merchant_customer_id?: string;
}

export class ListProfilesRequestDto extends ProfilesOf {
  @ApiPropertyOptional({ example: true, description: 'Also ask each processor for the customer as it holds it now' })
  @IsOptional()
  @queryBoolean
  @IsBoolean({ message: 'must be a boolean' })
  live?: boolean;
}

export class CreateProfilesRequestDto extends CustomerDetailsDto {
  @ApiPropertyOptional({ example: 'user-42', description: 'The merchant’s own id (over REST, the path gives it)' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(MERCHANT_CUSTOMER_ID, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  declare merchant_customer_id?: string;

  @ApiProperty({ example: ['stripe-eu', 'adyen-eu'], description: 'Named connector accounts (CONNECTOR_ACCOUNTS_FILE) to create the customer at' })
  @IsDefined({ message: 'is required: name the connector accounts to create the customer at' })
  @IsArray({ message: 'must be a list of connector account names' })
  @ArrayMinSize(1, { message: 'must name at least one connector account' })
  @ArrayMaxSize(MAX_ACCOUNTS_PER_OPERATION, { message: `must name at most ${MAX_ACCOUNTS_PER_OPERATION} connector accounts` })
  @IsString({ each: true, message: 'must be connector account names' })
  @Matches(ACCOUNT_NAME, { each: true, message: 'must be connector account names: 1 to 64 letters, digits, ".", "_" or "-"' })
  accounts: string[];

  @ApiPropertyOptional({ example: true }) @IsOptional() @IsBoolean({ message: 'must be a boolean' }) test_mode?: boolean;
}

export class UpdateProfilesRequestDto extends CustomerDetailsDto {
  @ApiPropertyOptional({ example: 'user-42', description: 'The merchant’s own id (over REST, the path gives it)' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(MERCHANT_CUSTOMER_ID, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  declare merchant_customer_id?: string;
}

export class EraseProfilesRequestDto extends ProfilesOf {}

export class GetOperationRequestDto extends ProfilesOf {
  @ApiProperty({ example: '0193a2b4-5c6d-7e8f-9012-3456789abcde' })
  @IsDefined({ message: 'is required' })
  @IsUUID('all', { message: 'must be an operation id' })
  operation_id: string;
}

export class ListOperationsRequestDto extends ProfilesOf {
  @ApiPropertyOptional({ example: 10, minimum: 1, maximum: 50 })
  @IsOptional()
  @queryInteger
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(50, { message: 'must be at most 50' })
  limit?: number;
}

/** `/v1/customers/{merchant_customer_id}/profiles/operations/{operation_id}`. */
export class OperationPathDto extends CustomerPathDto {
  @IsUUID('all', { message: 'must be an operation id' })
  operation_id: string;
}
