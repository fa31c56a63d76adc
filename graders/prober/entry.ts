/** Entry point of the prober container when the assignment has no checks of its own. */
import { runProber } from './main.ts';

runProber();
