/** The appwrite-vcr command line, run from the sources (for tests that need it in its own process). */
import { run } from '../../src/cli/main.js';

await run();
