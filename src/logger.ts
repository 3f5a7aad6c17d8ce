/** Structured JSON logs (pino) to stderr, so stdout stays free for command output. */
import pino from 'pino';
import { config } from './config';

export const logger = pino({ level: config().LOG_LEVEL, base: { service: 'dcg' } }, pino.destination(2));
export type Logger = typeof logger;
