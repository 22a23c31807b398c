import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CreateCustomerRestResponse } from '../customer-request.mapper';

/** Prism `CustomerServiceCreateResponse`, with our REST route's two additions (OpenAPI only: the controllers return the mapper's plain object). */
export class CreateCustomerResponseDto implements CreateCustomerRestResponse {
  @ApiProperty({ example: 'user-42', description: 'Echoes the request (Prism returns the processor id here by mistake)' }) merchant_customer_id: string;
  @ApiProperty({ example: 'cus_QXg1o8vcGmoR32', description: 'The customer at the processor' }) connector_customer_id: string;
  @ApiProperty({ example: 200, description: 'Always 200 on success (Prism)' }) status_code: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'request-id': 'req_a1B2c3', 'idempotency-key': '0190f0a4-…' },
    description: 'The processor’s response headers when this call created the customer; empty on a replay',
  })
  response_headers: Record<string, string>;
  @ApiProperty({ example: false, description: 'On a replay: the details sent differ from those last sent to the processor (the stored customer is returned unchanged; use Update to change it). `POST /v1/customers` only' })
  profile_differs: boolean;
  @ApiPropertyOptional({ example: '2026-12-05T10:00:00.000Z', description: 'This call created a new customer because an earlier one of this merchant customer id was erased then. `POST /v1/customers` only' })
  previously_erased_at?: string;
}

/** Prism `Customer` (OpenAPI only). */
export class CustomerMessageDto {
  @ApiPropertyOptional({ example: 'Ann Lee' }) name?: string;
  @ApiPropertyOptional({ example: { value: 'ann@example.com' }, description: 'Prism’s SecretString: {"value": …}' }) email?: { value: string };
  @ApiPropertyOptional({ example: 'user-42', description: 'The merchant’s own id' }) id?: string;
  @ApiPropertyOptional({ example: 'cus_QXg1o8vcGmoR32' }) connector_customer_id?: string;
  @ApiPropertyOptional({ example: '+49 30 1234567' }) phone_number?: string;
  @ApiPropertyOptional({ example: '+49' }) phone_country_code?: string;
}

/** Prism `CustomerServiceGetResponse` / `CustomerServiceUpdateResponse` (OpenAPI only). */
export class CustomerAnswerDto {
  @ApiProperty({ type: () => CustomerMessageDto, description: 'What the processor holds, as far as its API returns it (empty on an update it did not need)' }) customer: CustomerMessageDto;
  @ApiProperty({ example: 200 }) status_code: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'The processor’s response headers' }) response_headers: Record<string, string>;
  @ApiPropertyOptional({ example: 'user-42' }) merchant_customer_id?: string;
}

/** Prism `CustomerServiceDeleteResponse` (OpenAPI only). */
export class DeleteCustomerAnswerDto {
  @ApiProperty({ example: 200 }) status_code: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'The processor’s response headers' }) response_headers: Record<string, string>;
  @ApiPropertyOptional({ example: 'user-42' }) merchant_customer_id?: string;
}
