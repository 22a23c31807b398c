import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Prism's `GET /health` body. */
export class PrismHealthDto {
  @ApiProperty({ enum: ['healthy', 'unhealthy'], example: 'healthy' }) status: string;
  @ApiProperty({ example: 'connector-service' }) service: string;
}

const INDICATOR: SchemaObject = { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, required: ['status'], additionalProperties: true };

/** @nestjs/terminus's health check result. */
export class TerminusHealthDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], example: 'ok' }) status: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: INDICATOR, description: 'Indicators that are up, by name (process, database, migrations)' }) info?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: INDICATOR, description: 'Indicators that are down, by name' }) error?: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: INDICATOR, description: 'Every indicator, by name' }) details: Record<string, unknown>;
}
