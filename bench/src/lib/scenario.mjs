// The shape of a scenario file (src/scenarios/*.mjs): the runner loads every file there, so a
// new scenario is one new file.
//
// export default {
//   id: 'save',                       // --scenarios=save picks it
//   order: 10,                        // run order (lower first)
//   description: 'one line',
//   async prepare(ctx) { return [case, …] },   // builds what it needs; ctx: lib/context.mjs
//   async cleanup(ctx) {},            // optional
// };
//
// A case: {
//   id, title,
//   floor: 'curl',                    // the contender every ratio divides by
//   reps?: number,                    // overrides --reps (e.g. 1 for install sizes)
//   primary?: { label, unit, value(measurement) },  // lower is better; default: wall ms
//   notes?(measurement): string,      // extra text per contender (e.g. time to first byte)
//   check?(byContender): void,        // throws when contenders disagree (bytes, messages)
//   contenders: [{ name, before?(): Promise<void>, run(): Promise<Measurement> }],
// }
// A measurement: { wallMs, cpuMs, peakRssMiB, reported?: {…} } (see lib/measure-process.mjs).
export {};
