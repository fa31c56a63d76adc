import { Command, CommanderError } from 'commander';
import { HarnessError, UsageError, errorMessage } from '../../core/errors.ts';
import { installShutdownHandlers } from '../shutdown.ts';
import { HARNESS_VERSION } from '../version.ts';
import { assignmentListCommand, assignmentNewCommand, assignmentValidateCommand } from './assignment-command.ts';
import { actionCommand } from './action-command.ts';
import { batchCommand } from './batch-command.ts';
import { reviewCommand } from './review-command.ts';
import { cachePruneCommand } from './cache-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { gradeCommand } from './grade-command.ts';
import { imageBuildCommand } from './image-command.ts';
import { queueAddCommand, queueResultsCommand, queueStatusCommand } from './queue-command.ts';
import { workerCommand } from './worker-command.ts';

/** Runs a command and turns every outcome into an exit code and at most one line on stderr. */
async function run(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`grader: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof HarnessError) {
      process.stderr.write(`grader: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`grader: internal error: ${errorMessage(error)} (GRADER_LOG_LEVEL=debug for details)\n`);
      if (process.env.GRADER_LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = 1;
    }
  }
}

/** The examples and exit codes a command's --help ends with. */
function help(examples: readonly string[], exitCodes: readonly string[]): string {
  return `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}\n\nExit codes:\n${exitCodes.map((line) => `  ${line}`).join('\n')}\n`;
}

export function buildProgram(): Command {
  const program = new Command('grader')
    .description('Grade backend take-home submissions in a Docker sandbox')
    .version(HARNESS_VERSION)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`grader: ${text.replace(/^error: /, '')}`) });

  program
    .command('grade')
    .description('grade one submission (a directory or a git URL) and write report.json and report.md')
    .argument('<source>', 'directory or https git URL of the submission')
    .option('-a, --assignment <id|path>', 'built-in assignment id or path to its folder/manifest')
    .option('-r, --ref <git-ref>', 'branch, tag or commit to grade (git URLs)')
    .option('-o, --out <dir>', 'where to write the report (default ./grader-reports/<name>-<time>/)')
    .option('--force', 'replace a report already in --out (the old folder is moved aside, reviews included)')
    .option('--json', 'print the report JSON instead of the summary table')
    .option('--blind <alias>', 'blind review: show this alias instead of the name and source')
    .option('-f, --format <list>', 'report formats: json, md, html, junit, gradescope, feedback, classroom', 'json,md,html')
    .option('--dir <path>', 'the app\'s folder inside the repository (repo signals still read the whole repository)')
    .option('--start <command>', 'start the server with this shell command (default: the assignment\'s, a Procfile web: line, or the toolchain\'s convention)')
    .option('--build <command>', 'build with this shell command instead of the toolchain\'s build step')
    .option('--toolchain <id>', 'grade with this toolchain instead of detecting one (node, python, go, java, command)')
    .option('--image <image>', 'install, build and run in this image instead of the toolchain\'s')
    .option('--no-color', 'no colour in the summary and progress (also NO_COLOR=1)')
    .addHelpText('after', help([
      'grader grade ./submissions/alice',
      'grader grade https://github.com/alice/takehome.git --ref v1.2 --out reports/alice',
      'grader grade ./bob --assignment orders-service-repair --format json,md,html,junit',
      'grader grade ./carol --dir server --start "node dist/main.js"',
    ], ['0  graded (whatever the score; read report.md)', '1  the harness failed (the report says "gradable": false; rerun)', '2  bad input: a path, URL, ref, manifest or option the harness cannot use (one line, no report)']))
    .action((source: string, options: Record<string, unknown>) => run(() => gradeCommand({ source, ...options })));

  program
    .command('batch')
    .description('grade every submission in a roster (CSV or YAML) and write summary.md and summary.csv')
    .argument('<roster>', 'roster file: candidate, source, optional ref and deadline')
    .option('-a, --assignment <id|path>', 'built-in assignment id or path')
    .option('-o, --out <dir>', 'output folder', 'grader-reports/batch')
    .option('-c, --concurrency <n>', 'gradings at once (default: CPU count)')
    .option('--skip-invalid', 'grade the valid rows even if some are bad (the summary lists the bad ones as not graded, with why)')
    .option('--skip-bad-rows', 'the same as --skip-invalid')
    .option('--queue [name]', 'grade through the durable Redis queue (workers on any engine) instead of this process, then collect into --out')
    .option('--redis <url>', 'Redis holding the queue, with --queue (default $GRADER_REDIS_URL or redis://127.0.0.1:6379)')
    .addHelpText('after', help([
      'grader batch roster.csv --out reports/week-48      # candidate,source[,ref,deadline,dir,start]',
      'grader batch roster.csv --queue --redis redis://10.0.0.5:6379   # graded by `grader worker`s',
      'grader batch roster.yaml --concurrency 2 --skip-bad-rows',
    ], ['0  every row has a gradable report', '1  some row has no gradable report (see the Reason column of summary.md)', '2  a bad roster (every bad row is listed) or option']))
    .action((roster: string, { skipBadRows, ...options }: Record<string, unknown>) => run(() => batchCommand({ roster, ...options, ...(skipBadRows ? { skipInvalid: true } : {}) })));

  program
    .command('action')
    .description('GitHub Action entry point: grade GITHUB_WORKSPACE, write the job summary and outputs')
    .action(() => run(() => actionCommand()));

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('review')
    .description('record one reviewer\'s rubric levels and recommendation, and update scorecard.md')
    .argument('<report-dir>', 'folder holding report.json')
    .requiredOption('--reviewer <name>', 'who is reviewing')
    .option('--level <criterion=level>', 'a level per criterion (repeatable); asked on a terminal otherwise', collect)
    .option('--note <criterion=text>', 'a note per criterion (repeatable)', collect)
    .option('--recommend <advance|reject|unsure>', 'overall recommendation')
    .option('--reason <reason>', `primary reason for a reject: ${'shallow-design, poor-debugging, no-production-experience, unclear-communication, security-reliability-blind-spots, other'}`)
    .option('--comment <text>', 'a closing note')
    .addHelpText('after', help([
      'grader review reports/alice --reviewer ann                       # asks on a terminal',
      'grader review reports/alice --reviewer bo --level coding-apis=meets --recommend advance',
    ], ['0  review recorded, scorecard.md updated', '2  no or unreadable report.json, or an invalid answer given as a flag']))
    .action((reportDir: string, options: Omit<Parameters<typeof reviewCommand>[0], 'reportDir'>) => run(() => reviewCommand({ reportDir, ...options })));

  const assignment = program.command('assignment').description('assignment authoring');
  assignment
    .command('validate')
    .description('grade the reference, every mutant and every variant, and print the discrimination matrix')
    .argument('<path>', 'assignment id or folder')
    .option('-c, --concurrency <n>', 'gradings at once', '3')
    .option('--set <path=value>', 'override a manifest setting for this run, e.g. load.durationS=3 (repeatable; values read as YAML)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--only <ids>', 'grade only these subjects (comma-separated: reference, starter, mutant or variant ids)')
    .option('--isolation <by-need|all-fresh>', 'share instances as checks declare (by-need), or give every check its own (all-fresh: the proof that sharing changes no verdict)', 'by-need')
    .addHelpText('after', help([
      'grader assignment validate rate-limited-items',
      'grader assignment validate ./my-exercise --only reference,global-bucket --set load.durationS=3',
    ], ['0  the proof holds', '1  the proof fails (the matrix says which cell)', '2  a bad manifest, mutant or option']))
    .action((path: string, options: { concurrency: string; set: string[]; only?: string; isolation: string }) => run(() => assignmentValidateCommand({ path, ...options })));

  assignment
    .command('new')
    .description('scaffold a new exercise (manifest, brief, rubric, reference, mutants) that validates as it is')
    .argument('<id>', 'kebab-case id')
    .option('--dir <parent>', 'where to create it', '.')
    .action((id: string, options: { dir?: string }) => run(() => assignmentNewCommand(id, options)));
  assignment
    .command('list')
    .description('built-in assignments (and those under --dir) with versions')
    .option('--dir <folder>', 'a folder of local assignments')
    .action((options: { dir?: string }) => run(() => assignmentListCommand(options)));

  const image = program.command('image').description('runtime and helper images');
  image
    .command('build')
    .description('build the offline stand-in for the assignment\'s runtime image and the harness\'s helper image (debootstrap, Debian packages and this machine\'s toolchains)')
    .option('-a, --assignment <id|path>', 'assignment whose runtime image to stand in for')
    .option('--toolchain <id>', 'build the stand-ins of this toolchain\'s images instead (node, python, go, java, command)')
    .option('--all', 'build every toolchain\'s stand-ins and every suite runner\'s prober image')
    .option('--force', 'rebuild even if an up-to-date image exists')
    .option('--mirror <url>', 'Debian mirror', 'http://deb.debian.org/debian')
    .action((options: { force?: boolean; mirror?: string; assignment?: string; toolchain?: string; all?: boolean }) => run(() => imageBuildCommand(options)));

  program
    .command('doctor')
    .description('check the engine, the image and leftovers, and say what to do about each gap')
    .option('--clean', 'remove containers and volumes left by crashed runs')
    .option('--engines <file>', 'check every engine of a pool file (as `grader worker --engines` reads it)')
    .option('-a, --assignment <id|path>', 'assignment whose image to look for')
    .action((options: { clean?: boolean; assignment?: string; engines?: string }) => run(() => doctorCommand(options)));

  program
    .command('cache')
    .description('dependency cache volumes kept between gradings')
    .command('prune')
    .description('remove the dependency cache volumes (the next install downloads its packages again)')
    .action(() => run(() => cachePruneCommand()));

  const redisOption = ['--redis <url>', 'Redis holding the queue (default $GRADER_REDIS_URL or redis://127.0.0.1:6379)'] as const;
  const queueOption = ['--queue <name>', 'queue name (several pools can share one Redis)'] as const;
  const queue = program.command('queue').description('a durable queue of gradings on Redis, graded by `grader worker`s across engines');
  queue
    .command('add')
    .description('queue gradings: a roster (CSV or YAML) or sources; the same assignment, source and commit again returns the stored result')
    .argument('<roster|source...>', 'one roster file, or directories / https git URLs')
    .option('-a, --assignment <id|path>', 'built-in assignment id or path (a path every worker can read)')
    .option('-r, --ref <git-ref>', 'branch, tag or commit (git URLs)')
    .option('--dir <path>', 'the app\'s folder inside the repository')
    .option('--start <command>', 'start the server with this shell command')
    .option('--build <command>', 'build with this shell command')
    .option('--toolchain <id>', 'grade with this toolchain instead of detecting one')
    .option('--image <image>', 'install, build and run in this image')
    .option('--skip-invalid', 'queue the valid rows of a roster with bad rows')
    .option('--json', 'print what was queued as JSON')
    .option(...redisOption)
    .option(...queueOption)
    .addHelpText('after', help([
      'grader queue add roster.csv --assignment rate-limited-items',
      'grader queue add https://github.com/alice/takehome.git ./bob --redis redis://10.0.0.5:6379',
    ], ['0  queued (or already stored)', '2  a bad roster, source or option, or no Redis answering']))
    .action((inputs: string[], options: Record<string, unknown>) => run(() => queueAddCommand({ inputs, ...options })));
  queue
    .command('status')
    .description('waiting, running (engine, phase, elapsed), done and failed (with reasons) gradings')
    .option('--json', 'print the status as JSON')
    .option(...redisOption)
    .option(...queueOption)
    .action((options: Record<string, unknown>) => run(() => queueStatusCommand(options)));
  queue
    .command('results')
    .description('write each finished grading\'s report folder, summary.md and summary.csv, as `grader batch` does')
    .argument('<dir>', 'output folder')
    .option(...redisOption)
    .option(...queueOption)
    .action((dir: string, options: Record<string, unknown>) => run(() => queueResultsCommand({ dir, ...options })));

  program
    .command('worker')
    .description('grade queued jobs on a pool of Docker engines (as many at once as the engines have slots) until interrupted')
    .requiredOption('--engines <file>', 'engine pool file (YAML or JSON): engines: [{ name, host, slots }]')
    .option(...redisOption)
    .option(...queueOption)
    .option('--lease <seconds>', 'a killed worker\'s job is taken back this long after its last renewal (+ at most 10 s)', '20')
    .option('--log <file>', 'the worker\'s debug log (default grader-reports/workers/worker-<pid>.log)')
    .addHelpText('after', help([
      'grader worker --engines engines.yaml --redis redis://127.0.0.1:6379',
    ], ['2  a bad pool file or option', '130/143  interrupted (running gradings go back to the queue after the lease)']))
    .action((options: Record<string, unknown>) => run(() => workerCommand(options)));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  installShutdownHandlers();
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every parse error is bad usage.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    throw error;
  }
}
