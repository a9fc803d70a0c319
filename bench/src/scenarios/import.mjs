// Cold start: a fresh node process that imports the client and exits. Bare node is the floor;
// Berth is @berth/images + @berth/transport-unix (what a save/load/build user imports).
import { fileURLToPath } from 'node:url';
import { measureProcess } from '../lib/measure-process.mjs';

const benchRoot = fileURLToPath(new URL('../..', import.meta.url));
const programs = {
  'bare node': '0',
  'Berth (images + transport-unix)': "await import('@berth/images'); await import('@berth/transport-unix');",
  dockerode: "await import('dockerode');",
  '@docker/node-sdk': "await import('@docker/node-sdk');",
  'Berth (engine-protocol + transport-unix)': "await import('@berth/engine-protocol'); await import('@berth/transport-unix');",
};

export default {
  id: 'import',
  order: 70,
  description: 'cold import in a fresh node process: bare node (floor), Berth, dockerode, @docker/node-sdk',
  async prepare() {
    return [
      {
        id: 'cold-import',
        title: 'cold import (fresh process, import and exit)',
        floor: 'bare node',
        contenders: Object.entries(programs).map(([name, program]) => ({
          name,
          run: () => measureProcess(process.execPath, ['--input-type=module', '-e', program], { cwd: benchRoot }),
        })),
      },
    ];
  },
};
