/**
 * Structured JSON logs (pino) to stderr, so stdout stays free for command output.
 *
 * The logger is made on first use, not on import: importing a module that logs must not parse
 * the environment (a script or test that sets it first, or a unit test of a bad environment,
 * would otherwise see it fixed at import time, or fail on import).
 */
import pino from 'pino';
import { config } from './config';

export type Logger = pino.Logger;

let instance: Logger | undefined;

function made(): Logger {
  instance ??= pino({ level: config().LOG_LEVEL, base: { service: 'dcg' } }, pino.destination(2));
  return instance;
}

/** The process's logger: every property reads through to the pino logger, made on first use. */
export const logger: Logger = new Proxy({} as Logger, {
  get(_, key) {
    const target = made();
    const value = Reflect.get(target, key, target) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  },
  set(_, key, value) {
    return Reflect.set(made(), key, value);
  },
  has(_, key) {
    return Reflect.has(made(), key);
  },
});
