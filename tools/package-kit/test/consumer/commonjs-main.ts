// The CommonJS consumer's entry: `require.resolve` says which file `require()` picked.
import { exercise } from './exercise';

exercise((name) => require.resolve(name)).then(
  (report) => console.log(JSON.stringify(report)),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
