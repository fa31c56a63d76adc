import pino, { type Logger } from 'pino';
import { redactCredentials } from '../core/redact.ts';

/**
 * Human-facing output goes to stdout; the log goes to stderr (quiet unless asked) and,
 * when a destination is given, in full to a file beside the report.
 */
export function createLogger(options: { level?: string; file?: string } = {}): Logger {
  const level = options.level ?? process.env.GRADER_LOG_LEVEL ?? 'warn';
  const streams: pino.StreamEntry[] = [{ level: level as pino.Level, stream: pino.destination(2) }];
  if (options.file) streams.push({ level: 'debug', stream: pino.destination({ dest: options.file, mkdir: true, sync: true }) });
  return pino(
    {
      level: 'debug',
      base: undefined,
      // A log line may carry a source URL (an error from git, a request): its credentials never reach a log.
      hooks: {
        streamWrite: (line) => redactCredentials(line),
      },
    },
    pino.multistream(streams),
  );
}
