// The ESM consumer's entry: `import.meta.resolve` says which file `import` picked.
import { fileURLToPath } from 'node:url';
import { exercise } from './exercise.js';

try {
  console.log(JSON.stringify(await exercise((name) => fileURLToPath(import.meta.resolve(name)))));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
