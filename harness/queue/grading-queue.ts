import { Queue, type ConnectionOptions } from 'bullmq';
import { redisOptions } from './redis-connection.ts';

export const DEFAULT_QUEUE = 'takehome-grader';
/** Tries per job: a harness error or an engine that fails mid-grading is graded again twice. */
export const JOB_ATTEMPTS = 3;

/** The BullMQ queue of gradings on the Redis at `url`; jobs and their results are kept until removed. */
export function gradingQueue(url: string, name = DEFAULT_QUEUE): Queue {
  return new Queue(name, {
    connection: redisOptions(url) as ConnectionOptions,
    defaultJobOptions: { attempts: JOB_ATTEMPTS, backoff: { type: 'fixed', delay: 1_000 }, removeOnComplete: false, removeOnFail: false },
  });
}
