// The benchmark suite's entry point: the same runner as the test suites, over the files beside it.
export { run } from '../suite/index';
