import { Injectable } from '@nestjs/common';
import { isUniqueViolation, toDatabaseUnavailable } from './database-errors';
import { PrismaService } from './prisma.service';

/** Server-wide values every instance must agree on, kept in the database. */
@Injectable()
export class ServiceSettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The stored value, or `candidate` stored now; concurrent first starts all get the winner's. */
  async getOrInsert(key: string, candidate: () => string): Promise<string> {
    try {
      const existing = await this.prisma.client.serviceSetting.findUnique({ where: { key } });
      if (existing) return existing.value;
      try {
        const created = await this.prisma.client.serviceSetting.create({ data: { key, value: candidate() } });
        return created.value;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const winner = await this.prisma.client.serviceSetting.findUniqueOrThrow({ where: { key } });
        return winner.value;
      }
    } catch (error) {
      throw toDatabaseUnavailable(error);
    }
  }
}
