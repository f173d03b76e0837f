import { Global, Inject, Module, type DynamicModule } from '@nestjs/common';
import { CheckedClock } from '../common/checked-clock.js';
import { Clock } from '../common/clock.js';
import type { AppConfig } from './config.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Injects the validated {@link AppConfig}. */
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }, Clock, CheckedClock], exports: [APP_CONFIG, Clock, CheckedClock] };
  }
}
