import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';

const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's LoggerService written through the application's pino instance, so Nest's own lines
 * and ours share one stream and one format. Nest's `Logger` appends its context as the last
 * argument: `log(message, context)` or `log({fields}, 'message', context)`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: PinoLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    // Nest's start-up chatter (modules initialised, every route mapped) is debug detail.
    const context = rest[rest.length - 1];
    this.write(typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
  setLogLevels(_levels: LogLevel[]): void {
    // The level is the pino instance's (LOG_LEVEL).
  }

  private write(level: PinoLevel, message: unknown, rest: unknown[]): void {
    const args = [...rest];
    const context = args.length > 0 && typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, typeof args[0] === 'string' ? args[0] : message.message);
    } else if (message !== null && typeof message === 'object') {
      const text = typeof args[0] === 'string' ? args[0] : undefined;
      this.pino[level]({ ...(message as Record<string, unknown>), ...fields }, text);
    } else {
      // Nest's error(message, stack, context): the stack travels as a field, not as text.
      if (level === 'error' && typeof args[0] === 'string') fields.stack = args[0];
      this.pino[level](fields, String(message));
    }
  }
}
