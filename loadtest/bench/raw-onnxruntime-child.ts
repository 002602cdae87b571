// Entry of the raw onnxruntime child process: runs sessions in-process, pinned where the scorer runs.
import { serveBenchJobs } from './bench-child.ts';
import { createRawRunner, type RawJob, type RawResult } from './raw-onnxruntime.ts';

serveBenchJobs<RawJob, RawResult>(createRawRunner());
