export * from './database.module';
export * from './prisma.service';
export * from './service-settings.repository';
export * from './database-errors';
export * from './migrator';
