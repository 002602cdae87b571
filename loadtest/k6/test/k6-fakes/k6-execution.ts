import { recorder } from './recorder.ts';

export default {
  instance: {
    get currentTestRunDuration(): number {
      return recorder.elapsedMs;
    },
  },
  scenario: { name: 'fake', executor: 'fake', startTime: 0, progress: 0, iterationInInstance: 0, iterationInTest: 0 },
  vu: { idInInstance: 1, idInTest: 1, iterationInInstance: 0, iterationInScenario: 0 },
};
