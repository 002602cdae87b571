// Entry of the load-client child process: runs the harness's load jobs with undici.
import { serveBenchJobs } from './bench-child.ts';
import { runLoadJob, type LoadJob, type LoadResult } from './load-client.ts';

serveBenchJobs<LoadJob, LoadResult>(runLoadJob);
