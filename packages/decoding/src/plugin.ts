import { definePlugin } from '@neurite/kernel';
import { decodeMiCommand } from './commands/decode-mi.js';
import { decodePositionCommand } from './commands/decode-position.js';
import { decodeSsvepCommand } from './commands/decode-ssvep.js';
import { brainEncoderNode } from './contrastive/model.js';
import { formats } from './formats/index.js';
import { deepSsvepNode } from './ssvep/deep-ssvep.js';
import { VERSION } from './version.js';

/**
 * The decoding plugin: EEG and spike readers for `neurite inspect`, the `decode ssvep|mi|position`
 * commands, and the trainable Deep-SSVEP and brain-encoder node types.
 */
export const decodingPlugin = definePlugin({
  name: '@neurite/decoding',
  version: VERSION,
  apiVersion: '^1.0.0',
  description: 'EEG/spike readers, filtering, SSVEP, motor-imagery, contrastive and place-cell decoding',
  setup(ctx) {
    for (const format of formats) ctx.register('format', format);
    for (const command of [decodeSsvepCommand, decodeMiCommand, decodePositionCommand])
      ctx.register('command', command);
    ctx.register('node', deepSsvepNode);
    ctx.register('node', brainEncoderNode);
  },
});
