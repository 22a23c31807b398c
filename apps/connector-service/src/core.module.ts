import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { DestinationStream } from 'pino';
import { APP_CONFIG, APP_ENVIRONMENT, parseAppConfig, type AppConfig, type Environment } from '@app/common/config/app-config';
import { APP_LOGGER, createAppLogger } from '@app/common/logging/logger';

const CONFIG_KEY = 'app';

export interface CoreModuleOptions {
  /** Use exactly these variables instead of process.env and .env (tests, embedding). */
  env?: Environment;
  /** Where log lines go instead of stdout. */
  logDestination?: DestinationStream;
  /** Sees the validated configuration first, before Nest creates the HTTP server (its bounds and TLS). */
  onConfig?: (config: AppConfig) => void;
}

/** Validated configuration (fails the boot naming every bad variable) and the JSON logger. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions = {}): DynamicModule {
    const explicit = options.env !== undefined;
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: explicit,
          validatePredefined: !explicit,
          skipProcessEnv: explicit,
          validate: (raw) => ({ [CONFIG_KEY]: parseAppConfig({ ...raw, ...options.env }) }),
        }),
      ],
      providers: [
        {
          provide: APP_CONFIG,
          inject: [ConfigService],
          useFactory: (service: ConfigService) => {
            const config = service.getOrThrow<AppConfig>(CONFIG_KEY);
            options.onConfig?.(config);
            return config;
          },
        },
        // ConfigModule has loaded .env into process.env by now (unless variables were given explicitly).
        { provide: APP_ENVIRONMENT, inject: [APP_CONFIG], useFactory: (): Environment => options.env ?? process.env },
        {
          provide: APP_LOGGER,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => createAppLogger({ level: config.logLevel, destination: options.logDestination }),
        },
      ],
      exports: [APP_CONFIG, APP_ENVIRONMENT, APP_LOGGER],
    };
  }
}
