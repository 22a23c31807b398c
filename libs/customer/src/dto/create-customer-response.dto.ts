import { ApiProperty } from '@nestjs/swagger';
import type { CreateCustomerResponse } from '../customer-request.mapper';

/** Prism `CustomerServiceCreateResponse` (OpenAPI only: the controllers return the mapper's plain object). */
export class CreateCustomerResponseDto implements CreateCustomerResponse {
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
}
