// Entry point of the Restricted Mode suite: the same runner as the main suite, over the files beside it.
export { run } from '../suite/index';
