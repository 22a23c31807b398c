import { Injectable } from '@nestjs/common';
import { DatabaseConnection } from './database-connection';
import { guarded } from './database-errors';

/** Server-wide values every instance must agree on, kept in the database. */
@Injectable()
export class ServiceSettingsRepository {
  constructor(private readonly connection: DatabaseConnection) {}

  /** The stored value, or `candidate` stored now; concurrent first starts all get the winner's. */
  getOrInsert(key: string, candidate: () => string): Promise<string> {
    const select = 'SELECT value FROM service_settings WHERE "key" = ?';
    return guarded(async () => {
      const [existing] = await this.connection.driver.query<{ value: string }>(select, [key]);
      if (existing) return existing.value;
      await this.connection.driver.execute('INSERT INTO service_settings ("key", value, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [key, candidate(), new Date()]);
      const [winner] = await this.connection.driver.query<{ value: string }>(select, [key]);
      return winner.value;
    });
  }
}
