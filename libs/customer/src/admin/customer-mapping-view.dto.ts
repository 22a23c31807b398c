import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CustomerMappingPage, CustomerMappingView } from './customer-mapping-admin.service';

/** A stored mapping as the admin API shows it (OpenAPI only). */
export class CustomerMappingViewDto implements CustomerMappingView {
  @ApiProperty({ example: '0190f0a4-5b6c-7d8e-9f01-23456789abcd', description: 'Mapping id (UUIDv7: sorts by creation)' }) id: string;
  @ApiProperty({ example: 'public' }) tenant_id: string;
  @ApiProperty({ example: 'acme' }) merchant_id: string;
  @ApiProperty({ example: 'user-42' }) merchant_customer_id: string;
  @ApiProperty({ example: 'stripe' }) connector: string;
  @ApiProperty({ example: '9f2c…', description: 'HMAC of the processor account (of its name, for a named account): never a credential' }) connector_account: string;
  @ApiProperty({ example: 'cus_QXg1o8vcGmoR32', description: 'Empty while pending' }) connector_customer_id: string;
  @ApiProperty({ enum: ['pending', 'active'], example: 'active' }) status: string;
  @ApiProperty({ example: true }) test_mode: boolean;
  @ApiProperty({ example: '5b1f…', description: 'The idempotency key sent to the processor for this mapping' }) idempotency_key: string;
  @ApiProperty({ example: '2026-11-26T10:11:12.345Z', format: 'date-time' }) created_at: string;
  @ApiProperty({ example: '2026-11-26T10:11:12.567Z', format: 'date-time' }) updated_at: string;
}

export class CustomerMappingPageDto implements CustomerMappingPage {
  @ApiProperty({ type: [CustomerMappingViewDto], description: 'Newest first' }) mappings: CustomerMappingViewDto[];
  @ApiPropertyOptional({ example: 'MDE5MGYwYTQtNWI2Yy03ZDhlLTlmMDEtMjM0NTY3ODlhYmNk', description: 'Pass as `cursor` for the next page; absent on the last page' }) next_cursor?: string;
}
